// Test helper: the k + 1 smallest eigenpairs of h from the dense solver and from `sparse_options`
// agree — eigenvalues to 1e-9, residuals <= 1e-8, orthonormal sparse vectors, ascending values,
// no dense fallback, and the spectral projectors (sign/phase-free) up to the last gap wider than
// gap_tolerance to 1e-6. Returns both results for further checks.
#pragma once

#include "pe/eigensolver.hpp"

#include <catch2/catch.hpp>

#include <Eigen/Dense>

#include <utility>

namespace graphtx::test {

template <class Scalar>
std::pair<Eigenpairs<Scalar>, Eigenpairs<Scalar>> check_dense_sparse_agreement(
    const Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>& h, Index k, const EigensolverOptions& sparse_options,
    double gap_tolerance) {
  EigensolverOptions dense_options;
  dense_options.solver = SolverChoice::Dense;
  const Eigenpairs<Scalar> dense = smallest_eigenpairs(h, k + 1, dense_options);
  const Eigenpairs<Scalar> sparse = smallest_eigenpairs(h, k + 1, sparse_options);
  CHECK_FALSE(dense.used_sparse);
  CHECK(sparse.used_sparse);
  CHECK_FALSE(sparse.dense_fallback);
  CHECK(dense.max_residual <= 1e-8);
  CHECK(sparse.max_residual <= 1e-8);
  REQUIRE(sparse.values.size() == k + 1);
  CHECK((dense.values - sparse.values).cwiseAbs().maxCoeff() < 1e-9);
  const Index m = sparse.vectors.cols();
  CHECK((sparse.vectors.adjoint() * sparse.vectors - Eigen::Matrix<Scalar, -1, -1>::Identity(m, m)).norm() < 1e-10);
  for (Index j = 1; j < m; ++j) CHECK(sparse.values[j] >= sparse.values[j - 1]);
  Index gap = k;
  while (gap > 0 && dense.values[gap] - dense.values[gap - 1] < gap_tolerance) --gap;
  REQUIRE(gap > 0);
  const auto vd = dense.vectors.leftCols(gap);
  const auto vs = sparse.vectors.leftCols(gap);
  CHECK((vd * vd.adjoint() - vs * vs.adjoint()).norm() < 1e-6);
  return {dense, sparse};
}

}  // namespace graphtx::test
