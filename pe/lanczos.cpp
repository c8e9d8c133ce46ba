#include "pe/lanczos.hpp"

#include "graph/errors.hpp"
#include "pe/sparse_product.hpp"

#include <Eigen/Dense>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace graphtx {

namespace {

constexpr double kDgks = 0.7071;   // second Gram-Schmidt pass if a pass kept less than this share
constexpr double kOrthogonal = 1e-13;  // overlaps below this (relative) are left uncorrected
constexpr Index kRowBlock = 4096;  // rows per block of the basis rotation V <- V Y

template <class Scalar>
using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
template <class Scalar>
using Vec = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

template <class Scalar>
Scalar random_entry(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  if constexpr (std::is_same_v<Scalar, double>) {
    return u(rng);
  } else {
    const double re = u(rng);
    return Scalar(re, u(rng));  // complex start vectors (a real one can stall on Hermitian H)
  }
}

// Column `col` of v <- random unit vector orthogonal to the first `col` columns (two passes).
template <class Scalar>
void random_orthogonal(Mat<Scalar>& v, Index col, std::mt19937_64& rng) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    for (Index i = 0; i < v.rows(); ++i) v(i, col) = random_entry<Scalar>(rng);
    for (int pass = 0; pass < 2 && col > 0; ++pass) {
      const Vec<Scalar> h = v.leftCols(col).adjoint() * v.col(col);
      v.col(col).noalias() -= v.leftCols(col) * h;
    }
    const double norm = v.col(col).norm();
    if (norm > 1e-8) {
      v.col(col) /= norm;
      return;
    }
  }
  throw NumericalError("Lanczos: no direction left orthogonal to the basis");
}

// Runs body(first_row, rows) over fixed blocks of `block` rows: sequentially below kParallelRows
// rows, else as oneTBB tasks. Each block's work is the same either way (thread-count independent).
template <class Body>
void for_row_blocks(Index n, Index block, const Body& body) {
  const Index blocks = (n + block - 1) / block;
  auto run = [&](Index b) { body(b * block, std::min(block, n - b * block)); };
  if (n < kParallelRows) {
    for (Index b = 0; b < blocks; ++b) run(b);
    return;
  }
  tbb::parallel_for(tbb::blocked_range<Index>(0, blocks), [&](const tbb::blocked_range<Index>& r) {
    for (Index b = r.begin(); b < r.end(); ++b) run(b);
  });
}

// h = basis^H w. Large n: per-block partial products (in parallel) summed in block order, so the
// rounding does not depend on the thread count.
template <class Scalar, class Basis>
void project(const Basis& basis, const Vec<Scalar>& w, Vec<Scalar>& h, Mat<Scalar>& partial) {
  const Index n = basis.rows(), cols = basis.cols();
  if (n < kParallelRows) {
    h.head(cols).noalias() = basis.adjoint() * w;
    return;
  }
  const Index blocks = (n + kRowBlock - 1) / kRowBlock;
  partial.resize(cols, blocks);
  for_row_blocks(n, kRowBlock, [&](Index r, Index rows) {
    partial.col(r / kRowBlock).noalias() = basis.middleRows(r, rows).adjoint() * w.segment(r, rows);
  });
  h.head(cols) = partial.col(0);
  for (Index b = 1; b < blocks; ++b) h.head(cols) += partial.col(b);
}

// w -= basis * h in row blocks that stay in L1 (one streaming read of the basis; Eigen's
// column-major gemv rereads w per column group and was the largest cost at n = 1e5).
template <class Scalar, class Basis>
void subtract_combination(const Basis& basis, const Vec<Scalar>& h, Vec<Scalar>& w) {
  constexpr Index kBlock = 512;
  const Index cols = basis.cols();
  for_row_blocks(basis.rows(), kRowBlock, [&](Index first, Index count) {
    for (Index r = first; r < first + count; r += kBlock) {
      const Index rows = std::min(kBlock, first + count - r);
      auto target = w.segment(r, rows);
      for (Index c = 0; c < cols; ++c) target.noalias() -= h[c] * basis.col(c).segment(r, rows);
    }
  });
}

// out (n x y.cols()) <- v.leftCols(y.rows()) * y for a real y, by row blocks (out may alias v's
// first columns). A complex column-major matrix is a real one with 2n interleaved rows, and a real
// y acts on both parts alike: one real product, a quarter of the complex flops.
template <class Scalar>
void rotate_basis(Mat<Scalar>& v, const Eigen::MatrixXd& y, Mat<Scalar>& out) {
  constexpr Index parts = std::is_same_v<Scalar, double> ? 1 : 2;
  const Index rows = parts * v.rows();
  using Stride = Eigen::OuterStride<>;
  Eigen::Map<const Eigen::MatrixXd, 0, Stride> in(reinterpret_cast<const double*>(v.data()), rows, y.rows(),
                                                  Stride(parts * v.rows()));
  Eigen::Map<Eigen::MatrixXd, 0, Stride> target(reinterpret_cast<double*>(out.data()), rows, y.cols(),
                                                Stride(parts * out.rows()));
  for_row_blocks(rows, kRowBlock, [&](Index r, Index count) {
    const Eigen::MatrixXd block = in.middleRows(r, count) * y;
    target.middleRows(r, count) = block;
  });
}

}  // namespace

