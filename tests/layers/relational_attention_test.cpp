#include "layers/batched_graph.hpp"
#include "layers/relational_attention.hpp"
#include "layers/relational_transformer.hpp"
#include "random_batches.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace graphtx;
using namespace graphtx::testing;

namespace {

RelationalTransformerOptions small_options(bool update_edges = true) {
  return RelationalTransformerOptions(16, 8).heads(4).node_ffn_dim(12).num_layers(2).update_edges(update_edges);
}

// Real node rows [N, d] and all same-graph pairs [P, de] of a dense state.
std::pair<torch::Tensor, torch::Tensor> real_outputs(const RelationalState& s, const torch::Tensor& pairs,
                                                     const torch::Tensor& ptr) {
  return {from_dense(s.nodes, s.mask), from_dense_pairs(s.edges, pairs, ptr)};
}

}  // namespace

TEST_CASE("relational attention equals a loop over q_ij, k_ij, v_ij", "[layers]") {
  torch::manual_seed(10);
  const int64_t n = 3, d = 4, de = 3, heads = 2, dh = 2;
  RelationalAttention attention(RelationalAttentionOptions(d, de).heads(heads));
  attention->to(torch::kFloat64);
  const torch::Tensor nodes = torch::randn({1, n, d}, torch::kFloat64);
  const torch::Tensor edges = torch::randn({1, n, n, de}, torch::kFloat64);
  const torch::Tensor out = attention(nodes, edges, torch::ones({1, n}, torch::kBool));

  const torch::Tensor wn = attention->node_qkv->weight, bn = attention->node_qkv->bias;
  const torch::Tensor we = attention->edge_qkv->weight;
  for (int64_t i = 0; i < n; ++i) {
    torch::Tensor a = torch::zeros({d}, torch::kFloat64);
    for (int64_t h = 0; h < heads; ++h) {
      const auto rows = [&](int64_t part) { return torch::arange(part * d + h * dh, part * d + (h + 1) * dh); };
      std::vector<double> logits;
      std::vector<torch::Tensor> values;
      for (int64_t j = 0; j < n; ++j) {
        const torch::Tensor e = edges[0][i][j];
        const auto proj = [&](int64_t part, const torch::Tensor& node) {
          return torch::matmul(wn.index_select(0, rows(part)), node) + bn.index_select(0, rows(part)) +
                 torch::matmul(we.index_select(0, rows(part)), e);
        };
        const torch::Tensor q = proj(0, nodes[0][i]), k = proj(1, nodes[0][j]);
        logits.push_back(q.dot(k).item<double>() / std::sqrt(static_cast<double>(dh)));
        values.push_back(proj(2, nodes[0][j]));
      }
      const torch::Tensor alpha = torch::softmax(torch::tensor(logits, torch::kFloat64), 0);
      for (int64_t j = 0; j < n; ++j) a.slice(0, h * dh, (h + 1) * dh) += alpha[j] * values[j];
    }
    const torch::Tensor expected = attention->out(a);
    CHECK(torch::allclose(out[0][i], expected, 1e-10, 1e-12));
  }
}

TEST_CASE("relational transformer: shapes, no-edge embedding and zero padding", "[layers]") {
  torch::manual_seed(11);
  RelationalTransformer model(small_options());
  const RandomBatch b = random_batch({4, 1, 5}, 0.4, 16, 8);
  const RelationalState s = model(b.x, b.edge_index, b.edge_attr, b.ptr);
  CHECK(s.nodes.sizes() == torch::IntArrayRef({3, 5, 16}));
  CHECK(s.edges.sizes() == torch::IntArrayRef({3, 5, 5, 8}));
  CHECK(s.mask.sum().item<int64_t>() == 10);
  CHECK(s.nodes.index({s.mask.logical_not()}).abs().sum().item<double>() == 0.0);
  const torch::Tensor pair_mask = s.mask.unsqueeze(2) & s.mask.unsqueeze(1);
  CHECK(s.edges.index({pair_mask.logical_not()}).abs().sum().item<double>() == 0.0);

  const RelationalState in = model->embed(b.x, b.edge_index, b.edge_attr, b.ptr);
  CHECK(torch::allclose(from_dense_pairs(in.edges, b.edge_index, b.ptr), b.edge_attr));
  CHECK(torch::allclose(in.edges[1][0][0], model->no_edge));  // the self-pair of the one-node graph
  CHECK_THROWS_AS(RelationalAttention(RelationalAttentionOptions(10, 4).heads(3)), UsageError);
}

TEST_CASE("relational transformer is permutation equivariant", "[layers]") {
  torch::manual_seed(12);
  for (bool update_edges : {true, false}) {
    RelationalTransformer model(small_options(update_edges));
    const RandomBatch b = random_batch({5, 3, 6}, 0.35, 16, 8);
    const PermutedBatch p = permute(b);
    const torch::Tensor pairs = all_pairs(b.ptr);
    const torch::Tensor inverse = torch::empty_like(p.perm).index_put_({p.perm}, torch::arange(p.perm.size(0)));
    const auto [nodes, edges] = real_outputs(model(b.x, b.edge_index, b.edge_attr, b.ptr), pairs, b.ptr);
    const RandomBatch& g = p.graph;
    const auto [pnodes, pedges] =
        real_outputs(model(g.x, g.edge_index, g.edge_attr, g.ptr), inverse.index({pairs}), b.ptr);
    CHECK(torch::allclose(pnodes, nodes.index_select(0, p.perm), 1e-4, 1e-5));
    CHECK(torch::allclose(pedges, edges, 1e-4, 1e-5));
  }
}

