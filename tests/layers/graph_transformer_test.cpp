#include "layers/graph_transformer.hpp"
#include "random_batches.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace graphtx;
using namespace graphtx::testing;

namespace {

GraphTransformerLayerOptions options(bool edge_features, GraphNorm norm = GraphNorm::kBatch) {
  return GraphTransformerLayerOptions(16).heads(4).edge_features(edge_features).norm(norm);
}

}  // namespace

TEST_CASE("graph transformer attention equals a loop over in-neighbours", "[layers]") {
  torch::manual_seed(20);
  for (bool edge_features : {false, true}) {
    const int64_t d = 4, heads = 2, dh = 2;
    GraphTransformerLayer layer(GraphTransformerLayerOptions(d).heads(heads).edge_features(edge_features)
                                    .norm(GraphNorm::kLayer));
    layer->to(torch::kFloat64);
    const RandomBatch b = random_batch({5}, 0.5, d, d, torch::kFloat64);
    const auto [h, e] = layer(b.x, b.edge_index, b.edge_attr);
    const torch::Tensor q = layer->query(b.x), k = layer->key(b.x), v = layer->value(b.x);
    const torch::Tensor proj = edge_features ? layer->edge_proj(b.edge_attr) : torch::Tensor();
    torch::Tensor aggregated = torch::zeros({5, d}, torch::kFloat64);
    torch::Tensor pair = torch::zeros({b.edge_index.size(1), d}, torch::kFloat64);
    for (int64_t i = 0; i < 5; ++i)
      for (int64_t hd = 0; hd < heads; ++hd) {
        const auto cols = torch::indexing::Slice(hd * dh, (hd + 1) * dh);
        std::vector<int64_t> edges;
        std::vector<double> scores;
        for (int64_t m = 0; m < b.edge_index.size(1); ++m) {
          if (b.edge_index[1][m].item<int64_t>() != i) continue;
          const int64_t j = b.edge_index[0][m].item<int64_t>();
          torch::Tensor w = q[i].index({cols}) * k[j].index({cols}) / std::sqrt(static_cast<double>(dh));
          if (edge_features) w = w * proj[m].index({cols});
          pair[m].index_put_({cols}, w);
          edges.push_back(m);
          scores.push_back(w.sum().item<double>());
        }
        if (edges.empty()) continue;
        const torch::Tensor alpha = torch::softmax(torch::tensor(scores, torch::kFloat64), 0);
        for (size_t t = 0; t < edges.size(); ++t) {
          const int64_t j = b.edge_index[0][edges[t]].item<int64_t>();
          aggregated[i].index({cols}) += alpha[static_cast<int64_t>(t)] * v[j].index({cols});
        }
      }
    CHECK(torch::allclose(h, layer->node_stream(b.x, aggregated), 1e-10, 1e-12));
    if (edge_features) CHECK(torch::allclose(e, layer->edge_stream(b.edge_attr, pair), 1e-10, 1e-12));
    else CHECK_FALSE(e.defined());
  }
}

TEST_CASE("graph transformer layer is permutation equivariant", "[layers]") {
  torch::manual_seed(21);
  for (bool edge_features : {false, true})
    for (GraphNorm norm : {GraphNorm::kBatch, GraphNorm::kLayer}) {
      GraphTransformerLayer layer(options(edge_features, norm));
      const RandomBatch b = random_batch({5, 1, 7}, 0.35, 16, 16);
      const PermutedBatch p = permute(b);
      const auto [h, e] = layer(b.x, b.edge_index, b.edge_attr);
      const auto [ph, pe] = layer(p.graph.x, p.graph.edge_index, p.graph.edge_attr);
      CHECK(h.sizes() == torch::IntArrayRef({13, 16}));
      CHECK(torch::allclose(ph, h.index_select(0, p.perm), 1e-4, 1e-5));
      if (edge_features) CHECK(torch::allclose(pe, e.index_select(0, p.edge_perm), 1e-4, 1e-5));
    }
}

