// grit_pair_scores: GRIT's pair update and attention scores over listed pairs as one differentiable
// kernel (pair k from sender j_k to receiver i_k; H heads of d_h = d / H columns):
//   ê_k = ReLU(ρ((q[i_k] + k[j_k]) ⊙ w_k) + b_k),  ρ(x) = sign(x) √|x|,  s_kh = clamp(Σ_{c in head h} ê_kc A_hc, ±clamp)
// q [N, d], k [N, d], wb [E, 2d] = [w | b] (one projection), A [H, d_h] -> {ê [E, d], s [E, H]}. ρ has
// gradient 0 at 0. The backward recomputes ρ and writes wb's gradient in one piece. Deterministic for
// any thread count (A's gradient adds fixed blocks of pairs in order). Cost O(E d) time, saves s before the clamp.
#pragma once

#include "layers/edge_incidence.hpp"

#include <torch/torch.h>

#include <vector>

namespace graphtx {

std::vector<torch::Tensor> grit_pair_scores(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& wb,
                                            const torch::Tensor& A, double clamp, const EdgeIncidence& incidence);

}  // namespace graphtx
