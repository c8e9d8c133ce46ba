#include "pe/directional_walk.hpp"

#include "graph/errors.hpp"
#include "pe/sparse_ppr.hpp"
#include "pe/sparse_row_powers.hpp"
#include "pe/sparse_walk_matrix.hpp"

namespace graphtx {

EncodingResult directional_walk(const Graph& g, const DirectionalWalkOptions& options) {
  const Index k = options.num_steps;
  if (k < 1) throw UsageError("drw: K must be >= 1, got " + std::to_string(k));
  if (!(options.ppr_alpha > 0.0 && options.ppr_alpha <= 1.0))
    throw UsageError("drw: ppr must lie in (0, 1], got " + std::to_string(options.ppr_alpha));
  const Index channels = 2 * k + 2;
  PairSet set = select_pairs(g, options.pairs, channels, options.max_pair_bytes, "drw");
  const SparseRowMatrix forward = transition_matrix(g, SinkRule::Absorbing, false);
  const SparseRowMatrix backward = g.directed() ? transition_matrix(g, SinkRule::Absorbing, true) : forward;

  EncodingResult result;
  result.node.resize(g.num_nodes(), 2 * k);
  result.node.leftCols(k) = power_diagonals(forward, k);
  if (g.directed()) {
    result.node.rightCols(k) = power_diagonals(backward, k);
  } else {
    result.node.rightCols(k) = result.node.leftCols(k).eval();
  }
  result.node_dims = {2, k};

  result.pair_values.resize(set.size(), channels);
  powers_on_pairs(forward, 1, k, set, result.pair_values, 0);
  ppr_on_pairs(forward, options.ppr_alpha, set, result.pair_values, k);
  if (g.directed()) {
    powers_on_pairs(backward, 1, k, set, result.pair_values, k + 1);
    ppr_on_pairs(backward, options.ppr_alpha, set, result.pair_values, 2 * k + 1);
  } else {
    result.pair_values.rightCols(k + 1) = result.pair_values.leftCols(k + 1).eval();
  }
  result.pairs = std::move(set.pairs);
  check_finite(result, "drw");
  return result;
}

}  // namespace graphtx
