#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"
#include "pe/rwse.hpp"

#include <catch2/catch.hpp>
#include <tbb/task_arena.h>

#include <cstring>
#include <random>

using namespace graphtx;

namespace {

// Dense P = D^-1 A by the definition (A sums edge weights; undirected edges both ways, loops once).
Eigen::MatrixXd dense_transition(const Graph& g) {
  const Index n = g.num_nodes();
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n, n);
  for (Index e = 0; e < g.num_edges(); ++e) {
    const Index u = g.source(e), v = g.target(e);
    a(u, v) += g.weight(e);
    if (!g.directed() && u != v) a(v, u) += g.weight(e);
  }
  for (Index u = 0; u < n; ++u) {
    const double d = a.row(u).sum();
    if (d > 0) a.row(u) /= d;
  }
  return a;
}

Eigen::MatrixXd dense_rwse(const Graph& g, Index k) {
  const Eigen::MatrixXd p = dense_transition(g);
  Eigen::MatrixXd out(g.num_nodes(), k), power = p;
  for (Index t = 0; t < k; ++t) {
    out.col(t) = power.diagonal();
    power = power * p;
  }
  return out;
}

Graph random_graph(Index n, Index m, bool directed, bool weighted, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<Index> node(0, n - 1);
  std::uniform_real_distribution<double> weight(0.5, 2.0);
  GraphBuilder b(n, directed);
  for (Index e = 0; e < m; ++e) {
    if (weighted) {
      b.add_edge(node(rng), node(rng), weight(rng));
    } else {
      b.add_edge(node(rng), node(rng));
    }
  }
  return b.build();
}

void check_against_dense(const Graph& g, Index k) {
  RwseOptions options;
  options.num_steps = k;
  const EncodingResult r = rwse(g, options);
  REQUIRE(r.node.rows() == g.num_nodes());
  REQUIRE(r.node.cols() == k);
  REQUIRE(r.node_dims == std::vector<Index>{k});
  const Eigen::MatrixXd expected = dense_rwse(g, k);
  CHECK((Eigen::MatrixXd(r.node) - expected).cwiseAbs().maxCoeff() < 1e-13);
}

}  // namespace

TEST_CASE("RWSE of an undirected 4-cycle: closed walks / 2^t (6 back-and-forth + 2 around at t = 4)", "[pe][rwse]") {
  GraphBuilder b(4, false);
  b.add_edge(0, 1).add_edge(1, 2).add_edge(2, 3).add_edge(3, 0);
  RwseOptions options;
  options.num_steps = 4;
  const EncodingResult r = rwse(b.build(), options);
  for (Index u = 0; u < 4; ++u) {
    CHECK(r.node(u, 0) == Approx(0.0).margin(1e-15));
    CHECK(r.node(u, 1) == Approx(0.5));
    CHECK(r.node(u, 2) == Approx(0.0).margin(1e-15));
    CHECK(r.node(u, 3) == Approx(8.0 / 16.0));
  }
}

TEST_CASE("RWSE of a directed 3-cycle returns every third step, isolated nodes stay 0", "[pe][rwse]") {
  GraphBuilder b(4, true);
  b.add_edge(0, 1).add_edge(1, 2).add_edge(2, 0);
  RwseOptions options;
  options.num_steps = 7;
  const EncodingResult r = rwse(b.build(), options);
  for (Index u = 0; u < 3; ++u)
    for (Index t = 1; t <= 7; ++t) CHECK(r.node(u, t - 1) == (t % 3 == 0 ? 1.0 : 0.0));
  CHECK(r.node.row(3).cwiseAbs().maxCoeff() == 0.0);
}

TEST_CASE("RWSE matches a dense matrix power: self-loops, multi-edges, isolated nodes", "[pe][rwse]") {
  for (bool directed : {true, false}) {
    GraphBuilder b(6, directed);
    // Multi-edge 0-1 twice, self-loops at 2 and 4, node 5 isolated.
    b.add_edge(0, 1).add_edge(0, 1).add_edge(0, 2).add_edge(2, 2).add_edge(2, 3).add_edge(3, 0).add_edge(4, 4);
    b.add_edge(3, 4).add_edge(1, 3);
    const Graph g = b.build();
    check_against_dense(g, 9);
    RwseOptions options;
    options.num_steps = 3;
    const EncodingResult r = rwse(g, options);
    // A self-loop is one out-edge (undirected: counted once in the degree of 2, which is 3).
    CHECK(r.node(2, 0) == Approx(directed ? 0.5 : 1.0 / 3.0));
    // Directed: the multi-edge gives P[0,1] = 2/3, so (P^3)[0,0] = 2/3·1·1/2 + 1/3·1/2·1/2 = 5/12.
    if (directed) CHECK(r.node(0, 2) == Approx(5.0 / 12.0));
  }
}

TEST_CASE("RWSE matches a dense power on random graphs (weighted, directed and undirected)", "[pe][rwse]") {
  // 70 nodes: five blocks of 16 start vectors, the last one partial.
  check_against_dense(random_graph(70, 150, true, false, 1), 16);
  check_against_dense(random_graph(70, 150, false, false, 2), 16);
  check_against_dense(random_graph(50, 120, true, true, 3), 11);
  check_against_dense(random_graph(50, 120, false, true, 4), 11);
}

TEST_CASE("RWSE is bitwise independent of the thread count", "[pe][rwse]") {
  for (bool directed : {true, false}) {
    const Graph g = random_graph(700, 2100, directed, false, 5);
    RwseOptions options;
    EncodingResult one, two;
    tbb::task_arena(1).execute([&] { one = rwse(g, options); });
    tbb::task_arena(2).execute([&] { two = rwse(g, options); });
    REQUIRE(one.node.size() == two.node.size());
    CHECK(std::memcmp(one.node.data(), two.node.data(), sizeof(double) * static_cast<size_t>(one.node.size())) == 0);
  }
}

TEST_CASE("RWSE rejects K < 1 and handles the empty graph", "[pe][rwse]") {
  RwseOptions options;
  options.num_steps = 0;
  CHECK_THROWS_AS(rwse(GraphBuilder(3, true).build(), options), UsageError);
  options.num_steps = 4;
  const EncodingResult r = rwse(GraphBuilder(0, false).build(), options);
  CHECK(r.node.rows() == 0);
  CHECK(r.node.cols() == 4);
}
