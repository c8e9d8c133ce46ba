// gine_aggregate: GINE's update input as one differentiable kernel,
//   out_i = (1 + ε) x_i + Σ_{k -> i} ReLU(x[j_k] + e_k)   (edge k from sender j_k to receiver i),
// x [N, d], e [E, d], ε a 0-d tensor (trainable or not) -> [N, d]. The messages are never stored:
// the backward recomputes their signs, gives ge_k = g_i ⊙ 1[x[j_k] + e_k > 0], sums those rows per
// sender for gx, and gε = Σ g ⊙ x in double. Deterministic for any thread count. Cost O((N + E) d).
#pragma once

#include "layers/edge_incidence.hpp"

#include <torch/torch.h>

namespace graphtx {

torch::Tensor gine_aggregate(const torch::Tensor& x, const torch::Tensor& e, const torch::Tensor& eps,
                             const EdgeIncidence& incidence);

}  // namespace graphtx
