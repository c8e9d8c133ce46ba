#include "pe/sparse_ppr.hpp"

#include "graph/errors.hpp"

#include <Eigen/IterativeLinearSolvers>
#include <Eigen/SparseLU>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <vector>

namespace graphtx {

namespace {

using ColMatrix = Eigen::SparseMatrix<double, Eigen::ColMajor, int>;

constexpr Index kPprDirectMax = 1000;  // sparse LU up to this many nodes
constexpr double kPprTolerance = 1e-12;

// G = I − (1−α) Xᵀ, column-major with 32-bit indices for SparseLU.
ColMatrix ppr_system(const SparseRowMatrix& x, double alpha) {
  std::vector<Eigen::Triplet<double, int>> entries;
  entries.reserve(static_cast<size_t>(x.nonZeros() + x.rows()));
  for (Index u = 0; u < x.rows(); ++u) {
    entries.emplace_back(static_cast<int>(u), static_cast<int>(u), 1.0);
    for (SparseRowMatrix::InnerIterator it(x, u); it; ++it)
      entries.emplace_back(static_cast<int>(it.col()), static_cast<int>(u), -(1.0 - alpha) * it.value());
  }
  ColMatrix g(x.rows(), x.cols());
  g.setFromTriplets(entries.begin(), entries.end());
  g.makeCompressed();
  return g;
}

}  // namespace

void ppr_on_pairs(const SparseRowMatrix& x, double alpha, const PairSet& set, RealMatrix& values, Index column) {
  const Index n = x.rows();
  if (n > 2147483647) throw UsageError("ppr: graphs above 2^31 nodes are not supported");
  std::vector<Index> sources;
  for (Index u = 0; u < n; ++u)
    if (set.offsets[u + 1] > set.offsets[u]) sources.push_back(u);
  if (sources.empty()) return;
  const ColMatrix system = ppr_system(x, alpha);
  // Small graphs: exact sparse LU. Larger ones: BiCGSTAB (LU fill-in explodes on expanders).
  Eigen::SparseLU<ColMatrix, Eigen::COLAMDOrdering<int>> lu;
  const bool direct = n <= kPprDirectMax;
  if (direct) {
    lu.compute(system);
    if (lu.info() != Eigen::Success)
      throw NumericalError("ppr: sparse LU of I - (1-alpha) X failed: " + lu.lastErrorMessage());
  }
  constexpr Index kBlock = 64;
  const Index num_blocks = (static_cast<Index>(sources.size()) + kBlock - 1) / kBlock;
  tbb::parallel_for(tbb::blocked_range<Index>(0, num_blocks, 1), [&](const tbb::blocked_range<Index>& r) {
    for (Index blk = r.begin(); blk != r.end(); ++blk) {
      const Index j0 = blk * kBlock, b = std::min<Index>(kBlock, static_cast<Index>(sources.size()) - j0);
      Eigen::MatrixXd rhs = Eigen::MatrixXd::Zero(n, b);
      for (Index j = 0; j < b; ++j) rhs(sources[j0 + j], j) = 1.0;
      Eigen::MatrixXd y(n, b);
      if (direct) {
        y = lu.solve(rhs);
      } else {
        // One solver per block: BiCGSTAB keeps per-solve state, so it is not shared across tasks.
        Eigen::BiCGSTAB<ColMatrix, Eigen::DiagonalPreconditioner<double>> iterative;
        iterative.setTolerance(kPprTolerance);
        iterative.setMaxIterations(std::max<Index>(1000, 2 * n));
        iterative.compute(system);
        for (Index j = 0; j < b; ++j) {
          y.col(j) = iterative.solve(rhs.col(j));
          if (iterative.info() != Eigen::Success)
            throw NumericalError("ppr: BiCGSTAB did not reach a relative residual of 1e-12 for source " +
                                 std::to_string(sources[j0 + j]) + " (" + std::to_string(iterative.iterations()) +
                                 " iterations)");
        }
      }
      for (Index j = 0; j < b; ++j) {
        const Index u = sources[j0 + j];
        for (Index i = set.offsets[u]; i < set.offsets[u + 1]; ++i) values(i, column) = alpha * y(set.pairs(i, 1), j);
      }
    }
  });
}

}  // namespace graphtx
