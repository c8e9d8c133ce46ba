// PairSet: the node pairs (u, v) on which a pair encoding (DRW, RRWP, SPD) is evaluated.
//   pairs   [p, 2] local ids, sorted by source u (then target v); it becomes EncodingResult::pairs.
//   offsets [n + 1] pairs of source u are rows offsets[u] .. offsets[u+1]-1.
// PairSelection::Edges: the distinct ordered pairs (u, v) with at least one edge u->v (undirected
// edges give both (u, v) and (v, u)); p <= m (2m undirected). PairSelection::All: all n² pairs,
// row-major, including (u, u); refused (UsageError) when the estimated result size
// n² · (2 + channels) · 8 bytes exceeds max_bytes.
#pragma once

#include "graph/graph.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace graphtx {

using PairMatrix = Eigen::Matrix<Index, Eigen::Dynamic, 2, Eigen::RowMajor>;

enum class PairSelection { Edges, All };

// Default limit for all-pairs results: 1 GiB.
constexpr std::uint64_t kDefaultMaxPairBytes = std::uint64_t{1} << 30;

struct PairSet {
  PairMatrix pairs;
  std::vector<Index> offsets;
  Index size() const { return pairs.rows(); }
};

// "edges" / "all" and back; parse throws UsageError otherwise.
PairSelection parse_pair_selection(const std::string& name);
std::string to_string(PairSelection selection);

// Bytes of an all-pairs result with `channels` values per pair (pairs and values, double).
std::uint64_t all_pairs_bytes(Index num_nodes, Index channels);

// The pair set of g; `what` names the encoding in the UsageError when max_bytes is exceeded.
PairSet select_pairs(const Graph& g, PairSelection selection, Index channels, std::uint64_t max_bytes,
                     const std::string& what);

}  // namespace graphtx
