#include "layers/grit_attention.hpp"

#include "graph/errors.hpp"
#include "layers/graph_checks.hpp"
#include "layers/segment_ops.hpp"

#include <cmath>
#include <string>
#include <vector>

namespace graphtx {

torch::Tensor signed_sqrt(const torch::Tensor& x) {
  const torch::Tensor magnitude = x.abs();
  const torch::Tensor nonzero = magnitude > 0;
  const torch::Tensor safe = torch::where(nonzero, magnitude, torch::ones_like(magnitude));
  return torch::where(nonzero, x.sign() * safe.sqrt(), torch::zeros_like(x));
}

GRITAttentionImpl::GRITAttentionImpl(const GRITAttentionOptions& options_) : options(options_) { reset(); }

void GRITAttentionImpl::reset() {
  const int64_t d = options.dim();
  const int64_t heads = options.heads();
  if (heads < 1 || d % heads != 0)
    throw UsageError("GRITAttention: dim " + std::to_string(d) + " is not divisible by heads " + std::to_string(heads));
  const int64_t dh = d / heads;
  Q = register_module("Q", torch::nn::Linear(d, d));
  K = register_module("K", torch::nn::Linear(d, d));
  V = register_module("V", torch::nn::Linear(d, d));
  E = register_module("E", torch::nn::Linear(d, 2 * d));
  A = register_parameter("A", torch::empty({heads, dh}));
  Ev = register_parameter("Ev", torch::empty({heads, dh, dh}));
  torch::NoGradGuard no_grad;
  A.normal_(0.0, std::sqrt(2.0 / static_cast<double>(dh + 1)));
  Ev.normal_(0.0, std::sqrt(1.0 / static_cast<double>(dh)));
}

torch::Tensor GRITAttentionImpl::pair_update(const torch::Tensor& qk, const torch::Tensor& projected_pairs) const {
  const auto parts = projected_pairs.chunk(2, -1);  // each [.., d]
  std::vector<int64_t> head_shape(qk.sizes().begin(), qk.sizes().end());
  const torch::Tensor weight = parts[0].reshape(head_shape);
  const torch::Tensor shift = parts[1].reshape(head_shape);
  return torch::relu(signed_sqrt(qk * weight) + shift);
}

std::tuple<torch::Tensor, torch::Tensor> GRITAttentionImpl::forward(const torch::Tensor& x,
                                                                    const torch::Tensor& pair_index,
                                                                    const torch::Tensor& pairs) {
  const int64_t d = options.dim();
  const int64_t heads = options.heads();
  const int64_t dh = d / heads;
  check_node_features(x, d, "GRITAttention");
  check_edge_index(pair_index, x.size(0), "GRITAttention");
  check_edge_features(pairs, pair_index.size(1), d, "GRITAttention");
  const int64_t n = x.size(0);
  const int64_t p = pairs.size(0);
  const torch::Tensor src = pair_index[0];
  const torch::Tensor dst = pair_index[1];

  const torch::Tensor qk = (Q(x).index_select(0, dst) + K(x).index_select(0, src)).view({p, heads, dh});
  const torch::Tensor updated = pair_update(qk, E(pairs));  // [P, H, dh]
  const torch::Tensor scores = (updated * A).sum(-1).clamp(-options.clamp(), options.clamp());
  torch::Tensor alpha = segment_softmax(scores, dst, n);  // [P, H]
  alpha = torch::dropout(alpha, options.dropout(), is_training()).unsqueeze(-1);
  const torch::Tensor values = V(x).view({n, heads, dh}).index_select(0, src);
  const torch::Tensor node_part = segment_sum(values * alpha, dst, n);
  const torch::Tensor pair_part = torch::einsum("nhd,hdc->nhc", {segment_sum(updated * alpha, dst, n), Ev});
  return {(node_part + pair_part).reshape({n, d}), updated.reshape({p, d})};
}

std::tuple<torch::Tensor, torch::Tensor> GRITAttentionImpl::forward_dense(const torch::Tensor& x,
                                                                          const torch::Tensor& pairs,
                                                                          const torch::Tensor& mask) {
  const int64_t d = options.dim();
  const int64_t heads = options.heads();
  const int64_t dh = d / heads;
  if (x.dim() != 3 || x.size(2) != d) throw UsageError("GRITAttention: x must have shape [B, N, " + std::to_string(d) + "]");
  const int64_t b = x.size(0);
  const int64_t n = x.size(1);
  if (pairs.sizes() != torch::IntArrayRef({b, n, n, d}))
    throw UsageError("GRITAttention: dense pairs must have shape [B, N, N, d]");
  if (mask.sizes() != torch::IntArrayRef({b, n}) || mask.scalar_type() != torch::kBool)
    throw UsageError("GRITAttention: mask must be a bool tensor of shape [B, N]");

  const torch::Tensor qk = (Q(x).view({b, n, 1, heads, dh}) + K(x).view({b, 1, n, heads, dh}));
  const torch::Tensor pair_mask = (mask.unsqueeze(2) & mask.unsqueeze(1)).view({b, n, n, 1, 1});
  const torch::Tensor updated = pair_update(qk, E(pairs)) * pair_mask.to(x.scalar_type());  // [B, N, N, H, dh]
  const torch::Tensor scores = (updated * A).sum(-1).clamp(-options.clamp(), options.clamp());  // [B, N, N, H]
  torch::Tensor alpha = masked_softmax(scores, pair_mask.view({b, n, n, 1}), 2);
  alpha = torch::dropout(alpha, options.dropout(), is_training());
  const torch::Tensor node_part = torch::einsum("bijh,bjhd->bihd", {alpha, V(x).view({b, n, heads, dh})});
  const torch::Tensor pair_sum = torch::einsum("bijh,bijhd->bihd", {alpha, updated});
  const torch::Tensor pair_part = torch::einsum("bihd,hdc->bihc", {pair_sum, Ev});
  return {(node_part + pair_part).reshape({b, n, d}), updated.reshape({b, n, n, d})};
}

}  // namespace graphtx
