// GCNConv, GINEConv, GatedGCNLayer: hand-computed values, permutation equivariance, direction,
// isolated nodes, gradients (every parameter, finite differences in double).
#include "graph/errors.hpp"
#include "layers/gated_gcn.hpp"
#include "layers/gcn_conv.hpp"
#include "layers/gine_conv.hpp"

#include "tests/layers/gnn_test_support.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <utility>
#include <vector>

using namespace graphtx;
using namespace graphtx::testing;

namespace {

// Two graphs: a directed 4-cycle with a chord and an isolated node (nodes 0-4), and a path 5-6-7.
torch::Tensor sample_edge_index() {
  return make_edge_index({{0, 1}, {1, 2}, {2, 3}, {3, 0}, {0, 2}, {5, 6}, {6, 5}, {6, 7}, {7, 6}});
}
constexpr int64_t kSampleNodes = 8;

}  // namespace

TEST_CASE("GCNConv matches D^-1/2 (A + I) D^-1/2 H W on a 3-node path", "[layers]") {
  GCNConv conv(GCNConvOptions(2, 2).bias(false));
  const torch::Tensor w = torch::tensor({{1.0f, 2.0f}, {-1.0f, 0.5f}});  // out x in
  {
    torch::NoGradGuard no_grad;
    conv->linear->weight.copy_(w);
  }
  const torch::Tensor h = torch::tensor({{1.0f, 0.0f}, {2.0f, -1.0f}, {0.5f, 3.0f}});
  const torch::Tensor path = make_edge_index({{0, 1}, {1, 0}, {1, 2}, {2, 1}});
  // Degrees with self loops 2, 3, 2.
  const double a = 1.0 / std::sqrt(6.0);
  const torch::Tensor normalized =
      torch::tensor({{0.5, a, 0.0}, {a, 1.0 / 3.0, a}, {0.0, a, 0.5}}, torch::kFloat64).to(torch::kFloat32);
  const torch::Tensor expected = normalized.matmul(h).matmul(w.t());
  CHECK(torch::allclose(conv(h, path), expected, 1e-5, 1e-6));

  // Directed edge 0 -> 1 only: node 1 has in-degree 1 (D̃ = 2), node 0 in-degree 0 (D̃ = 1).
  const torch::Tensor hw = h.matmul(w.t());
  const torch::Tensor out = conv(h, make_edge_index({{0, 1}}));
  CHECK(torch::allclose(out[0], hw[0], 1e-5, 1e-6));
  CHECK(torch::allclose(out[1], hw[1] / 2 + hw[0] / std::sqrt(2.0), 1e-5, 1e-6));
  CHECK(torch::allclose(out[2], hw[2], 1e-5, 1e-6));

  // Edge weights enter A and the degrees: weight 3 on 0 -> 1 gives D̃_1 = 4.
  const torch::Tensor weighted = conv(h, make_edge_index({{0, 1}}), torch::tensor({3.0f}));
  CHECK(torch::allclose(weighted[1], hw[1] / 4 + 3 * hw[0] / 2, 1e-5, 1e-6));
  CHECK_THROWS_AS(conv(h, make_edge_index({{0, 1}}), torch::tensor({-1.0f})), UsageError);
  CHECK_THROWS_AS(conv(h, make_edge_index({{0, 3}})), UsageError);
}

TEST_CASE("GINEConv matches MLP((1 + eps) h_i + sum_j ReLU(h_j + e_ij))", "[layers]") {
  torch::manual_seed(1);
  GINEConv conv(GINEConvOptions(3, 4).eps(0.25).train_eps(true));
  const torch::Tensor x = torch::randn({3, 3});
  const torch::Tensor e = torch::randn({3, 3});
  const torch::Tensor edge_index = make_edge_index({{0, 1}, {2, 1}, {1, 0}});
  const torch::Tensor aggregated = torch::stack({torch::relu(x[1] + e[2]), torch::relu(x[0] + e[0]) + torch::relu(x[2] + e[1]),
                                                 torch::zeros({3})});
  const torch::Tensor expected = conv->mlp->forward(1.25 * x + aggregated);
  CHECK(torch::allclose(conv(x, edge_index, e), expected, 1e-5, 1e-6));
  CHECK(conv->parameters().size() == 5);  // eps + two linear layers

  GINEConv projected(GINEConvOptions(3, 4).edge_dim(2));
  const torch::Tensor narrow = torch::randn({3, 2});
  const torch::Tensor expected_projected = projected->mlp->forward(
      x + torch::stack({torch::relu(x[1] + projected->edge_linear(narrow[2])),
                        torch::relu(x[0] + projected->edge_linear(narrow[0])) +
                            torch::relu(x[2] + projected->edge_linear(narrow[1])),
                        torch::zeros({3})}));
  CHECK(torch::allclose(projected(x, edge_index, narrow), expected_projected, 1e-5, 1e-6));
  CHECK_THROWS_AS(conv(x, edge_index, narrow), UsageError);
}

