#include "layers/masked_batch_norm.hpp"
#include "layers/segment_ops.hpp"
#include "random_batches.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace graphtx;
using namespace graphtx::testing;

namespace {

const auto kDouble = torch::TensorOptions().dtype(torch::kFloat64);

}  // namespace

TEST_CASE("segment sum, mean, max and count against loops, empty segments give 0", "[layers]") {
  torch::manual_seed(1);
  const torch::Tensor src = torch::randn({7, 3}, kDouble);
  const torch::Tensor index = torch::tensor({2, 0, 2, 3, 0, 2, 3}, torch::kInt64);  // segment 1 and 4 empty
  const torch::Tensor sum = segment_sum(src, index, 5);
  const torch::Tensor mean = segment_mean(src, index, 5);
  const torch::Tensor max = segment_max(src, index, 5);
  CHECK(segment_count(index, 5).equal(torch::tensor({2, 0, 3, 2, 0}, torch::kInt64)));
  for (int64_t s = 0; s < 5; ++s) {
    const torch::Tensor rows = src.index({index == s});
    const torch::Tensor expected_sum = rows.size(0) ? rows.sum(0) : torch::zeros({3}, kDouble);
    const torch::Tensor expected_mean = rows.size(0) ? rows.mean(0) : torch::zeros({3}, kDouble);
    const torch::Tensor expected_max = rows.size(0) ? std::get<0>(rows.max(0)) : torch::zeros({3}, kDouble);
    CHECK(torch::allclose(sum[s], expected_sum));
    CHECK(torch::allclose(mean[s], expected_mean));
    CHECK(max[s].equal(expected_max));
  }
  CHECK_THROWS_AS(segment_sum(src, index.slice(0, 0, 3), 5), UsageError);
}

TEST_CASE("segment softmax matches a per-segment softmax and survives huge scores", "[layers]") {
  torch::manual_seed(2);
  const torch::Tensor scores = torch::randn({6, 2}, kDouble) * 3;
  const torch::Tensor index = torch::tensor({1, 1, 3, 1, 3, 0}, torch::kInt64);
  const torch::Tensor alpha = segment_softmax(scores, index, 5);
  for (int64_t s = 0; s < 5; ++s) {
    const torch::Tensor mask = index == s;
    if (mask.sum().item<int64_t>() == 0) continue;
    CHECK(torch::allclose(alpha.index({mask}), torch::softmax(scores.index({mask}), 0)));
  }
  // exp(1000) overflows without the max subtraction.
  const torch::Tensor huge = torch::tensor({1000.0, 999.0, -1000.0}, kDouble);
  const torch::Tensor two = segment_softmax(huge, torch::tensor({0, 0, 1}, torch::kInt64), 2);
  CHECK(torch::isfinite(two).all().item<bool>());
  CHECK(two[0].item<double>() == Approx(1 / (1 + std::exp(-1.0))));
  CHECK(two[2].item<double>() == Approx(1.0));
  const torch::Tensor huge_f = torch::tensor({80.0f, 85.0f}, torch::kFloat32);
  CHECK(torch::isfinite(segment_softmax(huge_f, torch::tensor({0, 0}, torch::kInt64), 1)).all().item<bool>());
}

TEST_CASE("masked softmax: masked keys and fully masked rows give exactly 0", "[layers]") {
  torch::manual_seed(3);
  const torch::Tensor scores = torch::randn({2, 3, 4}, kDouble);
  const torch::Tensor mask = torch::tensor({{true, false, true, true}, {false, false, false, false}}).view({2, 1, 4});
  const torch::Tensor alpha = masked_softmax(scores, mask, 2);
  CHECK(alpha[1].abs().sum().item<double>() == 0.0);
  CHECK(alpha[0].select(1, 1).abs().sum().item<double>() == 0.0);
  const torch::Tensor real = torch::tensor({0, 2, 3}, torch::kInt64);
  CHECK(torch::allclose(alpha[0].index_select(1, real), torch::softmax(scores[0].index_select(1, real), 1)));
  const torch::Tensor sums = alpha.sum(2);
  CHECK(torch::allclose(sums[0], torch::ones({3}, kDouble)));
}

