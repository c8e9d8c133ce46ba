#include "layers/batch_norm_relu_residual.hpp"

#include "graph/errors.hpp"
#include "layers/batch_norm_kernels.hpp"

#include <string>
#include <tuple>
#include <vector>

namespace graphtx {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;
using namespace batch_norm_kernels;

// The row kernels take restrict-qualified rows so that GCC vectorizes them.
// sum += u - s0 and squares += (u - s0)² (shifted by the first row: no cancellation).
template <typename T>
void add_moments(const T* __restrict u, const T* __restrict s0, T* __restrict sum, T* __restrict squares,
                 int64_t cols) {
  for (int64_t c = 0; c < cols; ++c) {
    const T v = u[c] - s0[c];
    sum[c] += v;
    squares[c] += v * v;
  }
}

template <typename T>
void output_row(const T* __restrict r, const T* __restrict u, const T* __restrict mu, const T* __restrict scale,
                const T* __restrict beta, T* __restrict y, int64_t cols) {
  for (int64_t c = 0; c < cols; ++c) {
    const T z = (u[c] - mu[c]) * scale[c] + beta[c];
    y[c] = r[c] + (z > T(0) ? z : T(0));
  }
}

// With g' = g where (u - μ) scale + β > 0, else 0: sum_g += g' and sum_gx += g' (u - μ) invstd.
template <typename T>
void add_gradient_moments(const T* __restrict u, const T* __restrict g, const T* __restrict mu,
                          const T* __restrict scale, const T* __restrict beta, const T* __restrict invstd,
                          T* __restrict sum_g, T* __restrict sum_gx, int64_t cols) {
  for (int64_t c = 0; c < cols; ++c) {
    const T centred = u[c] - mu[c];
    const T gc = g[c];  // loaded unconditionally: the select then vectorizes
    const T gp = centred * scale[c] + beta[c] > T(0) ? gc : T(0);
    sum_g[c] += gp;
    sum_gx[c] += gp * centred * invstd[c];
  }
}

// gu = k_g g' + k_x (u - μ) + k_0.
template <typename T>
void gradient_row(const T* __restrict u, const T* __restrict g, const T* __restrict mu, const T* __restrict scale,
                  const T* __restrict beta, const T* __restrict k_g, const T* __restrict k_x,
                  const T* __restrict k_0, T* __restrict gu, int64_t cols) {
  for (int64_t c = 0; c < cols; ++c) {
    const T centred = u[c] - mu[c];
    const T gc = g[c];  // loaded unconditionally: the select then vectorizes
    const T gp = centred * scale[c] + beta[c] > T(0) ? gc : T(0);
    gu[c] = k_g[c] * gp + k_x[c] * centred + k_0[c];
  }
}

struct BatchNormReluResidual : torch::autograd::Function<BatchNormReluResidual> {
  // weight/bias hold 1/0 when the norm is not affine (their gradients are then dropped).
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& r_in, const torch::Tensor& u_in,
                               const torch::Tensor& weight, const torch::Tensor& bias, const torch::Tensor& running_mean,
                               const torch::Tensor& running_var, bool training, double momentum, double eps) {
    const int64_t rows = u_in.size(0), cols = u_in.size(1);
    const torch::Tensor r = r_in.contiguous(), u = u_in.contiguous();
    torch::Tensor mean, var;
    if (training) {
      AT_DISPATCH_FLOATING_TYPES(u.scalar_type(), "batch_norm_relu_residual_stats", [&] {
        const scalar_t* ud = u.data_ptr<scalar_t>();
        const std::vector<scalar_t> s0(ud, ud + cols);
        const std::vector<double> sums = column_sums<scalar_t>(rows, cols, [&](int64_t row, scalar_t* sum, scalar_t* squares) {
          add_moments(ud + row * cols, s0.data(), sum, squares, cols);
        });
        std::tie(mean, var) = batch_moments(sums, s0, rows, running_mean, running_var, momentum);
      });
    } else {
      mean = running_mean.to(torch::kFloat64);
      var = running_var.to(torch::kFloat64);
    }
    const torch::Tensor invstd = (var + eps).rsqrt();
    // z = (u - μ) scale + β with scale = γ invstd, each rounded to u's type once.
    const torch::Tensor mu = mean.to(u.scalar_type());
    const torch::Tensor scale = (weight.to(torch::kFloat64) * invstd).to(u.scalar_type());
    const torch::Tensor beta = bias.to(u.scalar_type()).contiguous();
    torch::Tensor out = torch::empty({rows, cols}, u.options());
    AT_DISPATCH_FLOATING_TYPES(u.scalar_type(), "batch_norm_relu_residual", [&] {
      const scalar_t* rd = r.data_ptr<scalar_t>();
      const scalar_t* ud = u.data_ptr<scalar_t>();
      scalar_t* o = out.data_ptr<scalar_t>();
      at::parallel_for(0, rows, kChunk, [&](int64_t begin, int64_t end) {
        for (int64_t row = begin; row < end; ++row)
          output_row(rd + row * cols, ud + row * cols, mu.data_ptr<scalar_t>(), scale.data_ptr<scalar_t>(),
                     beta.data_ptr<scalar_t>(), o + row * cols, cols);
      });
    });
    ctx->saved_data["training"] = training;
    ctx->save_for_backward({u, weight, invstd, mu, scale, beta});
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor &u = saved[0], &invstd = saved[2];
    const torch::Tensor g = grads[0].contiguous();
    const bool training = ctx->saved_data["training"].toBool();
    const int64_t rows = u.size(0), cols = u.size(1);
    torch::Tensor gu = torch::empty_like(u);
    std::vector<double> sums;
    AT_DISPATCH_FLOATING_TYPES(u.scalar_type(), "batch_norm_relu_residual_backward", [&] {
      const scalar_t* ud = u.data_ptr<scalar_t>();
      const scalar_t* gd = g.data_ptr<scalar_t>();
      const scalar_t* mu = saved[3].data_ptr<scalar_t>();
      const scalar_t* scale = saved[4].data_ptr<scalar_t>();
      const scalar_t* beta = saved[5].data_ptr<scalar_t>();
      const torch::Tensor invstd_t = invstd.to(u.scalar_type());
      const scalar_t* ist = invstd_t.data_ptr<scalar_t>();
      sums = column_sums<scalar_t>(rows, cols, [&](int64_t row, scalar_t* sum_g, scalar_t* sum_gx) {
        add_gradient_moments(ud + row * cols, gd + row * cols, mu, scale, beta, ist, sum_g, sum_gx, cols);
      });
      std::vector<scalar_t> k_g, k_x, k_0;
      gradient_coefficients(sums, saved[1], invstd, rows, training, k_g, k_x, k_0);
      scalar_t* out = gu.data_ptr<scalar_t>();
      at::parallel_for(0, rows, kChunk, [&](int64_t begin, int64_t end) {
        for (int64_t row = begin; row < end; ++row)
          gradient_row(ud + row * cols, gd + row * cols, mu, scale, beta, k_g.data(), k_x.data(), k_0.data(),
                       out + row * cols, cols);
      });
    });
    const auto [g_weight, g_bias] = affine_gradients(sums, cols, u.scalar_type());
    return {ctx->needs_input_grad(0) ? grads[0] : torch::Tensor(),
            ctx->needs_input_grad(1) ? gu : torch::Tensor(),
            ctx->needs_input_grad(2) ? g_weight : torch::Tensor(),
            ctx->needs_input_grad(3) ? g_bias : torch::Tensor(),
            torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor batch_norm_relu_residual(const torch::Tensor& r, const torch::Tensor& u, MaskedBatchNormImpl& norm) {
  const int64_t cols = norm.options.num_features();
  if (u.dim() != 2 || u.size(1) != cols)
    throw UsageError("batch_norm_relu_residual: u must have shape [R, " + std::to_string(cols) + "]");
  if (!r.sizes().equals(u.sizes()) || r.scalar_type() != u.scalar_type())
    throw UsageError("batch_norm_relu_residual: r must have the shape and type of u");
  const bool training = norm.is_training();
  if (training && u.size(0) < 2) return r + torch::relu(norm.forward(u));
  const torch::Tensor weight = norm.weight.defined() ? norm.weight : torch::ones({cols}, u.options());
  const torch::Tensor bias = norm.bias.defined() ? norm.bias : torch::zeros({cols}, u.options());
  return BatchNormReluResidual::apply(r, u, weight, bias, norm.running_mean, norm.running_var, training,
                                      norm.options.momentum(), norm.options.eps());
}

}  // namespace graphtx
