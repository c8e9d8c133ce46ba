// relu_mlp: runs a Sequential of the form Linear, ReLU, [Dropout,] Linear (GINE's MLP, GPS's FFN) with
// the first Linear and the ReLU as one linear_relu, whose backward masks the gradient in its own pass.
// Any other Sequential runs unchanged. mlp is a module handle (shared). x [*, in] -> [*, out]. Cost: the two GEMMs.
#pragma once

#include <torch/torch.h>

namespace graphtx {

torch::Tensor relu_mlp(torch::nn::Sequential mlp, const torch::Tensor& x);

}  // namespace graphtx
