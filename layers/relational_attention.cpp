#include "layers/relational_attention.hpp"

#include "graph/errors.hpp"
#include "layers/segment_ops.hpp"

#include <cmath>
#include <string>

namespace graphtx {

RelationalAttentionImpl::RelationalAttentionImpl(const RelationalAttentionOptions& options_) : options(options_) {
  reset();
}

void RelationalAttentionImpl::reset() {
  const int64_t d = options.d_model();
  if (options.heads() <= 0 || d % options.heads() != 0)
    throw UsageError("RelationalAttention: d_model " + std::to_string(d) + " is not divisible by " +
                     std::to_string(options.heads()) + " heads");
  node_qkv = register_module("node_qkv", Linear(d, 3 * d));
  edge_qkv = register_module("edge_qkv", Linear(torch::nn::LinearOptions(options.edge_dim(), 3 * d).bias(false)));
  out = register_module("out", Linear(d, d));
}

torch::Tensor RelationalAttentionImpl::forward(const torch::Tensor& nodes, const torch::Tensor& edges,
                                               const torch::Tensor& mask) {
  const int64_t b = nodes.size(0), n = nodes.size(1), d = options.d_model(), h = options.heads();
  const int64_t dh = d / h, de = options.edge_dim();
  const auto node_parts = node_qkv(nodes).chunk(3, -1);             // each [B, N, d]
  const auto edge_weights = edge_qkv->weight.split({2 * d, d}, 0);  // [W_eq; W_ek] [2d, de], W_ev [d, de]
  const auto edge_parts = linear_gemm(edges, edge_weights[0]).chunk(2, -1);  // each [B, N, N, d]
  // Query i sits on dim 1, key j on dim 2.
  const torch::Tensor q = (node_parts[0].unsqueeze(2) + edge_parts[0]).view({b, n, n, h, dh});
  const torch::Tensor k = (node_parts[1].unsqueeze(1) + edge_parts[1]).view({b, n, n, h, dh});
  const torch::Tensor scores = (q * k).sum(-1) / std::sqrt(static_cast<double>(dh));  // [B, N, N, H]
  const torch::Tensor alpha = masked_softmax(scores, mask.view({b, 1, n, 1}), 2);
  // sum_j alpha_ij v_ij = sum_j alpha_ij n_j W_nv + (sum_j alpha_ij e_ij) W_ev per head (linearity):
  // batched matmuls instead of the [B, N, N, d] values.
  const torch::Tensor node_values = node_parts[2].reshape({b, n, h, dh}).permute({0, 2, 1, 3});  // [B, H, N, dh]
  const torch::Tensor from_nodes = torch::matmul(alpha.permute({0, 3, 1, 2}), node_values).permute({0, 2, 1, 3});
  const torch::Tensor pooled_edges = torch::matmul(alpha.permute({0, 1, 3, 2}), edges);  // [B, N, H, de]
  const torch::Tensor from_edges = torch::einsum("bihf,hcf->bihc", {pooled_edges, edge_weights[1].view({h, dh, de})});
  const torch::Tensor attended = (from_nodes + from_edges).reshape({b, n, d});
  return out(attended) * mask.unsqueeze(-1).to(nodes.scalar_type());
}

}  // namespace graphtx