TEST_CASE("GatedGCNLayer matches the gated aggregation written as loops", "[layers]") {
  torch::manual_seed(2);
  GatedGCNLayer layer(GatedGCNLayerOptions(3).batch_norm(false));
  const torch::Tensor x = torch::randn({3, 3});
  const torch::Tensor e = torch::randn({3, 3});
  const Edges edges{{0, 1}, {2, 1}, {1, 0}};
  auto [h, e_out] = layer(x, make_edge_index(edges), e);
  std::vector<torch::Tensor> numerator(3, torch::zeros({3})), denominator(3, torch::zeros({3}));
  for (size_t k = 0; k < edges.size(); ++k) {
    const auto [j, i] = edges[k];
    const torch::Tensor e_hat = layer->D(x[i]) + layer->E(x[j]) + layer->C(e[k]);
    CHECK(torch::allclose(e_out[k], e[k] + torch::relu(e_hat), 1e-5, 1e-6));
    numerator[i] = numerator[i] + torch::sigmoid(e_hat) * layer->B(x[j]);
    denominator[i] = denominator[i] + torch::sigmoid(e_hat);
  }
  for (int64_t i = 0; i < 3; ++i) {
    const torch::Tensor expected = x[i] + torch::relu(layer->A(x[i]) + numerator[i] / (denominator[i] + 1e-6));
    CHECK(torch::allclose(h[i], expected, 1e-5, 1e-6));
  }
}

TEST_CASE("GNN layers are permutation equivariant and direction aware", "[layers]") {
  torch::manual_seed(3);
  const int64_t d = 6;
  const torch::Tensor x = torch::randn({kSampleNodes, d});
  const torch::Tensor edge_index = sample_edge_index();
  const torch::Tensor e = torch::randn({edge_index.size(1), d});
  const torch::Tensor perm = torch::tensor({6, 2, 0, 7, 4, 1, 5, 3}, torch::kInt64);
  const torch::Tensor permuted = relabel(edge_index, perm);
  const torch::Tensor reversed = edge_index.flip(0);

  GCNConv gcn(d, d);
  CHECK(torch::allclose(gcn(x.index({perm}), permuted), gcn(x, edge_index).index({perm}), 1e-5, 1e-5));
  CHECK_FALSE(torch::allclose(gcn(x, reversed), gcn(x, edge_index), 1e-3, 1e-3));

  GINEConv gine(d, d);
  CHECK(torch::allclose(gine(x.index({perm}), permuted, e), gine(x, edge_index, e).index({perm}), 1e-5, 1e-5));
  CHECK_FALSE(torch::allclose(gine(x, reversed, e), gine(x, edge_index, e), 1e-3, 1e-3));

  GatedGCNLayer gated(d);  // training mode: BatchNorm statistics are permutation invariant too
  auto [h, h_e] = gated(x, edge_index, e);
  auto [hp, hp_e] = gated(x.index({perm}), permuted, e);
  CHECK(torch::allclose(hp, h.index({perm}), 1e-5, 1e-5));
  CHECK(torch::allclose(hp_e, h_e, 1e-5, 1e-5));
  auto [hr, hr_e] = gated(x, reversed, e);
  CHECK_FALSE(torch::allclose(hr, h, 1e-3, 1e-3));
  CHECK_FALSE(torch::allclose(hr_e, h_e, 1e-3, 1e-3));
}