TEST_CASE("segment softmax and segment max: finite-difference gradients in double", "[layers]") {
  torch::manual_seed(4);
  const torch::Tensor index = torch::tensor({0, 0, 2, 0, 2, 3}, torch::kInt64);
  const torch::Tensor weights = torch::randn({6, 2}, kDouble);
  torch::Tensor scores = torch::randn({6, 2}, kDouble).requires_grad_();
  CHECK(gradient_error([&] { return (segment_softmax(scores, index, 4) * weights).sum(); }, scores) < 1e-7);
  const torch::Tensor segment_weights = torch::randn({4, 2}, kDouble);
  CHECK(gradient_error([&] { return (segment_max(scores, index, 4) * segment_weights).sum(); }, scores) < 1e-7);
  CHECK(gradient_error([&] { return (segment_mean(scores, index, 4) * segment_weights).sum(); }, scores) < 1e-7);
  torch::Tensor dense = torch::randn({2, 3, 4}, kDouble).requires_grad_();
  const torch::Tensor mask = torch::tensor({{true, false, true, true}, {false, false, false, false}}).view({2, 1, 4});
  const torch::Tensor dense_weights = torch::randn({2, 3, 4}, kDouble);
  CHECK(gradient_error([&] { return (masked_softmax(dense, mask, 2) * dense_weights).sum(); }, dense) < 1e-7);
}

TEST_CASE("masked batch norm uses real entries only and ignores padding values", "[layers]") {
  torch::manual_seed(5);
  MaskedBatchNorm norm(MaskedBatchNormOptions(3));
  norm->to(torch::kFloat64);
  torch::Tensor dense = torch::randn({2, 4, 3}, kDouble);
  const torch::Tensor mask = torch::tensor({{true, true, false, false}, {true, true, true, false}});
  const torch::Tensor real = dense.index({mask});  // [5, 3]
  const torch::Tensor out = norm(dense, mask);
  torch::nn::BatchNorm1d reference(3);
  reference->to(torch::kFloat64);
  CHECK(torch::allclose(out.index({mask}), reference(real)));
  CHECK(out.index({mask.logical_not()}).abs().sum().item<double>() == 0.0);
  CHECK(torch::allclose(norm->running_mean, reference->running_mean));
  CHECK(torch::allclose(norm->running_var, reference->running_var));

  // Garbage in the padding changes neither the output nor the statistics.
  MaskedBatchNorm second(MaskedBatchNormOptions(3));
  second->to(torch::kFloat64);
  const torch::Tensor garbage = dense.masked_fill(mask.logical_not().unsqueeze(-1), 1e6);
  CHECK(torch::allclose(second(garbage, mask), out));
  CHECK(torch::allclose(second->running_mean, norm->running_mean));

  // Eval mode uses the running statistics; no mask means every row is real.
  norm->eval();
  reference->eval();
  CHECK(torch::allclose(norm(real), reference(real)));
  // No real entry at all: zeros, never NaN.
  norm->train();
  const torch::Tensor none = norm(dense, torch::zeros({2, 4}, torch::kBool));
  CHECK(none.abs().sum().item<double>() == 0.0);
}

TEST_CASE("masked batch norm: finite-difference gradient in double", "[layers]") {
  torch::manual_seed(6);
  MaskedBatchNorm norm(MaskedBatchNormOptions(2));
  norm->to(torch::kFloat64);
  torch::Tensor dense = torch::randn({2, 3, 2}, kDouble).requires_grad_();
  const torch::Tensor mask = torch::tensor({{true, true, false}, {true, true, true}});
  const torch::Tensor weights = torch::randn({2, 3, 2}, kDouble);
  CHECK(gradient_error([&] { return (norm(dense, mask) * weights).sum(); }, dense) < 1e-6);
}

