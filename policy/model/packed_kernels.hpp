// The raw packed kernels, one set per instruction set (packed_kernels.inc compiled three
// times); packed_matmul.hpp picks one for the CPU. No includes on purpose: the kernel files
// are compiled with wider instructions and must not instantiate library code.
#pragma once

#define CRUCIBLE_DECLARE_PACKED_KERNELS(isa)                                                       \
  namespace crucible::policy::packed_##isa {                                                       \
    void matmul(float* y, const float* x, const float* wt, unsigned long n, unsigned long in,      \
                unsigned long ld, unsigned long out);                                              \
    void attend(float* out, float* scores, const float* q, const float* kt, unsigned long kstride, \
                const float* v, unsigned long vstride, unsigned long heads, unsigned long hd,      \
                unsigned long last, float scale);                                                  \
    float softmax_exp(float x);                                                                    \
  }

CRUCIBLE_DECLARE_PACKED_KERNELS(avx512)
CRUCIBLE_DECLARE_PACKED_KERNELS(avx2)
CRUCIBLE_DECLARE_PACKED_KERNELS(sse2)

#undef CRUCIBLE_DECLARE_PACKED_KERNELS
