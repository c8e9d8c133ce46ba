// RRWP (relative random-walk probabilities; GRIT, Ma et al. 2023): K channels
// [I, M, M², …, M^(K-1)] with M = D^-1 A (rows of nodes without out-edges are 0; weights and
// multi-edges as in RWSE). The identity is channel 0.
//   node        [n, K], node_dims {K}: (M^t)[u,u], t = 0..K-1 (column 0 is 1).
//   pairs       [p, 2] (edges by default, or all pairs; see sparse_pair_set.hpp)
//   pair_values [p, K]: (M^t)[u,v], t = 0..K-1.
// Cost: node part O(n · nnz · K) by sparse × dense-block products; pair part by sparse row
// propagation from each pair source (dense rows for all pairs: O(n · nnz · K)).
#pragma once

#include "pe/encoding_result.hpp"
#include "pe/sparse_pair_set.hpp"

namespace graphtx {

struct RrwpOptions {
  Index num_channels = 8;  // K
  PairSelection pairs = PairSelection::Edges;
  std::uint64_t max_pair_bytes = kDefaultMaxPairBytes;
};

EncodingResult rrwp(const Graph& g, const RrwpOptions& options);

}  // namespace graphtx
