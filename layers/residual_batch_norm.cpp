#include "layers/residual_batch_norm.hpp"

#include "graph/errors.hpp"
#include "layers/batch_norm_kernels.hpp"

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

namespace graphtx {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;
using namespace batch_norm_kernels;

// The row kernels take restrict-qualified rows so that GCC vectorizes them.
// sum += s - s0 and squares += (s - s0)² for s = x + u (shifted by the first row: no cancellation).
template <typename T>
void add_moments(const T* __restrict x, const T* __restrict u, const T* __restrict s0, T* __restrict sum,
                 T* __restrict squares, int64_t cols) {
  for (int64_t c = 0; c < cols; ++c) {
    const T v = x[c] + u[c] - s0[c];
    sum[c] += v;
    squares[c] += v * v;
  }
}

template <typename T>
void normalize_row(const T* __restrict x, const T* __restrict u, const T* __restrict mu, const T* __restrict scale,
                   const T* __restrict beta, T* __restrict y, int64_t cols) {
  for (int64_t c = 0; c < cols; ++c) y[c] = (x[c] + u[c] - mu[c]) * scale[c] + beta[c];
}

// sum_g += g and sum_gx += g x̂ with x̂ = (x + u - mean) invstd.
template <typename T>
void add_gradient_moments(const T* __restrict x, const T* __restrict u, const T* __restrict g, const T* __restrict mu,
                          const T* __restrict invstd, T* __restrict sum_g, T* __restrict sum_gx, int64_t cols) {
  for (int64_t c = 0; c < cols; ++c) {
    sum_g[c] += g[c];
    sum_gx[c] += g[c] * (x[c] + u[c] - mu[c]) * invstd[c];
  }
}

// gs = k_g g + k_x (x + u - μ) + k_0.
template <typename T>
void gradient_row(const T* __restrict x, const T* __restrict u, const T* __restrict g, const T* __restrict mu,
                  const T* __restrict k_g, const T* __restrict k_x, const T* __restrict k_0, T* __restrict gs,
                  int64_t cols) {
  for (int64_t c = 0; c < cols; ++c) gs[c] = k_g[c] * g[c] + k_x[c] * (x[c] + u[c] - mu[c]) + k_0[c];
}

struct ResidualBatchNorm : torch::autograd::Function<ResidualBatchNorm> {
  // weight/bias hold 1/0 when the norm is not affine (their gradients are then dropped).
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x_in, const torch::Tensor& u_in,
                               const torch::Tensor& weight, const torch::Tensor& bias, const torch::Tensor& running_mean,
                               const torch::Tensor& running_var, bool training, double momentum, double eps) {
    const int64_t rows = x_in.size(0), cols = x_in.size(1);
    const torch::Tensor x = x_in.contiguous(), u = u_in.contiguous();
    torch::Tensor mean, var;
    if (training) {
      AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "residual_batch_norm_stats", [&] {
        const scalar_t* xd = x.data_ptr<scalar_t>();
        const scalar_t* ud = u.data_ptr<scalar_t>();
        std::vector<scalar_t> s0(static_cast<size_t>(cols));
        for (int64_t c = 0; c < cols; ++c) s0[static_cast<size_t>(c)] = xd[c] + ud[c];
        const std::vector<double> sums = column_sums<scalar_t>(rows, cols, [&](int64_t r, scalar_t* sum, scalar_t* squares) {
          add_moments(xd + r * cols, ud + r * cols, s0.data(), sum, squares, cols);
        });
        std::tie(mean, var) = batch_moments(sums, s0, rows, running_mean, running_var, momentum);
      });
    } else {
      mean = running_mean.to(torch::kFloat64);
      var = running_var.to(torch::kFloat64);
    }
    const torch::Tensor invstd = (var + eps).rsqrt();
    // y = (x + u - μ) scale + β with scale = γ invstd, each rounded to x's type once.
    const torch::Tensor mu = mean.to(x.scalar_type());
    const torch::Tensor scale = (weight.to(torch::kFloat64) * invstd).to(x.scalar_type());
    const torch::Tensor beta = bias.to(x.scalar_type()).contiguous();
    torch::Tensor out = torch::empty({rows, cols}, x.options());
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "residual_batch_norm", [&] {
      const scalar_t* xd = x.data_ptr<scalar_t>();
      const scalar_t* ud = u.data_ptr<scalar_t>();
      scalar_t* o = out.data_ptr<scalar_t>();
      at::parallel_for(0, rows, kChunk, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r)
          normalize_row(xd + r * cols, ud + r * cols, mu.data_ptr<scalar_t>(), scale.data_ptr<scalar_t>(),
                        beta.data_ptr<scalar_t>(), o + r * cols, cols);
      });
    });
    ctx->saved_data["training"] = training;
    ctx->save_for_backward({x, u, weight, mean, invstd, mu});
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor &x = saved[0], &u = saved[1], &invstd = saved[4];
    const torch::Tensor g = grads[0].contiguous();
    const bool training = ctx->saved_data["training"].toBool();
    const int64_t rows = x.size(0), cols = x.size(1);
    torch::Tensor gs = torch::empty_like(x);
    std::vector<double> sums;
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "residual_batch_norm_backward", [&] {
      const scalar_t* xd = x.data_ptr<scalar_t>();
      const scalar_t* ud = u.data_ptr<scalar_t>();
      const scalar_t* gd = g.data_ptr<scalar_t>();
      const scalar_t* mu = saved[5].data_ptr<scalar_t>();
      const torch::Tensor invstd_t = invstd.to(x.scalar_type());
      const scalar_t* ist = invstd_t.data_ptr<scalar_t>();
      sums = column_sums<scalar_t>(rows, cols, [&](int64_t r, scalar_t* sum_g, scalar_t* sum_gx) {
        add_gradient_moments(xd + r * cols, ud + r * cols, gd + r * cols, mu, ist, sum_g, sum_gx, cols);
      });
      std::vector<scalar_t> k_g, k_x, k_0;
      gradient_coefficients(sums, saved[2], invstd, rows, training, k_g, k_x, k_0);
      scalar_t* out = gs.data_ptr<scalar_t>();
      at::parallel_for(0, rows, kChunk, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r)
          gradient_row(xd + r * cols, ud + r * cols, gd + r * cols, mu, k_g.data(), k_x.data(), k_0.data(),
                       out + r * cols, cols);
      });
    });
    const auto [g_weight, g_bias] = affine_gradients(sums, cols, x.scalar_type());
    return {ctx->needs_input_grad(0) ? gs : torch::Tensor(),
            ctx->needs_input_grad(1) ? gs : torch::Tensor(),
            ctx->needs_input_grad(2) ? g_weight : torch::Tensor(),
            ctx->needs_input_grad(3) ? g_bias : torch::Tensor(),
            torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor residual_batch_norm(const torch::Tensor& x, const torch::Tensor& u, MaskedBatchNormImpl& norm) {
  const int64_t cols = norm.options.num_features();
  if (x.dim() != 2 || x.size(1) != cols)
    throw UsageError("residual_batch_norm: x must have shape [R, " + std::to_string(cols) + "]");
  if (!u.sizes().equals(x.sizes()) || u.scalar_type() != x.scalar_type())
    throw UsageError("residual_batch_norm: u must have the shape and type of x");
  const bool training = norm.is_training();
  if (training && x.size(0) < 2) return norm.forward(x + u);
  const torch::Tensor weight = norm.weight.defined() ? norm.weight : torch::ones({cols}, x.options());
  const torch::Tensor bias = norm.bias.defined() ? norm.bias : torch::zeros({cols}, x.options());
  return ResidualBatchNorm::apply(x, u, weight, bias, norm.running_mean, norm.running_var, training,
                                  norm.options.momentum(), norm.options.eps());
}

}  // namespace graphtx
