#include "pe/eigensolver.hpp"

#include "graph/errors.hpp"
#include "pe/dense_eigensolver.hpp"
#include "pe/sparse_eigensolver.hpp"
#include "pe/sparse_product.hpp"
#include "pe/tree_eigensolver.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace graphtx {

namespace {

constexpr double kMaxOrthogonalityError = 1e-10;  // tree solver: max |V^T V - I| accepted

template <class Scalar>
Eigenpairs<Scalar> dense_eigenpairs(const Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>& h, Index m) {
  Eigenpairs<Scalar> out;
  dense_smallest_eigenpairs(h, m, out);
  out.max_residual = max_residual(h, out.values, out.vectors);
  return out;
}

template <class Scalar>
Eigenpairs<Scalar> smallest(const Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>& h, Index k,
                            const EigensolverOptions& options) {
  if (h.rows() != h.cols()) throw UsageError("smallest_eigenpairs: matrix is not square");
  if (k < 0) throw UsageError("smallest_eigenpairs: k must be >= 0");
  if (!h.isCompressed()) {  // the products read the compressed arrays (a matrix filled by insert() is not)
    Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t> compressed = h;
    compressed.makeCompressed();
    return smallest(compressed, k, options);
  }
  const Index n = h.rows();
  const Index m = std::min(k, n);
  Eigenpairs<Scalar> out;
  if (m == 0) {
    out.vectors.resize(n, 0);
    return out;
  }
  if constexpr (std::is_same_v<Scalar, double>) {
    if (options.solver == SolverChoice::Auto && options.tree_solver && tree_smallest_eigenpairs(h, m, out)) {
      const double orthogonality =
          (out.vectors.transpose() * out.vectors - Eigen::MatrixXd::Identity(m, m)).cwiseAbs().maxCoeff();
      out.used_tree = out.max_residual <= options.max_residual && orthogonality <= kMaxOrthogonalityError;
      if (out.used_tree) return out;
    }
  }
  // Lanczos needs a Krylov space well beyond the wanted pairs; tiny problems are always dense.
  const bool lanczos_fits = n > 2 * lanczos_basis_size(m, n, 1);
  const bool sparse = lanczos_fits && (options.solver == SolverChoice::Sparse ||
                                       (options.solver == SolverChoice::Auto &&
                                        n > (std::is_same_v<Scalar, double> ? options.dense_max : options.dense_max_complex)));
  if (sparse) {
    for (Index scale : {1, 2})
      if (sparse_smallest_eigenpairs(h, m, scale, options, out)) return out;
    if (n > options.dense_fallback_max)
      throw NumericalError("sparse eigensolver did not reach residual " + std::to_string(options.max_residual) +
                           " for " + std::to_string(m) + " eigenpairs of a " + std::to_string(n) +
                           "-row matrix (best " + std::to_string(out.max_residual) +
                           "), and it is too large for the dense fallback (> " +
                           std::to_string(options.dense_fallback_max) + " rows)");
  }
  // Dense by choice (solver=dense, or k too large for a Krylov basis): never above the limit.
  if (!sparse && n > options.dense_fallback_max)
    throw UsageError("dense eigensolver refused: " + std::to_string(n) + " rows exceed the dense limit of " +
                     std::to_string(options.dense_fallback_max) + " rows (EigensolverOptions::dense_fallback_max; " +
                     (options.solver == SolverChoice::Dense ? "use solver=auto or solver=sparse)" : "lower k)"));
  Eigenpairs<Scalar> dense = dense_eigenpairs(h, m);
  dense.dense_fallback = sparse;
  if (!(dense.max_residual <= options.max_residual))
    throw NumericalError("dense eigensolver residual " + std::to_string(dense.max_residual) + " exceeds " +
                         std::to_string(options.max_residual) + " (" + std::to_string(n) + " rows)");
  return dense;
}

}  // namespace

SolverChoice parse_solver_choice(const std::string& name) {
  if (name == "auto") return SolverChoice::Auto;
  if (name == "dense") return SolverChoice::Dense;
  if (name == "sparse") return SolverChoice::Sparse;
  throw UsageError("unknown solver '" + name + "' (valid: auto, dense, sparse)");
}

RealEigenpairs smallest_eigenpairs(const RealSparse& h, Index k, const EigensolverOptions& options) {
  return smallest(h, k, options);
}

ComplexEigenpairs smallest_eigenpairs(const ComplexSparse& h, Index k, const EigensolverOptions& options) {
  return smallest(h, k, options);
}

}  // namespace graphtx
