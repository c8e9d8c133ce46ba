#include "layers/batch_norm_relu.hpp"

#include "graph/errors.hpp"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace graphtx {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

constexpr int64_t kChunk = 512;  // rows per partial column sum; fixed, so sums do not depend on threads

int64_t chunks(int64_t rows) { return (rows + kChunk - 1) / kChunk; }

// Two sets of column sums over all rows, in double: term(r, first, second) adds row r's terms to
// first[0..cols) and second[0..cols); partials per chunk, added in chunk order.
template <typename Term>
std::vector<double> column_sums(int64_t rows, int64_t cols, const Term& term) {
  const int64_t n = chunks(rows);
  std::vector<double> partial(static_cast<size_t>(n * 2 * cols), 0.0);
  at::parallel_for(0, n, 1, [&](int64_t begin, int64_t end) {
    for (int64_t ch = begin; ch < end; ++ch) {
      double* first = partial.data() + ch * 2 * cols;
      for (int64_t r = ch * kChunk; r < std::min(rows, (ch + 1) * kChunk); ++r) term(r, first, first + cols);
    }
  });
  std::vector<double> total(static_cast<size_t>(2 * cols), 0.0);
  for (int64_t ch = 0; ch < n; ++ch)
    for (int64_t c = 0; c < 2 * cols; ++c) total[static_cast<size_t>(c)] += partial[static_cast<size_t>(ch * 2 * cols + c)];
  return total;
}

