// GRITLayer (Ma et al. 2023): GRIT attention, degree scaler, output maps, residuals, BatchNorm, FFN.
//   x̂, ê = GRITAttention(x, e);  x̂ ← θ1 ⊙ x̂ + θ2 ⊙ log(1 + deg_i) x̂  (deg of the original graph);
//   h = BN(x + Drop(O_h x̂)),  e = BN(e + Drop(O_e ê)),  h = BN(h + Drop(FFN(h)))  (FFN d -> 2d -> d).
//   forward (sparse GRIT):  x [N, d], pair_index [2, P] (row 0 = sender j, row 1 = receiver i),
//                           pairs [P, d], degree [N]                    -> (h [N, d], e [P, d])
//   forward_dense (full GRIT): x [N, d], ptr [B + 1], pairs [B, Nmax, Nmax, d] (pairs[b, i, j] = e_ij),
//                           degree [N]                                  -> (h [N, d], e [B, Nmax, Nmax, d])
//   BatchNorm statistics use real nodes and real pairs only; padded pairs stay 0. Residual + BatchNorm over
//   rows run as one fused kernel (residual_batch_norm). Cost as GRITAttention.
#pragma once

#include "layers/grit_attention.hpp"
#include "layers/linear.hpp"
#include "layers/masked_batch_norm.hpp"

#include <torch/torch.h>

#include <tuple>

namespace graphtx {

struct GRITLayerOptions {
  GRITLayerOptions(int64_t dim, int64_t heads) : dim_(dim), heads_(heads) {}
  TORCH_ARG(int64_t, dim);
  TORCH_ARG(int64_t, heads);
  TORCH_ARG(double, dropout) = 0.0;
  TORCH_ARG(double, attention_dropout) = 0.0;
  // Scale the attention output by θ1 + θ2 log(1 + deg).
  TORCH_ARG(bool, degree_scaler) = true;
};

class GRITLayerImpl : public torch::nn::Cloneable<GRITLayerImpl> {
 public:
  GRITLayerImpl(int64_t dim, int64_t heads) : GRITLayerImpl(GRITLayerOptions(dim, heads)) {}
  explicit GRITLayerImpl(const GRITLayerOptions& options);

  void reset() override;
  std::tuple<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x, const torch::Tensor& pair_index,
                                                   const torch::Tensor& pairs, const torch::Tensor& degree);
  std::tuple<torch::Tensor, torch::Tensor> forward_dense(const torch::Tensor& x, const torch::Tensor& ptr,
                                                         const torch::Tensor& pairs, const torch::Tensor& degree);

  GRITLayerOptions options;
  GRITAttention attention{nullptr};
  torch::Tensor degree_coefficients;  // [d, 2]: θ1, θ2
  Linear node_out{nullptr}, pair_out{nullptr};
  MaskedBatchNorm node_norm{nullptr}, pair_norm{nullptr}, ffn_norm{nullptr};
  torch::nn::Sequential ffn{nullptr};

 private:
  // Node stream after the attention: degree scaler, output map, residual, norm, FFN. [N, d].
  torch::Tensor update_nodes(const torch::Tensor& x, const torch::Tensor& attended, const torch::Tensor& degree);
  // Pair stream: output map, residual, norm over the pairs where mask is true (undefined = all).
  torch::Tensor update_pairs(const torch::Tensor& pairs, const torch::Tensor& updated, const torch::Tensor& mask);
};

TORCH_MODULE(GRITLayer);

}  // namespace graphtx
