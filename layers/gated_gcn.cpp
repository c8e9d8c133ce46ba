#include "layers/gated_gcn.hpp"

#include "layers/batch_norm_relu_residual.hpp"
#include "layers/gated_message_passing.hpp"
#include "layers/graph_checks.hpp"

namespace graphtx {

GatedGCNLayerImpl::GatedGCNLayerImpl(const GatedGCNLayerOptions& options_) : options(options_) { reset(); }

void GatedGCNLayerImpl::reset() {
  const int64_t d = options.dim();
  // BatchNorm removes any constant shift of h', so A has no bias then.
  A = register_module("A", Linear(torch::nn::LinearOptions(d, d).bias(!options.batch_norm())));
  B = register_module("B", Linear(d, d));
  C = register_module("C", Linear(d, d));
  D = register_module("D", Linear(d, d));
  E = register_module("E", Linear(d, d));
  if (options.batch_norm()) {
    node_norm = register_module("node_norm", MaskedBatchNorm(MaskedBatchNormOptions(d)));
    edge_norm = register_module("edge_norm", MaskedBatchNorm(MaskedBatchNormOptions(d)));
  }
}

std::tuple<torch::Tensor, torch::Tensor> GatedGCNLayerImpl::forward(const torch::Tensor& x,
                                                                    const torch::Tensor& edge_index,
                                                                    const torch::Tensor& edge_attr) {
  const int64_t d = options.dim();
  check_node_features(x, d, "GatedGCNLayer");
  const EdgeIncidence incidence = EdgeIncidence::build(edge_index, x.size(0), "GatedGCNLayer");
  check_edge_features(edge_attr, incidence.num_edges, d, "GatedGCNLayer");

  // A, B, D and E applied to x as one [N, 4d] product (one GEMM forward, one for the x gradient).
  const torch::Tensor bias_a = A->bias.defined() ? A->bias : torch::zeros({d}, B->bias.options());
  const torch::Tensor projected = linear_gemm(x, torch::cat({A->weight, B->weight, D->weight, E->weight}),
                                                torch::cat({bias_a, B->bias, D->bias, E->bias}));
  auto [h, e] = gated_message_passing(projected, C(edge_attr), incidence);

  const double p = options.dropout();
  if (node_norm && options.residual() && (p == 0 || !is_training()))
    return {batch_norm_relu_residual(x, h, *node_norm), batch_norm_relu_residual(edge_attr, e, *edge_norm)};
  if (node_norm) h = node_norm(h);
  if (edge_norm) e = edge_norm(e);
  h = torch::dropout(torch::relu(h), p, is_training());
  e = torch::dropout(torch::relu(e), p, is_training());
  if (options.residual()) {
    h = x + h;
    e = edge_attr + e;
  }
  return {h, e};
}

}  // namespace graphtx