TEST_CASE("masked batch norm: the unmasked fast path equals the masked path and the formula", "[layers]") {
  torch::manual_seed(7);
  const torch::Tensor x = torch::randn({6, 3}, kDouble);
  const torch::Tensor upstream = torch::randn({6, 3}, kDouble);
  const auto run = [&](const torch::Tensor& mask) {
    MaskedBatchNorm norm(MaskedBatchNormOptions(3));
    norm->to(torch::kFloat64);
    {
      torch::NoGradGuard no_grad;
      norm->weight.copy_(torch::tensor({0.5, -2.0, 1.5}, kDouble));
      norm->bias.copy_(torch::tensor({0.1, 0.2, -0.3}, kDouble));
    }
    const torch::Tensor input = x.clone().requires_grad_();
    const torch::Tensor out = norm(input, mask);
    (out * upstream).sum().backward();
    return std::make_tuple(out.detach(), input.grad(), norm->weight.grad(), norm->running_mean.clone(),
                           norm->running_var.clone());
  };
  const auto [fast, fast_grad, fast_weight_grad, fast_mean, fast_var] = run({});
  const auto [masked, masked_grad, masked_weight_grad, masked_mean, masked_var] =
      run(torch::ones({6}, torch::kBool));
  CHECK(torch::allclose(fast, masked, 0, 1e-14));
  CHECK(torch::allclose(fast_grad, masked_grad, 0, 1e-14));
  CHECK(torch::allclose(fast_weight_grad, masked_weight_grad, 0, 1e-14));
  CHECK(torch::allclose(fast_mean, masked_mean, 0, 1e-15));
  CHECK(torch::allclose(fast_var, masked_var, 0, 1e-15));

  // The formula: (x - mean) / sqrt(biased var + eps) * w + b; running stats with momentum 0.1 and
  // the unbiased variance.
  const torch::Tensor mean = x.mean(0);
  const torch::Tensor var = (x - mean).pow(2).mean(0);
  const torch::Tensor expected = (x - mean) / torch::sqrt(var + 1e-5) * torch::tensor({0.5, -2.0, 1.5}, kDouble) +
                                 torch::tensor({0.1, 0.2, -0.3}, kDouble);
  CHECK(torch::allclose(fast, expected, 0, 1e-12));
  CHECK(torch::allclose(fast_mean, 0.1 * mean, 0, 1e-15));
  CHECK(torch::allclose(fast_var, 0.9 + 0.1 * var * 6.0 / 5.0, 0, 1e-15));

  // A single real row (fast path without a mask, and one real row among padding) is its own mean:
  // output = bias, input gradient 0, running variance pulled towards 0 (no division by n - 1 = 0).
  for (const bool with_padding : {false, true}) {
    INFO("padding rows " << with_padding);
    MaskedBatchNorm norm(MaskedBatchNormOptions(3));
    norm->to(torch::kFloat64);
    const torch::Tensor input = (with_padding ? x.slice(0, 0, 3) : x.slice(0, 0, 1)).clone().requires_grad_();
    const torch::Tensor mask = with_padding ? torch::tensor({false, true, false}) : torch::Tensor();
    const torch::Tensor out = norm(input, mask);
    (out * upstream.slice(0, 0, out.size(0))).sum().backward();
    const torch::Tensor real_row = out[with_padding ? 1 : 0];
    CHECK(torch::allclose(real_row, torch::zeros({3}, kDouble)));  // bias starts at 0
    CHECK(input.grad().abs().max().item<double>() < 1e-9);
    CHECK(torch::allclose(norm->running_var, torch::full({3}, 0.9, kDouble)));
    CHECK(torch::isfinite(out).all().item<bool>());
  }
}
