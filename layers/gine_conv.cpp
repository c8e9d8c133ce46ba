#include "layers/gine_conv.hpp"

#include "layers/graph_checks.hpp"
#include "layers/gine_aggregate.hpp"
#include "layers/relu_mlp.hpp"

namespace graphtx {

GINEConvImpl::GINEConvImpl(const GINEConvOptions& options_) : options(options_) { reset(); }

void GINEConvImpl::reset() {
  const int64_t in = options.in_channels();
  const int64_t out = options.out_channels();
  if (options.edge_dim() != 0 && options.edge_dim() != in)
    edge_linear = register_module("edge_linear", Linear(options.edge_dim(), in));
  mlp = register_module("mlp", torch::nn::Sequential(Linear(in, out), torch::nn::ReLU(),
                                                     Linear(out, out)));
  const torch::Tensor initial = torch::full({}, options.eps());
  eps = options.train_eps() ? register_parameter("eps", initial) : register_buffer("eps", initial);
}

torch::Tensor GINEConvImpl::forward(const torch::Tensor& x, const torch::Tensor& edge_index,
                                    const torch::Tensor& edge_attr) {
  const int64_t in = options.in_channels();
  check_node_features(x, in, "GINEConv");
  const EdgeIncidence incidence = EdgeIncidence::build(edge_index, x.size(0), "GINEConv");
  check_edge_features(edge_attr, incidence.num_edges, options.edge_dim() == 0 ? in : options.edge_dim(), "GINEConv");
  const torch::Tensor e = edge_linear ? edge_linear(edge_attr) : edge_attr;
  return relu_mlp(mlp, gine_aggregate(x, e, eps, incidence));
}

}  // namespace graphtx
