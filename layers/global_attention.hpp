// GlobalAttention: multi-head self-attention over the nodes of each graph of a dense padded batch,
//   softmax_j((q_i · k_j) / √d_h + bias[b, h, i, j]) over real keys j (key-padding mask).
//   x [B, N, d], mask [B, N] bool (true = real node), bias [B, H, N, N] finite, optional (Graphormer
//   SPD bias, tree-field log f(dist) bias)  ->  [B, N, d]; padded rows are 0, rows without real keys
//   are 0 (never NaN). Cost O(B N² d) time, O(B H N²) memory.
// forward_rows: the same attention on unpadded rows x [N, d] of the graphs given by ptr [B + 1],
//   without bias or attention dropout, through the fused per_graph_attention (O(N H) memory).
#pragma once

#include "layers/linear.hpp"

#include <torch/torch.h>

namespace graphtx {

struct GlobalAttentionOptions {
  GlobalAttentionOptions(int64_t dim, int64_t heads) : dim_(dim), heads_(heads) {}
  TORCH_ARG(int64_t, dim);
  // Number of heads H; dim must be divisible by H.
  TORCH_ARG(int64_t, heads);
  // Dropout on the attention weights.
  TORCH_ARG(double, dropout) = 0.0;
};

class GlobalAttentionImpl : public torch::nn::Cloneable<GlobalAttentionImpl> {
 public:
  GlobalAttentionImpl(int64_t dim, int64_t heads) : GlobalAttentionImpl(GlobalAttentionOptions(dim, heads)) {}
  explicit GlobalAttentionImpl(const GlobalAttentionOptions& options);

  void reset() override;
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask, const torch::Tensor& bias = {});
  // Throws UsageError in training with dropout > 0 (use forward on a dense batch then).
  torch::Tensor forward_rows(const torch::Tensor& x, const torch::Tensor& ptr);

  GlobalAttentionOptions options;
  Linear qkv{nullptr};  // d -> 3d (queries, keys, values)
  Linear out{nullptr};  // d -> d
};

TORCH_MODULE(GlobalAttention);

}  // namespace graphtx
