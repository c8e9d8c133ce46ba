// The fused attention kernels (segment_attention, edge_dot_scores, grit_pair_scores) against their
// composed ATen references in double, values and gradients, on a graph with isolated nodes, a
// self-loop and a repeated edge; central differences; 1 vs 2 threads bitwise.
#include "graph/errors.hpp"
#include "layers/edge_dot_scores.hpp"
#include "layers/edge_incidence.hpp"
#include "layers/grit_attention.hpp"
#include "layers/grit_pair_scores.hpp"
#include "layers/segment_attention.hpp"
#include "layers/segment_ops.hpp"

#include "tests/layers/gnn_test_support.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace graphtx;
using graphtx::testing::check_finite_differences;

namespace {

const auto kDouble = torch::TensorOptions().dtype(torch::kFloat64);

// 9 nodes: node 4 and node 8 isolated, a self-loop on 2, a doubled edge 0 -> 1, hub 3.
torch::Tensor awkward_edges() {
  return torch::tensor({{0, 0, 2, 5, 6, 7, 3, 3, 3, 1, 6}, {1, 1, 2, 3, 3, 3, 0, 5, 7, 6, 1}}, torch::kInt64);
}

torch::Tensor leaf(const torch::Tensor& t) { return t.detach().clone().set_requires_grad(true); }

// Σ_t <outs[t], weights[t]> differentiated with respect to inputs.
std::vector<torch::Tensor> grads_of(const std::vector<torch::Tensor>& outs, const std::vector<torch::Tensor>& weights,
                                    const std::vector<torch::Tensor>& inputs) {
  torch::Tensor loss = torch::zeros({}, outs[0].options());
  for (size_t t = 0; t < outs.size(); ++t) loss = loss + (outs[t] * weights[t]).sum();
  return torch::autograd::grad({loss}, inputs, {}, false, false, true);
}

// An undefined gradient (an input the loss does not reach) counts as 0.
void check_close(const std::vector<torch::Tensor>& got, const std::vector<torch::Tensor>& want, double tol) {
  REQUIRE(got.size() == want.size());
  for (size_t t = 0; t < got.size(); ++t) {
    INFO("tensor " << t);
    REQUIRE((got[t].defined() || want[t].defined()));
    const torch::Tensor a = got[t].defined() ? got[t] : torch::zeros_like(want[t]);
    const torch::Tensor b = want[t].defined() ? want[t] : torch::zeros_like(got[t]);
    CHECK(torch::allclose(a, b, tol, tol));
  }
}

// The composed references, op by op as the layers wrote them before the fused kernels.
std::vector<torch::Tensor> reference_attention(const torch::Tensor& scores, const torch::Tensor& v,
                                               const torch::Tensor& u, const torch::Tensor& keep,
                                               const torch::Tensor& ei, int64_t n) {
  const int64_t m = ei.size(1), heads = scores.size(1), d = v.size(1);
  torch::Tensor w = segment_softmax(scores, ei[1], n);
  if (keep.defined()) w = w * keep;
  w = w.unsqueeze(-1);
  std::vector<torch::Tensor> out{
      segment_sum(v.index_select(0, ei[0]).view({m, heads, d / heads}) * w, ei[1], n).view({n, d})};
  if (u.defined()) out.push_back(segment_sum(u.view({m, heads, d / heads}) * w, ei[1], n).view({n, d}));
  return out;
}

std::vector<torch::Tensor> reference_dot_scores(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& c,
                                                int64_t heads, double scale, const torch::Tensor& ei) {
  const int64_t m = ei.size(1), d = q.size(1);
  torch::Tensor pair = q.index_select(0, ei[1]) * k.index_select(0, ei[0]) * scale;
  if (c.defined()) pair = pair * c;
  const torch::Tensor scores = pair.view({m, heads, d / heads}).sum(-1);
  return c.defined() ? std::vector<torch::Tensor>{scores, pair} : std::vector<torch::Tensor>{scores};
}

std::vector<torch::Tensor> reference_grit(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& wb,
                                          const torch::Tensor& A, double clamp, const torch::Tensor& ei) {
  const int64_t m = ei.size(1);
  const auto parts = wb.chunk(2, 1);
  const torch::Tensor qk = q.index_select(0, ei[1]) + k.index_select(0, ei[0]);
  const torch::Tensor e_hat = torch::relu(signed_sqrt(qk * parts[0]) + parts[1]);
  const torch::Tensor scores = (e_hat.view({m, A.size(0), A.size(1)}) * A).sum(-1).clamp(-clamp, clamp);
  return {e_hat, scores};
}

}  // namespace

