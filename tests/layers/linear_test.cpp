#include "layers/linear.hpp"
#include "layers/relu_mlp.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace graphtx;

namespace {

torch::Tensor leaf(const torch::Tensor& t) { return t.detach().clone().set_requires_grad(true); }

// Output and gradients of sum(f(x, w, b) ⊙ weights) for the given linear op.
template <typename Op>
std::vector<torch::Tensor> run(const Op& op, const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b,
                               const torch::Tensor& weights) {
  const torch::Tensor xl = leaf(x), wl = leaf(w), bl = leaf(b);
  const torch::Tensor y = op(xl, wl, bl);
  const auto g = torch::autograd::grad({(y * weights).sum()}, {xl, wl, bl});
  return {y, g[0], g[1], g[2]};
}

}  // namespace

TEST_CASE("linear_gemm on oneDNN equals ATen's linear: values and gradients, 2-d and 3-d inputs, no bias",
          "[layers]") {
  torch::manual_seed(21);
  const torch::Tensor x = torch::randn({4, 37, 24}), w = torch::randn({40, 24}), b = torch::randn({40});
  const torch::Tensor weights = torch::randn({4, 37, 40});
  const auto aten = [](const torch::Tensor& a, const torch::Tensor& c, const torch::Tensor& d) { return torch::linear(a, c, d); };
  const auto gemm = [](const torch::Tensor& a, const torch::Tensor& c, const torch::Tensor& d) { return linear_gemm(a, c, d); };
  const auto ref = run(aten, x.to(torch::kFloat64), w.to(torch::kFloat64), b.to(torch::kFloat64), weights.to(torch::kFloat64));
  const auto got = run(gemm, x, w, b, weights);
  CHECK(got[0].sizes() == std::vector<int64_t>{4, 37, 40});
  CHECK_FALSE(got[0].is_view());  // an in-place op on the output needs no CopySlices in the backward
  const auto relu_after = [](const torch::Tensor& a, const torch::Tensor& c, const torch::Tensor& d) {
    return linear_gemm(a, c, d).relu_();
  };
  const auto relu_ref = [](const torch::Tensor& a, const torch::Tensor& c, const torch::Tensor& d) {
    return torch::linear(a, c, d).relu();
  };
  const auto in_place = run(relu_after, x, w, b, weights);
  const auto composed = run(relu_ref, x, w, b, weights);
  for (size_t i = 0; i < 4; ++i) CHECK(torch::allclose(in_place[i], composed[i], 1e-4, 1e-4));
  for (size_t i = 0; i < 4; ++i) CHECK(torch::allclose(got[i].to(torch::kFloat64), ref[i], 1e-4, 1e-4));
  const torch::Tensor x2 = x.reshape({-1, 24});
  CHECK(torch::allclose(linear_gemm(x2, w), torch::linear(x2, w), 1e-5, 1e-5));
  CHECK(torch::allclose(linear_gemm(x2.t().contiguous().t(), w, b), torch::linear(x2, w, b), 1e-5, 1e-5));  // column-major view
  // double and empty inputs go through ATen unchanged
  const torch::Tensor xd = x.to(torch::kFloat64), wd = w.to(torch::kFloat64), bd = b.to(torch::kFloat64);
  CHECK(linear_gemm(xd, wd, bd).equal(torch::linear(xd, wd, bd)));
  CHECK(linear_gemm(torch::zeros({0, 24}), w, b).sizes() == std::vector<int64_t>{0, 40});
  CHECK_THROWS(linear_gemm(torch::randn({3, 5}), w, b));
  // one row, 1-d input: the bias is C's start value and must stay unchanged
  const torch::Tensor b_before = b.clone();
  CHECK(torch::allclose(linear_gemm(x[0][0], w, b), torch::linear(x[0][0], w, b), 1e-5, 1e-5));
  CHECK(torch::allclose(linear_gemm(x[0][0], w, b), torch::linear(x[0][0], w, b), 1e-5, 1e-5));
  CHECK(b.equal(b_before));
}

