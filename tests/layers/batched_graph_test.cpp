#include "graph/graph_builder.hpp"
#include "layers/batched_graph.hpp"

#include <catch2/catch.hpp>

using namespace graphtx;

TEST_CASE("to_tensors and dense padding round trip", "[layers]") {
  GraphBuilder a(2, true);
  a.add_edge(0, 1).node_features({IntMatrix(), RealMatrix::Constant(2, 1, 1.5)});
  GraphBuilder b(3, true);
  b.add_edge(2, 0).node_features({IntMatrix(), RealMatrix::Constant(3, 1, -2.0)});
  const GraphBatch batch({a.build(), b.build()});
  const BatchedGraph t = to_tensors(batch);
  CHECK(t.x.sizes() == torch::IntArrayRef({5, 1}));
  CHECK(t.edge_index.equal(torch::tensor({{0, 4}, {1, 2}}, torch::kInt64)));
  CHECK(t.ptr.equal(torch::tensor({0, 2, 5}, torch::kInt64)));
  CHECK(t.batch.equal(torch::tensor({0, 0, 1, 1, 1}, torch::kInt64)));
  CHECK(t.max_nodes() == 3);

  auto [dense, mask] = to_dense(t.x, t.ptr, 4);
  CHECK(dense.sizes() == torch::IntArrayRef({2, 4, 1}));
  CHECK(mask.equal(torch::tensor({{true, true, false, false}, {true, true, true, false}})));
  CHECK(dense[0][1][0].item<float>() == 1.5f);
  CHECK(dense[1][2][0].item<float>() == -2.0f);
  CHECK(dense[0][2][0].item<float>() == 0.0f);
  CHECK(from_dense(dense, mask).equal(t.x));
}

TEST_CASE("dense pairs: edge j -> i lands at [b, i, j], parallel edges add up, round trip", "[layers]") {
  // Graph 0: nodes 0..1 with 0 -> 1; graph 1: nodes 2..4 with 4 -> 2 twice and 2 -> 3.
  const torch::Tensor edge_index = torch::tensor({{0, 4, 4, 2}, {1, 2, 2, 3}}, torch::kInt64);
  const torch::Tensor ptr = torch::tensor({0, 2, 5}, torch::kInt64);
  const torch::Tensor values = torch::tensor({{1.0f, 2.0f}, {3.0f, 4.0f}, {10.0f, 20.0f}, {5.0f, 6.0f}});
  auto [pairs, present] = to_dense_pairs(values, edge_index, ptr, 4);
  CHECK(pairs.sizes() == torch::IntArrayRef({2, 4, 4, 2}));
  CHECK(pairs[0][1][0].equal(torch::tensor({1.0f, 2.0f})));
  CHECK(pairs[1][0][2].equal(torch::tensor({13.0f, 24.0f})));
  CHECK(pairs[1][1][0].equal(torch::tensor({5.0f, 6.0f})));
  CHECK(present.sum().item<int64_t>() == 3);
  CHECK(present[1][0][2].item<bool>());
  CHECK_FALSE(present[1][2][0].item<bool>());
  CHECK(pairs.abs().sum().item<float>() == values.abs().sum().item<float>());
  const torch::Tensor back = from_dense_pairs(pairs, edge_index, ptr);
  CHECK(back[0].equal(values[0]));
  CHECK(back[3].equal(values[3]));
  CHECK(back[1].equal(torch::tensor({13.0f, 24.0f})));
}

TEST_CASE("virtual nodes: one per graph at local index 0, joined both ways to every node", "[layers]") {
  BatchedGraph g;
  g.x = torch::tensor({{1.0f}, {2.0f}, {3.0f}, {4.0f}, {5.0f}});
  g.edge_index = torch::tensor({{0, 4}, {1, 2}}, torch::kInt64);
  g.edge_attr = torch::tensor({{7.0f}, {8.0f}});
  g.ptr = torch::tensor({0, 2, 5}, torch::kInt64);
  g.batch = torch::tensor({0, 0, 1, 1, 1}, torch::kInt64);
  const BatchedGraph v = with_virtual_nodes(g);
  CHECK(v.ptr.equal(torch::tensor({0, 3, 7}, torch::kInt64)));
  CHECK(v.batch.equal(torch::tensor({0, 0, 0, 1, 1, 1, 1}, torch::kInt64)));
  CHECK(v.x.view({-1}).equal(torch::tensor({0.0f, 1.0f, 2.0f, 0.0f, 3.0f, 4.0f, 5.0f})));
  CHECK(v.edge_index.slice(1, 0, 2).equal(torch::tensor({{1, 6}, {2, 4}}, torch::kInt64)));
  CHECK(v.edge_index.size(1) == 2 + 2 * 5);
  CHECK(v.edge_index.slice(1, 2, 7).equal(torch::tensor({{0, 0, 3, 3, 3}, {1, 2, 4, 5, 6}}, torch::kInt64)));
  CHECK(v.edge_index.slice(1, 7, 12).equal(torch::tensor({{1, 2, 4, 5, 6}, {0, 0, 3, 3, 3}}, torch::kInt64)));
  CHECK(v.edge_attr.slice(0, 0, 2).equal(g.edge_attr));
  CHECK(v.edge_attr.slice(0, 2).abs().sum().item<float>() == 0.0f);
}
