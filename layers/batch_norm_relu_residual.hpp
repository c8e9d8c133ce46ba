// batch_norm_relu_residual: y = r + ReLU(BN(u)), the post-norm residual of GatedGCN (and of GNN
// layers shaped like it), as one differentiable kernel over rows [R, C] using a MaskedBatchNorm's
// parameters and running statistics (every row real). Training normalises with the batch
// statistics (biased variance; the running variance gets the unbiased one), evaluation with the
// running ones; the ReLU passes gradient where BN(u) > 0, as torch::relu. Column sums as in
// residual_batch_norm (thread-count independent). Cost: 2 passes forward, 2 backward.
#pragma once

#include "layers/masked_batch_norm.hpp"

#include <torch/torch.h>

namespace graphtx {

// r and u of one shape [R, C] and type; fewer than two rows in training fall back to the composed ops.
torch::Tensor batch_norm_relu_residual(const torch::Tensor& r, const torch::Tensor& u, MaskedBatchNormImpl& norm);

}  // namespace graphtx