TEST_CASE("Linear has torch::nn::Linear's parameters and initialization and is bitwise equal for 1 and 2 threads",
          "[layers]") {
  torch::manual_seed(22);
  Linear ours(torch::nn::LinearOptions(128, 96));
  torch::manual_seed(22);
  torch::nn::Linear theirs(torch::nn::LinearOptions(128, 96));
  CHECK(ours->weight.equal(theirs->weight));
  CHECK(ours->bias.equal(theirs->bias));
  CHECK(ours->named_parameters().keys() == theirs->named_parameters().keys());
  CHECK_FALSE(Linear(torch::nn::LinearOptions(3, 2).bias(false))->bias.defined());

  const torch::Tensor x = torch::randn({8000, 128}), weights = torch::randn({8000, 96});
  const auto gemm = [](const torch::Tensor& a, const torch::Tensor& c, const torch::Tensor& d) { return linear_gemm(a, c, d); };
  const int threads = torch::get_num_threads();
  torch::set_num_threads(1);
  const auto one = run(gemm, x, ours->weight, ours->bias, weights);
  torch::set_num_threads(2);
  const auto two = run(gemm, x, ours->weight, ours->bias, weights);
  torch::set_num_threads(threads);
  for (size_t i = 0; i < 4; ++i) CHECK(one[i].equal(two[i]));
  CHECK(torch::allclose(one[0], theirs(x), 1e-4, 1e-4));
}

TEST_CASE("linear_relu and relu_mlp equal the composed Linear, ReLU, Linear: values and gradients", "[layers]") {
  torch::manual_seed(23);
  const torch::Tensor x = torch::randn({50, 16}), w = torch::randn({24, 16}), b = torch::randn({24});
  const torch::Tensor weights = torch::randn({50, 24});
  const auto fused = [](const torch::Tensor& a, const torch::Tensor& c, const torch::Tensor& d) { return linear_relu(a, c, d); };
  const auto composed = [](const torch::Tensor& a, const torch::Tensor& c, const torch::Tensor& d) {
    return torch::relu(torch::linear(a, c, d));
  };
  const auto ref = run(composed, x.to(torch::kFloat64), w.to(torch::kFloat64), b.to(torch::kFloat64), weights.to(torch::kFloat64));
  const auto got = run(fused, x, w, b, weights);
  for (size_t i = 0; i < 4; ++i) CHECK(torch::allclose(got[i].to(torch::kFloat64), ref[i], 1e-4, 1e-4));
  CHECK((got[0] == 0).any().item<bool>());  // the mask is exercised
  const auto ref_double = run(fused, x.to(torch::kFloat64), w.to(torch::kFloat64), b.to(torch::kFloat64), weights.to(torch::kFloat64));
  for (size_t i = 0; i < 4; ++i) CHECK(torch::allclose(ref_double[i], ref[i], 1e-12, 1e-12));  // ATen fallback

  torch::nn::Sequential mlp(Linear(16, 32), torch::nn::ReLU(), Linear(32, 8));
  torch::nn::Sequential with_dropout(Linear(16, 32), torch::nn::ReLU(), torch::nn::Dropout(0.0), Linear(32, 8));
  torch::nn::Sequential other(Linear(16, 32), torch::nn::Tanh(), Linear(32, 8));
  for (auto* seq : {&mlp, &with_dropout, &other}) {
    const torch::Tensor xl = x.clone().set_requires_grad(true);
    const torch::Tensor a = relu_mlp(*seq, xl);
    const torch::Tensor ga = torch::autograd::grad({a.pow(2).sum()}, {xl})[0];
    const torch::Tensor xr = x.clone().set_requires_grad(true);
    const torch::Tensor r = (*seq)->forward(xr);
    const torch::Tensor gr = torch::autograd::grad({r.pow(2).sum()}, {xr})[0];
    CHECK(torch::allclose(a, r, 1e-5, 1e-5));
    CHECK(torch::allclose(ga, gr, 1e-4, 1e-4));
  }
}
