#include "layers/global_attention.hpp"

#include "graph/errors.hpp"
#include "layers/per_graph_attention.hpp"

#include <cmath>
#include <string>

namespace graphtx {

GlobalAttentionImpl::GlobalAttentionImpl(const GlobalAttentionOptions& options_) : options(options_) { reset(); }

void GlobalAttentionImpl::reset() {
  if (options.heads() < 1 || options.dim() % options.heads() != 0)
    throw UsageError("GlobalAttention: dim " + std::to_string(options.dim()) + " is not divisible by heads " +
                     std::to_string(options.heads()));
  qkv = register_module("qkv", Linear(options.dim(), 3 * options.dim()));
  out = register_module("out", Linear(options.dim(), options.dim()));
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

  // Three [B H, N, dh] blocks for batched matmuls; the key-padding mask (and the bias) enter as one
  // additive term of baddbmm, the 1/sqrt(d_h) scale as its alpha.
  const int64_t dh = d / heads;
  const torch::Tensor projected = qkv(x).view({b, n, 3, heads, dh}).permute({2, 0, 3, 1, 4}).reshape({3, b * heads, n, dh});
  const double lowest = x.scalar_type() == torch::kFloat64 ? -1e300 : -1e30;
  const torch::Tensor key_padding = mask.logical_not().view({b, 1, 1, n});
  const torch::Tensor additive =
      bias.defined() ? bias.masked_fill(key_padding, lowest).view({b * heads, n, n})
                     : torch::zeros({b, 1, 1, n}, x.options()).masked_fill_(key_padding, lowest)
                           .expand({b, heads, 1, n}).reshape({b * heads, 1, n});
  const torch::Tensor scores = torch::baddbmm(additive, projected[0], projected[1].transpose(1, 2), /*beta=*/1,
                                              /*alpha=*/1.0 / std::sqrt(static_cast<double>(dh)));
  // Masked keys get weight exactly 0 (exp underflows); rows without any real key belong to graphs
  // without nodes, i.e. to padded queries, which the output mask sets to 0.
  const torch::Tensor weights = torch::dropout(torch::softmax(scores, -1), options.dropout(), is_training());
  const torch::Tensor attended = torch::bmm(weights, projected[2]).view({b, heads, n, dh}).transpose(1, 2).reshape({b, n, d});
  return out(attended) * mask.unsqueeze(-1).to(x.scalar_type());
}

torch::Tensor GlobalAttentionImpl::forward_rows(const torch::Tensor& x, const torch::Tensor& ptr) {
  if (x.dim() != 2 || x.size(1) != options.dim())
    throw UsageError("GlobalAttention: x must have shape [N, " + std::to_string(options.dim()) + "]");
  if (is_training() && options.dropout() > 0)
    throw UsageError("GlobalAttention::forward_rows has no attention dropout; use forward in training");
  return out(per_graph_attention(qkv(x), ptr, options.heads()));
}

}  // namespace graphtx
