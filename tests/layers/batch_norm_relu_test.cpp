#include "layers/batch_norm_relu.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace graphtx;

namespace {

const auto kDouble = torch::TensorOptions().dtype(torch::kFloat64);

// Two norms with the same random affine parameters and running statistics, in double.
std::pair<MaskedBatchNorm, MaskedBatchNorm> twin_norms(int64_t c) {
  MaskedBatchNorm a{MaskedBatchNormOptions(c)}, b{MaskedBatchNormOptions(c)};
  a->to(torch::kFloat64);
  b->to(torch::kFloat64);
  torch::NoGradGuard no_grad;
  a->weight.copy_(torch::rand({c}, kDouble) + 0.5);
  a->bias.copy_(torch::randn({c}, kDouble));
  a->running_mean.copy_(torch::randn({c}, kDouble));
  a->running_var.copy_(torch::rand({c}, kDouble) + 0.5);
  for (const auto& item : a->named_parameters()) b->named_parameters()[item.key()].copy_(item.value());
  for (const auto& item : a->named_buffers()) b->named_buffers()[item.key()].copy_(item.value());
  return {a, b};
}

}  // namespace

TEST_CASE("batch_norm_relu equals ReLU(BatchNorm(x)) + r: values, gradients and running statistics, "
          "training and evaluation", "[layers]") {
  torch::manual_seed(21);
  const int64_t rows = 1300, cols = 7;  // three 512-row chunks, the last one partial
  // Column 3 is constant (variance 0), column 5 has a large offset.
  torch::Tensor x0 = torch::randn({rows, cols}, kDouble);
  x0.select(1, 3).fill_(2.5);
  x0.select(1, 5).add_(1e3);
  const torch::Tensor r0 = torch::randn({rows, cols}, kDouble), weights = torch::randn({rows, cols}, kDouble);
  for (const bool training : {true, false}) {
    for (const bool with_residual : {true, false}) {
      auto [fused_norm, plain_norm] = twin_norms(cols);
      fused_norm->train(training);
      plain_norm->train(training);
      const torch::Tensor x = x0.clone().set_requires_grad(true), r = r0.clone().set_requires_grad(true);
      const torch::Tensor residual = with_residual ? r : torch::Tensor();
      const torch::Tensor fused = batch_norm_relu(x, residual, *fused_norm);
      torch::Tensor plain = torch::relu(plain_norm(x));
      if (with_residual) plain = plain + r;
      CHECK(torch::allclose(fused, plain, 1e-10, 1e-10));
      CHECK(torch::isfinite(fused).all().item<bool>());
      CHECK(torch::allclose(fused_norm->running_mean, plain_norm->running_mean, 1e-12, 1e-12));
      CHECK(torch::allclose(fused_norm->running_var, plain_norm->running_var, 1e-12, 1e-12));
      std::vector<torch::Tensor> inputs{x, fused_norm->weight, fused_norm->bias};
      std::vector<torch::Tensor> plain_inputs{x, plain_norm->weight, plain_norm->bias};
      if (with_residual) {
        inputs.push_back(r);
        plain_inputs.push_back(r);
      }
      const auto gf = torch::autograd::grad({(fused * weights).sum()}, inputs);
      const auto gp = torch::autograd::grad({(plain * weights).sum()}, plain_inputs);
      for (size_t i = 0; i < gf.size(); ++i) CHECK(torch::allclose(gf[i], gp[i], 1e-9, 1e-9));
    }
  }
}

TEST_CASE("batch_norm_relu: finite differences in double, one-row fallback, thread-count independence", "[layers]") {
  torch::manual_seed(22);
  auto [norm, unused] = twin_norms(3);
  const torch::Tensor x = torch::randn({9, 3}, kDouble), weights = torch::randn({9, 3}, kDouble);
  const torch::Tensor xl = x.clone().set_requires_grad(true);
  const torch::Tensor analytic = torch::autograd::grad({(batch_norm_relu(xl, {}, *norm) * weights).sum()}, {xl})[0];
  const double h = 1e-6;
  for (int64_t k = 0; k < x.numel(); ++k) {
    torch::Tensor up = x.clone(), down = x.clone();
    up.view(-1)[k] += h;
    down.view(-1)[k] -= h;
    const double numeric =
        ((batch_norm_relu(up, {}, *norm) - batch_norm_relu(down, {}, *norm)) * weights).sum().item<double>() / (2 * h);
    CHECK(analytic.view(-1)[k].item<double>() == Approx(numeric).margin(1e-7));
  }
  // One row in training: the composed ops (BatchNorm of one row is its bias).
  const torch::Tensor one = batch_norm_relu(torch::randn({1, 3}, kDouble), {}, *norm);
  CHECK(one.equal(torch::relu(norm->bias.detach()).unsqueeze(0)));

  MaskedBatchNorm big{MaskedBatchNormOptions(64)};
  const torch::Tensor xb = torch::randn({5000, 64}).set_requires_grad(true);
  auto run = [&](int threads) {
    torch::set_num_threads(threads);
    const torch::Tensor y = batch_norm_relu(xb, {}, *big);
    return std::vector<torch::Tensor>{y, torch::autograd::grad({y.pow(2).sum()}, {xb, big->weight, big->bias})[0]};
  };
  const int threads = torch::get_num_threads();
  const auto one_thread = run(1);
  const auto two_threads = run(2);
  torch::set_num_threads(threads);
  CHECK(one_thread[0].equal(two_threads[0]));
  CHECK(one_thread[1].equal(two_threads[1]));
}
