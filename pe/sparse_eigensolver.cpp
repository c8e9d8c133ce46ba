#include "pe/sparse_eigensolver.hpp"

#include "pe/lanczos.hpp"
#include "pe/shift_invert.hpp"
#include "pe/sparse_product.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace graphtx {

namespace {

template <class Scalar>
using Sparse = Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>;

// Row sums of |h|: a Gershgorin bound on the spectral radius.
template <class Scalar>
double gershgorin_bound(const Sparse<Scalar>& h) {
  double bound = 0;
  for (Index r = 0; r < h.rows(); ++r) {
    double row = 0;
    for (typename Sparse<Scalar>::InnerIterator it(h, r); it; ++it) row += std::abs(it.value());
    bound = std::max(bound, row);
  }
  return bound;
}

// x -> sigma x - H x: its largest eigenvalues are sigma minus the smallest of H.
template <class Scalar>
class ShiftedOperator final : public LanczosOperator<Scalar> {
 public:
  ShiftedOperator(const Sparse<Scalar>& h, double sigma) : h_(h), sigma_(sigma) {}
  Index rows() const override { return h_.rows(); }
  void apply(const Scalar* x_in, Scalar* y_out) const override {
    Eigen::Map<const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>> x(x_in, h_.rows());
    Eigen::Map<Eigen::Matrix<Scalar, Eigen::Dynamic, 1>> y(y_out, h_.rows());
    sparse_product(h_, x, y);
    y = sigma_ * x - y;
  }

 private:
  const Sparse<Scalar>& h_;
  double sigma_;
};

// Ritz vectors -> eigenpairs of H: Rayleigh quotients (ascending, columns reordered to match)
// and residuals on H.
template <class Scalar>
void finish(const Sparse<Scalar>& h, LanczosResult<Scalar>& r, Eigenpairs<Scalar>& out) {
  using Dense = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  const Index m = r.vectors.cols();
  Dense hv(r.vectors.rows(), m);
  sparse_product(h, r.vectors, hv);
  Eigen::VectorXd rayleigh(m);
  for (Index j = 0; j < m; ++j) rayleigh[j] = std::real(r.vectors.col(j).dot(hv.col(j)));
  std::vector<Index> order(static_cast<size_t>(m));
  std::iota(order.begin(), order.end(), Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return rayleigh[a] < rayleigh[b]; });
  out.values.resize(m);
  out.vectors.resize(r.vectors.rows(), m);
  double worst = 0;
  for (Index j = 0; j < m; ++j) {
    const Index c = order[static_cast<size_t>(j)];
    out.values[j] = rayleigh[c];
    out.vectors.col(j) = r.vectors.col(c);
    worst = std::max(worst, (hv.col(c) - rayleigh[c] * r.vectors.col(c)).norm());
  }
  out.max_residual = std::isfinite(worst) ? worst : std::numeric_limits<double>::infinity();
  out.used_sparse = true;
}

}  // namespace

Index lanczos_basis_size(Index nev, Index rows, Index scale) {
  return std::min(rows, std::max(2 * nev + 1, nev + 24) * scale);
}

template <class Scalar>
bool sparse_smallest_eigenpairs(const Sparse<Scalar>& h, Index m, Index scale, const EigensolverOptions& options,
                                Eigenpairs<Scalar>& out) {
  out.max_residual = std::numeric_limits<double>::infinity();
  const Index n = h.rows();
  const double bound = std::max(1.0, gershgorin_bound(h));
  LanczosOptions lanczos;
  lanczos.nev = m;
  lanczos.ncv = lanczos_basis_size(m, n, scale);
  lanczos.max_restarts = options.max_iterations;
  if (lanczos.ncv <= m) return false;
  if (options.shift_invert) {
    const double shift = 1e-9 * bound;
    FillBudget budget;
    budget.max_ratio = options.max_fill_ratio;
    budget.max_bytes = options.max_factor_bytes;
    if (auto inverse = ShiftInvertOperator<Scalar>::factor(h, shift, budget)) {
      // ||H v - lambda v|| <= ||H + shift I|| ||A y - theta y|| / theta for A = (H + shift I)^-1.
      lanczos.abs_tol = 0;
      lanczos.rel_tol = 0.05 * options.max_residual / (bound + shift);
      LanczosResult<Scalar> r = largest_eigenpairs<Scalar>(*inverse, lanczos);
      inverse.reset();
      if (r.converged) {
        finish(h, r, out);
        out.used_shift_invert = true;
        if (out.max_residual <= options.max_residual) return true;
      }
    }
  }
  ShiftedOperator<Scalar> shifted(h, bound);
  lanczos.abs_tol = 0.05 * options.max_residual;
  lanczos.rel_tol = 0;
  LanczosResult<Scalar> r = largest_eigenpairs<Scalar>(shifted, lanczos);
  if (!r.converged) return false;
  finish(h, r, out);
  out.used_shift_invert = false;
  return out.max_residual <= options.max_residual;
}

template bool sparse_smallest_eigenpairs(const RealSparse&, Index, Index, const EigensolverOptions&, RealEigenpairs&);
template bool sparse_smallest_eigenpairs(const ComplexSparse&, Index, Index, const EigensolverOptions&,
                                         ComplexEigenpairs&);

}  // namespace graphtx