TEST_CASE("graph transformer: other graphs and empty graphs in the batch change nothing (LayerNorm)", "[layers]") {
  torch::manual_seed(22);
  GraphTransformerLayer layer(options(true, GraphNorm::kLayer));
  const RandomBatch b = random_batch({4, 3}, 0.5, 16, 16);
  const RandomBatch wider = random_batch({6}, 0.5, 16, 16);
  const int64_t n = b.x.size(0);
  const torch::Tensor x = torch::cat({b.x, wider.x});
  const torch::Tensor edge_index = torch::cat({b.edge_index, wider.edge_index + n}, 1);
  const torch::Tensor edge_attr = torch::cat({b.edge_attr, wider.edge_attr});
  const auto [h, e] = layer(b.x, b.edge_index, b.edge_attr);
  const auto [hw, ew] = layer(x, edge_index, edge_attr);
  CHECK(torch::allclose(hw.slice(0, 0, n), h, 1e-5, 1e-6));
  CHECK(torch::allclose(ew.slice(0, 0, e.size(0)), e, 1e-5, 1e-6));
}

TEST_CASE("graph transformer: isolated nodes and one-node graphs stay finite", "[layers]") {
  torch::manual_seed(23);
  for (bool edge_features : {false, true}) {
    GraphTransformerLayer layer(options(edge_features));
    const RandomBatch b = random_batch({1, 3, 1}, 0.0, 16, 16);
    const auto [h, e] = layer(b.x, b.edge_index, b.edge_attr);
    CHECK(torch::isfinite(h).all().item<bool>());
    CHECK(h.abs().sum().item<double>() > 0);
    const RandomBatch single = random_batch({1}, 0.0, 16, 16);
    layer->eval();
    CHECK(torch::isfinite(layer(single.x, single.edge_index, single.edge_attr).first).all().item<bool>());
  }
}

TEST_CASE("graph transformer sees edge direction", "[layers]") {
  torch::manual_seed(24);
  for (bool edge_features : {false, true}) {
    GraphTransformerLayer layer(options(edge_features));
    const RandomBatch b = random_batch({6, 5}, 0.3, 16, 16);
    const torch::Tensor h = layer(b.x, b.edge_index, b.edge_attr).first;
    const torch::Tensor hr = layer(b.x, reversed_edges(b.edge_index), b.edge_attr).first;
    CHECK((h - hr).abs().max().item<double>() > 1e-3);
  }
}

TEST_CASE("graph transformer: every parameter receives a gradient", "[layers]") {
  torch::manual_seed(25);
  for (bool edge_features : {false, true})
    for (GraphNorm norm : {GraphNorm::kBatch, GraphNorm::kLayer}) {
      GraphTransformerLayer layer(options(edge_features, norm));
      const RandomBatch b = random_batch({4, 5}, 0.4, 16, 16);
      const auto [h, e] = layer(b.x, b.edge_index, b.edge_attr);
      torch::Tensor loss = (h * torch::randn_like(h)).sum();
      if (edge_features) loss = loss + (e * torch::randn_like(e)).sum();
      loss.backward();
      CHECK(parameters_without_gradient(*layer).empty());
      CHECK(layer->parameters().size() == (edge_features ? 2 * 10u + 4 : 10u + 3));
    }
}

TEST_CASE("graph transformer: finite-difference gradients in double", "[layers]") {
  torch::manual_seed(26);
  for (GraphNorm norm : {GraphNorm::kBatch, GraphNorm::kLayer}) {
    GraphTransformerLayer layer(GraphTransformerLayerOptions(4).heads(2).edge_features(true).norm(norm));
    layer->to(torch::kFloat64);
    RandomBatch b = random_batch({2, 3}, 0.6, 4, 4, torch::kFloat64);
    b.x.requires_grad_();
    b.edge_attr.requires_grad_();
    const torch::Tensor wh = torch::randn({5, 4}, torch::kFloat64);
    const torch::Tensor we = torch::randn({b.edge_index.size(1), 4}, torch::kFloat64);
    const auto loss = [&] {
      const auto [h, e] = layer(b.x, b.edge_index, b.edge_attr);
      return (h * wh).sum() + (e * we).sum();
    };
    CHECK(gradient_error(loss, b.x) < 1e-6);
    CHECK(gradient_error(loss, b.edge_attr) < 1e-6);
  }
}
