#include "layers/masked_batch_norm.hpp"

#include "graph/errors.hpp"

#include <string>

namespace graphtx {

torch::Tensor masked_batch_norm(const torch::Tensor& input, const torch::Tensor& mask,
                                const torch::Tensor& running_mean, const torch::Tensor& running_var,
                                const torch::Tensor& weight, const torch::Tensor& bias, bool training,
                                double momentum, double eps) {
  if (input.dim() < 1) throw UsageError("masked_batch_norm: input needs a feature dimension");
  const int64_t channels = input.size(-1);
  const torch::Tensor rows = input.reshape({-1, channels});
  torch::Tensor real_mask;
  if (mask.defined()) {
    if (mask.numel() * channels != input.numel())
      throw UsageError("masked_batch_norm: mask has " + std::to_string(mask.numel()) + " entries for " +
                       std::to_string(rows.size(0)) + " rows");
    real_mask = mask.reshape({-1}).to(torch::kBool);
  }
  const torch::Tensor real = real_mask.defined() ? rows.index({real_mask}) : rows;
  const int64_t count = real.size(0);

  torch::Tensor mean, var;
  if (training) {
    if (count == 0) return torch::zeros_like(input);
    mean = real.mean(0);
    var = (real - mean).pow(2).mean(0);
    if (running_mean.defined() && running_var.defined()) {
      torch::NoGradGuard no_grad;
      const double unbias = count > 1 ? static_cast<double>(count) / static_cast<double>(count - 1) : 1.0;
      running_mean.mul_(1 - momentum).add_(mean.detach().to(running_mean.scalar_type()), momentum);
      running_var.mul_(1 - momentum).add_(var.detach().to(running_var.scalar_type()) * unbias, momentum);
    }
  } else {
    mean = running_mean;
    var = running_var;
  }
  torch::Tensor out = (rows - mean) * torch::rsqrt(var + eps);
  if (weight.defined()) out = out * weight;
  if (bias.defined()) out = out + bias;
  if (real_mask.defined()) out = out * real_mask.unsqueeze(1).to(out.scalar_type());
  return out.reshape(input.sizes());
}

MaskedBatchNormImpl::MaskedBatchNormImpl(const MaskedBatchNormOptions& options_) : options(options_) { reset(); }

void MaskedBatchNormImpl::reset() {
  const int64_t c = options.num_features();
  if (options.affine()) {
    weight = register_parameter("weight", torch::ones({c}));
    bias = register_parameter("bias", torch::zeros({c}));
  }
  running_mean = register_buffer("running_mean", torch::zeros({c}));
  running_var = register_buffer("running_var", torch::ones({c}));
}

torch::Tensor MaskedBatchNormImpl::forward(const torch::Tensor& input, const torch::Tensor& mask) {
  return masked_batch_norm(input, mask, running_mean, running_var, weight, bias, is_training(),
                           options.momentum(), options.eps());
}

}  // namespace graphtx
