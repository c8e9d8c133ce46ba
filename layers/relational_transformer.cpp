#include "layers/relational_transformer.hpp"

#include "layers/batched_graph.hpp"

namespace graphtx {

namespace {

torch::Tensor zero_padding(const torch::Tensor& values, const torch::Tensor& mask) {
  return values * mask.unsqueeze(-1).to(values.scalar_type());
}

}  // namespace

RelationalTransformerLayerImpl::RelationalTransformerLayerImpl(const RelationalTransformerOptions& options_)
    : options(options_) {
  reset();
}

void RelationalTransformerLayerImpl::reset() {
  const int64_t d = options.d_model(), de = options.edge_dim();
  attention = register_module(
      "attention", RelationalAttention(RelationalAttentionOptions(d, de).heads(options.heads())));
  node_ffn1 = register_module("node_ffn1", Linear(d, options.node_ffn_dim()));
  node_ffn2 = register_module("node_ffn2", Linear(options.node_ffn_dim(), d));
  node_norm1 = register_module("node_norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
  node_norm2 = register_module("node_norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
  dropout = register_module("dropout", torch::nn::Dropout(options.dropout()));
  if (!options.update_edges()) return;
  const int64_t h1 = options.edge_ffn_dim1(), h2 = options.edge_ffn_dim2();
  edge_in = register_module("edge_in", Linear(torch::nn::LinearOptions(de, 2 * h1).bias(false)));
  node_in = register_module("node_in", Linear(d, 2 * h1));
  edge_out = register_module("edge_out", Linear(h1, de));
  edge_ffn1 = register_module("edge_ffn1", Linear(de, h2));
  edge_ffn2 = register_module("edge_ffn2", Linear(h2, de));
  edge_norm1 = register_module("edge_norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({de})));
  edge_norm2 = register_module("edge_norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({de})));
}

RelationalState RelationalTransformerLayerImpl::forward(const RelationalState& state) {
  const torch::Tensor& mask = state.mask;
  torch::Tensor n = state.nodes;
  n = node_norm1(n + dropout(attention(n, state.edges, mask)));
  n = zero_padding(node_norm2(n + dropout(node_ffn2(linear_relu(n, node_ffn1->weight, node_ffn1->bias)))), mask);
  if (!options.update_edges()) return {n, state.edges, mask};

  const int64_t h1 = options.edge_ffn_dim1();
  const torch::Tensor& e = state.edges;
  const auto edge_parts = edge_in(e).split(h1, -1);  // e_ij W3a, e_ij W3b ([B, N, N, h1] each)
  const auto node_parts = node_in(n).split(h1, -1);  // n W3c, n W3d + bias ([B, N, h1] each)
  // Pair (i, j): e_ji W3b is e W3b transposed; n_j varies along dim 2, n_i along dim 1.
  const torch::Tensor hidden = edge_parts[0] + edge_parts[1].transpose(1, 2) + node_parts[0].unsqueeze(1) +
                               node_parts[1].unsqueeze(2);
  const torch::Tensor pair_mask = mask.unsqueeze(2) & mask.unsqueeze(1);
  torch::Tensor updated = edge_norm1(e + dropout(edge_out(torch::relu(hidden))));
  updated = edge_norm2(updated + dropout(edge_ffn2(linear_relu(updated, edge_ffn1->weight, edge_ffn1->bias))));
  return {n, zero_padding(updated, pair_mask), mask};
}

RelationalTransformerImpl::RelationalTransformerImpl(const RelationalTransformerOptions& options_)
    : options(options_) {
  reset();
}

void RelationalTransformerImpl::reset() {
  no_edge = register_parameter("no_edge", torch::randn({options.edge_dim()}) * 0.1);
  layers = register_module("layers", torch::nn::ModuleList());
  for (int64_t l = 0; l < options.num_layers(); ++l) layers->push_back(RelationalTransformerLayer(options));
}

RelationalState RelationalTransformerImpl::embed(const torch::Tensor& x, const torch::Tensor& edge_index,
                                                 const torch::Tensor& edge_attr, const torch::Tensor& ptr,
                                                 int64_t max_nodes) {
  auto [nodes, mask] = to_dense(x, ptr, max_nodes);
  auto [pairs, present] = to_dense_pairs(edge_attr, edge_index, ptr, nodes.size(1));
  const torch::Tensor pair_mask = (mask.unsqueeze(2) & mask.unsqueeze(1)).unsqueeze(-1);
  const torch::Tensor absent = pair_mask & present.logical_not().unsqueeze(-1);
  const torch::Tensor edges = torch::where(absent, no_edge, pairs);  // absent pairs hold zeros in `pairs`
  return {nodes, edges, mask};
}

RelationalState RelationalTransformerImpl::forward_dense(RelationalState state) {
  for (const auto& layer : *layers) state = layer->as<RelationalTransformerLayer>()->forward(state);
  return state;
}

RelationalState RelationalTransformerImpl::forward(const torch::Tensor& x, const torch::Tensor& edge_index,
                                                   const torch::Tensor& edge_attr, const torch::Tensor& ptr,
                                                   int64_t max_nodes) {
  return forward_dense(embed(x, edge_index, edge_attr, ptr, max_nodes));
}

}  // namespace graphtx