struct BatchNormRelu : torch::autograd::Function<BatchNormRelu> {
  // weight/bias hold 1/0 when the norm is not affine (their gradients are then dropped).
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& residual,
                               const torch::Tensor& weight, const torch::Tensor& bias, const torch::Tensor& running_mean,
                               const torch::Tensor& running_var, bool training, double momentum, double eps) {
    const int64_t rows = x.size(0), cols = x.size(1);
    const torch::Tensor xc = x.contiguous();
    torch::Tensor mean, var;
    if (training) {
      AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "batch_norm_relu_stats", [&] {
        // Sums of x - x[0] (shifted by the first row, so large column offsets do not cancel).
        const scalar_t* data = xc.data_ptr<scalar_t>();
        const std::vector<double> sums =
            column_sums(rows, cols, [&](int64_t r, double* __restrict sum, double* __restrict squares) {
              const scalar_t* __restrict row = data + r * cols;
              const scalar_t* __restrict first = data;
              for (int64_t c = 0; c < cols; ++c) {
                const double v = static_cast<double>(row[c]) - static_cast<double>(first[c]);
                sum[c] += v;
                squares[c] += v * v;
              }
            });
        mean = torch::empty({cols}, torch::kFloat64);
        var = torch::empty({cols}, torch::kFloat64);
        double* m = mean.data_ptr<double>();
        double* v = var.data_ptr<double>();
        for (int64_t c = 0; c < cols; ++c) {
          const double shifted = sums[static_cast<size_t>(c)] / static_cast<double>(rows);
          m[c] = static_cast<double>(data[c]) + shifted;
          v[c] = std::max(sums[static_cast<size_t>(cols + c)] / static_cast<double>(rows) - shifted * shifted, 0.0);
        }
      });
      torch::NoGradGuard no_grad;
      running_mean.mul_(1 - momentum).add_(mean.to(running_mean.scalar_type()), momentum);
      running_var.mul_(1 - momentum)
          .add_((var * (static_cast<double>(rows) / static_cast<double>(rows - 1))).to(running_var.scalar_type()), momentum);
    } else {
      mean = running_mean.to(torch::kFloat64);
      var = running_var.to(torch::kFloat64);
    }
    const torch::Tensor invstd = (var + eps).rsqrt();
    // z = (x - μ) scale + β with scale = γ invstd, all three rounded to x's type once; the backward
    // recomputes ReLU's mask from the same expression.
    const torch::Tensor mu = mean.to(x.scalar_type());
    const torch::Tensor scale = (weight.to(torch::kFloat64) * invstd).to(x.scalar_type());
    const torch::Tensor beta = bias.to(x.scalar_type()).contiguous();
    torch::Tensor out = torch::empty({rows, cols}, x.options());
    const bool with_residual = residual.dim() == 2;
    const torch::Tensor rc = with_residual ? residual.contiguous() : residual;
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "batch_norm_relu", [&] {
      const scalar_t* __restrict m = mu.data_ptr<scalar_t>();
      const scalar_t* __restrict a = scale.data_ptr<scalar_t>();
      const scalar_t* __restrict b = beta.data_ptr<scalar_t>();
      const scalar_t* in = xc.data_ptr<scalar_t>();
      const scalar_t* res = with_residual ? rc.data_ptr<scalar_t>() : nullptr;
      scalar_t* o = out.data_ptr<scalar_t>();
      at::parallel_for(0, rows, kChunk, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
          const scalar_t* __restrict xr = in + r * cols;
          scalar_t* __restrict row_out = o + r * cols;
          if (res != nullptr) {
            const scalar_t* __restrict rr = res + r * cols;
            for (int64_t c = 0; c < cols; ++c) row_out[c] = std::max((xr[c] - m[c]) * a[c] + b[c], scalar_t(0)) + rr[c];
          } else {
            for (int64_t c = 0; c < cols; ++c) row_out[c] = std::max((xr[c] - m[c]) * a[c] + b[c], scalar_t(0));
          }
        }
      });
    });
    ctx->saved_data["training"] = training;
    ctx->save_for_backward({xc, weight, mean, invstd, mu, scale, beta});
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor& x = saved[0];
    const torch::Tensor g = grads[0].contiguous();
    const bool training = ctx->saved_data["training"].toBool();
    const int64_t rows = x.size(0), cols = x.size(1);
    const std::vector<double> mean(saved[2].data_ptr<double>(), saved[2].data_ptr<double>() + cols);
    const std::vector<double> invstd(saved[3].data_ptr<double>(), saved[3].data_ptr<double>() + cols);
    torch::Tensor gx = torch::empty_like(x);
    std::vector<double> sums;
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "batch_norm_relu_backward", [&] {
      const scalar_t* __restrict m = saved[4].data_ptr<scalar_t>();
      const scalar_t* __restrict a = saved[5].data_ptr<scalar_t>();
      const scalar_t* __restrict b = saved[6].data_ptr<scalar_t>();
      const scalar_t* in = x.data_ptr<scalar_t>();
      const scalar_t* gy = g.data_ptr<scalar_t>();
      // Σ gz and Σ gz x̂ per column, gz = g where z > 0.
      const double* __restrict mean_d = mean.data();
      const double* __restrict invstd_d = invstd.data();
      sums = column_sums(rows, cols, [&](int64_t r, double* __restrict sum_gz, double* __restrict sum_gzx) {
        const scalar_t* __restrict xr = in + r * cols;
        const scalar_t* __restrict gr = gy + r * cols;
        for (int64_t c = 0; c < cols; ++c) {
          const scalar_t v = xr[c];
          const scalar_t g = gr[c];  // loaded unconditionally: the select below vectorizes
          const double gz = (v - m[c]) * a[c] + b[c] > scalar_t(0) ? static_cast<double>(g) : 0.0;
          sum_gz[c] += gz;
          sum_gzx[c] += gz * (static_cast<double>(v) - mean_d[c]) * invstd_d[c];
        }
      });
      // gx = γ invstd (gz - Σgz / R - x̂ Σ gz x̂ / R) in training, γ invstd gz in evaluation; written
      // per column as k_gz gz + k_x (x - μ) + k_0.
      const torch::Tensor weight = saved[1].to(torch::kFloat64).contiguous();
      const double* gamma = weight.data_ptr<double>();
      std::vector<scalar_t> k_gz(static_cast<size_t>(cols)), k_x(static_cast<size_t>(cols)), k_0(static_cast<size_t>(cols));
      for (size_t c = 0; c < static_cast<size_t>(cols); ++c) {
        const double gi = gamma[c] * invstd[c];
        const double mean_gz = training ? sums[c] / static_cast<double>(rows) : 0.0;
        const double mean_gzx = training ? sums[static_cast<size_t>(cols) + c] / static_cast<double>(rows) : 0.0;
        k_gz[c] = static_cast<scalar_t>(gi);
        k_x[c] = static_cast<scalar_t>(-gi * mean_gzx * invstd[c]);
        k_0[c] = static_cast<scalar_t>(-gi * mean_gz);
      }
      const scalar_t* __restrict kg = k_gz.data();
      const scalar_t* __restrict kx = k_x.data();
      const scalar_t* __restrict k0 = k_0.data();
      scalar_t* out = gx.data_ptr<scalar_t>();
      at::parallel_for(0, rows, kChunk, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
          const scalar_t* __restrict xr = in + r * cols;
          const scalar_t* __restrict gr = gy + r * cols;
          scalar_t* __restrict o = out + r * cols;
          for (int64_t c = 0; c < cols; ++c) {
            const scalar_t centred = xr[c] - m[c];
            const scalar_t g = gr[c];
            const scalar_t gz = centred * a[c] + b[c] > scalar_t(0) ? g : scalar_t(0);
            o[c] = kg[c] * gz + kx[c] * centred + k0[c];
          }
        }
      });
    });
    const auto column = torch::TensorOptions().dtype(torch::kFloat64);
    // Copies: sums is local.
    const torch::Tensor g_bias = torch::from_blob(sums.data(), {cols}, column).to(x.scalar_type(), false, true);
    const torch::Tensor g_weight = torch::from_blob(sums.data() + cols, {cols}, column).to(x.scalar_type(), false, true);
    return {gx, ctx->needs_input_grad(1) ? g : torch::Tensor(), ctx->needs_input_grad(2) ? g_weight : torch::Tensor(),
            ctx->needs_input_grad(3) ? g_bias : torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor(),
            torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor batch_norm_relu(const torch::Tensor& x, const torch::Tensor& residual, MaskedBatchNormImpl& norm) {
  const int64_t cols = norm.options.num_features();
  if (x.dim() != 2 || x.size(1) != cols)
    throw UsageError("batch_norm_relu: x must have shape [R, " + std::to_string(cols) + "]");
  if (residual.defined() && !residual.sizes().equals(x.sizes()))
    throw UsageError("batch_norm_relu: the residual must have the shape of x");
  const bool training = norm.is_training();
  if (training && x.size(0) < 2) {
    const torch::Tensor y = torch::relu(norm.forward(x));
    return residual.defined() ? y + residual : y;
  }
  const torch::Tensor weight = norm.weight.defined() ? norm.weight : torch::ones({cols}, x.options());
  const torch::Tensor bias = norm.bias.defined() ? norm.bias : torch::zeros({cols}, x.options());
  return BatchNormRelu::apply(x, residual.defined() ? residual : torch::empty({0}, x.options()), weight, bias,
                              norm.running_mean, norm.running_var, training, norm.options.momentum(),
                              norm.options.eps());
}

}  // namespace graphtx
