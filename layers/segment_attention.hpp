// segment_attention: per-head softmax over the edges into each node and the sums it weights, as one
// differentiable kernel (edge k from sender j_k to receiver i_k; H heads of d_h = d / H columns):
//   α_kh = exp(s_kh − m_ih) / (Σ_{k' -> i} exp(s_k'h − m_ih) + eps),  m_ih = max_{k' -> i} s_k'h (a constant),
//   w = α ⊙ keep (keep [E, H], e.g. a scaled dropout mask; undefined = ones),
//   out_i = Σ_{k -> i} w_kh v[j_k]  and, with u, out_u_i = Σ_{k -> i} w_kh u_k   (head h's columns).
// scores [E, H], v [N, d], u [E, d] or undefined -> {out [N, d]} or {out, out_u}; nodes without in-edges
// give 0. The backward applies the softmax Jacobian per receiver row. No [E, d] tensor is formed
// (but u's gradient). Deterministic for any thread count. Cost O(E d) time, saves α [E, H].
#pragma once

#include "layers/edge_incidence.hpp"

#include <torch/torch.h>

#include <vector>

namespace graphtx {

std::vector<torch::Tensor> segment_attention(const torch::Tensor& scores, const torch::Tensor& v,
                                             const torch::Tensor& u, const torch::Tensor& keep,
                                             const EdgeIncidence& incidence, double eps = 1e-16);

}  // namespace graphtx
