// edge_dot_scores: the Graph Transformer's per-head attention scores as one differentiable kernel
// (edge k from sender j_k to receiver i_k; H heads of d_h = d / H columns):
//   pair_k = scale · q[i_k] ⊙ k[j_k]  (⊙ c_k when c is given),   s_kh = Σ_{columns of head h} pair_k.
// q [N, d], k [N, d], c [E, d] or undefined -> {s [E, H]} without c, {s, pair [E, d]} with c. The
// backward recomputes the products along the receiver and sender incidence instead of gathering and
// scatter-adding [E, d] rows. Deterministic for any thread count. Cost O(E d) time.
#pragma once

#include "layers/edge_incidence.hpp"

#include <torch/torch.h>

#include <vector>

namespace graphtx {

std::vector<torch::Tensor> edge_dot_scores(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& c,
                                           int64_t heads, double scale, const EdgeIncidence& incidence);

}  // namespace graphtx
