#include "layers/edge_incidence.hpp"
#include "layers/gather_sum.hpp"
#include "layers/gcn_propagate.hpp"
#include "layers/gated_message_passing.hpp"
#include "layers/gine_aggregate.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <tuple>
#include <vector>

using namespace graphtx;

namespace {

const auto kDouble = torch::TensorOptions().dtype(torch::kFloat64);

// 9 nodes: node 4 and node 8 isolated, a self-loop on 2, a doubled edge 0 -> 1, hub 3.
torch::Tensor awkward_edges() {
  return torch::tensor({{0, 0, 2, 5, 6, 7, 3, 3, 3, 1, 6}, {1, 1, 2, 3, 3, 3, 0, 5, 7, 6, 1}}, torch::kInt64);
}

torch::Tensor leaf(const torch::Tensor& t) { return t.detach().clone().set_requires_grad(true); }

// Gradients of sum(out ⊙ weights) with respect to inputs.
std::vector<torch::Tensor> grads_of(const torch::Tensor& out, const torch::Tensor& weights,
                                    const std::vector<torch::Tensor>& inputs) {
  return torch::autograd::grad({(out * weights).sum()}, inputs, {}, false, false, true);
}

// The composed ATen reference of each fused op.
torch::Tensor reference_gather_sum(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& c,
                                   const torch::Tensor& ei) {
  return a.index_select(0, ei[1]) + b.index_select(0, ei[0]) + c;
}
// GatedGCN after its projections, op by op: (h, ê) from projected = [A x | B x | D x | E x] and ce.
std::tuple<torch::Tensor, torch::Tensor> reference_gated(const torch::Tensor& projected, const torch::Tensor& ce,
                                                         const torch::Tensor& ei, int64_t n) {
  const auto blocks = projected.chunk(4, 1);
  const torch::Tensor e_hat = blocks[2].index_select(0, ei[1]) + blocks[3].index_select(0, ei[0]) + ce;
  const torch::Tensor s = torch::sigmoid(e_hat);
  const int64_t d = ce.size(1);
  const torch::Tensor num =
      torch::zeros({n, d}, ce.options()).index_add(0, ei[1], s * blocks[1].index_select(0, ei[0]));
  const torch::Tensor den = torch::zeros({n, d}, ce.options()).index_add(0, ei[1], s) + 1e-6;
  return {blocks[0] + num / den, e_hat};
}
torch::Tensor reference_gine(const torch::Tensor& x, const torch::Tensor& e, const torch::Tensor& eps,
                             const torch::Tensor& ei, int64_t n) {
  return (1 + eps) * x +
         torch::zeros({n, x.size(1)}, x.options()).index_add(0, ei[1], torch::relu(x.index_select(0, ei[0]) + e));
}
torch::Tensor reference_gcn(const torch::Tensor& h, const torch::Tensor& s, const torch::Tensor& w,
                            const torch::Tensor& b, const torch::Tensor& ei) {
  return b + s.unsqueeze(1) * h +
         torch::zeros_like(h).index_add(0, ei[1], w.unsqueeze(1) * h.index_select(0, ei[0]));
}

}  // namespace

