#include "pe/eigensolver.hpp"

#include "graph/errors.hpp"
#include "pe/dense_eigensolver.hpp"

#include <Eigen/Dense>
#include <Spectra/SymEigsSolver.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace graphtx {

namespace {

using Complex = std::complex<double>;
using RealDense = Eigen::MatrixXd;
using ComplexDense = Eigen::MatrixXcd;

constexpr Index kParallelRows = 20000;  // row-parallel products above this size (bitwise identical)

// y = h x, each row summed sequentially, so the result is independent of the thread count.
template <class Scalar, class In, class Out>
void sparse_product(const Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>& h, const In& x, Out& y) {
  const Index n = h.rows();
  const auto* outer = h.outerIndexPtr();
  const auto* inner = h.innerIndexPtr();
  const Scalar* value = h.valuePtr();
  auto rows = [&](Index begin, Index end) {
    for (Index r = begin; r < end; ++r)
      for (Index c = 0; c < x.cols(); ++c) {
        typename Out::Scalar sum(0);
        for (auto p = outer[r]; p < outer[r + 1]; ++p) sum += value[p] * x(inner[p], c);
        y(r, c) = sum;
      }
  };
  if (n < kParallelRows) {
    rows(0, n);
    return;
  }
  tbb::parallel_for(tbb::blocked_range<Index>(0, n, 4096),
                    [&](const tbb::blocked_range<Index>& b) { rows(b.begin(), b.end()); });
}

// Row sums of |h|: a Gershgorin bound on the spectral radius.
template <class Scalar>
double gershgorin_bound(const Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>& h) {
  double bound = 0;
  for (Index r = 0; r < h.rows(); ++r) {
    double row = 0;
    for (typename Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>::InnerIterator it(h, r); it; ++it)
      row += std::abs(it.value());
    bound = std::max(bound, row);
  }
  return bound;
}

// Spectra operator x -> (h + sigma I) x on R^n (real h) or on the real 2n embedding of complex h.
template <class Entry>
class ShiftedOperator {
 public:
  using Scalar = double;  // Spectra works on the real (embedded) problem
  using Sparse = Eigen::SparseMatrix<Entry, Eigen::RowMajor, std::int64_t>;
  ShiftedOperator(const Sparse& h, double sigma) : h_(h), sigma_(sigma) {}
  Eigen::Index rows() const { return embedded() ? 2 * h_.rows() : h_.rows(); }
  Eigen::Index cols() const { return rows(); }

  void perform_op(const double* x_in, double* y_out) const {
    const Index n = h_.rows();
    if constexpr (std::is_same_v<Entry, double>) {
      Eigen::Map<const Eigen::VectorXd> x(x_in, n);
      Eigen::Map<Eigen::VectorXd> y(y_out, n);
      sparse_product(h_, x, y);
      y += sigma_ * x;
    } else {
      z_.resize(n);
      hz_.resize(n);
      for (Index i = 0; i < n; ++i) z_[i] = Complex(x_in[i], x_in[n + i]);
      sparse_product(h_, z_, hz_);
      for (Index i = 0; i < n; ++i) {
        y_out[i] = hz_[i].real() + sigma_ * x_in[i];
        y_out[n + i] = hz_[i].imag() + sigma_ * x_in[n + i];
      }
    }
  }

