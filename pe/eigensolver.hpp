// Eigensolver: the k smallest eigenpairs of a sparse self-adjoint PSD matrix (real symmetric or
// complex Hermitian), ascending, with orthonormal vectors and the residuals ||H v - lambda v||.
// Auto: dense (LAPACK dsyevr / zheevr for the k smallest pairs, O(n^3); pe/dense_eigensolver.hpp)
// up to 250 rows (complex 450; crossovers measured on code2-like DAGs, k = 16), else Spectra
// Lanczos on H + sigma I (sigma = Gershgorin bound; O(restarts * (nnz + n ncv) ncv), ncv ~ 2k+1..k+24).
// Sparse forces Spectra unless n is too small for a Krylov basis of twice ncv (then dense).
// Complex H = R + iI: Spectra on the real 2n embedding [[R, -I], [I, R]] (each eigenvalue twice),
// 2k real pairs mapped to x + iy, orthonormalized (rank-revealing Gram) and Rayleigh-Ritz refined.
// Every result is checked (residual <= max_residual); Spectra failure retries with a doubled
// basis, then dense up to dense_fallback_max rows, else NumericalError. Single-vector Lanczos
// may under-resolve an exact multiplicity inside one matrix: the encodings therefore solve each
// connected component separately (disconnected graphs are exact).
#pragma once

#include "graph/graph.hpp"

#include <Eigen/Core>
#include <Eigen/SparseCore>

#include <complex>
#include <string>

namespace graphtx {

enum class SolverChoice { Auto, Dense, Sparse };  // spec values auto | dense | sparse

// Parses "auto" / "dense" / "sparse"; throws UsageError otherwise.
SolverChoice parse_solver_choice(const std::string& name);

struct EigensolverOptions {
  SolverChoice solver = SolverChoice::Auto;
  Index dense_max = 250;            // Auto, real: dense for at most this many rows, Spectra above
  Index dense_max_complex = 450;    // Auto, complex: the same (the 2n embedding is costlier)
  Index dense_fallback_max = 3000;  // Spectra failure: dense retry up to this size, else NumericalError
  double max_residual = 1e-8;       // every returned pair must satisfy ||H v - lambda v|| <= this
  Index max_iterations = 5000;      // Lanczos restarts
};

template <class Scalar>
struct Eigenpairs {
  Eigen::VectorXd values;                                         // [m] ascending
  Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> vectors;  // [n, m] orthonormal columns
  double max_residual = 0;                                        // max ||H v - lambda v||
  bool used_sparse = false;                                       // Spectra produced the result
  bool dense_fallback = false;                                    // Spectra failed, dense took over
};
using RealEigenpairs = Eigenpairs<double>;
using ComplexEigenpairs = Eigenpairs<std::complex<double>>;

using RealSparse = Eigen::SparseMatrix<double, Eigen::RowMajor, std::int64_t>;
using ComplexSparse = Eigen::SparseMatrix<std::complex<double>, Eigen::RowMajor, std::int64_t>;

// The min(k, n) smallest eigenpairs of the symmetric (Hermitian) h. Only self-adjointness is
// assumed for the dense path; Spectra assumes it too. Throws NumericalError if no solver meets
// options.max_residual, UsageError if h is not square or k < 0.
RealEigenpairs smallest_eigenpairs(const RealSparse& h, Index k, const EigensolverOptions& options = {});
ComplexEigenpairs smallest_eigenpairs(const ComplexSparse& h, Index k, const EigensolverOptions& options = {});

}  // namespace graphtx