TEST_CASE("edge incidence groups edge ids by receiver and by sender, in increasing order", "[layers]") {
  const EdgeIncidence inc = EdgeIncidence::build(awkward_edges(), 9, "test");
  CHECK(inc.num_edges == 11);
  CHECK(inc.in_ptr.equal(torch::tensor({0, 1, 4, 5, 8, 8, 9, 10, 11, 11}, torch::kInt64)));
  CHECK(inc.in_edges.equal(torch::tensor({6, 0, 1, 10, 2, 3, 4, 5, 7, 9, 8}, torch::kInt64)));
  CHECK(inc.out_ptr.equal(torch::tensor({0, 2, 3, 4, 7, 7, 8, 10, 11, 11}, torch::kInt64)));
  CHECK(inc.out_edges.equal(torch::tensor({0, 1, 9, 2, 6, 7, 8, 3, 4, 10, 5}, torch::kInt64)));
  CHECK_THROWS_WITH(EdgeIncidence::build(torch::tensor({{0}, {9}}, torch::kInt64), 9, "GINEConv"),
                    "GINEConv: edge_index refers to a node outside [0, 9)");
  CHECK_THROWS_WITH(EdgeIncidence::build(torch::tensor({{-1}, {0}}, torch::kInt64), 9, "GINEConv"),
                    "GINEConv: edge_index refers to a node outside [0, 9)");
  CHECK_THROWS_WITH(EdgeIncidence::build(torch::zeros({3, 2}, torch::kInt64), 9, "GINEConv"),
                    "GINEConv: edge_index must be an int64 tensor of shape [2, E]");
  const EdgeIncidence empty = EdgeIncidence::build(torch::zeros({2, 0}, torch::kInt64), 3, "test");
  CHECK(empty.in_ptr.equal(torch::zeros({4}, torch::kInt64)));
}

