#include "layers/gps_layer.hpp"

#include "graph/errors.hpp"
#include "layers/batched_graph.hpp"
#include "layers/graph_checks.hpp"
#include "layers/linear.hpp"
#include "layers/relu_mlp.hpp"
#include "layers/residual_batch_norm.hpp"

#include <string>

namespace graphtx {

GPSLayerImpl::GPSLayerImpl(const GPSLayerOptions& options_) : options(options_) { reset(); }

namespace {

// Norm(x + u): BatchNorm as one fused kernel over the residual sum (every row is a real node).
torch::Tensor add_normalize(MaskedBatchNorm batch_norm, torch::nn::LayerNorm layer_norm,
                            const torch::Tensor& x, const torch::Tensor& u) {
  return batch_norm ? residual_batch_norm(x, u, *batch_norm) : layer_norm->forward(x + u);
}

}  // namespace

void GPSLayerImpl::make_norm(const std::string& name, MaskedBatchNorm& batch_norm, torch::nn::LayerNorm& layer_norm) {
  if (options.norm() == GPSNorm::batch)
    batch_norm = register_module(name, MaskedBatchNorm(MaskedBatchNormOptions(options.dim())));
  else
    layer_norm = register_module(name, torch::nn::LayerNorm(torch::nn::LayerNormOptions({options.dim()})));
}

void GPSLayerImpl::reset() {
  const int64_t d = options.dim();
  if (options.local_model() == GPSLocalModel::none && !options.global_attention())
    throw UsageError("GPSLayer: needs a local model, global attention or both");
  if (options.local_model() == GPSLocalModel::gine) gine = register_module("gine", GINEConv(d, d));
  if (options.local_model() == GPSLocalModel::gated_gcn)
    gated_gcn = register_module("gated_gcn", GatedGCNLayer(GatedGCNLayerOptions(d).dropout(options.dropout())));
  if (options.local_model() != GPSLocalModel::none) make_norm("local_norm", local_batch_norm, local_layer_norm);
  if (options.global_attention()) {
    attention = register_module(
        "attention", GlobalAttention(GlobalAttentionOptions(d, options.heads()).dropout(options.attention_dropout())));
    make_norm("attention_norm", attention_batch_norm, attention_layer_norm);
  }
  ffn = register_module("ffn", torch::nn::Sequential(Linear(d, 2 * d),
                                                     torch::nn::ReLU(torch::nn::ReLUOptions().inplace(true)),
                                                     torch::nn::Dropout(options.dropout()), Linear(2 * d, d)));
  make_norm("ffn_norm", ffn_batch_norm, ffn_layer_norm);
}

std::tuple<torch::Tensor, torch::Tensor> GPSLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& edge_index,
                                                               const torch::Tensor& edge_attr, const torch::Tensor& ptr,
                                                               const torch::Tensor& attn_bias) {
  const int64_t d = options.dim();
  check_node_features(x, d, "GPSLayer");
  if (ptr.dim() != 1 || ptr.size(0) < 1 || ptr[-1].item<int64_t>() != x.size(0))
    throw UsageError("GPSLayer: ptr must be [B + 1] node offsets ending at N");
  const double p = options.dropout();

  // Sum of the normalised branches (at least one exists, checked in reset).
  torch::Tensor e = edge_attr;
  torch::Tensor h;
  const auto add_branch = [&h](const torch::Tensor& branch) { h = h.defined() ? h + branch : branch; };
  if (gine) {
    const torch::Tensor local = gine(x, edge_index, edge_attr);
    add_branch(add_normalize(local_batch_norm, local_layer_norm, x, torch::dropout(local, p, is_training())));
  }
  if (gated_gcn) {
    torch::Tensor local;
    std::tie(local, e) = gated_gcn(x, edge_index, edge_attr);
    add_branch(add_normalize(local_batch_norm, local_layer_norm, x, torch::dropout(local, p, is_training())));
  }
  if (attention) {
    torch::Tensor global;
    if (attn_bias.defined() || (is_training() && options.attention_dropout() > 0)) {
      const int64_t padded = attn_bias.defined() ? attn_bias.size(-1) : -1;
      auto [dense, mask] = to_dense(x, ptr, padded);
      global = from_dense(attention(dense, mask, attn_bias), mask);
    } else {
      global = attention->forward_rows(x, ptr);
    }
    add_branch(add_normalize(attention_batch_norm, attention_layer_norm, x, torch::dropout(global, p, is_training())));
  }
  h = add_normalize(ffn_batch_norm, ffn_layer_norm, h, torch::dropout(relu_mlp(ffn, h), p, is_training()));
  return {h, e};
}

}  // namespace graphtx
