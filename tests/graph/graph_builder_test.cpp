#include "graph/errors.hpp"
#include "graph/graph_batch.hpp"
#include "graph/graph_builder.hpp"
#include "graph/transforms.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace graphtx;

TEST_CASE("CSR and CSC of a small directed multigraph", "[graph]") {
  GraphBuilder b(4, true);
  b.add_edge(0, 1).add_edge(0, 2).add_edge(2, 1).add_edge(0, 1).add_edge(3, 3);
  const Graph g = b.build();
  REQUIRE(g.num_nodes() == 4);
  REQUIRE(g.num_edges() == 5);
  CHECK(g.out_offsets() == std::vector<Index>{0, 3, 3, 4, 5});
  CHECK(g.out_neighbours() == std::vector<Index>{1, 1, 2, 1, 3});
  CHECK(g.out_edge_ids() == std::vector<Index>{0, 3, 1, 2, 4});
  CHECK(g.in_offsets() == std::vector<Index>{0, 0, 3, 4, 5});
  CHECK(g.in_neighbours() == std::vector<Index>{0, 0, 2, 0, 3});
  CHECK(g.num_self_loops() == 1);
  CHECK(g.num_multi_edges() == 1);
  // Every CSR entry appears in the CSC with the same edge id.
  for (Index u = 0; u < g.num_nodes(); ++u) {
    auto nb = g.out(u);
    for (Index i = 0; i < nb.size(); ++i) {
      CHECK(g.source(nb.edges[i]) == u);
      CHECK(g.target(nb.edges[i]) == nb[i]);
    }
  }
}

TEST_CASE("Undirected adjacency lists both directions and a self-loop once", "[graph]") {
  GraphBuilder b(3, false);
  b.add_edge(0, 1).add_edge(1, 2).add_edge(2, 2);
  const Graph g = b.build();
  CHECK(g.out_degree(0) == 1);
  CHECK(g.out_degree(1) == 2);
  CHECK(g.out_degree(2) == 2);
  CHECK(g.in_neighbours() == g.out_neighbours());
}

TEST_CASE("Duplicate policies", "[graph]") {
  auto make = [](DuplicatePolicy p, bool directed) {
    GraphBuilder b(3, directed);
    b.duplicate_policy(p).add_edge(0, 1, 2.0).add_edge(1, 0, 3.0).add_edge(0, 1, 0.5).add_edge(1, 2, 1.0);
    return b.build();
  };
  const Graph keep = make(DuplicatePolicy::Keep, true);
  CHECK(keep.num_edges() == 4);
  const Graph sum = make(DuplicatePolicy::SumWeights, true);
  REQUIRE(sum.num_edges() == 3);
  CHECK(sum.weights() == std::vector<double>{2.5, 3.0, 1.0});
  const Graph collapse = make(DuplicatePolicy::Collapse, true);
  CHECK(collapse.weights() == std::vector<double>{2.0, 3.0, 1.0});
  const Graph sum_undirected = make(DuplicatePolicy::SumWeights, false);
  REQUIRE(sum_undirected.num_edges() == 2);
  CHECK(sum_undirected.weights() == std::vector<double>{5.5, 1.0});
  CHECK(parse_duplicate_policy("sum") == DuplicatePolicy::SumWeights);
  CHECK_THROWS_AS(parse_duplicate_policy("merge"), UsageError);
}

TEST_CASE("Builder validation errors", "[graph]") {
  auto message = [](GraphBuilder b) {
    try {
      b.build();
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  GraphBuilder out_of_range(2, true);
  out_of_range.add_edge(0, 2);
  CHECK_THAT(message(out_of_range), Catch::Contains("node id 2 is out of range [0, 2)"));
  GraphBuilder negative_id(2, true);
  negative_id.add_edge(-1, 0);
  CHECK_THAT(message(negative_id), Catch::Contains("node id -1"));
  GraphBuilder negative_weight(2, true);
  negative_weight.add_edge(0, 1, -1.0);
  CHECK_THAT(message(negative_weight), Catch::Contains("negative weight"));
  GraphBuilder nan_weight(2, true);
  nan_weight.add_edge(0, 1, std::nan(""));
  CHECK_THAT(message(nan_weight), Catch::Contains("non-finite weight"));
  GraphBuilder inf_weight(2, true);
  inf_weight.add_edge(0, 1, std::numeric_limits<double>::infinity());
  CHECK_THAT(message(inf_weight), Catch::Contains("non-finite weight"));
  GraphBuilder bad_rows(3, true);
  bad_rows.node_features({IntMatrix::Zero(2, 1), RealMatrix()});
  CHECK_THAT(message(bad_rows), Catch::Contains("node integer features have 2 rows, expected 3"));
  GraphBuilder bad_edge_rows(3, true);
  bad_edge_rows.add_edge(0, 1).edge_features({IntMatrix(), RealMatrix::Zero(2, 2)});
  CHECK_THAT(message(bad_edge_rows), Catch::Contains("edge real features have 2 rows, expected 1"));
  GraphBuilder nan_feature(1, true);
  RealMatrix f(1, 1);
  f(0, 0) = std::nan("");
  nan_feature.node_features({IntMatrix(), f});
  CHECK_THAT(message(nan_feature), Catch::Contains("not finite"));
}

TEST_CASE("GraphBatch is block diagonal and split() inverts it", "[graph]") {
  GraphBuilder a(2, true);
  a.add_edge(0, 1).node_features({IntMatrix::Constant(2, 1, 7), RealMatrix()});
  GraphBuilder b(3, true);
  b.add_edge(2, 0).add_edge(0, 1).node_features({IntMatrix::Constant(3, 1, 9), RealMatrix()});
  const std::vector<Graph> parts{a.build(), Graph{}, b.build()};
  // The default Graph has no feature columns, so batching it with featured graphs is refused.
  CHECK_THROWS_AS(GraphBatch(parts), UsageError);
  GraphBuilder empty(0, true);
  empty.node_features({IntMatrix(0, 1), RealMatrix()});
  const std::vector<Graph> graphs{parts[0], empty.build(), parts[2]};
  const GraphBatch batch(graphs);
  CHECK(batch.node_ptr() == std::vector<Index>{0, 2, 2, 5});
  CHECK(batch.edge_ptr() == std::vector<Index>{0, 1, 1, 3});
  CHECK(batch.graph().sources() == std::vector<Index>{0, 4, 2});
  CHECK(batch.graph().targets() == std::vector<Index>{1, 2, 3});
  CHECK(batch.node_graph_ids() == std::vector<Index>{0, 0, 2, 2, 2});
  const auto back = batch.split();
  REQUIRE(back.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(back[i].num_nodes() == graphs[i].num_nodes());
    CHECK(back[i].sources() == graphs[i].sources());
    CHECK(back[i].targets() == graphs[i].targets());
    CHECK(back[i].node_features().ints == graphs[i].node_features().ints);
  }
}

TEST_CASE("reversed and to_undirected", "[graph]") {
  GraphBuilder b(3, true);
  b.add_edge(0, 1, 2.0).add_edge(1, 2, 3.0).add_edge(1, 0, 4.0);
  const Graph g = b.build();
  const Graph r = reversed(g);
  CHECK(r.sources() == std::vector<Index>{1, 2, 0});
  CHECK(r.targets() == std::vector<Index>{0, 1, 1});
  CHECK(r.weights() == g.weights());
  const Graph u = to_undirected(g, DuplicatePolicy::SumWeights);
  CHECK_FALSE(u.directed());
  REQUIRE(u.num_edges() == 2);
  CHECK(u.weights() == std::vector<double>{6.0, 3.0});
}
