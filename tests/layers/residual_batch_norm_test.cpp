// residual_batch_norm against MaskedBatchNorm(x + u) in double: values, gradients, running
// statistics in training and evaluation; finite differences; the one-row fallback; 1 vs 2 threads.
#include "layers/residual_batch_norm.hpp"
#include "twin_norms.hpp"

#include <catch2/catch.hpp>

#include <utility>
#include <vector>

using namespace graphtx;
using graphtx::testing::twin_norms;

namespace {

const auto kDouble = torch::TensorOptions().dtype(torch::kFloat64);

}  // namespace

TEST_CASE("residual_batch_norm equals BatchNorm(x + u): values, gradients and running statistics, "
          "training and evaluation", "[layers]") {
  torch::manual_seed(41);
  const int64_t rows = 1300, cols = 7;  // three 512-row chunks, the last one partial
  // Column 3 of x + u is constant (variance 0), column 5 has a large offset.
  torch::Tensor x0 = torch::randn({rows, cols}, kDouble), u0 = torch::randn({rows, cols}, kDouble);
  x0.select(1, 3).fill_(2.5);
  u0.select(1, 3).fill_(-1.0);
  x0.select(1, 5).add_(1e3);
  const torch::Tensor weights = torch::randn({rows, cols}, kDouble);
  for (const bool training : {true, false}) {
    INFO("training " << training);
    auto [fused_norm, plain_norm] = twin_norms(cols);
    fused_norm->train(training);
    plain_norm->train(training);
    const torch::Tensor x = x0.clone().set_requires_grad(true), u = u0.clone().set_requires_grad(true);
    const torch::Tensor fused = residual_batch_norm(x, u, *fused_norm);
    const torch::Tensor plain = plain_norm(x + u);
    CHECK(torch::allclose(fused, plain, 1e-10, 1e-10));
    CHECK(torch::isfinite(fused).all().item<bool>());
    CHECK(torch::allclose(fused_norm->running_mean, plain_norm->running_mean, 1e-12, 1e-12));
    CHECK(torch::allclose(fused_norm->running_var, plain_norm->running_var, 1e-12, 1e-12));
    const auto gf = torch::autograd::grad({(fused * weights).sum()}, {x, u, fused_norm->weight, fused_norm->bias});
    const auto gp = torch::autograd::grad({(plain * weights).sum()}, {x, u, plain_norm->weight, plain_norm->bias});
    for (size_t i = 0; i < gf.size(); ++i) {
      INFO("gradient " << i);
      CHECK(torch::allclose(gf[i], gp[i], 1e-9, 1e-9));
    }
  }
}

TEST_CASE("residual_batch_norm: finite differences in double, one-row fallback, thread-count independence",
          "[layers]") {
  torch::manual_seed(42);
  auto [norm, unused] = twin_norms(3);
  const torch::Tensor x = torch::randn({9, 3}, kDouble), u = torch::randn({9, 3}, kDouble);
  const torch::Tensor weights = torch::randn({9, 3}, kDouble);
  const torch::Tensor xl = x.clone().set_requires_grad(true), ul = u.clone().set_requires_grad(true);
  const auto analytic = torch::autograd::grad({(residual_batch_norm(xl, ul, *norm).pow(3) * weights).sum()},
                                              {xl, ul, norm->weight, norm->bias});
  const auto loss = [&](const torch::Tensor& a, const torch::Tensor& b) {
    return (residual_batch_norm(a, b, *norm).pow(3) * weights).sum().item<double>();
  };
  const double h = 1e-6;
  for (int64_t k = 0; k < x.numel(); ++k) {
    torch::Tensor up = x.clone(), down = x.clone();
    up.view(-1)[k] += h;
    down.view(-1)[k] -= h;
    const double numeric = (loss(up, u) - loss(down, u)) / (2 * h);
    CHECK(analytic[0].view(-1)[k].item<double>() == Approx(numeric).margin(1e-6));
    CHECK(analytic[1].view(-1)[k].item<double>() == Approx(numeric).margin(1e-6));
  }
  for (const int which : {2, 3}) {
    const torch::Tensor param = which == 2 ? norm->weight : norm->bias;
    for (int64_t k = 0; k < param.numel(); ++k) {
      const double saved = param[k].item<double>();
      torch::NoGradGuard no_grad;
      param[k].fill_(saved + h);
      const double up = loss(x, u);
      param[k].fill_(saved - h);
      const double down = loss(x, u);
      param[k].fill_(saved);
      CHECK(analytic[static_cast<size_t>(which)][k].item<double>() == Approx((up - down) / (2 * h)).margin(1e-6));
    }
  }
  // One row in training: the composed ops (BatchNorm of one row is its bias).
  const torch::Tensor one = residual_batch_norm(torch::randn({1, 3}, kDouble), torch::randn({1, 3}, kDouble), *norm);
  CHECK(one.equal(norm->bias.detach().unsqueeze(0)));

  MaskedBatchNorm big{MaskedBatchNormOptions(64)};
  const torch::Tensor xb = torch::randn({5000, 64}).set_requires_grad(true), ub = torch::randn({5000, 64});
  auto run = [&](int threads) {
    torch::set_num_threads(threads);
    const torch::Tensor y = residual_batch_norm(xb, ub, *big);
    const auto g = torch::autograd::grad({y.pow(2).sum()}, {xb, big->weight, big->bias});
    return std::vector<torch::Tensor>{y, g[0], g[1], g[2], big->running_mean.clone(), big->running_var.clone()};
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
