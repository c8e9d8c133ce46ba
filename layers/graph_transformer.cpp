#include "layers/graph_transformer.hpp"

#include "graph/errors.hpp"
#include "layers/edge_dot_scores.hpp"
#include "layers/edge_incidence.hpp"
#include "layers/residual_batch_norm.hpp"
#include "layers/segment_attention.hpp"

#include <cmath>
#include <string>
#include <vector>

namespace graphtx {

GraphTransformerStreamImpl::GraphTransformerStreamImpl(int64_t d_model_, GraphNorm norm, double dropout_)
    : d_model(d_model_), norm_kind(norm), dropout_p(dropout_) {
  reset();
}

void GraphTransformerStreamImpl::reset() {
  out = register_module("out", Linear(d_model, d_model));
  ffn1 = register_module("ffn1", Linear(d_model, 2 * d_model));
  ffn2 = register_module("ffn2", Linear(2 * d_model, d_model));
  dropout = register_module("dropout", torch::nn::Dropout(dropout_p));
  if (norm_kind == GraphNorm::kBatch) {
    batch_norm1 = register_module("batch_norm1", MaskedBatchNorm(MaskedBatchNormOptions(d_model)));
    batch_norm2 = register_module("batch_norm2", MaskedBatchNorm(MaskedBatchNormOptions(d_model)));
  } else {
    layer_norm1 = register_module("layer_norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d_model})));
    layer_norm2 = register_module("layer_norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d_model})));
  }
}

torch::Tensor GraphTransformerStreamImpl::add_normalize(int which, const torch::Tensor& x, const torch::Tensor& u) {
  if (norm_kind == GraphNorm::kBatch) return residual_batch_norm(x, u, which == 1 ? *batch_norm1 : *batch_norm2);
  return which == 1 ? layer_norm1(x + u) : layer_norm2(x + u);
}

torch::Tensor GraphTransformerStreamImpl::forward(const torch::Tensor& x, const torch::Tensor& update) {
  const torch::Tensor y = add_normalize(1, x, dropout(out(update)));
  return add_normalize(2, y, ffn2(dropout(linear_relu(y, ffn1->weight, ffn1->bias))));
}

GraphTransformerLayerImpl::GraphTransformerLayerImpl(const GraphTransformerLayerOptions& options_)
    : options(options_) {
  reset();
}

void GraphTransformerLayerImpl::reset() {
  const int64_t d = options.d_model();
  if (options.heads() <= 0 || d % options.heads() != 0)
    throw UsageError("GraphTransformerLayer: d_model " + std::to_string(d) + " is not divisible by " +
                     std::to_string(options.heads()) + " heads");
  const auto no_bias = torch::nn::LinearOptions(d, d).bias(false);
  query = register_module("query", Linear(no_bias));
  key = register_module("key", Linear(no_bias));
  value = register_module("value", Linear(no_bias));
  node_stream = register_module("node_stream", GraphTransformerStream(d, options.norm(), options.dropout()));
  if (options.edge_features()) {
    edge_proj = register_module("edge_proj", Linear(no_bias));
    edge_stream = register_module("edge_stream", GraphTransformerStream(d, options.norm(), options.dropout()));
  }
}

std::pair<torch::Tensor, torch::Tensor> GraphTransformerLayerImpl::forward(const torch::Tensor& h,
                                                                           const torch::Tensor& edge_index,
                                                                           const torch::Tensor& e) {
  const int64_t n = h.size(0), heads = options.heads();
  if (options.edge_features() && (!e.defined() || e.size(0) != edge_index.size(1)))
    throw UsageError("GraphTransformerLayer: edge_features needs e with one row per edge");
  const EdgeIncidence incidence = EdgeIncidence::build(edge_index, n, "GraphTransformerLayer");
  const double scale = 1.0 / std::sqrt(static_cast<double>(options.d_model() / heads));
  const std::vector<torch::Tensor> scored = edge_dot_scores(
      query(h), key(h), options.edge_features() ? edge_proj(e) : torch::Tensor(), heads, scale, incidence);
  const torch::Tensor aggregated =
      segment_attention(scored[0], value(h), {}, {}, incidence, options.softmax_eps())[0];  // [N, d]
  const torch::Tensor h_out = node_stream(h, aggregated);
  if (!options.edge_features()) return {h_out, torch::Tensor()};
  return {h_out, edge_stream(e, scored[1])};
}

}  // namespace graphtx
