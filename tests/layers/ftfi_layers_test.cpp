// Tree-field integration in LibTorch: finite-difference gradient checks in double for X, the
// softplus-parametrized mask family and polynomial coefficients; TopologicalAttention against a
// dense reference, linear vs exact agreement, permutation equivariance and batching.
#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"
#include "layers/ftfi/topological_attention.hpp"
#include "layers/ftfi/tree_field_integration.hpp"
#include "pe/ftfi/brute_force.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <random>

using namespace graphtx;

namespace {

// A random tree graph (undirected, weighted): node i > 0 attaches to a random earlier node.
Graph random_tree_graph(Index n, std::uint64_t seed, const std::vector<Index>& relabel = {}) {
  std::mt19937_64 rng(seed);
  GraphBuilder b(n, false);
  auto id = [&](Index v) { return relabel.empty() ? v : relabel[v]; };
  for (Index i = 1; i < n; ++i) {
    const Index p = std::uniform_int_distribution<Index>(0, i - 1)(rng);
    b.add_edge(id(p), id(i), 0.2 + std::uniform_real_distribution<double>(0, 1)(rng));
  }
  return b.build();
}

ftfi::TreeFieldIntegrator integrator_of(const Graph& g) { return ftfi::TreeFieldIntegrator(ftfi::spanning_tree(g)); }

// Max relative mismatch between the analytic gradient of `loss` w.r.t. `p` and central differences.
double gradient_mismatch(const std::function<torch::Tensor()>& loss, torch::Tensor p) {
  if (p.grad().defined()) p.grad().zero_();
  loss().backward();
  const torch::Tensor analytic = p.grad().clone();
  torch::NoGradGuard no_grad;
  const double h = 1e-6;
  double worst = 0;
  auto flat = p.view({-1});
  for (int64_t i = 0; i < flat.size(0); ++i) {
    const double saved = flat[i].item<double>();
    flat[i] = saved + h;
    const double up = loss().item<double>();
    flat[i] = saved - h;
    const double down = loss().item<double>();
    flat[i] = saved;
    const double numeric = (up - down) / (2 * h);
    const double a = analytic.view({-1})[i].item<double>();
    worst = std::max(worst, std::abs(a - numeric) / std::max(1.0, std::abs(numeric)));
  }
  return worst;
}

}  // namespace

TEST_CASE("integrate_tree_field: forward equals brute force, gradients match finite differences", "[layers]") {
  const Graph g = random_tree_graph(12, 3);
  const ftfi::TreeFieldIntegrator integ = integrator_of(g);
  torch::manual_seed(0);
  torch::Tensor x = torch::randn({12, 3}, torch::kFloat64).requires_grad_(true);
  const torch::Tensor weights = torch::randn({12, 3}, torch::kFloat64);
  ExpMaskFamily family{ExpMaskFamily::theta_for(1.3, 0.7, 0.2).requires_grad_(true)};

  const torch::Tensor y = integrate_tree_field(integ, x, family.coefficients(), family.rates(), ExpMaskFamily::powers());
  RealMatrix xm(12, 3);
  for (Index i = 0; i < 12; ++i)
    for (Index j = 0; j < 3; ++j) xm(i, j) = x[i][j].item<double>();
  const RealMatrix reference = ftfi::integrate_brute_force(
      integ.tree(), ftfi::ExpPolynomial::exponential(1.3, 0.7) + ftfi::ExpPolynomial::polynomial({0.2}), xm);
  for (Index i = 0; i < 12; ++i)
    for (Index j = 0; j < 3; ++j) REQUIRE(y[i][j].item<double>() == Approx(reference(i, j)).epsilon(1e-12));

  auto loss = [&] {
    return (integrate_tree_field(integ, x, family.coefficients(), family.rates(), ExpMaskFamily::powers()) * weights).sum();
  };
  REQUIRE(gradient_mismatch(loss, x) < 1e-7);
  REQUIRE(gradient_mismatch(loss, family.theta) < 1e-7);  // a, λ (through softplus), b

  // Polynomial coefficients c0 + c1 x + c2 x² (rates 0).
  torch::Tensor c = torch::tensor({0.5, -0.3, 0.05}, torch::kFloat64).requires_grad_(true);
  const torch::Tensor zero_rates = torch::zeros({3}, torch::kFloat64);
  auto poly_loss = [&] { return (integrate_tree_field(integ, x, c, zero_rates, {0, 1, 2}) * weights).sum(); };
  REQUIRE(gradient_mismatch(poly_loss, c) < 1e-7);
  REQUIRE(gradient_mismatch(poly_loss, x) < 1e-7);
  // A free rate with a power: x e^{−λx}.
  torch::Tensor rate = torch::tensor({0.8}, torch::kFloat64).requires_grad_(true);
  const torch::Tensor one = torch::ones({1}, torch::kFloat64);
  auto rate_loss = [&] { return (integrate_tree_field(integ, x, one, rate, {1}) * weights).sum(); };
  REQUIRE(gradient_mismatch(rate_loss, rate) < 1e-7);
  REQUIRE_THROWS_AS(integrate_tree_field(integ, x.slice(0, 0, 5), one, rate, {1}), UsageError);
}

