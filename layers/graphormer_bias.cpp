#include "layers/graphormer_bias.hpp"

#include "graph/errors.hpp"

namespace graphtx {

GraphormerBiasImpl::GraphormerBiasImpl(const GraphormerBiasOptions& options_) : options(options_) { reset(); }

void GraphormerBiasImpl::reset() {
  if (options.heads() < 1 || options.max_distance() < 0)
    throw UsageError("GraphormerBias: heads must be >= 1 and max_distance >= 0");
  distance_bias = register_module("distance_bias", torch::nn::Embedding(options.max_distance() + 2, options.heads()));
  if (options.virtual_node()) virtual_bias = register_parameter("virtual_bias", torch::zeros({options.heads()}));
}

torch::Tensor GraphormerBiasImpl::forward(const torch::Tensor& spd, const torch::Tensor& mask) {
  if (spd.dim() != 3 || spd.size(1) != spd.size(2) || spd.scalar_type() != torch::kInt64)
    throw UsageError("GraphormerBias: spd must be an int64 tensor of shape [B, N, N]");
  const int64_t b = spd.size(0);
  const int64_t n = spd.size(1);
  if (mask.sizes() != torch::IntArrayRef({b, n}) || mask.scalar_type() != torch::kBool)
    throw UsageError("GraphormerBias: mask must be a bool tensor of shape [B, N]");
  const int64_t cap = options.max_distance();
  const torch::Tensor ids = torch::where(spd < 0, torch::full_like(spd, cap + 1), spd.clamp_max(cap));
  const torch::Tensor pair_mask = (mask.unsqueeze(2) & mask.unsqueeze(1)).unsqueeze(1);
  const torch::Tensor real_bias = distance_bias(ids).permute({0, 3, 1, 2});  // [B, H, N, N]
  torch::Tensor bias = real_bias * pair_mask.to(real_bias.scalar_type());
  if (!options.virtual_node()) return bias;

  const int64_t heads = options.heads();
  const torch::Tensor token = virtual_bias.view({1, heads, 1, 1});
  const torch::Tensor column = token.expand({b, heads, n, 1}) * mask.view({b, 1, n, 1}).to(bias.scalar_type());
  bias = torch::cat({column, bias}, 3);                                     // [B, H, N, N + 1]
  const torch::Tensor row = torch::cat({token.expand({b, heads, 1, 1}), column.transpose(2, 3)}, 3);
  return torch::cat({row, bias}, 2);                                        // [B, H, N + 1, N + 1]
}

}  // namespace graphtx
