// RWSE (random-walk structural encoding; GraphGPS, PyG AddRandomWalkPE).
//   node [n, K], node_dims {K}: column t-1 of node u is (P^t)[u,u], t = 1..K, P = D^-1 A.
// A[u,v] sums the weights of the edges u->v (1 per edge if unweighted: multi-edges count with
// multiplicity); rows of nodes without out-edges are 0. Undirected graphs use the symmetric
// half-step identity (P^t)[i,i] = (S^t)[i,i], S = D^-1/2 A D^-1/2 (ceil(K/2) products).
// Cost: sparse × dense-block products, O(n · nnz · K) time (half for undirected), O(n · 16)
// memory per task; never a dense n×n power. Blocks run in parallel; results thread-independent.
#pragma once

#include "pe/encoding_result.hpp"

namespace graphtx {

struct RwseOptions {
  Index num_steps = 16;  // K
};

EncodingResult rwse(const Graph& g, const RwseOptions& options);

}  // namespace graphtx
