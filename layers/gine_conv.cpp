#include "layers/gine_conv.hpp"

#include "layers/graph_checks.hpp"
#include "layers/segment_ops.hpp"

namespace graphtx {

GINEConvImpl::GINEConvImpl(const GINEConvOptions& options_) : options(options_) { reset(); }

void GINEConvImpl::reset() {
  const int64_t in = options.in_channels();
  const int64_t out = options.out_channels();
  if (options.edge_dim() != 0 && options.edge_dim() != in)
    edge_linear = register_module("edge_linear", torch::nn::Linear(options.edge_dim(), in));
  mlp = register_module("mlp", torch::nn::Sequential(torch::nn::Linear(in, out), torch::nn::ReLU(),
                                                     torch::nn::Linear(out, out)));
  const torch::Tensor initial = torch::full({}, options.eps());
  eps = options.train_eps() ? register_parameter("eps", initial) : register_buffer("eps", initial);
}

torch::Tensor GINEConvImpl::forward(const torch::Tensor& x, const torch::Tensor& edge_index,
                                    const torch::Tensor& edge_attr) {
  const int64_t in = options.in_channels();
  check_node_features(x, in, "GINEConv");
  check_edge_index(edge_index, x.size(0), "GINEConv");
  check_edge_features(edge_attr, edge_index.size(1), options.edge_dim() == 0 ? in : options.edge_dim(), "GINEConv");
  const torch::Tensor e = edge_linear ? edge_linear(edge_attr) : edge_attr;
  const torch::Tensor messages = torch::relu(x.index_select(0, edge_index[0]) + e);
  const torch::Tensor aggregated = segment_sum(messages, edge_index[1], x.size(0));
  return mlp->forward((1 + eps) * x + aggregated);
}

}  // namespace graphtx