TEST_CASE("relational transformer: padding does not change real outputs", "[layers]") {
  torch::manual_seed(13);
  RelationalTransformer model(small_options());
  const RandomBatch b = random_batch({3, 6, 2}, 0.4, 16, 8);
  const torch::Tensor pairs = all_pairs(b.ptr);
  const auto [nodes, edges] = real_outputs(model(b.x, b.edge_index, b.edge_attr, b.ptr), pairs, b.ptr);
  const auto [wide_nodes, wide_edges] = real_outputs(model(b.x, b.edge_index, b.edge_attr, b.ptr, 9), pairs, b.ptr);
  CHECK(torch::allclose(wide_nodes, nodes, 1e-5, 1e-6));
  CHECK(torch::allclose(wide_edges, edges, 1e-5, 1e-6));
  // Garbage in the padded entries of the dense input is ignored as well.
  RelationalState dirty = model->embed(b.x, b.edge_index, b.edge_attr, b.ptr, 8);
  const torch::Tensor pad = dirty.mask.logical_not();
  dirty.nodes = dirty.nodes.masked_fill(pad.unsqueeze(-1), 7.0);
  dirty.edges = dirty.edges.masked_fill((pad.unsqueeze(2) | pad.unsqueeze(1)).unsqueeze(-1), -3.0);
  const auto [dirty_nodes, dirty_edges] = real_outputs(model->forward_dense(dirty), pairs, b.ptr);
  CHECK(torch::allclose(dirty_nodes, nodes, 1e-5, 1e-6));
  CHECK(torch::allclose(dirty_edges, edges, 1e-5, 1e-6));
}

TEST_CASE("relational transformer: isolated nodes and one-node graphs stay finite", "[layers]") {
  torch::manual_seed(14);
  RelationalTransformer model(small_options());
  const RandomBatch b = random_batch({1, 4, 1}, 0.0, 16, 8);
  REQUIRE(b.edge_index.size(1) == 0);
  const RelationalState s = model(b.x, b.edge_index, b.edge_attr, b.ptr);
  CHECK(torch::isfinite(s.nodes).all().item<bool>());
  CHECK(torch::isfinite(s.edges).all().item<bool>());
  CHECK(s.nodes.index({s.mask}).abs().sum().item<double>() > 0);
}

TEST_CASE("relational transformer sees edge direction", "[layers]") {
  torch::manual_seed(15);
  for (bool update_edges : {true, false}) {
    RelationalTransformer model(small_options(update_edges));
    const RandomBatch b = random_batch({5, 4}, 0.3, 16, 8);
    const RelationalState f = model(b.x, b.edge_index, b.edge_attr, b.ptr);
    const RelationalState r = model(b.x, reversed_edges(b.edge_index), b.edge_attr, b.ptr);
    CHECK((from_dense(r.nodes, r.mask) - from_dense(f.nodes, f.mask)).abs().max().item<double>() > 1e-3);
  }
}

TEST_CASE("relational transformer: every parameter receives a gradient", "[layers]") {
  torch::manual_seed(16);
  for (bool update_edges : {true, false}) {
    RelationalTransformer model(small_options(update_edges));
    const RandomBatch b = random_batch({4, 1, 3}, 0.5, 16, 8);
    const RelationalState s = model(b.x, b.edge_index, b.edge_attr, b.ptr);
    (s.nodes * torch::randn_like(s.nodes)).sum().add((s.edges * torch::randn_like(s.edges)).sum()).backward();
    CHECK(parameters_without_gradient(*model).empty());
    CHECK(model->parameters().size() == (update_edges ? 1 + 2 * 26u : 1 + 2 * 13u));
  }
}

TEST_CASE("relational transformer: finite-difference gradients in double", "[layers]") {
  torch::manual_seed(17);
  RelationalTransformer model(RelationalTransformerOptions(4, 4).heads(2).node_ffn_dim(6).edge_ffn_dim1(5)
                                  .edge_ffn_dim2(3).num_layers(2));
  model->to(torch::kFloat64);
  RandomBatch b = random_batch({2, 3}, 0.5, 4, 4, torch::kFloat64);
  b.x.requires_grad_();
  b.edge_attr.requires_grad_();
  const torch::Tensor wn = torch::randn({2, 3, 4}, torch::kFloat64);
  const torch::Tensor we = torch::randn({2, 3, 3, 4}, torch::kFloat64);
  const auto loss = [&] {
    const RelationalState s = model(b.x, b.edge_index, b.edge_attr, b.ptr);
    return (s.nodes * wn).sum() + (s.edges * we).sum();
  };
  CHECK(gradient_error(loss, b.x) < 1e-6);
  CHECK(gradient_error(loss, b.edge_attr) < 1e-6);
  CHECK(gradient_error(loss, model->no_edge) < 1e-6);
}
