// GINEConv (Hu et al. 2020): h'_i = MLP((1 + ε) h_i + Σ_{j -> i} ReLU(h_j + e_ij)).
//   x [N, in], edge_index [2, E] int64 (row 0 = sender j, row 1 = receiver i), edge_attr [E, edge_dim]
//   -> [N, out]. When edge_dim != in, e_ij is first mapped to in features by a linear layer.
// MLP = Linear(in, out), ReLU, Linear(out, out). ε is fixed (eps) or learned (train_eps).
// Direction-aware: messages flow only along edges. Cost O(E in + N (in + out) out).
#pragma once

#include "layers/linear.hpp"

#include <torch/torch.h>

namespace graphtx {

struct GINEConvOptions {
  GINEConvOptions(int64_t in_channels, int64_t out_channels) : in_channels_(in_channels), out_channels_(out_channels) {}
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  // Edge feature width; 0 means the same as in_channels (no edge projection).
  TORCH_ARG(int64_t, edge_dim) = 0;
  // Initial value of ε.
  TORCH_ARG(double, eps) = 0.0;
  // Learn ε as a parameter.
  TORCH_ARG(bool, train_eps) = false;
};

class GINEConvImpl : public torch::nn::Cloneable<GINEConvImpl> {
 public:
  GINEConvImpl(int64_t in_channels, int64_t out_channels) : GINEConvImpl(GINEConvOptions(in_channels, out_channels)) {}
  explicit GINEConvImpl(const GINEConvOptions& options);

  void reset() override;
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& edge_index, const torch::Tensor& edge_attr);

  GINEConvOptions options;
  Linear edge_linear{nullptr};  // only when edge_dim != in_channels
  torch::nn::Sequential mlp{nullptr};
  torch::Tensor eps;  // scalar; a parameter when train_eps, else a buffer
};

TORCH_MODULE(GINEConv);

}  // namespace graphtx