TEST_CASE("TopologicalAttention (linear) equals dense masked linear attention", "[layers]") {
  const GraphBatch batch({random_tree_graph(7, 1), random_tree_graph(5, 2)});
  const TreeTopology topo = TreeTopology::from_batch(batch, {}, true);
  torch::manual_seed(1);
  TopologicalAttention attention(TopologicalAttentionOptions(8, 2).mask_a(0.8).mask_lambda(0.6).mask_b(0.05));
  attention->to(torch::kFloat64);
  const torch::Tensor x = torch::randn({12, 8}, torch::kFloat64);
  const torch::Tensor out = attention->forward(x, topo);
  REQUIRE(out.sizes() == torch::IntArrayRef({12, 8}));

  // Reference: per graph, A_ij = M_ij φ(q_i)·φ(k_j) per head, out = (A v) / (A 1).
  const torch::Tensor q = torch::elu(attention->query(x)).add(1).view({12, 2, 4});
  const torch::Tensor k = torch::elu(attention->key(x)).add(1).view({12, 2, 4});
  const torch::Tensor v = attention->value(x).view({12, 2, 4});
  std::vector<torch::Tensor> rows;
  for (int64_t gi = 0; gi < 2; ++gi) {
    const int64_t begin = topo.ptr[gi].item<int64_t>(), size = topo.ptr[gi + 1].item<int64_t>() - begin;
    const torch::Tensor m = attention->mask_family().evaluate(topo.distances[gi].slice(0, 0, size).slice(1, 0, size));
    const torch::Tensor qg = q.slice(0, begin, begin + size).transpose(0, 1), kg = k.slice(0, begin, begin + size).transpose(0, 1);
    const torch::Tensor a = torch::matmul(qg, kg.transpose(1, 2)) * m;  // [H, n, n]
    const torch::Tensor vg = v.slice(0, begin, begin + size).transpose(0, 1);
    rows.push_back((torch::matmul(a, vg) / (a.sum(2, true) + 1e-6)).transpose(0, 1).reshape({size, 8}));
  }
  const torch::Tensor reference = attention->output(torch::cat(rows, 0));
  REQUIRE(torch::allclose(out, reference, 1e-10, 1e-12));

  // Gradients reach the mask parameters.
  out.pow(2).sum().backward();
  REQUIRE(attention->mask_theta.grad().abs().sum().item<double>() > 0);
}

TEST_CASE("TopologicalAttention: linear and exact variants agree when q·k carries no information", "[layers]") {
  const GraphBatch batch({random_tree_graph(9, 4), random_tree_graph(3, 5), random_tree_graph(6, 6)});
  const TreeTopology topo = TreeTopology::from_batch(batch, {}, true);
  torch::manual_seed(2);
  TopologicalAttention linear(TopologicalAttentionOptions(6, 3).epsilon(0));
  linear->to(torch::kFloat64);
  {
    torch::NoGradGuard no_grad;
    for (auto& lin : {linear->query, linear->key}) {
      lin->weight.zero_();
      lin->bias.zero_();
    }
  }
  // φ(q) = φ(k) = 1: linear weights are M_ij · d_h, softmax weights are exp(log M_ij): both M / ΣM.
  TopologicalAttention exact(TopologicalAttentionOptions(6, 3).exact(true));
  exact->to(torch::kFloat64);
  {
    torch::NoGradGuard no_grad;
    const auto source = linear->named_parameters(), target = exact->named_parameters();
    for (const auto& item : source) target[item.key()].copy_(item.value());
  }
  const torch::Tensor x = torch::randn({18, 6}, torch::kFloat64);
  const torch::Tensor a = linear->forward(x, topo), b = exact->forward(x, topo);
  REQUIRE(torch::allclose(a, b, 1e-10, 1e-12));
  REQUIRE(torch::isfinite(b).all().item<bool>());
}

TEST_CASE("TopologicalAttention is permutation equivariant and batch independent", "[layers]") {
  const Index n = 10;
  std::vector<Index> perm(n);
  for (Index i = 0; i < n; ++i) perm[i] = (3 * i + 7) % n;  // node i of the first labelling is perm[i]
  const Graph g = random_tree_graph(n, 8), gp = random_tree_graph(n, 8, perm);
  torch::manual_seed(3);
  const torch::Tensor x = torch::randn({n, 8}, torch::kFloat64);
  torch::Tensor xp = torch::empty_like(x);
  for (Index i = 0; i < n; ++i) xp[perm[i]] = x[i];
  for (bool exact : {false, true}) {
    TopologicalAttention attention(TopologicalAttentionOptions(8, 2).exact(exact));
    attention->to(torch::kFloat64);
    const torch::Tensor y = attention->forward(x, TreeTopology::from_batch(GraphBatch({g}), {}, exact));
    const torch::Tensor yp = attention->forward(xp, TreeTopology::from_batch(GraphBatch({gp}), {}, exact));
    for (Index i = 0; i < n; ++i) REQUIRE(torch::allclose(yp[perm[i]], y[i], 1e-10, 1e-12));
    // In a batch with another graph (and padding for the exact variant) the rows are unchanged.
    const Graph other = random_tree_graph(13, 9);
    const torch::Tensor both = attention->forward(torch::cat({x, torch::randn({13, 8}, torch::kFloat64)}),
                                                  TreeTopology::from_batch(GraphBatch({g, other}), {}, exact));
    REQUIRE(torch::allclose(both.slice(0, 0, n), y, 1e-10, 1e-12));
  }
}
