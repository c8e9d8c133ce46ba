// Linear: torch::nn::Linear (same options, parameters weight [out, in] and bias [out], same
// initialization) whose float GEMMs, forward and backward, run on oneDNN's sgemm (Debian's libdnnl,
// the library LibTorch links; its AVX2 kernels are 1.2-1.8x OpenBLAS on this CPU for [N, d] x [d, d']).
//   x [*, in] -> [*, out]. Other dtypes and empty shapes go through ATen's linear.
// linear_gemm is the same op on given tensors, linear_relu with the ReLU fused.
// Cost O(numel(x) out); bitwise equal for 1 and 2 threads.
#pragma once

#include <torch/torch.h>

namespace graphtx {

// y = x Wᵀ + b; bias may be undefined.
torch::Tensor linear_gemm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias = {});
// y = ReLU(x Wᵀ + b) as one op: the backward masks the gradient in its own pass (no threshold_backward).
torch::Tensor linear_relu(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias = {});

class LinearImpl : public torch::nn::LinearImpl {
 public:
  using torch::nn::LinearImpl::LinearImpl;
  torch::Tensor forward(const torch::Tensor& x) { return linear_gemm(x, weight, bias); }
};
TORCH_MODULE(Linear);

}  // namespace graphtx
