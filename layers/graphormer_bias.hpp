// GraphormerBias (Ying et al. 2021): a learned scalar per head per shortest-path distance, the
// additive attention bias b_{SPD(i,j)} for GlobalAttention.
//   spd [B, N, N] int64 hop distances (negative = unreachable; >= max_distance is capped), mask [B, N]
//   -> bias [B, H, N, N], or [B, H, N + 1, N + 1] with a virtual node at index 0 whose pairs (both
//   directions) get their own learned scalar per head. Pairs involving padding get 0.
//   Distance ids: 0..max_distance, unreachable = max_distance + 1. Cost O(B H N²).
#pragma once

#include <torch/torch.h>

namespace graphtx {

struct GraphormerBiasOptions {
  explicit GraphormerBiasOptions(int64_t heads) : heads_(heads) {}
  TORCH_ARG(int64_t, heads);
  // Distances above this share the id max_distance.
  TORCH_ARG(int64_t, max_distance) = 20;
  // Prepend a virtual node (index 0 of the output) connected to every real node.
  TORCH_ARG(bool, virtual_node) = false;
};

class GraphormerBiasImpl : public torch::nn::Cloneable<GraphormerBiasImpl> {
 public:
  explicit GraphormerBiasImpl(int64_t heads) : GraphormerBiasImpl(GraphormerBiasOptions(heads)) {}
  explicit GraphormerBiasImpl(const GraphormerBiasOptions& options);

  void reset() override;
  torch::Tensor forward(const torch::Tensor& spd, const torch::Tensor& mask);

  GraphormerBiasOptions options;
  torch::nn::Embedding distance_bias{nullptr};  // [max_distance + 2, H]
  torch::Tensor virtual_bias;                   // [H], only with virtual_node
};

TORCH_MODULE(GraphormerBias);

}  // namespace graphtx
