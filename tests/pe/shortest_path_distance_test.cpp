#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"
#include "pe/shortest_path_distance.hpp"

#include <catch2/catch.hpp>
#include <tbb/task_arena.h>

#include <cstring>
#include <queue>
#include <random>

using namespace graphtx;

namespace {

ShortestPathOptions all_pairs(Index max_distance) {
  ShortestPathOptions o;
  o.max_distance = max_distance;
  o.pairs = PairSelection::All;
  return o;
}

double value(const EncodingResult& r, Index n, Index u, Index v) {
  REQUIRE(r.pairs(u * n + v, 0) == u);
  REQUIRE(r.pairs(u * n + v, 1) == v);
  return r.pair_values(u * n + v, 0);
}

}  // namespace

TEST_CASE("SPD on a directed path: capped distances and unreachable = max + 1", "[pe][spd]") {
  GraphBuilder b(5, true);
  b.add_edge(0, 1).add_edge(1, 2).add_edge(2, 3);  // node 4 isolated
  const EncodingResult r = shortest_path_distance(b.build(), all_pairs(2));
  REQUIRE(r.pairs.rows() == 25);
  REQUIRE(r.pair_values.cols() == 1);
  CHECK(r.node.cols() == 0);
  CHECK(value(r, 5, 0, 0) == 0);
  CHECK(value(r, 5, 0, 1) == 1);
  CHECK(value(r, 5, 0, 2) == 2);
  CHECK(value(r, 5, 0, 3) == 2);  // distance 3, capped at 2
  CHECK(value(r, 5, 3, 0) == 3);  // unreachable against the direction
  CHECK(value(r, 5, 0, 4) == 3);
  CHECK(value(r, 5, 4, 4) == 0);
}

TEST_CASE("SPD on an undirected graph is symmetric and matches a reference BFS", "[pe][spd]") {
  std::mt19937 rng(5);
  const Index n = 60;
  std::uniform_int_distribution<Index> node(0, n - 1);
  GraphBuilder b(n, false);
  for (int e = 0; e < 55; ++e) b.add_edge(node(rng), node(rng));
  const Graph g = b.build();
  const EncodingResult r = shortest_path_distance(g, all_pairs(4));
  for (Index s = 0; s < n; ++s) {
    std::vector<Index> d(n, -1);
    std::queue<Index> q;
    d[s] = 0;
    q.push(s);
    while (!q.empty()) {
      const Index x = q.front();
      q.pop();
      for (Index e = 0; e < g.num_edges(); ++e)
        for (int side = 0; side < 2; ++side) {
          const Index a = side ? g.target(e) : g.source(e), c = side ? g.source(e) : g.target(e);
          if (a == x && d[c] < 0) {
            d[c] = d[x] + 1;
            q.push(c);
          }
        }
    }
    for (Index v = 0; v < n; ++v) {
      const double expected = d[v] < 0 ? 5.0 : static_cast<double>(std::min<Index>(d[v], 4));
      REQUIRE(value(r, n, s, v) == expected);
      REQUIRE(value(r, n, s, v) == value(r, n, v, s));
    }
  }
  // Edge pair set: 1 per edge, 0 for a self-loop.
  const EncodingResult e = shortest_path_distance(g, ShortestPathOptions{});
  for (Index i = 0; i < e.pairs.rows(); ++i) CHECK(e.pair_values(i, 0) == (e.pairs(i, 0) == e.pairs(i, 1) ? 0 : 1));
}

TEST_CASE("SPD: thread-count independence, negative max, pair memory limit", "[pe][spd]") {
  std::mt19937 rng(8);
  std::uniform_int_distribution<Index> node(0, 199);
  GraphBuilder b(200, true);
  for (int e = 0; e < 400; ++e) b.add_edge(node(rng), node(rng));
  const Graph g = b.build();
  EncodingResult one, two;
  tbb::task_arena(1).execute([&] { one = shortest_path_distance(g, all_pairs(6)); });
  tbb::task_arena(2).execute([&] { two = shortest_path_distance(g, all_pairs(6)); });
  CHECK(std::memcmp(one.pair_values.data(), two.pair_values.data(), sizeof(double) * one.pair_values.size()) == 0);
  CHECK_THROWS_AS(shortest_path_distance(g, all_pairs(-1)), UsageError);
  ShortestPathOptions big = all_pairs(6);
  big.max_pair_bytes = 200 * 200 * 3 * 8 - 1;
  CHECK_THROWS_AS(shortest_path_distance(g, big), UsageError);
  big.max_pair_bytes += 1;
  CHECK(shortest_path_distance(g, big).pairs.rows() == 40000);
}
