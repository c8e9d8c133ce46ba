// per_graph_attention (the fused kernel behind GlobalAttention::forward_rows) against the padded
// dense GlobalAttention in double, values and gradients, with a one-node and an empty graph;
// central differences; the float GEMM path vs double (d_h 16 and 32); 1 vs 2 threads bitwise; bad offsets.
#include "graph/errors.hpp"
#include "layers/batched_graph.hpp"
#include "layers/global_attention.hpp"
#include "layers/per_graph_attention.hpp"
#include "random_batches.hpp"

#include <catch2/catch.hpp>

#include <utility>
#include <vector>

using namespace graphtx;
using namespace graphtx::testing;

namespace {

torch::Tensor offsets(std::vector<int64_t> values) { return torch::tensor(values, torch::kInt64); }

}  // namespace

TEST_CASE("GlobalAttention forward_rows equals the padded dense attention, values and gradients", "[layers]") {
  torch::manual_seed(61);
  GlobalAttention attention(GlobalAttentionOptions(12, 3));
  attention->to(torch::kFloat64);
  const torch::Tensor ptr = offsets({0, 6, 7, 7, 16});  // graphs of 6, 1, 0 and 9 nodes
  const torch::Tensor x = torch::randn({16, 12}, torch::kFloat64).requires_grad_(true);
  const torch::Tensor target = torch::randn({16, 12}, torch::kFloat64);

  const torch::Tensor rows = attention->forward_rows(x, ptr);
  const auto [dense, mask] = to_dense(x, ptr);
  const torch::Tensor reference = from_dense(attention(dense, mask), mask);
  CHECK(rows.sizes() == torch::IntArrayRef({16, 12}));
  CHECK(torch::allclose(rows, reference, 1e-12, 1e-12));

  const std::vector<torch::Tensor> inputs{x, attention->qkv->weight, attention->qkv->bias, attention->out->weight};
  const auto fused = torch::autograd::grad({(rows * target).sum()}, inputs);
  const auto composed = torch::autograd::grad({(reference * target).sum()}, inputs);
  for (size_t i = 0; i < inputs.size(); ++i) CHECK(torch::allclose(fused[i], composed[i], 1e-10, 1e-12));
  // The one-node graph attends to itself only: its row is out(v) of its own value.
  const torch::Tensor qkv = attention->qkv(x);
  CHECK(torch::allclose(rows[6], attention->out(qkv[6].slice(0, 24, 36)), 1e-12, 1e-12));
}

TEST_CASE("per_graph_attention: central differences in double", "[layers]") {
  torch::manual_seed(62);
  const torch::Tensor qkv = torch::randn({7, 12}, torch::kFloat64).requires_grad_(true);
  const torch::Tensor ptr = offsets({0, 4, 7});
  const torch::Tensor w = torch::randn({7, 4}, torch::kFloat64);
  CHECK(gradient_error([&] { return (per_graph_attention(qkv, ptr, 2) * w).sum(); }, qkv) < 1e-7);
}

TEST_CASE("per_graph_attention: float (oneDNN GEMM blocks) matches double for d_h 16 and 32, 1 and 2 threads "
          "give identical bits",
          "[layers]") {
  torch::manual_seed(63);
  const torch::Tensor ptr = offsets({0, 125, 250, 301, 431, 433});
  const torch::Tensor qkv = (2 * torch::randn({433, 3 * 64})).requires_grad_(true);
  const torch::Tensor g = torch::randn({433, 64});
  for (const int64_t heads : {4, 2}) {
    auto run = [&](int threads) {
      torch::set_num_threads(threads);
      const torch::Tensor out = per_graph_attention(qkv, ptr, heads);
      return std::make_pair(out, torch::autograd::grad({(out * g).sum()}, {qkv})[0]);
    };
    const int threads = torch::get_num_threads();
    const auto one = run(1);
    const auto two = run(2);
    torch::set_num_threads(threads);
    CHECK(torch::equal(one.first, two.first));
    CHECK(torch::equal(one.second, two.second));
    const torch::Tensor q64 = qkv.detach().to(torch::kFloat64).requires_grad_(true);
    const torch::Tensor out64 = per_graph_attention(q64, ptr, heads);
    const torch::Tensor grad64 = torch::autograd::grad({(out64 * g.to(torch::kFloat64)).sum()}, {q64})[0];
    const double out_scale = 1 + out64.abs().max().item<double>(), grad_scale = 1 + grad64.abs().max().item<double>();
    CHECK((one.first.to(torch::kFloat64) - out64).abs().max().item<double>() < 1e-5 * out_scale);
    CHECK((one.second.to(torch::kFloat64) - grad64).abs().max().item<double>() < 1e-5 * grad_scale);
  }
}

TEST_CASE("per_graph_attention rejects bad shapes and offsets", "[layers]") {
  const torch::Tensor qkv = torch::randn({5, 12});
  CHECK_THROWS_AS(per_graph_attention(qkv, offsets({0, 4}), 2), UsageError);        // does not end at N
  CHECK_THROWS_AS(per_graph_attention(qkv, offsets({0, 3, 2, 5}), 2), UsageError);  // decreasing
  CHECK_THROWS_AS(per_graph_attention(qkv, offsets({0, 5}), 3), UsageError);        // d = 4 not divisible by 3
  CHECK_THROWS_AS(per_graph_attention(torch::randn({5, 10}), offsets({0, 5}), 1), UsageError);
  GlobalAttention attention(GlobalAttentionOptions(4, 2).dropout(0.1));
  CHECK_THROWS_AS(attention->forward_rows(torch::randn({5, 4}), offsets({0, 5})), UsageError);
  attention->eval();
  CHECK(attention->forward_rows(torch::randn({5, 4}), offsets({0, 5})).sizes() == torch::IntArrayRef({5, 4}));
}
