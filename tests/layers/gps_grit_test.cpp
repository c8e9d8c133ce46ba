// GlobalAttention, GPSLayer, GRIT attention / layer with RRWP pairs, Graphormer biases: reference
// values, masks and padding, permutation equivariance, direction, gradients.
#include "graph/errors.hpp"
#include "layers/batched_graph.hpp"
#include "layers/global_attention.hpp"
#include "layers/gps_layer.hpp"
#include "layers/graphormer_bias.hpp"
#include "layers/graphormer_degree.hpp"
#include "layers/grit_layer.hpp"
#include "layers/segment_ops.hpp"

#include "tests/layers/gnn_test_support.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace graphtx;
using namespace graphtx::testing;

namespace {

// Three graphs: directed 4-cycle with chord plus isolated node 4 (nodes 0-4), path 5-6-7, node 8 alone.
torch::Tensor sample_edge_index() {
  return make_edge_index({{0, 1}, {1, 2}, {2, 3}, {3, 0}, {0, 2}, {5, 6}, {6, 5}, {6, 7}, {7, 6}});
}
torch::Tensor sample_ptr() { return torch::tensor({0, 5, 8, 9}, torch::kInt64); }
constexpr int64_t kSampleNodes = 9;
// A relabelling that keeps every node in its graph.
torch::Tensor sample_permutation() { return torch::tensor({3, 0, 4, 1, 2, 7, 5, 6, 8}, torch::kInt64); }

// All ordered pairs (j, i) of nodes of the same graph, self-pairs included, row 0 = j, row 1 = i,
// ordered by (graph, i, j) like the true entries of a dense [B, N, N] mask.
torch::Tensor all_pairs(const torch::Tensor& ptr) {
  Edges pairs;
  for (int64_t g = 0; g + 1 < ptr.size(0); ++g) {
    const int64_t begin = ptr[g].item<int64_t>();
    const int64_t end = ptr[g + 1].item<int64_t>();
    for (int64_t i = begin; i < end; ++i)
      for (int64_t j = begin; j < end; ++j) pairs.push_back({j, i});
  }
  return make_edge_index(pairs);
}

// RRWP [B, Nmax, Nmax, K]: channel k holds (D^-1 A)^k with A[i, j] = 1 for an edge i -> j.
torch::Tensor dense_rrwp(const torch::Tensor& edge_index, const torch::Tensor& ptr, int64_t steps) {
  const int64_t n = ptr[-1].item<int64_t>();
  torch::Tensor adjacency = torch::zeros({n, n}, torch::kFloat64);
  adjacency.index_put_({edge_index[0], edge_index[1]}, 1.0);
  const torch::Tensor walk = adjacency / adjacency.sum(1, true).clamp_min(1.0);
  std::vector<torch::Tensor> powers{torch::eye(n, torch::kFloat64)};
  for (int64_t k = 1; k < steps; ++k) powers.push_back(powers.back().matmul(walk));
  const torch::Tensor flat = torch::stack(powers, -1);  // [n, n, K]
  auto [rows, mask] = to_dense(flat, ptr);              // [B, Nmax, n, K]
  const int64_t b = rows.size(0), nmax = rows.size(1);
  torch::Tensor dense = torch::zeros({b, nmax, nmax, steps}, torch::kFloat64);
  for (int64_t g = 0; g < b; ++g) {
    const int64_t begin = ptr[g].item<int64_t>();
    const int64_t size = ptr[g + 1].item<int64_t>() - begin;
    dense[g].slice(0, 0, size).slice(1, 0, size).copy_(rows[g].slice(0, 0, size).slice(1, begin, begin + size));
  }
  return dense.to(torch::kFloat32);
}

// Shortest-path hop counts [B, Nmax, Nmax] along edge direction, -1 when unreachable (Floyd-Warshall).
torch::Tensor dense_spd(const torch::Tensor& edge_index, const torch::Tensor& ptr) {
  const int64_t n = ptr[-1].item<int64_t>();
  const int64_t unreachable = 1000;
  std::vector<std::vector<int64_t>> dist(n, std::vector<int64_t>(n, unreachable));
  for (int64_t i = 0; i < n; ++i) dist[i][i] = 0;
  for (int64_t k = 0; k < edge_index.size(1); ++k) dist[edge_index[0][k].item<int64_t>()][edge_index[1][k].item<int64_t>()] = 1;
  for (int64_t k = 0; k < n; ++k)
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j) dist[i][j] = std::min(dist[i][j], dist[i][k] + dist[k][j]);
  const int64_t b = ptr.size(0) - 1;
  const int64_t nmax = (ptr.slice(0, 1) - ptr.slice(0, 0, -1)).max().item<int64_t>();
  torch::Tensor spd = torch::full({b, nmax, nmax}, -1, torch::kInt64);
  for (int64_t g = 0; g < b; ++g) {
    const int64_t begin = ptr[g].item<int64_t>();
    for (int64_t i = begin; i < ptr[g + 1].item<int64_t>(); ++i)
      for (int64_t j = begin; j < ptr[g + 1].item<int64_t>(); ++j)
        spd[g][i - begin][j - begin] = dist[i][j] >= unreachable ? -1 : dist[i][j];
  }
  return spd;
}

}  // namespace

