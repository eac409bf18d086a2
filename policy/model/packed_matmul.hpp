// Inference kernels that equal the naive kernels bit for bit and run at the speed of the
// vector units: a weight matrix is packed once (transposed, rows padded), then every product
// computes many outputs side by side, each summed in the naive order. Used for generation,
// where products have few rows and BLAS spends its time on call overhead and packing.
//
//   PackedMatrix wq = pack_matrix(w, out, in);        // w [out, in], as in matmul_forward
//   packed_matmul(y, x, wq, n);                       // y[n, out] = x[n, in] w^T
//   packed_attend(o, scores, q, kt, kstride, v, vstride, heads, hd, last, scale);
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "policy/model/recycled_memory.hpp"

namespace crucible::policy {

// The instruction sets the kernels are built for, widest first.
enum class Isa { Avx512, Avx2, Sse2 };
std::string isa_name(Isa isa);
// Those this CPU can run, widest first (Sse2 is always there on x86-64).
std::vector<Isa> supported_isas();
// The widest supported one, unless CRUCIBLE_POLICY_ISA names another (avx512, avx2, sse2):
// a way to time or check a narrower path on a wide machine.
Isa default_isa();

// w [out, in] stored as wt [in, ld]; ld rounds out up to a whole number of the widest vectors
// and the padding is zero.
struct PackedMatrix {
  RecycledBuffer wt;
  size_t in = 0, out = 0, ld = 0;
};
PackedMatrix pack_matrix(const float* w, size_t out, size_t in);

// y[n, out] = x[n, in] w^T, equal bit for bit to matmul_forward(Backend::Naive, ...).
void packed_matmul(float* y, const float* x, const PackedMatrix& w, size_t n,
                   Isa isa = default_isa());

// Every head of one query attending over positions 0..last: keys transposed (kt: heads * hd
// rows of kstride floats, each read up to kstride), values by position (v: rows of vstride
// floats, the heads side by side); out [heads * hd]; scores needs heads * kstride floats.
// Equal bit for bit to naive_attend.
void packed_attend(float* out, float* scores, const float* q, const float* kt, size_t kstride,
                   const float* v, size_t vstride, size_t heads, size_t hd, size_t last,
                   float scale, Isa isa = default_isa());
// e^x as the attention's softmax computes it in every kernel (relative error about 1e-7,
// 0 below ln(FLT_MIN)): a polynomial the vector units evaluate many lanes at a time, where the
// C library's expf is one call per element.
float softmax_exp(float x);
// The reference for packed_attend, same arguments: one position at a time, as the naive
// kernels' attention computes a row.
void naive_attend(float* out, float* scores, const float* q, const float* kt, size_t kstride,
                  const float* v, size_t vstride, size_t heads, size_t hd, size_t last,
                  float scale);

}  // namespace crucible::policy
