#include "layers/masked_batch_norm.hpp"

#include "graph/errors.hpp"

#include <string>

namespace graphtx {

namespace {

// Batch norm of the rows [R, C], all real, written out op by op. Used for fewer than two rows in
// training, where ATen's running-variance update would divide by R - 1 = 0: no rows give zeros
// and the running statistics stay; one row is its own mean (output = bias) with variance 0.
torch::Tensor composed_batch_norm(const torch::Tensor& rows, const torch::Tensor& running_mean,
                                  const torch::Tensor& running_var, const torch::Tensor& weight,
                                  const torch::Tensor& bias, double momentum, double eps) {
  if (rows.size(0) == 0) return torch::zeros_like(rows);
  const torch::Tensor mean = rows.mean(0);
  const torch::Tensor var = (rows - mean).pow(2).mean(0);
  if (running_mean.defined() && running_var.defined()) {
    torch::NoGradGuard no_grad;
    running_mean.mul_(1 - momentum).add_(mean.detach().to(running_mean.scalar_type()), momentum);
    running_var.mul_(1 - momentum).add_(var.detach().to(running_var.scalar_type()), momentum);
  }
  torch::Tensor out = (rows - mean) * torch::rsqrt(var + eps);
  if (weight.defined()) out = out * weight;
  if (bias.defined()) out = out + bias;
  return out;
}

// Batch norm of rows [R, C] that are all real: ATen's fused kernel (one pass for the statistics,
// one for the output, a fused backward), except for fewer than two rows in training.
torch::Tensor real_batch_norm(const torch::Tensor& rows, const torch::Tensor& running_mean,
                              const torch::Tensor& running_var, const torch::Tensor& weight,
                              const torch::Tensor& bias, bool training, double momentum, double eps) {
  if (training && rows.size(0) < 2)
    return composed_batch_norm(rows, running_mean, running_var, weight, bias, momentum, eps);
  return torch::batch_norm(rows, weight, bias, running_mean, running_var, training, momentum, eps,
                           /*cudnn_enabled=*/false);
}

}  // namespace

torch::Tensor masked_batch_norm(const torch::Tensor& input, const torch::Tensor& mask,
                                const torch::Tensor& running_mean, const torch::Tensor& running_var,
                                const torch::Tensor& weight, const torch::Tensor& bias, bool training,
                                double momentum, double eps) {
  if (input.dim() < 1) throw UsageError("masked_batch_norm: input needs a feature dimension");
  const int64_t channels = input.size(-1);
  const torch::Tensor rows = input.reshape({-1, channels});
  if (!mask.defined())
    return real_batch_norm(rows, running_mean, running_var, weight, bias, training, momentum, eps)
        .reshape(input.sizes());
  if (mask.numel() * channels != input.numel())
    throw UsageError("masked_batch_norm: mask has " + std::to_string(mask.numel()) + " entries for " +
                     std::to_string(rows.size(0)) + " rows");
  // Padded rows take no part in the statistics and come out as 0.
  const torch::Tensor real_rows = mask.reshape({-1}).to(torch::kBool).nonzero().squeeze(1);
  const torch::Tensor normalized = real_batch_norm(rows.index_select(0, real_rows), running_mean, running_var,
                                                   weight, bias, training, momentum, eps);
  return torch::zeros_like(rows).index_copy(0, real_rows, normalized).reshape(input.sizes());
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