TEST_CASE("GlobalAttention matches per-graph softmax attention with an additive bias", "[layers]") {
  torch::manual_seed(11);
  const int64_t d = 4, heads = 2, dh = 2;
  GlobalAttention attention(d, heads);
  const torch::Tensor mask = torch::tensor({{true, true, true, false, false}, {true, true, false, false, false}});
  const torch::Tensor x = torch::randn({2, 5, d});
  const torch::Tensor bias = torch::randn({2, heads, 5, 5});
  const torch::Tensor out = attention(x, mask, bias);
  const std::vector<int64_t> sizes{3, 2};
  for (int64_t b = 0; b < 2; ++b) {
    const int64_t n = sizes[b];
    const torch::Tensor projected = attention->qkv(x[b].slice(0, 0, n));
    std::vector<torch::Tensor> per_head;
    for (int64_t h = 0; h < heads; ++h) {
      const torch::Tensor q = projected.slice(1, h * dh, (h + 1) * dh);
      const torch::Tensor k = projected.slice(1, d + h * dh, d + (h + 1) * dh);
      const torch::Tensor v = projected.slice(1, 2 * d + h * dh, 2 * d + (h + 1) * dh);
      const torch::Tensor scores = q.matmul(k.t()) / std::sqrt(2.0) + bias[b][h].slice(0, 0, n).slice(1, 0, n);
      per_head.push_back(torch::softmax(scores, 1).matmul(v));
    }
    CHECK(torch::allclose(out[b].slice(0, 0, n), attention->out(torch::cat(per_head, 1)), 1e-5, 1e-6));
    CHECK(out[b].slice(0, n).abs().max().item<float>() == 0.0f);
  }

  // Padding invariance: other padded values, other bias on padded pairs, less padding.
  const torch::Tensor garbage = torch::randn({2, 5, d}) * 100;
  const torch::Tensor mask3 = mask.unsqueeze(-1);
  const torch::Tensor repadded = torch::where(mask3, x, garbage);
  const torch::Tensor pair_mask = (mask.unsqueeze(2) & mask.unsqueeze(1)).unsqueeze(1);
  const torch::Tensor rebiased = torch::where(pair_mask, bias, torch::randn_like(bias) * 100);
  CHECK(torch::allclose(attention(repadded, mask, rebiased), out, 1e-5, 1e-6));
  const torch::Tensor trimmed = attention(x.slice(1, 0, 3), mask.slice(1, 0, 3), bias.slice(2, 0, 3).slice(3, 0, 3));
  CHECK(torch::allclose(trimmed, out.slice(1, 0, 3), 1e-5, 1e-6));

  // A graph without nodes gives zeros, never NaN; bad bias is rejected.
  const torch::Tensor empty_mask = torch::zeros({1, 5}, torch::kBool);
  const torch::Tensor leaf = torch::randn({1, 5, d}, torch::requires_grad());
  const torch::Tensor none = attention(leaf, empty_mask);
  CHECK(none.abs().max().item<float>() == 0.0f);
  none.sum().backward();
  CHECK(torch::isfinite(leaf.grad()).all().item<bool>());
  CHECK_THROWS_AS(attention(x, mask, bias.fill_(std::nan(""))), UsageError);
  CHECK_THROWS_AS(attention(x, mask, torch::zeros({2, 1, 5, 5})), UsageError);
}

