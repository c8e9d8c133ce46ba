// Row-parallel sparse products y = H X (X dense, one or more columns) and the residual norms
// ||H v_j - lambda_j v_j|| of eigenpairs. Each row is summed sequentially by one task, so the
// result is bitwise independent of the thread count. Cost O(nnz(H) * cols); rows split across
// oneTBB tasks above kParallelRows.
#pragma once

#include "graph/graph.hpp"

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace graphtx {

constexpr Index kParallelRows = 20000;  // row-parallel products above this size

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

// max_j ||H v_j - lambda_j v_j|| (infinity if not finite).
template <class Scalar>
double max_residual(const Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>& h, const Eigen::VectorXd& values,
                    const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>& vectors) {
  Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> hv(vectors.rows(), vectors.cols());
  sparse_product(h, vectors, hv);
  double worst = 0;
  for (Index j = 0; j < vectors.cols(); ++j) worst = std::max(worst, (hv.col(j) - values[j] * vectors.col(j)).norm());
  return std::isfinite(worst) ? worst : std::numeric_limits<double>::infinity();
}

}  // namespace graphtx
