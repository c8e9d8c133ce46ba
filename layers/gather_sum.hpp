// gather_sum: the per-edge sum of a receiver term, a sender term and an edge term,
//   out_k = a[i_k] + b[j_k] + c_k   (edge k from sender j_k to receiver i_k),
// as one differentiable kernel: a [N, d], b [N, d], c [E, d] or undefined -> [E, d]. The backward
// sums the gradient rows per receiver and per sender along the incidence (no scatter-add, no
// [E, d] gathers). Deterministic for any thread count. Cost O(E d) time, one [E, d] output.
#pragma once

#include "layers/edge_incidence.hpp"

#include <torch/torch.h>

namespace graphtx {

torch::Tensor gather_sum(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& c,
                         const EdgeIncidence& incidence);

}  // namespace graphtx