TEST_CASE("GPSLayer is permutation equivariant, padding invariant and direction aware", "[layers]") {
  torch::manual_seed(12);
  const int64_t d = 8;
  const torch::Tensor x = torch::randn({kSampleNodes, d});
  const torch::Tensor edge_index = sample_edge_index();
  const torch::Tensor e = torch::randn({edge_index.size(1), d});
  const torch::Tensor ptr = sample_ptr();
  const torch::Tensor perm = sample_permutation();
  const torch::Tensor permuted = relabel(edge_index, perm);

  for (const GPSLocalModel local : {GPSLocalModel::gine, GPSLocalModel::gated_gcn, GPSLocalModel::none}) {
    for (const GPSNorm norm : {GPSNorm::batch, GPSNorm::layer}) {
      GPSLayer layer(GPSLayerOptions(d, 2).local_model(local).norm(norm));
      INFO("local model " << static_cast<int>(local) << ", norm " << static_cast<int>(norm));
      auto [h, h_e] = layer(x, edge_index, e, ptr);
      REQUIRE(h.sizes() == x.sizes());
      REQUIRE(h_e.sizes() == e.sizes());
      CHECK(torch::isfinite(h).all().item<bool>());
      auto [hp, hp_e] = layer(x.index({perm}), permuted, e, ptr);
      CHECK(torch::allclose(hp, h.index({perm}), 1e-4, 1e-5));
      CHECK(torch::allclose(hp_e, h_e, 1e-4, 1e-5));
      // A zero bias padded to 7 nodes per graph changes nothing.
      auto [padded, padded_e] = layer(x, edge_index, e, ptr, torch::zeros({3, 2, 7, 7}));
      CHECK(torch::allclose(padded, h, 1e-4, 1e-5));
      auto [reversed, reversed_e] = layer(x, edge_index.flip(0), e, ptr);
      if (local == GPSLocalModel::none) {
        CHECK(torch::allclose(reversed, h, 1e-4, 1e-5));  // global attention alone ignores edges
      } else {
        CHECK_FALSE(torch::allclose(reversed, h, 1e-3, 1e-3));
      }
    }
  }
  CHECK_THROWS_AS(GPSLayer(GPSLayerOptions(d, 2).local_model(GPSLocalModel::none).global_attention(false)), UsageError);
  CHECK_THROWS_AS(GPSLayer(GPSLayerOptions(d, 3)), UsageError);
}

