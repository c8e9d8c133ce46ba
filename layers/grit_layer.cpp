#include "layers/grit_layer.hpp"

#include "graph/errors.hpp"
#include "layers/batched_graph.hpp"
#include "layers/residual_batch_norm.hpp"

#include <cmath>

namespace graphtx {

GRITLayerImpl::GRITLayerImpl(const GRITLayerOptions& options_) : options(options_) { reset(); }

void GRITLayerImpl::reset() {
  const int64_t d = options.dim();
  attention = register_module(
      "attention", GRITAttention(GRITAttentionOptions(d, options.heads()).dropout(options.attention_dropout())));
  if (options.degree_scaler()) {
    degree_coefficients = register_parameter("degree_coefficients", torch::empty({d, 2}));
    torch::NoGradGuard no_grad;
    degree_coefficients.select(1, 0).fill_(1.0);
    degree_coefficients.select(1, 1).normal_(0.0, std::sqrt(1.0 / static_cast<double>(d)));
  }
  node_out = register_module("node_out", Linear(d, d));
  pair_out = register_module("pair_out", Linear(d, d));
  node_norm = register_module("node_norm", MaskedBatchNorm(MaskedBatchNormOptions(d)));
  pair_norm = register_module("pair_norm", MaskedBatchNorm(MaskedBatchNormOptions(d)));
  // ReLU in place: the first Linear's output is not needed by its backward.
  ffn = register_module("ffn", torch::nn::Sequential(Linear(d, 2 * d),
                                                     torch::nn::ReLU(torch::nn::ReLUOptions(/*inplace=*/true)),
                                                     torch::nn::Dropout(options.dropout()), Linear(2 * d, d)));
  ffn_norm = register_module("ffn_norm", MaskedBatchNorm(MaskedBatchNormOptions(d)));
}

torch::Tensor GRITLayerImpl::update_nodes(const torch::Tensor& x, const torch::Tensor& attended,
                                          const torch::Tensor& degree) {
  if (degree.dim() != 1 || degree.size(0) != x.size(0)) throw UsageError("GRITLayer: degree must have shape [N]");
  const double p = options.dropout();
  torch::Tensor h = torch::dropout(attended, p, is_training());
  if (options.degree_scaler()) {
    const torch::Tensor log_degree = torch::log1p(degree.to(x.scalar_type())).unsqueeze(1);
    h = h * degree_coefficients.select(1, 0) + h * log_degree * degree_coefficients.select(1, 1);
  }
  h = residual_batch_norm(x, torch::dropout(node_out(h), p, is_training()), *node_norm);
  return residual_batch_norm(h, torch::dropout(ffn->forward(h), p, is_training()), *ffn_norm);
}

torch::Tensor GRITLayerImpl::update_pairs(const torch::Tensor& pairs, const torch::Tensor& updated,
                                          const torch::Tensor& mask) {
  const torch::Tensor u = torch::dropout(pair_out(updated), options.dropout(), is_training());
  return mask.defined() ? pair_norm(pairs + u, mask) : residual_batch_norm(pairs, u, *pair_norm);
}

std::tuple<torch::Tensor, torch::Tensor> GRITLayerImpl::forward(const torch::Tensor& x,
                                                                const torch::Tensor& pair_index,
                                                                const torch::Tensor& pairs,
                                                                const torch::Tensor& degree) {
  auto [attended, updated] = attention(x, pair_index, pairs);
  return {update_nodes(x, attended, degree), update_pairs(pairs, updated, {})};
}

std::tuple<torch::Tensor, torch::Tensor> GRITLayerImpl::forward_dense(const torch::Tensor& x, const torch::Tensor& ptr,
                                                                      const torch::Tensor& pairs,
                                                                      const torch::Tensor& degree) {
  if (pairs.dim() != 4) throw UsageError("GRITLayer: dense pairs must have shape [B, Nmax, Nmax, d]");
  auto [dense, mask] = to_dense(x, ptr, pairs.size(1));
  auto [attended, updated] = attention->forward_dense(dense, pairs, mask);
  const torch::Tensor pair_mask = mask.unsqueeze(2) & mask.unsqueeze(1);
  return {update_nodes(x, from_dense(attended, mask), degree), update_pairs(pairs, updated, pair_mask)};
}

}  // namespace graphtx