TEST_CASE("GNN layers give finite values and gradients with isolated and one-node graphs", "[layers]") {
  torch::manual_seed(4);
  const int64_t d = 4;
  // Node 0 alone, nodes 1-2 isolated in one graph, 3 <-> 4; no edges touch 0, 1, 2.
  const torch::Tensor edge_index = make_edge_index({{3, 4}, {4, 3}});
  const torch::Tensor x = torch::randn({5, d}, torch::requires_grad());
  const torch::Tensor e = torch::randn({2, d}, torch::requires_grad());
  const torch::Tensor target = torch::randn({5, d});

  GCNConv gcn(d, d);
  GINEConv gine(GINEConvOptions(d, d).train_eps(true));
  GatedGCNLayer gated(d);
  auto [h, h_e] = gated(x, edge_index, e);
  const torch::Tensor outputs = torch::cat({gcn(x, edge_index), gine(x, edge_index, e), h, h_e});
  REQUIRE(torch::isfinite(outputs).all().item<bool>());
  CHECK(torch::allclose(gcn(x, edge_index)[0], gcn->linear(x[0]) + gcn->bias));  // D̃ = 1: only the self loop
  (outputs.slice(0, 0, 15) * target.repeat({3, 1})).sum().backward();
  CHECK(torch::isfinite(x.grad()).all().item<bool>());

  // A batch without any edge.
  const torch::Tensor no_edges = torch::zeros({2, 0}, torch::kInt64);
  auto [alone, alone_e] = gated(x, no_edges, torch::zeros({0, d}));
  CHECK(torch::isfinite(alone).all().item<bool>());
  CHECK(alone_e.size(0) == 0);
  CHECK(torch::isfinite(gine(x, no_edges, torch::zeros({0, d}))).all().item<bool>());
}

TEST_CASE("Every parameter of the GNN layers receives a gradient", "[layers]") {
  torch::manual_seed(5);
  const int64_t d = 5;
  const torch::Tensor x = torch::randn({kSampleNodes, d});
  const torch::Tensor edge_index = sample_edge_index();
  const torch::Tensor e = torch::randn({edge_index.size(1), d});
  const torch::Tensor weights = torch::randn({kSampleNodes, d});

  GCNConv gcn(d, d);
  (gcn(x, edge_index) * weights).sum().backward();
  check_all_parameters_get_gradients(*gcn);

  GINEConv gine(GINEConvOptions(d, d).edge_dim(3).train_eps(true));
  (gine(x, edge_index, torch::randn({edge_index.size(1), 3})) * weights).sum().backward();
  check_all_parameters_get_gradients(*gine);

  GatedGCNLayer gated(d);
  auto [h, h_e] = gated(x, edge_index, e);
  ((h * weights).sum() + (h_e * torch::randn_like(h_e)).sum()).backward();
  check_all_parameters_get_gradients(*gated);
}

TEST_CASE("GNN layer gradients match finite differences in double", "[layers]") {
  torch::manual_seed(6);
  const int64_t d = 3;
  const torch::Tensor edge_index = make_edge_index({{0, 1}, {1, 2}, {2, 0}, {0, 2}, {3, 2}});
  const torch::Tensor x = torch::randn({4, d}, torch::kFloat64).requires_grad_();
  const torch::Tensor e = torch::randn({5, d}, torch::kFloat64).requires_grad_();
  const torch::Tensor weights = torch::randn({4, d}, torch::kFloat64);
  const torch::Tensor edge_weights = torch::randn({5, d}, torch::kFloat64);

  GCNConv gcn(d, d);
  gcn->to(torch::kFloat64);
  const torch::Tensor w = torch::rand({5}, torch::kFloat64).add_(0.5).requires_grad_();
  std::vector<torch::Tensor> gcn_inputs = parameters_and(*gcn, x);
  gcn_inputs.push_back(w);
  check_finite_differences([&] { return (gcn(x, edge_index, w) * weights).sum(); }, gcn_inputs);

  GINEConv gine(GINEConvOptions(d, d).train_eps(true).eps(0.1));
  gine->to(torch::kFloat64);
  std::vector<torch::Tensor> gine_inputs = parameters_and(*gine, x);
  gine_inputs.push_back(e);
  check_finite_differences([&] { return (gine(x, edge_index, e) * weights).sum(); }, gine_inputs);

  GatedGCNLayer gated(d);
  gated->to(torch::kFloat64);
  std::vector<torch::Tensor> gated_inputs = parameters_and(*gated, x);
  gated_inputs.push_back(e);
  check_finite_differences(
      [&] {
        auto [h, h_e] = gated(x, edge_index, e);
        return (h * weights).sum() + (h_e * edge_weights).sum();
      },
      gated_inputs);
}
