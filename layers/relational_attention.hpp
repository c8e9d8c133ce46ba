// RelationalAttention (Diao & Loynd, ICLR 2023): dense multi-head attention over all pairs of each
// graph in which queries, keys and values see the edge vector of their pair.
//   nodes [B, N, d], edges [B, N, N, de] (edges[b, i, j] = e_ij, i receiver / query, j sender / key),
//   mask [B, N] bool (true = real node) -> [B, N, d], padded rows 0.
//   q_ij = n_i W_nq + e_ij W_eq, k_ij = n_j W_nk + e_ij W_ek, v_ij = n_j W_nv + e_ij W_ev,
//   a_i = ||_h sum_j softmax_j(<q_ij, k_ij>_h / sqrt(d_h)) v_ij, output W_o a; the values are
//   never formed per pair: sum_j alpha_ij v_ij = sum_j alpha_ij n_j W_nv + (sum_j alpha_ij e_ij) W_ev.
// Cost O(B N^2 (d de + H de)) time, O(B N^2 d) memory.
#pragma once

#include "layers/linear.hpp"

#include <torch/torch.h>

namespace graphtx {

struct RelationalAttentionOptions {
  RelationalAttentionOptions(int64_t d_model, int64_t edge_dim) : d_model_(d_model), edge_dim_(edge_dim) {}
  TORCH_ARG(int64_t, d_model);
  TORCH_ARG(int64_t, edge_dim);
  TORCH_ARG(int64_t, heads) = 12;  // the paper's 12 heads x 16 for d = 192
};

class RelationalAttentionImpl : public torch::nn::Cloneable<RelationalAttentionImpl> {
 public:
  explicit RelationalAttentionImpl(const RelationalAttentionOptions& options);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& nodes, const torch::Tensor& edges, const torch::Tensor& mask);

  RelationalAttentionOptions options;
  Linear node_qkv{nullptr};  // n -> [n W_nq, n W_nk, n W_nv] (+ bias)
  Linear edge_qkv{nullptr};  // e -> [e W_eq, e W_ek, e W_ev]
  Linear out{nullptr};       // W_o
};
TORCH_MODULE(RelationalAttention);

}  // namespace graphtx