template <class Scalar>
LanczosResult<Scalar> largest_eigenpairs(const LanczosOperator<Scalar>& op, const LanczosOptions& o) {
  const Index n = op.rows(), nev = o.nev, ncv = o.ncv;
  if (nev < 1 || ncv <= nev || ncv > n) throw UsageError("Lanczos: need 1 <= nev < ncv <= n");
  LanczosResult<Scalar> result;
  Mat<Scalar> v(n, ncv + 1);
  Eigen::MatrixXd t = Eigen::MatrixXd::Zero(ncv, ncv);
  Vec<Scalar> w(n), h(ncv), total(ncv);
  Mat<Scalar> partial;  // scratch of project()
  std::mt19937_64 rng(o.seed);
  random_orthogonal(v, 0, rng);
  Index start = 0;
  bool verifying = false;
  double verified_value = 0;
  const Index keep = std::min(ncv - 1, nev + (ncv - nev) / 3);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> ritz;
  for (Index cycle = 0; cycle <= o.max_restarts; ++cycle) {
    result.restarts = cycle;
    double beta = 0;
    for (Index j = start; j < ncv; ++j) {
      op.apply(v.col(j).data(), w.data());
      ++result.products;
      total.head(j + 1).setZero();
      const double product_norm = w.norm();
      double reference = product_norm;
      if (j > start) {  // three-term step; the Gram-Schmidt passes only correct rounding
        const Scalar b = t(j, j - 1);
        w.noalias() -= b * v.col(j - 1);
        total[j - 1] += b;
        const Scalar a = v.col(j).dot(w);
        w.noalias() -= a * v.col(j);
        total[j] += a;
        reference = w.norm();
      }
      const auto basis = v.leftCols(j + 1);
      beta = reference;
      for (int pass = 0; pass < 3; ++pass) {
        project<Scalar>(basis, w, h, partial);
        // After the three-term step w is orthogonal to the basis up to rounding: skip the
        // update (the costlier half of a pass) while the overlap stays at that level.
        if (j > start && h.head(j + 1).cwiseAbs().maxCoeff() <= kOrthogonal * reference) break;
        subtract_combination<Scalar>(basis, h, w);
        total.head(j + 1) += h.head(j + 1);
        beta = w.norm();
        if (beta > kDgks * reference) break;
        reference = beta;
      }
      for (Index i = 0; i <= j; ++i) t(i, j) = t(j, i) = std::real(total[i]);
      if (!(beta > 1e-12 * product_norm) || !std::isfinite(beta)) {
        if (!std::isfinite(beta)) throw NumericalError("Lanczos: operator produced a non-finite vector");
        beta = 0;  // invariant subspace: continue with a fresh orthogonal direction, no coupling
        random_orthogonal(v, j + 1, rng);
      } else {
        v.col(j + 1) = w / beta;
      }
      if (j + 1 < ncv) t(j + 1, j) = t(j, j + 1) = beta;
    }
    ritz.compute(t);
    if (ritz.info() != Eigen::Success) throw NumericalError("Lanczos: Rayleigh-Ritz failed");
    // Descending order: theta_i = eigenvalue ncv-1-i.
    Eigen::VectorXd theta = ritz.eigenvalues().reverse();
    Eigen::MatrixXd y = ritz.eigenvectors().rowwise().reverse();
    bool all = true;
    for (Index i = 0; i < nev; ++i)
      all = all && beta * std::abs(y(ncv - 1, i)) <= o.abs_tol + o.rel_tol * std::abs(theta[i]);
    const double settle = o.abs_tol + o.rel_tol * std::abs(theta[nev - 1]);
    const bool done = all && (!o.verify || (verifying && !(theta[nev - 1] > verified_value + settle)));
    if (done || cycle == o.max_restarts) {

      result.values = theta.head(nev);
      result.vectors.resize(n, nev);
      rotate_basis<Scalar>(v, y.leftCols(nev), result.vectors);
      result.converged = all;
      return result;
    }
    // Thick restart: V <- V Y (first l columns), T <- diag(theta); the couplings of the next
    // vector to the kept Ritz vectors are recomputed by its Gram-Schmidt coefficients.
    const Index l = all ? nev : keep;
    rotate_basis<Scalar>(v, y.leftCols(l), v);
    t.setZero();
    for (Index i = 0; i < l; ++i) t(i, i) = theta[i];
    if (all) {  // verification cycle: fresh direction orthogonal to the converged pairs
      verifying = true;
      verified_value = theta[nev - 1];
      random_orthogonal(v, l, rng);
    } else {
      verifying = false;
      v.col(l) = v.col(ncv);
    }
    start = l;
  }
  return result;  // not reached
}

template LanczosResult<double> largest_eigenpairs(const LanczosOperator<double>&, const LanczosOptions&);
template LanczosResult<std::complex<double>> largest_eigenpairs(const LanczosOperator<std::complex<double>>&,
                                                                const LanczosOptions&);

}  // namespace graphtx
