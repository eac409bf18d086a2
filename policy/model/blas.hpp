// OpenBLAS, loaded on first use (dlopen). A process that never multiplies matrices
// (crucible run, judge, serve, the Python rewards) neither maps it nor starts its threads,
// which would otherwise spin on another core for their first tenth of a second and cost every
// command about 6 ms before main; the policy's products are the same library's.
#pragma once

#include <cblas.h>  // for the enums only: every call goes through the loaded library

namespace crucible::policy::blas {

// Each loads the library on its first call; throws Error naming the library when it cannot.
void sgemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, float alpha, const float* a,
           int lda, const float* b, int ldb, float beta, float* c, int ldc);
void dgemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, double alpha,
           const double* a, int lda, const double* b, int ldb, double beta, double* c, int ldc);
void set_num_threads(int threads);
int num_threads();
// The kernels OpenBLAS chose for this CPU ("Haswell", ...), or null.
const char* corename();

}  // namespace crucible::policy::blas