TEST_CASE("GPSLayer with a Graphormer SPD bias and degree embedding", "[layers]") {
  torch::manual_seed(13);
  const int64_t d = 8, heads = 2;
  const torch::Tensor edge_index = sample_edge_index();
  const torch::Tensor ptr = sample_ptr();
  const torch::Tensor spd = dense_spd(edge_index, ptr);
  CHECK(spd[0][0][3].item<int64_t>() == 2);  // 0 -> 2 -> 3
  CHECK(spd[0][3][0].item<int64_t>() == 1);
  CHECK(spd[0][0][4].item<int64_t>() == -1);

  GraphormerBias bias_module(GraphormerBiasOptions(heads).max_distance(1));
  const torch::Tensor mask = to_dense(torch::zeros({kSampleNodes, 1}), ptr).second;
  const torch::Tensor bias = bias_module(spd, mask);
  REQUIRE(bias.sizes() == torch::IntArrayRef({3, heads, 5, 5}));
  const torch::Tensor table = bias_module->distance_bias->weight;  // ids 0, 1 (capped), 2 = unreachable
  for (int64_t h = 0; h < heads; ++h) {
    CHECK(bias[0][h][0][0].item<float>() == table[0][h].item<float>());
    CHECK(bias[0][h][3][0].item<float>() == table[1][h].item<float>());
    CHECK(bias[0][h][0][3].item<float>() == table[1][h].item<float>());  // distance 2, capped to 1
    CHECK(bias[0][h][0][4].item<float>() == table[2][h].item<float>());
    CHECK(bias[2][h][0][1].item<float>() == 0.0f);  // padding
  }

  GraphormerDegreeEmbedding degree_module(2, d);
  const torch::Tensor in_degree = segment_count(edge_index[1], kSampleNodes);
  const torch::Tensor out_degree = segment_count(edge_index[0], kSampleNodes);
  const torch::Tensor degree_embedding = degree_module(in_degree, out_degree);
  // Node 2 has in-degree 2 and out-degree 1.
  CHECK(torch::allclose(degree_embedding[2],
                        degree_module->in_embedding->weight[2] + degree_module->out_embedding->weight[1]));
  CHECK(torch::allclose(degree_module(torch::tensor({7}, torch::kInt64), torch::tensor({0}, torch::kInt64)),
                        (degree_module->in_embedding->weight[2] + degree_module->out_embedding->weight[0]).unsqueeze(0)));

  GPSLayer layer(GPSLayerOptions(d, heads));
  const torch::Tensor x = torch::randn({kSampleNodes, d}) + degree_embedding;
  const torch::Tensor e = torch::randn({edge_index.size(1), d});
  auto [with_bias, unused_e] = layer(x, edge_index, e, ptr, bias);
  auto [without_bias, unused_e2] = layer(x, edge_index, e, ptr);
  CHECK_FALSE(torch::allclose(with_bias, without_bias, 1e-3, 1e-3));
  ((with_bias * torch::randn_like(with_bias)).sum()).backward();
  check_all_parameters_get_gradients(*bias_module);
  check_all_parameters_get_gradients(*degree_module);
  check_all_parameters_get_gradients(*layer);

  // Virtual node at index 0: its row and column carry the learned per-head scalar.
  GraphormerBias virtual_module(GraphormerBiasOptions(heads).max_distance(3).virtual_node(true));
  {
    torch::NoGradGuard no_grad;
    virtual_module->virtual_bias.copy_(torch::tensor({0.5f, -2.0f}));
  }
  const torch::Tensor with_virtual = virtual_module(spd, mask);
  REQUIRE(with_virtual.sizes() == torch::IntArrayRef({3, heads, 6, 6}));
  CHECK(with_virtual[1][1][0][3].item<float>() == -2.0f);
  CHECK(with_virtual[1][0][2][0].item<float>() == 0.5f);
  CHECK(with_virtual[1][0][0][4].item<float>() == 0.0f);  // graph 1 has 3 nodes: column 4 is padding
  const torch::Tensor virtual_table = virtual_module->distance_bias->weight;
  CHECK(with_virtual[0][0][2][3].item<float>() == virtual_table[1][0].item<float>());  // 1 -> 2
  CHECK(with_virtual[0][1][1][4].item<float>() == virtual_table[2][1].item<float>());  // 0 -> 2 -> 3
}

