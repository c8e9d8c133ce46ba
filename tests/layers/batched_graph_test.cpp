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
