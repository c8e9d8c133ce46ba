#include "layers/gated_gcn.hpp"

#include "layers/graph_checks.hpp"
#include "layers/segment_ops.hpp"

namespace graphtx {

GatedGCNLayerImpl::GatedGCNLayerImpl(const GatedGCNLayerOptions& options_) : options(options_) { reset(); }

void GatedGCNLayerImpl::reset() {
  const int64_t d = options.dim();
  // BatchNorm removes any constant shift of h', so A has no bias then.
  A = register_module("A", torch::nn::Linear(torch::nn::LinearOptions(d, d).bias(!options.batch_norm())));
  B = register_module("B", torch::nn::Linear(d, d));
  C = register_module("C", torch::nn::Linear(d, d));
  D = register_module("D", torch::nn::Linear(d, d));
  E = register_module("E", torch::nn::Linear(d, d));
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
  check_edge_index(edge_index, x.size(0), "GatedGCNLayer");
  check_edge_features(edge_attr, edge_index.size(1), d, "GatedGCNLayer");
  const int64_t n = x.size(0);
  const torch::Tensor src = edge_index[0];
  const torch::Tensor dst = edge_index[1];

  torch::Tensor e = D(x).index_select(0, dst) + E(x).index_select(0, src) + C(edge_attr);
  const torch::Tensor gate = torch::sigmoid(e);
  const torch::Tensor numerator = segment_sum(gate * B(x).index_select(0, src), dst, n);
  const torch::Tensor denominator = segment_sum(gate, dst, n) + 1e-6;
  torch::Tensor h = A(x) + numerator / denominator;

  if (node_norm) h = node_norm(h);
  if (edge_norm) e = edge_norm(e);
  const double p = options.dropout();
  h = torch::dropout(torch::relu(h), p, is_training());
  e = torch::dropout(torch::relu(e), p, is_training());
  if (options.residual()) {
    h = x + h;
    e = edge_attr + e;
  }
  return {h, e};
}

}  // namespace graphtx
