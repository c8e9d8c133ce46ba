// gcn_propagate: GCN's normalized aggregation, self loops and bias as one differentiable kernel,
//   out_i = b + s_i h_i + Σ_{k: j_k -> i} w_k h_{j_k}
// h [N, d], self_weight s [N], edge_weight w [E], bias b [d] or undefined -> [N, d] (one floating type).
// The backward walks the sender order (g_h_j = s_j g_j + Σ_{k: j -> i_k} w_k g_{i_k}) and forms the row
// inner products g_s_i = <g_i, h_i>, g_w_k = <g_{i_k}, h_{j_k}> only when asked. One task per output
// row: deterministic for any thread count. Cost O((N + E) d) time, no [E, d] intermediate.
#pragma once

#include "layers/edge_incidence.hpp"

#include <torch/torch.h>

namespace graphtx {

torch::Tensor gcn_propagate(const torch::Tensor& h, const torch::Tensor& self_weight, const torch::Tensor& edge_weight,
                            const torch::Tensor& bias, const EdgeIncidence& incidence);

}  // namespace graphtx
