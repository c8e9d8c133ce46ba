// TreeFieldIntegrator: Y [n, d] = Σ_j f(dist_T(i, j)) X_j for any f on a fixed weighted forest,
// built once and applied to many fields X [n, d] (rows in node order) and many f.
// Separator tree (ftfi.md, algorithm 2): centroid pivot p, components of S − p split into two
// balanced groups, each child = group ∪ {p}; leaves (<= leaf_size nodes) keep their distance
// matrix; cross terms through level sums by exact distance (dense / low-rank / FFT-Hankel);
// f(0)·X_p subtracted once at every pivot; zero-weight edges exact. Children run in parallel
// (oneTBB) above a size threshold; every sum has a fixed order, so results do not depend on the
// thread count. Build O(n log n) time and memory; apply O(n log n · d) plus the cross kernels.
// Method Auto uses the exact two-pass algorithm for exp-polynomial f.
#pragma once

#include "graph/graph.hpp"
#include "pe/ftfi/field_function.hpp"
#include "pe/ftfi/tree.hpp"

#include <memory>
#include <vector>

namespace graphtx::ftfi {

enum class IntegrationMethod { Auto, TwoPass, SeparatorTree };
// LowRank is exact for exp-polynomial f and the pivoted Cauchy kernel (entrywise relative error
// <= 1e-14) for rational f. Auto picks per separator node the cheapest of these, and Fft only
// when f.fft_allowed() and the edge weights are integer multiples of one step.
enum class CrossKernel { Auto, Dense, LowRank, Fft };

struct IntegratorOptions {
  IntegrationMethod method = IntegrationMethod::Auto;
  CrossKernel kernel = CrossKernel::Auto;
  Index leaf_size = 64;             // >= 2
  Index parallel_threshold = 4096;  // separator nodes at least this large run their children in parallel
};

class TreeFieldIntegrator {
 public:
  TreeFieldIntegrator() = default;
  explicit TreeFieldIntegrator(Tree tree, IntegratorOptions options = {});

  const Tree& tree() const;
  const IntegratorOptions& options() const;
  Index num_nodes() const;
  Index depth() const;  // largest separator-tree depth (a leaf alone has depth 0)
  double grid_step() const;  // h > 0 when all weights are integer multiples of h, else 0

  // Y = f(D) X; UsageError if x.rows() != n or the kernel/method does not fit f or the weights,
  // NumericalError if x or the result has NaN/Inf.
  RealMatrix apply(const FieldFunction& f, const RealMatrix& x) const;

  struct State;  // the separator tree (defined in the .cpp)

 private:
  std::shared_ptr<const State> state_;
};

// The mean of the integrations over several trees (e.g. spanning_trees(graph, k)), applied in
// order; all integrators must have the same number of nodes (UsageError otherwise).
RealMatrix integrate_averaged(const std::vector<TreeFieldIntegrator>& integrators, const FieldFunction& f,
                              const RealMatrix& x);

}  // namespace graphtx::ftfi