TEST_CASE("signed_sqrt is sign(x) sqrt(|x|) with a finite gradient at 0", "[layers]") {
  const torch::Tensor x = torch::tensor({-4.0, -0.25, 0.0, 0.25, 9.0}, torch::kFloat64).requires_grad_();
  const torch::Tensor y = signed_sqrt(x);
  CHECK(torch::allclose(y, torch::tensor({-2.0, -0.5, 0.0, 0.5, 3.0}, torch::kFloat64)));
  y.sum().backward();
  CHECK(torch::allclose(x.grad(), torch::tensor({0.25, 1.0, 0.0, 1.0, 1.0 / 6.0}, torch::kFloat64)));

  // Fused kernel on a non-contiguous float input: same values as the formula; in double, the
  // gradient matches central differences away from 0.
  torch::manual_seed(21);
  const torch::Tensor wide = torch::randn({64, 50}).t();
  CHECK(torch::allclose(signed_sqrt(wide), wide.sign() * wide.abs().sqrt(), 0, 1e-7));
  const torch::Tensor away = (torch::rand({4, 5}, torch::kFloat64) + 0.1) * (torch::randint(0, 2, {4, 5}) * 2 - 1);
  const torch::Tensor input = away.clone().requires_grad_();
  const torch::Tensor upstream = torch::randn({4, 5}, torch::kFloat64);
  (signed_sqrt(input) * upstream).sum().backward();
  torch::NoGradGuard no_grad;
  const double h = 1e-6;
  const torch::Tensor central =
      ((away + h).sign() * (away + h).abs().sqrt() - (away - h).sign() * (away - h).abs().sqrt()) / (2 * h);
  CHECK(torch::allclose(input.grad(), central * upstream, 1e-6, 1e-8));
}

TEST_CASE("GRITAttention matches the equations of layers.md written as loops", "[layers]") {
  torch::manual_seed(14);
  const int64_t d = 4, heads = 2, dh = 2;
  GRITAttention attention(d, heads);
  const torch::Tensor x = torch::randn({4, d});
  const Edges edges{{0, 1}, {2, 1}, {1, 1}, {3, 0}, {1, 0}};  // (j, i); node 2 and 3 receive nothing
  const torch::Tensor pairs = torch::randn({5, d});
  for (const double scale : {1.0, 100.0}) {  // 100: most scores hit the ±5 clamp
    INFO("scale of W_A " << scale);
    {
      torch::NoGradGuard no_grad;
      attention->A.mul_(scale);
    }
    auto [out, updated] = attention(x, make_edge_index(edges), pairs);
    std::vector<torch::Tensor> e_hat, score;
    for (size_t k = 0; k < edges.size(); ++k) {
      const auto [j, i] = edges[k];
      const torch::Tensor projected = attention->E(pairs[k]);
      const torch::Tensor qk = attention->Q(x[i]) + attention->K(x[j]);
      const torch::Tensor inner = qk * projected.slice(0, 0, d);
      const torch::Tensor rho = torch::sqrt(torch::relu(inner)) - torch::sqrt(torch::relu(-inner));
      e_hat.push_back(torch::relu(rho + projected.slice(0, d)).view({heads, dh}));
      score.push_back((e_hat.back() * attention->A).sum(1).clamp(-5, 5));
      CHECK(torch::allclose(updated[k], e_hat.back().view({d}), 1e-5, 1e-6));
    }
    const torch::Tensor values = attention->V(x).view({4, heads, dh});
    for (int64_t i = 0; i < 4; ++i) {
      torch::Tensor denominator = torch::zeros({heads});
      for (size_t k = 0; k < edges.size(); ++k)
        if (edges[k].second == i) denominator = denominator + score[k].exp();
      torch::Tensor node_sum = torch::zeros({heads, dh}), pair_sum = torch::zeros({heads, dh});
      for (size_t k = 0; k < edges.size(); ++k) {
        if (edges[k].second != i) continue;
        const torch::Tensor alpha = (score[k].exp() / denominator).unsqueeze(1);
        node_sum = node_sum + alpha * values[edges[k].first];
        pair_sum = pair_sum + alpha * e_hat[k];
      }
      const torch::Tensor expected = node_sum + torch::einsum("hd,hdc->hc", {pair_sum, attention->Ev});
      CHECK(torch::allclose(out[i], expected.view({d}), 1e-4, 1e-5));
    }
  }
}

