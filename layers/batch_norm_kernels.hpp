// Internal to the fused BatchNorm kernels (residual_batch_norm, batch_norm_relu_residual): column
// sums over fixed 512-row chunks (in the rows' type within a chunk, so float rows vectorize; chunk
// partials added in double in chunk order: thread-count independent), batch moments with the
// running-statistics update, and the per-column coefficients of the BatchNorm backward.
#pragma once

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <vector>

namespace graphtx::batch_norm_kernels {

constexpr int64_t kChunk = 512;  // rows per partial column sum; fixed, so sums do not depend on threads

// Two sets of column sums over all rows: term(r, first, second) adds row r's terms to
// first[0..cols) and second[0..cols) in T; returns [first sums, second sums] in double.
template <typename T, typename Term>
std::vector<double> column_sums(int64_t rows, int64_t cols, const Term& term) {
  const int64_t n = (rows + kChunk - 1) / kChunk;
  std::vector<double> partial(static_cast<size_t>(n * 2 * cols), 0.0);
  at::parallel_for(0, n, 1, [&](int64_t begin, int64_t end) {
    std::vector<T> sums(static_cast<size_t>(2 * cols));
    for (int64_t ch = begin; ch < end; ++ch) {
      std::fill(sums.begin(), sums.end(), T(0));
      for (int64_t r = ch * kChunk; r < std::min(rows, (ch + 1) * kChunk); ++r) term(r, sums.data(), sums.data() + cols);
      std::copy(sums.begin(), sums.end(), partial.begin() + ch * 2 * cols);
    }
  });
  std::vector<double> total(static_cast<size_t>(2 * cols), 0.0);
  for (int64_t ch = 0; ch < n; ++ch)
    for (int64_t c = 0; c < 2 * cols; ++c) total[static_cast<size_t>(c)] += partial[static_cast<size_t>(ch * 2 * cols + c)];
  return total;
}

// Mean and biased variance [cols] (double) from shifted sums Σ(s - s0) and Σ(s - s0)² over rows;
// the running statistics get momentum-weighted mean and unbiased variance.
template <typename T>
std::pair<torch::Tensor, torch::Tensor> batch_moments(const std::vector<double>& sums, const std::vector<T>& s0,
                                                      int64_t rows, const torch::Tensor& running_mean,
                                                      const torch::Tensor& running_var, double momentum) {
  const auto cols = static_cast<int64_t>(s0.size());
  torch::Tensor mean = torch::empty({cols}, torch::kFloat64), var = torch::empty({cols}, torch::kFloat64);
  double* m = mean.data_ptr<double>();
  double* v = var.data_ptr<double>();
  for (int64_t c = 0; c < cols; ++c) {
    const double shifted = sums[static_cast<size_t>(c)] / static_cast<double>(rows);
    m[c] = static_cast<double>(s0[static_cast<size_t>(c)]) + shifted;
    v[c] = std::max(sums[static_cast<size_t>(cols + c)] / static_cast<double>(rows) - shifted * shifted, 0.0);
  }
  torch::NoGradGuard no_grad;
  running_mean.mul_(1 - momentum).add_(mean.to(running_mean.scalar_type()), momentum);
  running_var.mul_(1 - momentum)
      .add_((var * (static_cast<double>(rows) / static_cast<double>(rows - 1))).to(running_var.scalar_type()), momentum);
  return {mean, var};
}

// Input gradient of y = (s - μ) γ invstd + β per column as k_g g + k_x (s - μ) + k_0 from
// sums = [Σ g, Σ g ŝ]: γ invstd (g - Σg / R - ŝ Σ g ŝ / R) in training, γ invstd g in evaluation.
template <typename T>
void gradient_coefficients(const std::vector<double>& sums, const torch::Tensor& weight, const torch::Tensor& invstd,
                           int64_t rows, bool training, std::vector<T>& k_g, std::vector<T>& k_x, std::vector<T>& k_0) {
  const torch::Tensor gamma = weight.to(torch::kFloat64).contiguous();
  const double* gm = gamma.data_ptr<double>();
  const double* is = invstd.data_ptr<double>();
  const auto cols = static_cast<size_t>(invstd.size(0));
  k_g.resize(cols);
  k_x.resize(cols);
  k_0.resize(cols);
  for (size_t c = 0; c < cols; ++c) {
    const double gi = gm[c] * is[c];
    const double mean_g = training ? sums[c] / static_cast<double>(rows) : 0.0;
    const double mean_gx = training ? sums[c + cols] / static_cast<double>(rows) : 0.0;
    k_g[c] = static_cast<T>(gi);
    k_x[c] = static_cast<T>(-gi * mean_gx * is[c]);
    k_0[c] = static_cast<T>(-gi * mean_g);
  }
}

// Gradients of weight and bias from sums = [Σ g, Σ g ŝ], in type t (copies).
inline std::pair<torch::Tensor, torch::Tensor> affine_gradients(std::vector<double>& sums, int64_t cols,
                                                                torch::ScalarType t) {
  const auto column = torch::TensorOptions().dtype(torch::kFloat64);
  return {torch::from_blob(sums.data() + cols, {cols}, column).to(t, false, true),
          torch::from_blob(sums.data(), {cols}, column).to(t, false, true)};
}

}  // namespace graphtx::batch_norm_kernels
