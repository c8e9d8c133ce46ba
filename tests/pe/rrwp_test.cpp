#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"
#include "pe/rrwp.hpp"

#include <catch2/catch.hpp>
#include <tbb/task_arena.h>

#include <cstring>
#include <random>

using namespace graphtx;

namespace {

Eigen::MatrixXd dense_transition(const Graph& g) {
  const Index n = g.num_nodes();
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n, n);
  for (Index e = 0; e < g.num_edges(); ++e) {
    a(g.source(e), g.target(e)) += g.weight(e);
    if (!g.directed() && g.source(e) != g.target(e)) a(g.target(e), g.source(e)) += g.weight(e);
  }
  for (Index u = 0; u < n; ++u)
    if (a.row(u).sum() > 0) a.row(u) /= a.row(u).sum();
  return a;
}

Graph random_graph(Index n, Index m, bool directed, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<Index> node(0, n - 1);
  GraphBuilder b(n, directed);
  for (Index e = 0; e < m; ++e) b.add_edge(node(rng), node(rng));
  return b.build();
}

}  // namespace

TEST_CASE("RRWP on all pairs: channel 0 is the identity, channel t is M^t", "[pe][rrwp]") {
  for (bool directed : {true, false}) {
    const Graph g = random_graph(30, 60, directed, directed ? 3 : 4);  // includes isolated nodes
    const Index n = g.num_nodes();
    RrwpOptions o;
    o.num_channels = 6;
    o.pairs = PairSelection::All;
    const EncodingResult r = rrwp(g, o);
    REQUIRE(r.pairs.rows() == n * n);
    REQUIRE(r.pair_values.cols() == 6);
    REQUIRE(r.node_dims == std::vector<Index>{6});
    const Eigen::MatrixXd m = dense_transition(g);
    Eigen::MatrixXd power = Eigen::MatrixXd::Identity(n, n);
    for (Index t = 0; t < 6; ++t) {
      double err = 0, node_err = 0;
      for (Index i = 0; i < r.pairs.rows(); ++i)
        err = std::max(err, std::abs(r.pair_values(i, t) - power(r.pairs(i, 0), r.pairs(i, 1))));
      for (Index u = 0; u < n; ++u) node_err = std::max(node_err, std::abs(r.node(u, t) - power(u, u)));
      CHECK(err < 1e-14);
      CHECK(node_err < 1e-14);
      power = power * m;
    }
    for (Index i = 0; i < r.pairs.rows(); ++i)
      REQUIRE(r.pair_values(i, 0) == (r.pairs(i, 0) == r.pairs(i, 1) ? 1.0 : 0.0));
  }
}

TEST_CASE("RRWP on the edge set of the path 0->1->2 and of an undirected triangle", "[pe][rrwp]") {
  GraphBuilder p(3, true);
  p.add_edge(0, 1).add_edge(1, 2);
  RrwpOptions o;
  o.num_channels = 3;
  const EncodingResult r = rrwp(p.build(), o);
  REQUIRE(r.pairs.rows() == 2);
  CHECK(r.pair_values.row(0) == Eigen::RowVector3d(0, 1, 0));  // (0,1): I, M, M^2
  CHECK(r.pair_values.row(1) == Eigen::RowVector3d(0, 1, 0));
  CHECK(r.node.col(0) == Eigen::Vector3d::Ones());
  CHECK(r.node.rightCols(2).cwiseAbs().maxCoeff() == 0.0);

  GraphBuilder t(3, false);
  t.add_edge(0, 1).add_edge(1, 2).add_edge(2, 0);
  const EncodingResult tri = rrwp(t.build(), o);
  REQUIRE(tri.pairs.rows() == 6);  // both orientations
  for (Index i = 0; i < 6; ++i) {
    CHECK(tri.pair_values(i, 1) == 0.5);
    CHECK(tri.pair_values(i, 2) == Approx(0.25));
  }
  for (Index u = 0; u < 3; ++u) CHECK(tri.node(u, 2) == Approx(0.5));
}

TEST_CASE("RRWP is bitwise independent of the thread count", "[pe][rrwp]") {
  const Graph g = random_graph(400, 1200, true, 9);
  RrwpOptions o;
  EncodingResult one, two;
  tbb::task_arena(1).execute([&] { one = rrwp(g, o); });
  tbb::task_arena(2).execute([&] { two = rrwp(g, o); });
  CHECK(std::memcmp(one.pair_values.data(), two.pair_values.data(), sizeof(double) * one.pair_values.size()) == 0);
  CHECK(std::memcmp(one.node.data(), two.node.data(), sizeof(double) * one.node.size()) == 0);
  o.num_channels = 0;
  CHECK_THROWS_AS(rrwp(g, o), UsageError);
}
