#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"
#include "pe/directional_walk.hpp"

#include <Eigen/Dense>
#include <catch2/catch.hpp>
#include <tbb/task_arena.h>

#include <cstring>
#include <random>

using namespace graphtx;

namespace {

// Dense T (or R with reverse) by the definition: multi-edges and weights accumulate, sinks absorb.
Eigen::MatrixXd dense_walk(const Graph& g, bool reverse) {
  const Index n = g.num_nodes();
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n, n);
  for (Index e = 0; e < g.num_edges(); ++e) {
    Index u = g.source(e), v = g.target(e);
    if (reverse) std::swap(u, v);
    a(u, v) += g.weight(e);
    if (!g.directed() && u != v) a(v, u) += g.weight(e);
  }
  for (Index u = 0; u < n; ++u) {
    const double d = a.row(u).sum();
    if (d > 0) {
      a.row(u) /= d;
    } else {
      a(u, u) = 1.0;
    }
  }
  return a;
}

Eigen::MatrixXd dense_ppr(const Eigen::MatrixXd& x, double alpha) {
  const Index n = x.rows();
  return alpha * (Eigen::MatrixXd::Identity(n, n) - (1 - alpha) * x).inverse();
}

// Channel c of the result as a dense matrix (all pairs, row-major).
Eigen::MatrixXd channel(const EncodingResult& r, Index n, Index c) {
  Eigen::MatrixXd m(n, n);
  for (Index i = 0; i < r.pairs.rows(); ++i) m(r.pairs(i, 0), r.pairs(i, 1)) = r.pair_values(i, c);
  return m;
}

double max_diff(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) { return (a - b).cwiseAbs().maxCoeff(); }

DirectionalWalkOptions all_pairs(Index k) {
  DirectionalWalkOptions o;
  o.num_steps = k;
  o.pairs = PairSelection::All;
  return o;
}

}  // namespace

TEST_CASE("Directional walks on the path 0->1->2: the values of pe.md", "[pe][drw]") {
  GraphBuilder b(3, true);
  b.add_edge(0, 1).add_edge(1, 2);
  const EncodingResult r = directional_walk(b.build(), all_pairs(3));
  REQUIRE(r.pairs.rows() == 9);
  REQUIRE(r.pair_values.cols() == 8);
  Eigen::MatrixXd t(3, 3), rev(3, 3), ppr(3, 3);
  t << 0, 1, 0, 0, 0, 1, 0, 0, 1;
  rev << 1, 0, 0, 1, 0, 0, 0, 1, 0;
  ppr << 0.05, 0.0475, 0.9025, 0, 0.05, 0.95, 0, 0, 1;
  CHECK(max_diff(channel(r, 3, 0), t) == 0.0);
  CHECK(max_diff(channel(r, 3, 1), t * t) == 0.0);
  CHECK(max_diff(channel(r, 3, 2), t * t * t) == 0.0);
  CHECK(max_diff(channel(r, 3, 3), ppr) < 1e-14);
  CHECK(max_diff(channel(r, 3, 4), rev) == 0.0);
  CHECK(max_diff(channel(r, 3, 5), rev * rev) == 0.0);
  CHECK(max_diff(channel(r, 3, 6), rev * rev * rev) == 0.0);
  CHECK(max_diff(channel(r, 3, 7), dense_ppr(rev, 0.05)) < 1e-14);
  // Node part: diag T^t then diag R^t; only the absorbing ends return.
  REQUIRE(r.node_dims == std::vector<Index>{2, 3});
  CHECK(r.node.row(0) == Eigen::RowVectorXd((Eigen::RowVectorXd(6) << 0, 0, 0, 1, 1, 1).finished()));
  CHECK(r.node.row(1) == Eigen::RowVectorXd::Zero(6));
  CHECK(r.node.row(2) == Eigen::RowVectorXd((Eigen::RowVectorXd(6) << 1, 1, 1, 0, 0, 0).finished()));
}

TEST_CASE("Directional walks: multi-edges accumulate (T[0] = [0, 2/3, 1/3]), edge pair set", "[pe][drw]") {
  GraphBuilder b(3, true);
  b.add_edge(0, 1).add_edge(0, 1).add_edge(0, 2);
  const EncodingResult r = directional_walk(b.build(), DirectionalWalkOptions{});
  // Distinct ordered edge pairs, sorted: (0,1), (0,2).
  REQUIRE(r.pairs.rows() == 2);
  CHECK(r.pairs(0, 0) == 0);
  CHECK(r.pairs(0, 1) == 1);
  CHECK(r.pairs(1, 1) == 2);
  CHECK(r.pair_values(0, 0) == Approx(2.0 / 3.0));
  CHECK(r.pair_values(1, 0) == Approx(1.0 / 3.0));
  // 1 is a sink (T[1,1] = 1), so T^2[0,1] = 2/3.
  CHECK(r.pair_values(0, 1) == Approx(2.0 / 3.0));
  // Reverse walk: R[0,1] = 0 (node 0 has no in-edges: absorbing), R[0,2] = 0.
  CHECK(r.pair_values(0, 4) == 0.0);
}