TEST_CASE("fused gather_sum, gated_message_passing, gine_aggregate and gcn_propagate equal their composed references, "
          "values and gradients, with isolated nodes, self-loops and repeated edges", "[layers]") {
  torch::manual_seed(11);
  const int64_t n = 9, d = 5;
  const torch::Tensor ei = awkward_edges();
  const int64_t m = ei.size(1);
  const EdgeIncidence inc = EdgeIncidence::build(ei, n, "test");
  const torch::Tensor a = leaf(torch::randn({n, d}, kDouble)), b = leaf(torch::randn({n, d}, kDouble));
  const torch::Tensor c = leaf(torch::randn({m, d}, kDouble));
  // x has exact zeros against e's negatives on one row so ReLU's kink is hit at 0 (gradient 0 there).
  torch::Tensor x0 = torch::randn({n, d}, kDouble);
  torch::Tensor e0 = torch::randn({m, d}, kDouble);
  e0[0] = -x0[0];
  const torch::Tensor x = leaf(x0), e = leaf(e0);
  const torch::Tensor w_edges = torch::randn({m, d}, kDouble), w_nodes = torch::randn({n, d}, kDouble);

  SECTION("gather_sum") {
    const torch::Tensor fused = gather_sum(a, b, c, inc);
    const torch::Tensor ref = reference_gather_sum(a, b, c, ei);
    CHECK(torch::allclose(fused, ref, 1e-14, 1e-14));
    const auto gf = grads_of(fused, w_edges, {a, b, c});
    const auto gr = grads_of(ref, w_edges, {a, b, c});
    for (size_t i = 0; i < 3; ++i) CHECK(torch::allclose(gf[i], gr[i], 1e-13, 1e-13));
    CHECK(torch::allclose(gather_sum(a, b, torch::Tensor(), inc), ref - c, 1e-14, 1e-14));
  }
  SECTION("gated_message_passing") {
    const torch::Tensor projected = leaf(torch::randn({n, 4 * d}, kDouble));
    const auto [h, e_hat] = gated_message_passing(projected, c, inc);
    const auto [h_ref, e_ref] = reference_gated(projected, c, ei, n);
    CHECK(torch::allclose(h, h_ref, 1e-13, 1e-13));
    CHECK(torch::allclose(e_hat, e_ref, 1e-14, 1e-14));
    CHECK(torch::allclose(h[4], projected[4].slice(0, 0, d), 0, 0));  // isolated node: A x only
    const torch::Tensor loss = (h * w_nodes).sum() + (e_hat * w_edges).sum();
    const torch::Tensor loss_ref = (h_ref * w_nodes).sum() + (e_ref * w_edges).sum();
    const auto gf = torch::autograd::grad({loss}, {projected, c});
    const auto gr = torch::autograd::grad({loss_ref}, {projected, c});
    CHECK(torch::allclose(gf[0], gr[0], 1e-12, 1e-12));
    CHECK(torch::allclose(gf[1], gr[1], 1e-12, 1e-12));
    // Only h reaches the loss: the ê output's gradient is undefined and counts as 0.
    const auto gh = torch::autograd::grad({(std::get<0>(gated_message_passing(projected, c, inc)) * w_nodes).sum()},
                                          {projected, c});
    const auto gh_ref = torch::autograd::grad({(std::get<0>(reference_gated(projected, c, ei, n)) * w_nodes).sum()},
                                              {projected, c});
    CHECK(torch::allclose(gh[0], gh_ref[0], 1e-12, 1e-12));
    CHECK(torch::allclose(gh[1], gh_ref[1], 1e-12, 1e-12));
  }
  SECTION("gine_aggregate") {
    const torch::Tensor eps = leaf(torch::full({}, 0.3, kDouble));
    const torch::Tensor fused = gine_aggregate(x, e, eps, inc);
    const torch::Tensor ref = reference_gine(x, e, eps, ei, n);
    CHECK(torch::allclose(fused, ref, 1e-14, 1e-14));
    CHECK(torch::allclose(fused[4], 1.3 * x[4], 1e-15, 0));  // isolated node: (1 + ε) x only
    const auto gf = grads_of(fused, w_nodes, {x, e, eps});
    const auto gr = grads_of(ref, w_nodes, {x, e, eps});
    CHECK(torch::allclose(gf[0], gr[0], 1e-14, 1e-14));
    CHECK(gf[1].equal(gr[1]));
    CHECK(gf[2].item<double>() == Approx(gr[2].item<double>()).epsilon(1e-13));
    CHECK(gf[1][0].abs().max().item<double>() == 0.0);  // the messages of edge 0 sit exactly at the kink
  }
  SECTION("gcn_propagate") {
    const torch::Tensor s = leaf(torch::rand({n}, kDouble)), w = leaf(torch::randn({m}, kDouble));
    const torch::Tensor bias = leaf(torch::randn({d}, kDouble));
    const torch::Tensor fused = gcn_propagate(a, s, w, bias, inc);
    const torch::Tensor ref = reference_gcn(a, s, w, bias, ei);
    CHECK(torch::allclose(fused, ref, 1e-14, 1e-14));
    CHECK(torch::allclose(fused[4], bias + s[4] * a[4], 1e-15, 0));  // isolated node: bias and self loop only
    CHECK(torch::allclose(gcn_propagate(a, s, w, torch::Tensor(), inc), ref - bias, 1e-14, 1e-14));
    const auto gf = grads_of(fused, w_nodes, {a, s, w, bias});
    const auto gr = grads_of(ref, w_nodes, {a, s, w, bias});
    for (size_t i = 0; i < 4; ++i) CHECK(torch::allclose(gf[i], gr[i], 1e-13, 1e-13));
    CHECK_THROWS_WITH(gcn_propagate(a, s.slice(0, 1), w, bias, inc), "gcn_propagate: self_weight must have shape [N]");
    CHECK_THROWS_WITH(gcn_propagate(a, s, w.to(torch::kFloat32), bias, inc),
                      "gcn_propagate: h, the weights and the bias must have one floating type");
  }
}

