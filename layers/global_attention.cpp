#include "layers/global_attention.hpp"

#include "graph/errors.hpp"
#include "layers/segment_ops.hpp"

#include <cmath>
#include <string>

namespace graphtx {

GlobalAttentionImpl::GlobalAttentionImpl(const GlobalAttentionOptions& options_) : options(options_) { reset(); }

void GlobalAttentionImpl::reset() {
  if (options.heads() < 1 || options.dim() % options.heads() != 0)
    throw UsageError("GlobalAttention: dim " + std::to_string(options.dim()) + " is not divisible by heads " +
                     std::to_string(options.heads()));
  qkv = register_module("qkv", torch::nn::Linear(options.dim(), 3 * options.dim()));
  out = register_module("out", torch::nn::Linear(options.dim(), options.dim()));
}

torch::Tensor GlobalAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& mask,
                                           const torch::Tensor& bias) {
  const int64_t d = options.dim();
  const int64_t heads = options.heads();
  if (x.dim() != 3 || x.size(2) != d) throw UsageError("GlobalAttention: x must have shape [B, N, " + std::to_string(d) + "]");
  const int64_t b = x.size(0);
  const int64_t n = x.size(1);
  if (mask.sizes() != torch::IntArrayRef({b, n}) || mask.scalar_type() != torch::kBool)
    throw UsageError("GlobalAttention: mask must be a bool tensor of shape [B, N]");
  if (bias.defined()) {
    if (bias.sizes() != torch::IntArrayRef({b, heads, n, n}))
      throw UsageError("GlobalAttention: bias must have shape [B, H, N, N]");
    if (!torch::isfinite(bias).all().item<bool>()) throw UsageError("GlobalAttention: bias has NaN or Inf entries");
  }

  // [B, N, 3, H, dh] -> three [B, H, N, dh]
  const torch::Tensor projected = qkv(x).view({b, n, 3, heads, d / heads}).permute({2, 0, 3, 1, 4});
  const torch::Tensor q = projected[0];
  const torch::Tensor k = projected[1];
  const torch::Tensor v = projected[2];
  torch::Tensor scores = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(static_cast<double>(d / heads));
  if (bias.defined()) scores = scores + bias;
  torch::Tensor weights = masked_softmax(scores, mask.view({b, 1, 1, n}), -1);
  weights = torch::dropout(weights, options.dropout(), is_training());
  const torch::Tensor attended = torch::matmul(weights, v).transpose(1, 2).reshape({b, n, d});
  return out(attended) * mask.unsqueeze(-1).to(x.scalar_type());
}

}  // namespace graphtx