 private:
  static constexpr bool embedded() { return !std::is_same_v<Entry, double>; }
  const Sparse& h_;
  double sigma_;
  mutable Eigen::VectorXcd z_, hz_;  // complex work vectors of the embedded product
};

// Residual norms ||h v_j - lambda_j v_j|| of every column.
template <class Scalar>
double max_residual(const Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>& h,
                    const Eigen::VectorXd& values,
                    const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>& vectors) {
  Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> hv(vectors.rows(), vectors.cols());
  sparse_product(h, vectors, hv);
  double worst = 0;
  for (Index j = 0; j < vectors.cols(); ++j)
    worst = std::max(worst, (hv.col(j) - values[j] * vectors.col(j)).norm());
  return std::isfinite(worst) ? worst : std::numeric_limits<double>::infinity();
}

template <class Scalar>
Eigenpairs<Scalar> dense_eigenpairs(const Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>& h, Index m) {
  Eigenpairs<Scalar> out;
  dense_smallest_eigenpairs(h, m, out);
  out.max_residual = max_residual(h, out.values, out.vectors);
  return out;
}

// Lanczos basis size for nev wanted pairs: larger than ARPACK's 2 nev + 1 (fewer restarts).
Index krylov_size(Index nev, Index rows, Index scale) {
  return std::min(rows, std::max(2 * nev + 1, nev + 24) * scale);
}

// Orthonormal complex basis of the span of x + iy over the embedded Ritz vectors, then
// Rayleigh-Ritz on h: eigenvalue copies (v and i v) collapse to one complex direction.
ComplexEigenpairs rebuild_complex(const ComplexSparse& h, const RealDense& embedded, Index m) {
  const Index n = h.rows();
  ComplexDense z(n, embedded.cols());
  for (Index j = 0; j < embedded.cols(); ++j)
    for (Index i = 0; i < n; ++i) z(i, j) = Complex(embedded(i, j), embedded(n + i, j));
  Eigen::SelfAdjointEigenSolver<ComplexDense> gram(z.adjoint() * z);
  const Eigen::VectorXd& g = gram.eigenvalues();
  std::vector<Index> kept;
  for (Index j = 0; j < g.size(); ++j)
    if (g[j] > 1e-8 * std::max(1.0, g.maxCoeff())) kept.push_back(j);
  const Index r = static_cast<Index>(kept.size());
  if (r < m) throw NumericalError("complex embedding gave " + std::to_string(r) + " directions, need " + std::to_string(m));
  ComplexDense basis(n, r);
  for (Index j = 0; j < r; ++j) basis.col(j) = z * gram.eigenvectors().col(kept[j]) / std::sqrt(g[kept[j]]);
  Eigen::HouseholderQR<ComplexDense> qr(basis);
  ComplexDense q = qr.householderQ() * ComplexDense::Identity(n, r);
  ComplexDense hq(n, r);
  sparse_product(h, q, hq);
  ComplexDense t = q.adjoint() * hq;
  t = (t + t.adjoint().eval()) * 0.5;
  Eigen::SelfAdjointEigenSolver<ComplexDense> ritz(t);
  ComplexEigenpairs out;
  out.values = ritz.eigenvalues().head(m);
  out.vectors = q * ritz.eigenvectors().leftCols(m);
  return out;
}

// One Spectra run; returns false if it did not converge.
template <class Scalar>
bool lanczos(const Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>& h, Index m, Index scale,
             const EigensolverOptions& options, Eigenpairs<Scalar>& out) {
  constexpr bool complex = !std::is_same_v<Scalar, double>;
  const double sigma = std::max(1.0, gershgorin_bound(h));  // eigenvalues of h + sigma I in [sigma, 3 sigma]
  ShiftedOperator<Scalar> op(h, sigma);
  const Index nev = complex ? 2 * m : m;
  const Index ncv = krylov_size(nev, op.rows(), scale);
  if (ncv <= nev) return false;
  Spectra::SymEigsSolver<ShiftedOperator<Scalar>> solver(op, nev, ncv);
  solver.init();
  const double tol = std::max(1e-14, std::min(1e-10, 0.01 * options.max_residual / sigma));
  solver.compute(Spectra::SortRule::SmallestAlge, options.max_iterations, tol, Spectra::SortRule::SmallestAlge);
  out.max_residual = std::numeric_limits<double>::infinity();
  if (solver.info() != Spectra::CompInfo::Successful) return false;
  if constexpr (complex) {
    try {
      out = rebuild_complex(h, solver.eigenvectors(), m);
    } catch (const NumericalError&) {
      return false;  // too few complex directions: the caller retries or falls back
    }
  } else {
    out.values = solver.eigenvalues().array() - sigma;
    out.vectors = solver.eigenvectors();
  }
  out.max_residual = max_residual(h, out.values, out.vectors);
  out.used_sparse = true;
  return out.max_residual <= options.max_residual;
}

template <class Scalar>
Eigenpairs<Scalar> smallest(const Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>& h, Index k,
                            const EigensolverOptions& options) {
  if (h.rows() != h.cols()) throw UsageError("smallest_eigenpairs: matrix is not square");
  if (k < 0) throw UsageError("smallest_eigenpairs: k must be >= 0");
  const Index n = h.rows();
  const Index m = std::min(k, n);
  Eigenpairs<Scalar> out;
  if (m == 0) {
    out.vectors.resize(n, 0);
    return out;
  }
  // Lanczos needs a Krylov space well beyond the wanted pairs; tiny problems are always dense.
  const Index embedded_rows = std::is_same_v<Scalar, double> ? n : 2 * n;
  const bool lanczos_fits = embedded_rows > 2 * krylov_size(std::is_same_v<Scalar, double> ? m : 2 * m, embedded_rows, 1);
  const bool sparse = lanczos_fits && (options.solver == SolverChoice::Sparse ||
                                       (options.solver == SolverChoice::Auto &&
                                        n > (std::is_same_v<Scalar, double> ? options.dense_max : options.dense_max_complex)));
  if (sparse) {
    for (Index scale : {1, 2})
      if (lanczos(h, m, scale, options, out)) return out;
    if (n > options.dense_fallback_max)
      throw NumericalError("sparse eigensolver did not reach residual " + std::to_string(options.max_residual) +
                           " for " + std::to_string(m) + " eigenpairs of a " + std::to_string(n) +
                           "-row matrix (best " + std::to_string(out.max_residual) +
                           "), and it is too large for the dense fallback (> " +
                           std::to_string(options.dense_fallback_max) + " rows)");
  }
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
