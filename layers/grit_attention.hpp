// GRITAttention (Ma et al. 2023) over pair features such as embedded RRWP; H heads of d_h = d / H:
//   ê_ij = ReLU(ρ((W_Q x_i + W_K x_j) ⊙ W_Ew e_ij) + W_Eb e_ij),  ρ(x) = √ReLU(x) − √ReLU(−x),
//   α_ij = softmax_j(clamp(W_A ê_ij, ±5)),  x̂_i = Σ_j α_ij W_V x_j + W_Ev (Σ_j α_ij ê_ij).  No 1/√d.
// i is the receiver, j the sender. Two layouts, same parameters:
//   forward: pairs as a list ("sparse GRIT": softmax over the given pairs only)
//     x [N, d], pair_index [2, P] int64 (row 0 = j, row 1 = i), pairs [P, d] -> (x̂ [N, d], ê [P, d]),
//     as fused kernels over the pair incidence (grit_pair_scores, segment_attention)
//   forward_dense: all pairs of each graph, padded
//     x [B, N, d], pairs [B, N, N, d] (pairs[b, i, j] = e_ij), mask [B, N] -> (x̂ [B, N, d], ê [B, N, N, d]),
//     padded rows and pairs 0. Cost O(P d² + N d²) sparse, O(B N² d²) dense.
#pragma once

#include "layers/linear.hpp"

#include <torch/torch.h>

#include <tuple>

namespace graphtx {

struct GRITAttentionOptions {
  GRITAttentionOptions(int64_t dim, int64_t heads) : dim_(dim), heads_(heads) {}
  TORCH_ARG(int64_t, dim);
  TORCH_ARG(int64_t, heads);
  // Scores are clamped to [-clamp, clamp] before the softmax.
  TORCH_ARG(double, clamp) = 5.0;
  // Dropout on the attention weights α.
  TORCH_ARG(double, dropout) = 0.0;
};

// ρ(x) = sign(x) √|x|, with gradient 0 at x = 0 (instead of 0 · ∞ = NaN). One fused elementwise
// pass forward and one backward (custom autograd function, first derivatives only).
torch::Tensor signed_sqrt(const torch::Tensor& x);

class GRITAttentionImpl : public torch::nn::Cloneable<GRITAttentionImpl> {
 public:
  GRITAttentionImpl(int64_t dim, int64_t heads) : GRITAttentionImpl(GRITAttentionOptions(dim, heads)) {}
  explicit GRITAttentionImpl(const GRITAttentionOptions& options);

  void reset() override;
  std::tuple<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x, const torch::Tensor& pair_index,
                                                   const torch::Tensor& pairs);
  std::tuple<torch::Tensor, torch::Tensor> forward_dense(const torch::Tensor& x, const torch::Tensor& pairs,
                                                         const torch::Tensor& mask);

  GRITAttentionOptions options;
  Linear Q{nullptr}, K{nullptr}, V{nullptr};
  Linear E{nullptr};  // d -> 2d: W_Ew and W_Eb
  torch::Tensor A;               // [H, d_h], W_A per head
  torch::Tensor Ev;              // [H, d_h, d_h], W_Ev per head

 private:
  // ê [.., H, d_h] from the summed query/key projections and the pair projection.
  torch::Tensor pair_update(const torch::Tensor& qk, const torch::Tensor& projected_pairs) const;
};

TORCH_MODULE(GRITAttention);

}  // namespace graphtx
