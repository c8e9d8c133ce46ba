#include "layers/gcn_conv.hpp"

#include "graph/errors.hpp"
#include "layers/gcn_propagate.hpp"
#include "layers/graph_checks.hpp"
#include "layers/segment_ops.hpp"

namespace graphtx {

GCNConvImpl::GCNConvImpl(const GCNConvOptions& options_) : options(options_) { reset(); }

void GCNConvImpl::reset() {
  linear = register_module("linear", Linear(torch::nn::LinearOptions(options.in_channels(),
                                                                                options.out_channels()).bias(false)));
  torch::nn::init::xavier_uniform_(linear->weight);
  if (options.bias()) bias = register_parameter("bias", torch::zeros({options.out_channels()}));
}

torch::Tensor GCNConvImpl::forward(const torch::Tensor& x, const torch::Tensor& edge_index,
                                   const torch::Tensor& edge_weight) {
  check_node_features(x, options.in_channels(), "GCNConv");
  const EdgeIncidence incidence = EdgeIncidence::build(edge_index, x.size(0), "GCNConv");
  const int64_t num_edges = incidence.num_edges;
  torch::Tensor weight = edge_weight.defined() ? edge_weight.to(x.dtype()) : torch::ones({num_edges}, x.options());
  if (weight.dim() != 1 || weight.size(0) != num_edges) throw UsageError("GCNConv: edge_weight must have shape [E]");
  if (num_edges > 0 && weight.min().item<double>() < 0) throw UsageError("GCNConv: edge_weight must be non-negative");

  const torch::Tensor degree = segment_sum(weight, incidence.target, x.size(0)) + 1.0;
  const torch::Tensor inv_sqrt_degree = degree.rsqrt();
  const torch::Tensor norm = inv_sqrt_degree.index_select(0, incidence.source) * weight *
                             inv_sqrt_degree.index_select(0, incidence.target);
  return gcn_propagate(linear(x), inv_sqrt_degree.square(), norm, bias, incidence);
}

}  // namespace graphtx