TEST_CASE("fused message ops: finite-difference gradients in double", "[layers]") {
  torch::manual_seed(12);
  const int64_t n = 6, d = 3;
  const torch::Tensor ei = torch::tensor({{0, 1, 2, 3, 4, 0, 2}, {1, 2, 0, 1, 1, 3, 2}}, torch::kInt64);
  const EdgeIncidence inc = EdgeIncidence::build(ei, n, "test");
  const torch::Tensor projected = torch::randn({n, 4 * d}, kDouble), ce = torch::randn({7, d}, kDouble);
  const torch::Tensor w_nodes = torch::randn({n, d}, kDouble), w_edges = torch::randn({7, d}, kDouble);
  const std::function<double(const torch::Tensor&, const torch::Tensor&)> loss =
      [&](const torch::Tensor& p, const torch::Tensor& c) {
        const auto [h, e] = gated_message_passing(p, c, inc);
        return ((h * w_nodes).sum() + (e.pow(2) * w_edges).sum()).item<double>();
      };
  const torch::Tensor pl = leaf(projected), cl = leaf(ce);
  const auto [h, e] = gated_message_passing(pl, cl, inc);
  const auto analytic = torch::autograd::grad({(h * w_nodes).sum() + (e.pow(2) * w_edges).sum()}, {pl, cl});
  const double step = 1e-6;
  for (int64_t k = 0; k < projected.numel(); ++k) {
    torch::Tensor up = projected.clone(), down = projected.clone();
    up.view(-1)[k] += step;
    down.view(-1)[k] -= step;
    CHECK(analytic[0].view(-1)[k].item<double>() ==
          Approx((loss(up, ce) - loss(down, ce)) / (2 * step)).margin(1e-8));
  }
  for (int64_t k = 0; k < ce.numel(); ++k) {
    torch::Tensor up = ce.clone(), down = ce.clone();
    up.view(-1)[k] += step;
    down.view(-1)[k] -= step;
    CHECK(analytic[1].view(-1)[k].item<double>() ==
          Approx((loss(projected, up) - loss(projected, down)) / (2 * step)).margin(1e-8));
  }
}

TEST_CASE("fused message ops are bitwise identical for 1 and 2 threads and accept column views", "[layers]") {
  torch::manual_seed(13);
  const int64_t n = 3000, d = 64;
  const torch::Tensor ei = torch::randint(0, n, {2, 12000}, torch::kInt64);
  const EdgeIncidence inc = EdgeIncidence::build(ei, n, "test");
  const torch::Tensor wide = leaf(torch::randn({n, 4 * d}));
  const torch::Tensor e = leaf(torch::randn({12000, d}));
  const torch::Tensor eps = leaf(torch::full({}, -0.2));
  const torch::Tensor s = leaf(torch::rand({n})), w = leaf(torch::rand({12000})), bias = leaf(torch::randn({d}));
  auto run = [&](int threads) {
    torch::set_num_threads(threads);
    const std::vector<torch::Tensor> parts = wide.split(d, 1);  // [n, d] views with row stride 4d
    const torch::Tensor edges = gather_sum(parts[0], parts[1], e, inc);
    const auto [h, e_hat] = gated_message_passing(wide, edges, inc);
    const torch::Tensor out = h + gine_aggregate(parts[2], e, eps, inc) + gcn_propagate(parts[3], s, w, bias, inc);
    const auto g = torch::autograd::grad({out.pow(2).sum() + e_hat.pow(2).sum()}, {wide, e, eps, s, w, bias});
    return std::vector<torch::Tensor>{out, e_hat, g[0], g[1], g[2], g[3], g[4], g[5]};
  };
  const int threads = torch::get_num_threads();
  const auto one = run(1);
  const auto two = run(2);
  torch::set_num_threads(threads);
  for (size_t i = 0; i < one.size(); ++i) CHECK(one[i].equal(two[i]));
  const std::vector<torch::Tensor> parts = wide.detach().split(d, 1);
  const torch::Tensor ref = reference_gather_sum(parts[0], parts[1], e.detach(), ei);
  CHECK(torch::allclose(gather_sum(parts[0], parts[1], e.detach(), inc), ref, 1e-6, 1e-6));
  CHECK(torch::allclose(gine_aggregate(parts[2], e.detach(), eps.detach(), inc),
                        reference_gine(parts[2], e.detach(), eps.detach(), ei, n), 1e-5, 1e-5));
  CHECK(torch::allclose(gcn_propagate(parts[3], s.detach(), w.detach(), bias.detach(), inc),
                        reference_gcn(parts[3], s.detach(), w.detach(), bias.detach(), ei), 1e-5, 1e-5));
}