TEST_CASE("segment_attention equals segment_softmax and weighted segment sums, values and gradients, "
          "with isolated nodes, self-loops and repeated edges",
          "[layers]") {
  torch::manual_seed(31);
  const int64_t n = 9, d = 6, heads = 2;
  const torch::Tensor ei = awkward_edges();
  const int64_t m = ei.size(1);
  const EdgeIncidence inc = EdgeIncidence::build(ei, n, "test");
  const torch::Tensor scores = leaf(torch::randn({m, heads}, kDouble) * 3);
  const torch::Tensor v = leaf(torch::randn({n, d}, kDouble)), u = leaf(torch::randn({m, d}, kDouble));
  const torch::Tensor keep = torch::randint(0, 2, {m, heads}, kDouble) * 2;  // a dropout mask for p = 1/2
  const std::vector<torch::Tensor> w{torch::randn({n, d}, kDouble), torch::randn({n, d}, kDouble)};
  for (const bool with_u : {false, true})
    for (const bool with_keep : {false, true}) {
      INFO("u " << with_u << ", keep " << with_keep);
      const torch::Tensor uu = with_u ? u : torch::Tensor(), kk = with_keep ? keep : torch::Tensor();
      const auto fused = segment_attention(scores, v, uu, kk, inc);
      const auto ref = reference_attention(scores, v, uu, kk, ei, n);
      check_close(fused, ref, 1e-14);
      CHECK(fused[0][4].abs().max().item<double>() == 0);  // isolated: 0
      const std::vector<torch::Tensor> inputs = with_u ? std::vector<torch::Tensor>{scores, v, u}
                                                       : std::vector<torch::Tensor>{scores, v};
      check_close(grads_of(fused, w, inputs), grads_of(ref, w, inputs), 1e-13);
    }
  // Only out reaches the loss: out_u's gradient counts as 0.
  const auto only_out = segment_attention(scores, v, u, keep, inc);
  check_close(grads_of({only_out[0]}, {w[0]}, {scores, v, u}),
              grads_of({reference_attention(scores, v, u, keep, ei, n)[0]}, {w[0]}, {scores, v, u}), 1e-13);
  // Huge scores: the max is subtracted, so no overflow; the weights of a receiver still sum to 1.
  const torch::Tensor huge = scores.detach() * 1e30;
  const torch::Tensor ones = torch::ones({n, d}, kDouble);
  const torch::Tensor total = segment_attention(huge, ones, {}, {}, inc)[0];
  CHECK(torch::isfinite(total).all().item<bool>());
  const torch::Tensor receives = (segment_count(ei[1], n) > 0).to(torch::kFloat64).unsqueeze(1).expand({n, d});
  CHECK(torch::allclose(total, receives, 0, 1e-12));
}

TEST_CASE("edge_dot_scores equals the gathered products and per-head sums, values and gradients", "[layers]") {
  torch::manual_seed(32);
  const int64_t n = 9, d = 6, heads = 3;
  const torch::Tensor ei = awkward_edges();
  const int64_t m = ei.size(1);
  const EdgeIncidence inc = EdgeIncidence::build(ei, n, "test");
  const torch::Tensor q = leaf(torch::randn({n, d}, kDouble)), k = leaf(torch::randn({n, d}, kDouble));
  const torch::Tensor c = leaf(torch::randn({m, d}, kDouble));
  const std::vector<torch::Tensor> w{torch::randn({m, heads}, kDouble), torch::randn({m, d}, kDouble)};
  for (const bool with_c : {false, true}) {
    INFO("c " << with_c);
    const torch::Tensor cc = with_c ? c : torch::Tensor();
    const auto fused = edge_dot_scores(q, k, cc, heads, 0.7, inc);
    const auto ref = reference_dot_scores(q, k, cc, heads, 0.7, ei);
    check_close(fused, ref, 1e-14);
    const std::vector<torch::Tensor> inputs = with_c ? std::vector<torch::Tensor>{q, k, c} : std::vector<torch::Tensor>{q, k};
    check_close(grads_of(fused, w, inputs), grads_of(ref, w, inputs), 1e-13);
  }
  const auto only_scores = edge_dot_scores(q, k, c, heads, 0.7, inc);
  check_close(grads_of({only_scores[0]}, {w[0]}, {q, k, c}),
              grads_of({reference_dot_scores(q, k, c, heads, 0.7, ei)[0]}, {w[0]}, {q, k, c}), 1e-13);
  CHECK_THROWS_AS(edge_dot_scores(q, k, c, 4, 0.7, inc), UsageError);
}

