// Directional random walks (Geisler et al. 2023): forward T[u,v] = A[u,v] / outdeg(u) with
// multi-edges (and weights, if any) accumulating and sinks absorbing (T[u,u] = 1); reverse R = the
// same on the reversed graph (R = T for undirected graphs). PPR(X) = α (I − (1−α) X)^-1.
//   node        [n, 2K], node_dims {2, K}: diag(T^t) then diag(R^t), t = 1..K.
//   pairs       [p, 2] (edges by default, or all pairs; see sparse_pair_set.hpp)
//   pair_values [p, 2K + 2]: T, T², …, T^K, PPR(T), R, …, R^K, PPR(R) at (u, v); K = 3 gives the
//               8 channels of the paper.
// Cost: powers by sparse row propagation from each pair source; PPR rows by one sparse LU of
// I − (1−α) Xᵀ and block solves (no dense inverse); node part as RWSE, O(n · nnz · K).
#pragma once

#include "pe/encoding_result.hpp"
#include "pe/sparse_pair_set.hpp"

namespace graphtx {

struct DirectionalWalkOptions {
  Index num_steps = 3;      // K
  double ppr_alpha = 0.05;  // α in (0, 1]
  PairSelection pairs = PairSelection::Edges;
  std::uint64_t max_pair_bytes = kDefaultMaxPairBytes;
};

EncodingResult directional_walk(const Graph& g, const DirectionalWalkOptions& options);

}  // namespace graphtx
