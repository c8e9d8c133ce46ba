// GCNConv (Kipf & Welling 2017): h' = D̃^{-1/2} Ã D̃^{-1/2} h W + b with Ã = A + I.
//   x [N, in] float, edge_index [2, E] int64 (row 0 = sender j, row 1 = receiver i),
//   edge_weight [E] (optional, non-negative; undefined = all ones)  ->  [N, out].
// Directed graphs: messages flow along edge direction j -> i and D̃ is the weighted in-degree + 1
// (PyG's convention); for a symmetric edge list this is the usual symmetric normalization.
// Cost O(E out + N in out) time; the propagation is one fused kernel (gcn_propagate), no [E, out] messages.
#pragma once

#include "layers/linear.hpp"

#include <torch/torch.h>

namespace graphtx {

struct GCNConvOptions {
  GCNConvOptions(int64_t in_channels, int64_t out_channels) : in_channels_(in_channels), out_channels_(out_channels) {}
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  // Learn an additive bias after the propagation.
  TORCH_ARG(bool, bias) = true;
};

class GCNConvImpl : public torch::nn::Cloneable<GCNConvImpl> {
 public:
  GCNConvImpl(int64_t in_channels, int64_t out_channels) : GCNConvImpl(GCNConvOptions(in_channels, out_channels)) {}
  explicit GCNConvImpl(const GCNConvOptions& options);

  void reset() override;
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& edge_index,
                        const torch::Tensor& edge_weight = {});

  GCNConvOptions options;
  Linear linear{nullptr};  // W, without bias
  torch::Tensor bias;                 // [out] or undefined
};

TORCH_MODULE(GCNConv);

}  // namespace graphtx