TEST_CASE("grit_pair_scores equals GRIT's composed pair update and clamped scores, values and gradients", "[layers]") {
  torch::manual_seed(33);
  const int64_t n = 9, d = 6, heads = 2;
  const torch::Tensor ei = awkward_edges();
  const int64_t m = ei.size(1);
  const EdgeIncidence inc = EdgeIncidence::build(ei, n, "test");
  const torch::Tensor q = leaf(torch::randn({n, d}, kDouble)), k = leaf(torch::randn({n, d}, kDouble));
  torch::Tensor wb0 = torch::randn({m, 2 * d}, kDouble);
  wb0[3].slice(0, 0, d).zero_();  // ρ's argument exactly 0 on pair 3: gradient 0 there
  const torch::Tensor wb = leaf(wb0), A = leaf(torch::randn({heads, d / heads}, kDouble) * 2);
  const std::vector<torch::Tensor> w{torch::randn({m, d}, kDouble), torch::randn({m, heads}, kDouble)};
  for (const double clamp : {5.0, 0.5}) {  // 0.5: most scores are clamped
    INFO("clamp " << clamp);
    const auto fused = grit_pair_scores(q, k, wb, A, clamp, inc);
    const auto ref = reference_grit(q, k, wb, A, clamp, ei);
    check_close(fused, ref, 1e-14);
    check_close(grads_of(fused, w, {q, k, wb, A}), grads_of(ref, w, {q, k, wb, A}), 1e-13);
  }
  const auto g = grads_of(grit_pair_scores(q, k, wb, A, 5.0, inc), w, {wb});
  CHECK(torch::isfinite(g[0]).all().item<bool>());
  CHECK(g[0][3].slice(0, 0, d).abs().max().item<double>() == 0);
}

TEST_CASE("sparse GRITAttention with attention dropout draws the composed layer's dropout mask", "[layers]") {
  torch::manual_seed(36);
  const int64_t n = 9, d = 6, heads = 2;
  const torch::Tensor ei = awkward_edges();
  const int64_t m = ei.size(1);
  GRITAttention attention(GRITAttentionOptions(d, heads).dropout(0.5));
  attention->to(torch::kFloat64);
  const torch::Tensor x = torch::randn({n, d}, kDouble), pairs = torch::randn({m, d}, kDouble);
  torch::manual_seed(7);
  const auto [out, e_hat] = attention(x, ei, pairs);
  const std::vector<torch::Tensor> ref = reference_grit(attention->Q(x), attention->K(x), attention->E(pairs),
                                                        attention->A, 5.0, ei);
  torch::manual_seed(7);
  const torch::Tensor alpha = torch::dropout(segment_softmax(ref[1], ei[1], n), 0.5, true).unsqueeze(-1);
  const torch::Tensor node_part =
      segment_sum(attention->V(x).view({n, heads, d / heads}).index_select(0, ei[0]) * alpha, ei[1], n);
  const torch::Tensor pair_sum = segment_sum(ref[0].view({m, heads, d / heads}) * alpha, ei[1], n);
  const torch::Tensor expected = node_part + torch::einsum("nhd,hdc->nhc", {pair_sum, attention->Ev});
  CHECK(torch::allclose(out, expected.view({n, d}), 1e-13, 1e-13));
  CHECK(torch::allclose(e_hat, ref[0], 1e-14, 1e-14));
  CHECK(alpha.eq(0).any().item<bool>());  // the mask dropped some weights
}

