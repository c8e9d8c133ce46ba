// Eigensolver: the k smallest eigenpairs of a sparse self-adjoint PSD matrix (real symmetric or
// complex Hermitian), ascending, with orthonormal vectors and the residuals ||H v - lambda v||.
// Auto, real matrices whose pattern is a forest (tree Laplacians): bisection + inverse iteration
// on the tree itself (pe/tree_eigensolver.hpp, O(n k) per pass, no O(n^3) step), kept if verified.
// Auto otherwise: dense (LAPACK, O(n^3); pe/dense_eigensolver.hpp) up to 150 rows (complex 100; crossovers
// measured on the 4,000-graph code2 sample, k = 16), else the sparse path (pe/sparse_eigensolver.hpp):
// thick-restart Lanczos natively on R^n / C^n, in shift-invert mode ((H + eps I)^-1 through a
// sparse LDL^H factorization) when the factor's fill is within max_fill_ratio / max_factor_bytes
// (trees, paths, code2 ASTs: a few restarts), else on sigma I - H (random expanders).
// Sparse forces Lanczos unless n is too small for a Krylov basis of twice ncv (then dense).
// Every result is checked (residual <= max_residual); a sparse failure retries with a doubled
// basis, then dense up to dense_fallback_max rows, else NumericalError. Single-vector Lanczos
// may under-resolve an exact multiplicity inside one matrix (a verification restart from a fresh
// vector catches most cases): the encodings also solve each connected component separately.
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
  Index dense_max = 150;            // Auto, real: dense for at most this many rows, Lanczos above
  Index dense_max_complex = 100;    // Auto, complex: the same (measured on the code2 sample, k = 16)
  Index dense_fallback_max = 3000;  // sparse failure: dense retry up to this size, else NumericalError
  double max_residual = 1e-8;       // every returned pair must satisfy ||H v - lambda v|| <= this
  Index max_iterations = 5000;      // Lanczos restarts
  bool tree_solver = true;          // Auto, real: forests through the tree eigensolver
  bool shift_invert = true;         // sparse: shift-invert Lanczos when the factor fits the budget
  double max_fill_ratio = 40;       // shift-invert only if nnz(L) <= max_fill_ratio * nnz(H) + n
  double max_factor_bytes = 2.0 * (1ull << 30);  // ... and the factor takes at most this many bytes
};

template <class Scalar>
struct Eigenpairs {
  Eigen::VectorXd values;                                         // [m] ascending
  Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> vectors;  // [n, m] orthonormal columns
  double max_residual = 0;                                        // max ||H v - lambda v||
  bool used_sparse = false;                                       // Lanczos produced the result
  bool used_tree = false;                                         // the tree eigensolver did
  bool used_shift_invert = false;                                 // ... in shift-invert mode
  bool dense_fallback = false;                                    // Lanczos failed, dense took over
};
using RealEigenpairs = Eigenpairs<double>;
using ComplexEigenpairs = Eigenpairs<std::complex<double>>;

using RealSparse = Eigen::SparseMatrix<double, Eigen::RowMajor, std::int64_t>;
using ComplexSparse = Eigen::SparseMatrix<std::complex<double>, Eigen::RowMajor, std::int64_t>;

// The min(k, n) smallest eigenpairs of the symmetric (Hermitian) h. Only self-adjointness is
// assumed for the dense path; Lanczos assumes PSD too. Throws NumericalError if no solver meets
// options.max_residual, UsageError if h is not square or k < 0.
RealEigenpairs smallest_eigenpairs(const RealSparse& h, Index k, const EigensolverOptions& options = {});
ComplexEigenpairs smallest_eigenpairs(const ComplexSparse& h, Index k, const EigensolverOptions& options = {});

}  // namespace graphtx
