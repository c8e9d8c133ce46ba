#include "pe/ftfi/brute_force.hpp"

#include "graph/errors.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <limits>
#include <string>

namespace graphtx::ftfi {

namespace {

// Distances from `source` to every node (inf outside its component), by an explicit-stack walk.
void distances_from(const Tree& tree, Index source, double* out, std::vector<Index>& stack) {
  const auto& ptr = tree.adjacency_offsets();
  const auto& nbr = tree.adjacency_nodes();
  const auto& w = tree.adjacency_weights();
  std::fill(out, out + tree.num_nodes(), std::numeric_limits<double>::infinity());
  out[source] = 0.0;
  stack.assign(1, source);
  while (!stack.empty()) {
    const Index v = stack.back();
    stack.pop_back();
    for (Index k = ptr[v]; k < ptr[v + 1]; ++k) {
      const Index u = nbr[k];
      if (out[u] == std::numeric_limits<double>::infinity()) {
        out[u] = out[v] + w[k];
        stack.push_back(u);
      }
    }
  }
}

// x − x is 0 for finite x and NaN for NaN/Inf; Eigen's packet sum keeps this one vectorised pass.
bool all_finite(const RealMatrix& m) { return (m.array() - m.array()).sum() == 0.0; }

}  // namespace

void check_field(const Tree& tree, const RealMatrix& x, const char* who) {
  if (x.rows() != tree.num_nodes())
    throw UsageError(std::string(who) + ": field has " + std::to_string(x.rows()) + " rows, the tree " +
                     std::to_string(tree.num_nodes()) + " nodes");
  if (!all_finite(x)) throw NumericalError(std::string(who) + ": field contains NaN or Inf");
}

void check_result(const RealMatrix& y, const char* who) {
  if (!all_finite(y)) throw NumericalError(std::string(who) + ": result contains NaN or Inf (f overflows?)");
}

RealMatrix tree_distances(const Tree& tree) {
  const Index n = tree.num_nodes();
  RealMatrix d(n, n);
  tbb::parallel_for(tbb::blocked_range<Index>(0, n, 64), [&](const tbb::blocked_range<Index>& r) {
    std::vector<Index> stack;
    for (Index i = r.begin(); i < r.end(); ++i) distances_from(tree, i, d.row(i).data(), stack);
  });
  return d;
}

RealMatrix integrate_brute_force(const Tree& tree, const FieldFunction& f, const RealMatrix& x) {
  check_field(tree, x, "integrate_brute_force");
  const Index n = tree.num_nodes();
  constexpr Index kBlock = 128;
  RealMatrix y(n, x.cols());
  tbb::parallel_for(tbb::blocked_range<Index>(0, (n + kBlock - 1) / kBlock), [&](const tbb::blocked_range<Index>& r) {
    std::vector<Index> stack;
    RealMatrix m(kBlock, n);
    for (Index b = r.begin(); b < r.end(); ++b) {
      const Index begin = b * kBlock, rows = std::min(kBlock, n - begin);
      for (Index i = 0; i < rows; ++i) {
        distances_from(tree, begin + i, m.row(i).data(), stack);
        for (Index j = 0; j < n; ++j) m(i, j) = m(i, j) == std::numeric_limits<double>::infinity() ? 0.0 : f(m(i, j));
      }
      y.middleRows(begin, rows).noalias() = m.topRows(rows) * x;
    }
  });
  check_result(y, "integrate_brute_force");
  return y;
}

}  // namespace graphtx::ftfi