TEST_CASE("Full GRIT on dense RRWP pairs equals sparse GRIT over all pairs and is padding invariant", "[layers]") {
  torch::manual_seed(15);
  const int64_t d = 8, steps = 4;
  const torch::Tensor edge_index = sample_edge_index();
  const torch::Tensor ptr = sample_ptr();
  const torch::Tensor rrwp = dense_rrwp(edge_index, ptr, steps);  // [3, 5, 5, 4]
  CHECK(rrwp[0][0][2][1].item<float>() == Approx(0.5));           // node 0 steps to 1 or 2
  CHECK(rrwp[0][0][3][2].item<float>() == Approx(0.5));           // 0 -> 2 -> 3
  CHECK(rrwp[1][1][1][2].item<float>() == Approx(1.0));           // 6 -> 5 -> 6 or 6 -> 7 -> 6
  CHECK(rrwp[1][0][2][2].item<float>() == Approx(0.5));           // 5 -> 6 -> 7

  torch::nn::Linear pair_encoder(steps, d);
  const torch::Tensor mask = to_dense(torch::zeros({kSampleNodes, 1}), ptr).second;
  const torch::Tensor pair_mask = mask.unsqueeze(2) & mask.unsqueeze(1);
  const torch::Tensor dense_pairs = pair_encoder(rrwp) * pair_mask.unsqueeze(-1).to(torch::kFloat32);
  const torch::Tensor x = torch::randn({kSampleNodes, d});
  const torch::Tensor degree = segment_count(edge_index[1], kSampleNodes);

  GRITLayer layer(d, 2);
  auto [h_dense, e_dense] = layer->forward_dense(x, ptr, dense_pairs, degree);
  auto [h_sparse, e_sparse] = layer(x, all_pairs(ptr), dense_pairs.index({pair_mask}), degree);
  CHECK(torch::allclose(h_dense, h_sparse, 1e-4, 1e-5));
  CHECK(torch::allclose(e_dense.index({pair_mask}), e_sparse, 1e-4, 1e-5));
  CHECK(e_dense.index({pair_mask.logical_not()}).abs().max().item<float>() == 0.0f);

  // Two more padded slots per graph, filled with garbage, change nothing.
  torch::Tensor wider = torch::randn({3, 7, 7, d}) * 50;
  wider.slice(1, 0, 5).slice(2, 0, 5).copy_(
      torch::where(pair_mask.unsqueeze(-1), dense_pairs, torch::randn_like(dense_pairs) * 50));
  auto [h_wide, e_wide] = layer->forward_dense(x, ptr, wider, degree);
  CHECK(torch::allclose(h_wide, h_dense, 1e-4, 1e-5));
  CHECK(torch::allclose(e_wide.slice(1, 0, 5).slice(2, 0, 5), e_dense, 1e-4, 1e-5));

  // Permuting nodes within graphs permutes outputs (pairs recomputed from the relabelled graph).
  const torch::Tensor perm = sample_permutation();
  const torch::Tensor permuted = relabel(edge_index, perm);
  const torch::Tensor permuted_pairs =
      pair_encoder(dense_rrwp(permuted, ptr, steps)) * pair_mask.unsqueeze(-1).to(torch::kFloat32);
  auto [h_perm, e_perm] = layer->forward_dense(x.index({perm}), ptr, permuted_pairs,
                                               segment_count(permuted[1], kSampleNodes));
  CHECK(torch::allclose(h_perm, h_dense.index({perm}), 1e-4, 1e-5));

  // The degree scaler reads the degree of the original graph.
  auto [h_degree, unused] = layer->forward_dense(x, ptr, dense_pairs, degree + 3);
  CHECK_FALSE(torch::allclose(h_degree, h_dense, 1e-3, 1e-3));
}

