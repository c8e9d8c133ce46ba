// Helper of the fused BatchNorm kernel tests: two MaskedBatchNorms in double with the same random
// affine parameters and running statistics, one for the fused kernel and one for the composed ops.
#pragma once

#include "layers/masked_batch_norm.hpp"

#include <torch/torch.h>

#include <utility>

namespace graphtx::testing {

inline std::pair<MaskedBatchNorm, MaskedBatchNorm> twin_norms(int64_t c) {
  const auto dtype = torch::TensorOptions().dtype(torch::kFloat64);
  MaskedBatchNorm a{MaskedBatchNormOptions(c)}, b{MaskedBatchNormOptions(c)};
  a->to(torch::kFloat64);
  b->to(torch::kFloat64);
  torch::NoGradGuard no_grad;
  a->weight.copy_(torch::rand({c}, dtype) + 0.5);
  a->bias.copy_(torch::randn({c}, dtype));
  a->running_mean.copy_(torch::randn({c}, dtype));
  a->running_var.copy_(torch::rand({c}, dtype) + 0.5);
  for (const auto& item : a->named_parameters()) b->named_parameters()[item.key()].copy_(item.value());
  for (const auto& item : a->named_buffers()) b->named_buffers()[item.key()].copy_(item.value());
  return {a, b};
}

}  // namespace graphtx::testing
