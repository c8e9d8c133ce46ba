// gated_message_passing: GatedGCN's edge and node updates after its four node projections, as one
// differentiable kernel. With projected = [A x | B x | D x | E x] ([N, 4d], one GEMM) and ce = C e:
//   ê_k = D x[i_k] + E x[j_k] + ce_k,  σ_k = sigmoid(ê_k),
//   h_i = A x_i + Σ_{k -> i} σ_k ⊙ B x[j_k] / (Σ_{k -> i} σ_k + eps)    (edge k: sender j_k -> receiver i_k)
// -> (h [N, d], ê [E, d]). The backward writes the [N, 4d] gradient of projected in place of four
// gathers, scatter-adds and a concatenation. Deterministic for any thread count. O(E d) time, saves σ.
#pragma once

#include "layers/edge_incidence.hpp"

#include <torch/torch.h>

#include <tuple>

namespace graphtx {

std::tuple<torch::Tensor, torch::Tensor> gated_message_passing(const torch::Tensor& projected, const torch::Tensor& ce,
                                                               const EdgeIncidence& incidence, double eps = 1e-6);

}  // namespace graphtx
