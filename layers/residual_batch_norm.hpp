// residual_batch_norm: y = BN(x + u), a residual sum and the BatchNorm over its rows [R, C] as one
// differentiable kernel using a MaskedBatchNorm's parameters and running statistics (every row
// real). Training normalises with the batch statistics (biased variance; the running variance gets
// the unbiased one), evaluation with the running ones. x + u is never stored: each pass recomputes
// it. Column sums in x's type within fixed 512-row chunks, added in double in chunk order:
// thread-count independent.
// Cost: 2 passes over x and u forward, 2 backward; x and u share one gradient tensor.
#pragma once

#include "layers/masked_batch_norm.hpp"

#include <torch/torch.h>

namespace graphtx {

// Fewer than two rows in training fall back to the composed ops.
torch::Tensor residual_batch_norm(const torch::Tensor& x, const torch::Tensor& u, MaskedBatchNormImpl& norm);

}  // namespace graphtx
