// batch_norm_relu: y = ReLU(BN(x)) (+ r), BatchNorm over the rows of x [R, C] followed by ReLU and
// an optional residual r [R, C], as one differentiable kernel using a MaskedBatchNorm's parameters
// and running statistics (every row real). Training uses the batch statistics (biased variance to
// normalise, unbiased for the running estimate), evaluation the running ones. Column sums are
// accumulated in double over fixed 512-row chunks added in order: results do not depend on the
// thread count. Cost: 2 passes over x forward, 2 backward; saves nothing of size R C but x.
#pragma once

#include "layers/masked_batch_norm.hpp"

#include <torch/torch.h>

namespace graphtx {

// residual may be undefined. Fewer than two rows in training fall back to the composed ops.
torch::Tensor batch_norm_relu(const torch::Tensor& x, const torch::Tensor& residual, MaskedBatchNormImpl& norm);

}  // namespace graphtx
