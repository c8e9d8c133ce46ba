// Internal: Fortran LAPACK prototypes used by the dense eigensolver (LP64: 32-bit INTEGER),
// with gfortran's hidden CHARACTER lengths last, and a switch that keeps OpenBLAS (Debian's
// liblapack.so.3 alternative) single-threaded: pe/ parallelizes with one oneTBB task per graph.
#pragma once

#include <complex>
#include <cstddef>

extern "C" {
void dsyevr_(const char* jobz, const char* range, const char* uplo, const int* n, double* a, const int* lda,
             const double* vl, const double* vu, const int* il, const int* iu, const double* abstol, int* m, double* w,
             double* z, const int* ldz, int* isuppz, double* work, const int* lwork, int* iwork, const int* liwork,
             int* info, std::size_t jobz_len, std::size_t range_len, std::size_t uplo_len);
void zheevr_(const char* jobz, const char* range, const char* uplo, const int* n, std::complex<double>* a,
             const int* lda, const double* vl, const double* vu, const int* il, const int* iu, const double* abstol,
             int* m, double* w, std::complex<double>* z, const int* ldz, int* isuppz, std::complex<double>* work,
             const int* lwork, double* rwork, const int* lrwork, int* iwork, const int* liwork, int* info,
             std::size_t jobz_len, std::size_t range_len, std::size_t uplo_len);
}

namespace graphtx::lapack {

// Sets OpenBLAS to one thread once per process (no-op with another LAPACK): results are then
// independent of the oneTBB thread count and the two pools never oversubscribe the cores.
void use_single_thread_blas();

}  // namespace graphtx::lapack
