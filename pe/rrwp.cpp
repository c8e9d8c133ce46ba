#include "pe/rrwp.hpp"

#include "graph/errors.hpp"
#include "pe/sparse_row_powers.hpp"
#include "pe/sparse_walk_matrix.hpp"

namespace graphtx {

EncodingResult rrwp(const Graph& g, const RrwpOptions& options) {
  const Index k = options.num_channels;
  if (k < 1) throw UsageError("rrwp: K must be >= 1, got " + std::to_string(k));
  PairSet set = select_pairs(g, options.pairs, k, options.max_pair_bytes, "rrwp");
  const SparseRowMatrix m = transition_matrix(g, SinkRule::ZeroRow);

  EncodingResult result;
  result.node.resize(g.num_nodes(), k);
  result.node.col(0).setOnes();
  if (k > 1) result.node.rightCols(k - 1) = power_diagonals(m, k - 1);
  result.node_dims = {k};
  result.pair_values.resize(set.size(), k);
  powers_on_pairs(m, 0, k - 1, set, result.pair_values, 0);
  result.pairs = std::move(set.pairs);
  check_finite(result, "rrwp");
  return result;
}

}  // namespace graphtx
