// SPD (Graphormer): shortest-path hop distance from u to v along edge directions (undirected
// graphs: either way), one channel per pair. Distances above `max_distance` are capped to it;
// an unreachable pair gets its own value max_distance + 1. Edge weights are ignored (hops).
//   node        [n, 0], node_dims {0} (pair encoding only)
//   pairs       [p, 2] (edges by default, or all pairs; see sparse_pair_set.hpp)
//   pair_values [p, 1]: the capped distance as a double (0 on the diagonal).
// Cost: one BFS per pair source, stopping once all its targets are reached: O(n · (n + m)) for
// all pairs, O(m) for the edge set. Sources run in parallel (oneTBB).
#pragma once

#include "pe/encoding_result.hpp"
#include "pe/sparse_pair_set.hpp"

namespace graphtx {

struct ShortestPathOptions {
  Index max_distance = 20;
  PairSelection pairs = PairSelection::Edges;
  std::uint64_t max_pair_bytes = kDefaultMaxPairBytes;
};

EncodingResult shortest_path_distance(const Graph& g, const ShortestPathOptions& options);

}  // namespace graphtx
