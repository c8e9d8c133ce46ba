// MaskedBatchNorm: BatchNorm over the last dimension whose statistics use real entries only.
//   input [..., C] (e.g. [N, C] node rows or [B, Nmax, C] / [B, Nmax, Nmax, C] dense padding),
//   mask  [...] bool (true = real) or undefined (every entry real) -> output [..., C], with
//   padded entries set to 0. Running statistics as torch::nn::BatchNorm1d. Cost O(numel): ATen's
//   fused batch_norm on the real rows (all rows without a mask; gathered and scattered back with one).
#pragma once

#include <torch/torch.h>

namespace graphtx {

struct MaskedBatchNormOptions {
  explicit MaskedBatchNormOptions(int64_t num_features) : num_features_(num_features) {}
  TORCH_ARG(int64_t, num_features);
  TORCH_ARG(double, eps) = 1e-5;
  TORCH_ARG(double, momentum) = 0.1;
  TORCH_ARG(bool, affine) = true;
};

// Functional form. running_mean / running_var ([C], updated in place in training when defined)
// and weight / bias ([C], may be undefined) as in torch::batch_norm. In training the statistics
// of the real entries are used (biased variance for normalising, unbiased for the running
// estimate); a batch without real entries returns zeros and leaves the running statistics alone.
torch::Tensor masked_batch_norm(const torch::Tensor& input, const torch::Tensor& mask,
                                const torch::Tensor& running_mean, const torch::Tensor& running_var,
                                const torch::Tensor& weight, const torch::Tensor& bias, bool training,
                                double momentum, double eps);

class MaskedBatchNormImpl : public torch::nn::Cloneable<MaskedBatchNormImpl> {
 public:
  explicit MaskedBatchNormImpl(const MaskedBatchNormOptions& options);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& input, const torch::Tensor& mask = {});

  MaskedBatchNormOptions options;
  torch::Tensor weight, bias, running_mean, running_var;
};
TORCH_MODULE(MaskedBatchNorm);

}  // namespace graphtx