TEST_CASE("Directional walks match dense powers and a dense PPR inverse on random graphs", "[pe][drw]") {
  std::mt19937 rng(7);
  for (bool directed : {true, false}) {
    for (bool weighted : {false, true}) {
      const Index n = 40;
      std::uniform_int_distribution<Index> node(0, n - 1);
      GraphBuilder b(n, directed);
      for (int e = 0; e < 70; ++e) {
        if (weighted) {
          b.add_edge(node(rng), node(rng), 0.25 + static_cast<double>(e % 7));
        } else {
          b.add_edge(node(rng), node(rng));
        }
      }
      const Graph g = b.build();
      DirectionalWalkOptions o = all_pairs(4);
      o.ppr_alpha = 0.15;
      const EncodingResult r = directional_walk(g, o);
      REQUIRE(r.pair_values.cols() == 10);
      for (int side = 0; side < 2; ++side) {
        const Eigen::MatrixXd x = dense_walk(g, side == 1);
        Eigen::MatrixXd power = x;
        for (Index t = 0; t < 4; ++t) {
          CHECK(max_diff(channel(r, n, side * 5 + t), power) < 1e-13);
          CHECK((Eigen::VectorXd(r.node.col(side * 4 + t)) - power.diagonal()).cwiseAbs().maxCoeff() < 1e-13);
          power = power * x;
        }
        const Eigen::MatrixXd ppr = channel(r, n, side * 5 + 4);
        CHECK(max_diff(ppr, dense_ppr(x, 0.15)) < 1e-12);
        CHECK((ppr.rowwise().sum().array() - 1.0).abs().maxCoeff() < 1e-12);  // rows of PPR sum to 1
      }
      // The edge pair set reads the same matrices.
      const EncodingResult e = directional_walk(g, DirectionalWalkOptions{});
      const Eigen::MatrixXd t = dense_walk(g, false), ppr_t = dense_ppr(t, 0.05);
      for (Index i = 0; i < e.pairs.rows(); ++i) {
        CHECK(e.pair_values(i, 0) == Approx(t(e.pairs(i, 0), e.pairs(i, 1))).margin(1e-14));
        CHECK(e.pair_values(i, 3) == Approx(ppr_t(e.pairs(i, 0), e.pairs(i, 1))).margin(1e-12));
      }
    }
  }
}

TEST_CASE("Directional walks: thread-count independence, bad options, pair memory limit", "[pe][drw]") {
  std::mt19937 rng(11);
  std::uniform_int_distribution<Index> node(0, 299);
  GraphBuilder b(300, true);
  for (int e = 0; e < 900; ++e) b.add_edge(node(rng), node(rng));
  const Graph g = b.build();
  EncodingResult one, two;
  tbb::task_arena(1).execute([&] { one = directional_walk(g, DirectionalWalkOptions{}); });
  tbb::task_arena(2).execute([&] { two = directional_walk(g, DirectionalWalkOptions{}); });
  REQUIRE(one.pair_values.size() == two.pair_values.size());
  CHECK(std::memcmp(one.pair_values.data(), two.pair_values.data(), sizeof(double) * one.pair_values.size()) == 0);
  CHECK(std::memcmp(one.node.data(), two.node.data(), sizeof(double) * one.node.size()) == 0);

  DirectionalWalkOptions bad;
  bad.ppr_alpha = 0.0;
  CHECK_THROWS_AS(directional_walk(g, bad), UsageError);
  bad = DirectionalWalkOptions{};
  bad.num_steps = 0;
  CHECK_THROWS_AS(directional_walk(g, bad), UsageError);
  DirectionalWalkOptions big = all_pairs(3);
  big.max_pair_bytes = 1000000;  // 300^2 pairs x (2 + 8) x 8 bytes = 7.2 MB
  CHECK_THROWS_WITH(directional_walk(g, big), Catch::Contains("pairs=all") && Catch::Contains("limit"));
}

TEST_CASE("Directional walks above 1,000 nodes (iterative PPR) match a dense PPR inverse", "[pe][drw]") {
  std::mt19937 rng(13);
  const Index n = 1001;
  std::uniform_int_distribution<Index> node(0, n - 1);
  GraphBuilder b(n, true);
  for (int e = 0; e < 3 * n; ++e) b.add_edge(node(rng), node(rng));
  const Graph g = b.build();
  const EncodingResult r = directional_walk(g, DirectionalWalkOptions{});
  for (int side = 0; side < 2; ++side) {
    const Eigen::MatrixXd ppr = dense_ppr(dense_walk(g, side == 1), 0.05);
    double err = 0;
    for (Index i = 0; i < r.pairs.rows(); ++i)
      err = std::max(err, std::abs(r.pair_values(i, side * 4 + 3) - ppr(r.pairs(i, 0), r.pairs(i, 1))));
    CHECK(err < 1e-10);
  }
}