TEST_CASE("fused attention ops: finite-difference gradients in double", "[layers]") {
  torch::manual_seed(34);
  const int64_t n = 6, d = 4, heads = 2;
  const torch::Tensor ei = torch::tensor({{0, 1, 2, 3, 4, 0, 2, 5}, {1, 2, 0, 1, 1, 3, 2, 1}}, torch::kInt64);
  const int64_t m = ei.size(1);
  const EdgeIncidence inc = EdgeIncidence::build(ei, n, "test");
  const torch::Tensor q = leaf(torch::randn({n, d}, kDouble)), k = leaf(torch::randn({n, d}, kDouble));
  const torch::Tensor v = leaf(torch::randn({n, d}, kDouble)), c = leaf(torch::randn({m, d}, kDouble));
  const torch::Tensor wb = leaf(torch::randn({m, 2 * d}, kDouble)), A = leaf(torch::randn({heads, d / heads}, kDouble));
  const torch::Tensor keep = torch::rand({m, heads}, kDouble);
  const torch::Tensor wn = torch::randn({n, d}, kDouble), we = torch::randn({m, d}, kDouble);
  check_finite_differences(
      [&] {
        const auto scored = edge_dot_scores(q, k, c, heads, 0.5, inc);
        const torch::Tensor out = segment_attention(scored[0], v, {}, {}, inc)[0];
        return (out * wn).sum() + (scored[1].pow(2) * we).sum();
      },
      {q, k, v, c});
  check_finite_differences(
      [&] {
        const auto scored = grit_pair_scores(q, k, wb, A, 1.0, inc);
        const auto sums = segment_attention(scored[1], v, scored[0], keep, inc);
        return (sums[0] * wn).sum() + (sums[1].pow(2) * wn).sum() + (scored[0] * we).sum();
      },
      {q, k, v, wb, A});
}

TEST_CASE("fused attention ops are bitwise identical for 1 and 2 threads and accept column views", "[layers]") {
  torch::manual_seed(35);
  const int64_t n = 3000, m = 12000, d = 64, heads = 8;
  const torch::Tensor ei = torch::randint(0, n, {2, m}, torch::kInt64);
  const EdgeIncidence inc = EdgeIncidence::build(ei, n, "test");
  const torch::Tensor wide = leaf(torch::randn({n, 3 * d}));
  const torch::Tensor c = leaf(torch::randn({m, d})), wb = leaf(torch::randn({m, 2 * d}));
  const torch::Tensor A = leaf(torch::randn({heads, d / heads}));
  const torch::Tensor keep = torch::dropout(torch::ones({m, heads}), 0.3, true);
  auto run = [&](int threads) {
    torch::set_num_threads(threads);
    const std::vector<torch::Tensor> parts = wide.split(d, 1);  // [n, d] views with row stride 3d
    const auto dot = edge_dot_scores(parts[0], parts[1], c, heads, 0.25, inc);
    const torch::Tensor gt = segment_attention(dot[0], parts[2], {}, {}, inc)[0];
    const auto grit = grit_pair_scores(parts[0], parts[1], wb, A, 5.0, inc);
    const auto sums = segment_attention(grit[1], parts[2], grit[0], keep, inc);
    const auto g = torch::autograd::grad(
        {gt.pow(2).sum() + dot[1].pow(2).sum() + sums[0].pow(2).sum() + sums[1].pow(2).sum() + grit[0].sum()},
        {wide, c, wb, A});
    return std::vector<torch::Tensor>{gt, dot[1], sums[0], sums[1], g[0], g[1], g[2], g[3]};
  };
  const int threads = torch::get_num_threads();
  const auto one = run(1);
  const auto two = run(2);
  torch::set_num_threads(threads);
  for (size_t t = 0; t < one.size(); ++t) {
    INFO("tensor " << t);
    CHECK(one[t].equal(two[t]));
  }
  const std::vector<torch::Tensor> parts = wide.detach().split(d, 1);
  const auto ref = reference_grit(parts[0], parts[1], wb.detach(), A.detach(), 5.0, ei);
  check_close(grit_pair_scores(parts[0], parts[1], wb.detach(), A.detach(), 5.0, inc), ref, 1e-5);
  check_close(segment_attention(ref[1], parts[2], ref[0], keep, inc),
              reference_attention(ref[1], parts[2], ref[0], keep, ei, n), 1e-5);
}
