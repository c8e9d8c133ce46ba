#include "pe/rwse.hpp"

#include "graph/errors.hpp"
#include "pe/sparse_walk_matrix.hpp"

namespace graphtx {

EncodingResult rwse(const Graph& g, const RwseOptions& options) {
  if (options.num_steps < 1) throw UsageError("rwse: K must be >= 1, got " + std::to_string(options.num_steps));
  EncodingResult result;
  result.node = g.directed()
                    ? power_diagonals(transition_matrix(g, SinkRule::ZeroRow), options.num_steps)
                    : symmetric_power_diagonals(symmetric_normalized_adjacency(g), options.num_steps);
  result.node_dims = {options.num_steps};
  check_finite(result, "rwse");
  return result;
}

}  // namespace graphtx
