// Dense matrix products for the model, in two interchangeable backends: OpenBLAS (the fast
// path) and a naive triple loop (the reference that tests and benchmarks compare against).
// Weights are stored [out, in], row-major, as in a linear layer.
//
//   matmul_forward(Backend::Blas, y, x, w, N, I, O);              // y[N,O] = x[N,I] w[O,I]^T
//   matmul_backward(Backend::Blas, dx, dw, dy, x, w, N, I, O);    // dx += dy w; dw += dy^T x
#pragma once

#include "policy/model/blas.hpp"

#include <cstddef>
#include <string>

namespace crucible::policy {

enum class Backend { Blas, Naive };

namespace detail {
inline void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, float alpha,
                 const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc) {
  blas::sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
inline void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, double alpha,
                 const double* a, int lda, const double* b, int ldb, double beta, double* c,
                 int ldc) {
  blas::dgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
}  // namespace detail

// y[N,O] = x[N,I] w[O,I]^T (overwrites y).
template <typename T>
void matmul_forward(Backend backend, T* y, const T* x, const T* w, size_t n, size_t in,
                    size_t out) {
  if (backend == Backend::Blas) {
    detail::gemm(CblasNoTrans, CblasTrans, static_cast<int>(n), static_cast<int>(out),
                 static_cast<int>(in), T(1), x, static_cast<int>(in), w, static_cast<int>(in), T(0),
                 y, static_cast<int>(out));
    return;
  }
  for (size_t r = 0; r < n; ++r)
    for (size_t o = 0; o < out; ++o) {
      T s = 0;
      for (size_t i = 0; i < in; ++i) s += x[r * in + i] * w[o * in + i];
      y[r * out + o] = s;
    }
}

// dx[N,I] += dy[N,O] w[O,I]; dw[O,I] += dy^T x. Either output may be null (not needed).
template <typename T>
void matmul_backward(Backend backend, T* dx, T* dw, const T* dy, const T* x, const T* w, size_t n,
                     size_t in, size_t out) {
  if (backend == Backend::Blas) {
    if (dx)
      detail::gemm(CblasNoTrans, CblasNoTrans, static_cast<int>(n), static_cast<int>(in),
                   static_cast<int>(out), T(1), dy, static_cast<int>(out), w, static_cast<int>(in),
                   T(1), dx, static_cast<int>(in));
    if (dw)
      detail::gemm(CblasTrans, CblasNoTrans, static_cast<int>(out), static_cast<int>(in),
                   static_cast<int>(n), T(1), dy, static_cast<int>(out), x, static_cast<int>(in),
                   T(1), dw, static_cast<int>(in));
    return;
  }
  if (dx)
    for (size_t r = 0; r < n; ++r)
      for (size_t o = 0; o < out; ++o) {
        T g = dy[r * out + o];
        for (size_t i = 0; i < in; ++i) dx[r * in + i] += g * w[o * in + i];
      }
  if (dw)
    for (size_t r = 0; r < n; ++r)
      for (size_t o = 0; o < out; ++o) {
        T g = dy[r * out + o];
        for (size_t i = 0; i < in; ++i) dw[o * in + i] += g * x[r * in + i];
      }
}

// Uses `threads` threads for the policy's later work (the project runs on 2): OpenBLAS's for
// training's products, and the decoder's for a step over many samples.
void set_policy_threads(int threads);
// The count in use: the last one set, or until then OpenBLAS's own (OPENBLAS_NUM_THREADS or
// the machine's cores).
int policy_threads();
// The kernel a backend runs on this machine: "naive", or OpenBLAS's core name ("OpenBLAS
// Haswell"), which it picks from the CPU or from OPENBLAS_CORETYPE. Results in fp32 differ in
// rounding between kernels, so a run's record names the one it used.
std::string kernel_name(Backend backend);

}  // namespace crucible::policy
