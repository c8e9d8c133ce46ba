// GatedGCNLayer (Bresson & Laurent 2017, as in Dwivedi et al.'s benchmark):
//   ê_ij = D h_i + E h_j + C e_ij,  σ_ij = sigmoid(ê_ij),
//   h'_i = A h_i + Σ_{j -> i} σ_ij ⊙ B h_j / (Σ_{j -> i} σ_ij + 1e-6),
//   h_out = h + Drop(ReLU(BN(h'))),  e_out = e + Drop(ReLU(BN(ê)))   (BN and residual optional;
//   BN = MaskedBatchNorm, so one-node batches and batches without edges are fine; A has no bias
//   with BN, which would cancel it).
//   x [N, d], edge_index [2, E] int64 (row 0 = sender j, row 1 = receiver i), edge_attr [E, d]
//   -> (h [N, d], e [E, d]). Direction-aware. Cost O((N + E) d²).
#pragma once

#include "layers/linear.hpp"
#include "layers/masked_batch_norm.hpp"

#include <torch/torch.h>

#include <tuple>

namespace graphtx {

struct GatedGCNLayerOptions {
  explicit GatedGCNLayerOptions(int64_t dim) : dim_(dim) {}
  TORCH_ARG(int64_t, dim);
  TORCH_ARG(bool, batch_norm) = true;
  TORCH_ARG(bool, residual) = true;
  TORCH_ARG(double, dropout) = 0.0;
};

class GatedGCNLayerImpl : public torch::nn::Cloneable<GatedGCNLayerImpl> {
 public:
  explicit GatedGCNLayerImpl(int64_t dim) : GatedGCNLayerImpl(GatedGCNLayerOptions(dim)) {}
  explicit GatedGCNLayerImpl(const GatedGCNLayerOptions& options);

  void reset() override;
  std::tuple<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x, const torch::Tensor& edge_index,
                                                   const torch::Tensor& edge_attr);

  GatedGCNLayerOptions options;
  Linear A{nullptr}, B{nullptr}, C{nullptr}, D{nullptr}, E{nullptr};
  MaskedBatchNorm node_norm{nullptr}, edge_norm{nullptr};
};

TORCH_MODULE(GatedGCNLayer);

}  // namespace graphtx
