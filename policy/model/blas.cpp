#include "policy/model/blas.hpp"

#include <dlfcn.h>
#include <stdlib.h>

#include <string>

#include "base/error.hpp"

namespace crucible::policy::blas {
namespace {

struct Library {
  decltype(&cblas_sgemm) sgemm;
  decltype(&cblas_dgemm) dgemm;
  decltype(&openblas_set_num_threads) set_num_threads;
  decltype(&openblas_get_num_threads) get_num_threads;
  decltype(&openblas_get_corename) get_corename;
};

// OpenBLAS's idle threads spin (sched_yield) for 2^28 cycles, about 0.1 s, after every call
// before they sleep. After a training step that spin held one of the two cores the decoder's
// threads then needed: batch-32 generation right after training ran at 0.55-0.9x of its speed.
// 2^20 cycles (about 0.3 ms) still spans the gaps between a training step's products, and
// training measured the same. OpenBLAS reads its environment once, when loaded; a value the
// user set is kept. This runs once, inside the first BLAS call.
void shorten_blas_thread_spin() {
  ::setenv("OPENBLAS_THREAD_TIMEOUT", "20", /*overwrite=*/0);
}

Library load() {
  shorten_blas_thread_spin();
  void* handle = ::dlopen(CRUCIBLE_OPENBLAS_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    throw Error(std::string("cannot load OpenBLAS (" CRUCIBLE_OPENBLAS_SONAME "): ") + ::dlerror() +
                "; install libopenblas0");
  auto symbol = [&](const char* name) {
    void* address = ::dlsym(handle, name);
    if (!address)
      throw Error(std::string(CRUCIBLE_OPENBLAS_SONAME " has no ") + name + "; is it OpenBLAS?");
    return address;
  };
  Library lib;
  lib.sgemm = reinterpret_cast<decltype(lib.sgemm)>(symbol("cblas_sgemm"));
  lib.dgemm = reinterpret_cast<decltype(lib.dgemm)>(symbol("cblas_dgemm"));
  lib.set_num_threads =
      reinterpret_cast<decltype(lib.set_num_threads)>(symbol("openblas_set_num_threads"));
  lib.get_num_threads =
      reinterpret_cast<decltype(lib.get_num_threads)>(symbol("openblas_get_num_threads"));
  lib.get_corename = reinterpret_cast<decltype(lib.get_corename)>(symbol("openblas_get_corename"));
  return lib;
}

const Library& library() {
  static const Library lib = load();  // thread-safe; a failed load is retried next call
  return lib;
}

}  // namespace

void sgemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, float alpha, const float* a,
           int lda, const float* b, int ldb, float beta, float* c, int ldc) {
  library().sgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void dgemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, double alpha,
           const double* a, int lda, const double* b, int ldb, double beta, double* c, int ldc) {
  library().dgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void set_num_threads(int threads) {
  library().set_num_threads(threads);
}

int num_threads() {
  return library().get_num_threads();
}

const char* corename() {
  return library().get_corename();
}

}  // namespace crucible::policy::blas
