// relu_message_sum: GINE's aggregation as one differentiable kernel,
//   out_i = Σ_{k -> i} ReLU(x[j_k] + e_k)   (edge k from sender j_k to receiver i),
// x [N, d], e [E, d] -> [N, d]; nodes without incoming edges give 0. The messages are never
// stored: the backward recomputes their signs, gives ge_k = g_i ⊙ 1[x[j_k] + e_k > 0] and sums
// those rows per sender for gx. Deterministic for any thread count. Cost O(E d) time.
#pragma once

#include "layers/edge_incidence.hpp"

#include <torch/torch.h>

namespace graphtx {

torch::Tensor relu_message_sum(const torch::Tensor& x, const torch::Tensor& e, const EdgeIncidence& incidence);

}  // namespace graphtx