TEST_CASE("Sparse GRIT over real edges: equivariance, direction, isolated nodes", "[layers]") {
  torch::manual_seed(16);
  const int64_t d = 8;
  const torch::Tensor edge_index = sample_edge_index();
  const torch::Tensor x = torch::randn({kSampleNodes, d});
  const torch::Tensor e = torch::randn({edge_index.size(1), d});
  const torch::Tensor degree = segment_count(edge_index[1], kSampleNodes);
  GRITLayer layer(d, 4);
  auto [h, h_e] = layer(x, edge_index, e, degree);
  CHECK(torch::isfinite(h).all().item<bool>());  // nodes 4 and 8 have no pair at all
  const torch::Tensor perm = sample_permutation();
  auto [hp, hp_e] = layer(x.index({perm}), relabel(edge_index, perm), e, degree.index({perm}));
  CHECK(torch::allclose(hp, h.index({perm}), 1e-4, 1e-5));
  CHECK(torch::allclose(hp_e, h_e, 1e-4, 1e-5));
  auto [hr, hr_e] = layer(x, edge_index.flip(0), e, degree);
  CHECK_FALSE(torch::allclose(hr, h, 1e-3, 1e-3));
  CHECK_FALSE(torch::allclose(hr_e, h_e, 1e-3, 1e-3));
}

TEST_CASE("GPS and GRIT: every parameter gets a gradient, finite differences in double", "[layers]") {
  torch::manual_seed(17);
  const int64_t d = 4;
  const torch::Tensor edge_index = make_edge_index({{0, 1}, {1, 2}, {2, 0}, {0, 2}, {3, 4}});
  const torch::Tensor ptr = torch::tensor({0, 3, 5}, torch::kInt64);
  const torch::Tensor x = torch::randn({5, d}, torch::kFloat64).requires_grad_();
  const torch::Tensor e = torch::randn({5, d}, torch::kFloat64).requires_grad_();
  const torch::Tensor weights = torch::randn({5, d}, torch::kFloat64);
  const torch::Tensor edge_weights = torch::randn({5, d}, torch::kFloat64);
  const torch::Tensor bias = torch::randn({2, 2, 3, 3}, torch::kFloat64).requires_grad_();

  for (const GPSLocalModel local : {GPSLocalModel::gine, GPSLocalModel::gated_gcn}) {
    GPSLayer gps(GPSLayerOptions(d, 2).local_model(local));
    gps->to(torch::kFloat64);
    const auto loss = [&] {
      auto [h, h_e] = gps(x, edge_index, e, ptr, bias);
      return (h * weights).sum() + (h_e * edge_weights).sum();
    };
    loss().backward();
    check_all_parameters_get_gradients(*gps);
    std::vector<torch::Tensor> inputs = parameters_and(*gps, x);
    inputs.push_back(e);
    inputs.push_back(bias);
    check_finite_differences(loss, inputs);
  }

  GRITLayer grit(d, 2);
  grit->to(torch::kFloat64);
  const torch::Tensor degree = segment_count(edge_index[1], 5);
  const auto sparse_loss = [&] {
    auto [h, h_e] = grit(x, edge_index, e, degree);
    return (h * weights).sum() + (h_e * edge_weights).sum();
  };
  sparse_loss().backward();
  check_all_parameters_get_gradients(*grit);
  std::vector<torch::Tensor> inputs = parameters_and(*grit, x);
  inputs.push_back(e);
  check_finite_differences(sparse_loss, inputs);

  const torch::Tensor dense_pairs = torch::randn({2, 3, 3, d}, torch::kFloat64).requires_grad_();
  const torch::Tensor dense_weights = torch::randn({2, 3, 3, d}, torch::kFloat64);
  const auto dense_loss = [&] {
    auto [h, h_e] = grit->forward_dense(x, ptr, dense_pairs, degree);
    return (h * weights).sum() + (h_e * dense_weights).sum();
  };
  std::vector<torch::Tensor> dense_inputs = parameters_and(*grit, x);
  dense_inputs.push_back(dense_pairs);
  check_finite_differences(dense_loss, dense_inputs);
}
