// batch_norm_relu_residual against r + ReLU(MaskedBatchNorm(u)) in double: values, gradients,
// running statistics in training and evaluation; finite differences; the one-row fallback;
// 1 vs 2 threads bitwise.
#include "layers/batch_norm_relu_residual.hpp"
#include "twin_norms.hpp"

#include <catch2/catch.hpp>

#include <utility>
#include <vector>

using namespace graphtx;
using graphtx::testing::twin_norms;

namespace {

const auto kDouble = torch::TensorOptions().dtype(torch::kFloat64);

}  // namespace

TEST_CASE("batch_norm_relu_residual equals r + ReLU(BatchNorm(u)): values, gradients and running "
          "statistics, training and evaluation", "[layers]") {
  torch::manual_seed(43);
  const int64_t rows = 1300, cols = 7;  // three 512-row chunks, the last one partial
  // Column 3 of u is constant (variance 0: BN gives its bias), column 5 has a large offset.
  torch::Tensor r0 = torch::randn({rows, cols}, kDouble), u0 = torch::randn({rows, cols}, kDouble);
  u0.select(1, 3).fill_(-1.0);
  u0.select(1, 5).add_(1e3);
  const torch::Tensor weights = torch::randn({rows, cols}, kDouble);
  for (const bool training : {true, false}) {
    INFO("training " << training);
    auto [fused_norm, plain_norm] = twin_norms(cols);
    fused_norm->train(training);
    plain_norm->train(training);
    const torch::Tensor r = r0.clone().set_requires_grad(true), u = u0.clone().set_requires_grad(true);
    const torch::Tensor fused = batch_norm_relu_residual(r, u, *fused_norm);
    const torch::Tensor plain = r + torch::relu(plain_norm(u));
    CHECK(torch::allclose(fused, plain, 1e-10, 1e-10));
    CHECK(torch::allclose(fused_norm->running_mean, plain_norm->running_mean, 1e-12, 1e-12));
    CHECK(torch::allclose(fused_norm->running_var, plain_norm->running_var, 1e-12, 1e-12));
    // Both ReLU sides occur in every column but the constant one.
    CHECK(((plain - r) > 0).to(torch::kFloat64).mean().item<double>() > 0.05);
    CHECK(((plain - r) == 0).to(torch::kFloat64).mean().item<double>() > 0.05);
    const auto gf = torch::autograd::grad({(fused * weights).sum()}, {r, u, fused_norm->weight, fused_norm->bias});
    const auto gp = torch::autograd::grad({(plain * weights).sum()}, {r, u, plain_norm->weight, plain_norm->bias});
    for (size_t i = 0; i < gf.size(); ++i) {
      INFO("gradient " << i);
      CHECK(torch::allclose(gf[i], gp[i], 1e-9, 1e-9));
    }
  }
}

TEST_CASE("batch_norm_relu_residual: finite differences in double, one-row fallback, thread-count "
          "independence", "[layers]") {
  torch::manual_seed(44);
  auto [norm, unused] = twin_norms(3);
  const torch::Tensor r = torch::randn({9, 3}, kDouble), u = torch::randn({9, 3}, kDouble);
  const torch::Tensor weights = torch::randn({9, 3}, kDouble);
  const torch::Tensor rl = r.clone().set_requires_grad(true), ul = u.clone().set_requires_grad(true);
  const auto analytic = torch::autograd::grad({(batch_norm_relu_residual(rl, ul, *norm).pow(3) * weights).sum()},
                                              {rl, ul, norm->weight, norm->bias});
  const auto loss = [&](const torch::Tensor& a, const torch::Tensor& b) {
    return (batch_norm_relu_residual(a, b, *norm).pow(3) * weights).sum().item<double>();
  };
  const double h = 1e-6;
  for (const int which : {0, 1}) {
    for (int64_t k = 0; k < u.numel(); ++k) {
      torch::Tensor up = (which == 0 ? r : u).clone(), down = up.clone();
      up.view(-1)[k] += h;
      down.view(-1)[k] -= h;
      const double numeric = which == 0 ? (loss(up, u) - loss(down, u)) / (2 * h) : (loss(r, up) - loss(r, down)) / (2 * h);
      CHECK(analytic[static_cast<size_t>(which)].view(-1)[k].item<double>() == Approx(numeric).margin(1e-6));
    }
  }
  for (const int which : {2, 3}) {
    const torch::Tensor param = which == 2 ? norm->weight : norm->bias;
    for (int64_t k = 0; k < param.numel(); ++k) {
      const double saved = param[k].item<double>();
      torch::NoGradGuard no_grad;
      param[k].fill_(saved + h);
      const double up = loss(r, u);
      param[k].fill_(saved - h);
      const double down = loss(r, u);
      param[k].fill_(saved);
      CHECK(analytic[static_cast<size_t>(which)][k].item<double>() == Approx((up - down) / (2 * h)).margin(1e-6));
    }
  }
  // One row in training: the composed ops (BatchNorm of one row is its bias).
  const torch::Tensor r1 = torch::randn({1, 3}, kDouble);
  CHECK(batch_norm_relu_residual(r1, torch::randn({1, 3}, kDouble), *norm)
            .equal(r1 + torch::relu(norm->bias.detach()).unsqueeze(0)));

  MaskedBatchNorm big{MaskedBatchNormOptions(64)};
  const torch::Tensor rb = torch::randn({5000, 64}).set_requires_grad(true);
  const torch::Tensor ub = torch::randn({5000, 64}).set_requires_grad(true);
  auto run = [&](int threads) {
    torch::set_num_threads(threads);
    const torch::Tensor y = batch_norm_relu_residual(rb, ub, *big);
    const auto g = torch::autograd::grad({y.pow(2).sum()}, {rb, ub, big->weight, big->bias});
    return std::vector<torch::Tensor>{y, g[0], g[1], g[2], g[3], big->running_mean.clone(), big->running_var.clone()};
  };
  const int threads = torch::get_num_threads();
  const auto one_thread = run(1);
  {
    torch::NoGradGuard no_grad;
    big->running_mean.zero_();
    big->running_var.fill_(1);
  }
  const auto two_threads = run(2);
  torch::set_num_threads(threads);
  for (size_t i = 0; i < one_thread.size(); ++i) {
    INFO("tensor " << i);
    CHECK(one_thread[i].equal(two_threads[i]));
  }
}
