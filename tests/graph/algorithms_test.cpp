#include "graph/algorithms.hpp"
#include "graph/boost_graph.hpp"
#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"
#include "graph/graph_summary.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

using namespace graphtx;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// 0->1 (4), 0->2 (1), 2->1 (2), 1->3 (1), 2->3 (5), 3->4 (3); node 5 isolated. A DAG.
Graph weighted_dag() {
  GraphBuilder b(6, true);
  b.add_edge(0, 1, 4).add_edge(0, 2, 1).add_edge(2, 1, 2).add_edge(1, 3, 1).add_edge(2, 3, 5).add_edge(3, 4, 3);
  return b.build();
}

// Cycle 0->1->2->0, 2->3, 3<->4, 6->5: strong {0,1,2} {3,4} {5} {6}, weak {0..4} {5,6}.
Graph cyclic() {
  GraphBuilder b(7, true);
  b.add_edge(0, 1).add_edge(1, 2).add_edge(2, 0).add_edge(2, 3).add_edge(3, 4).add_edge(4, 3).add_edge(6, 5);
  return b.build();
}

// Square 0-1-2-3 with diagonal 0-2, a self-loop at 1, isolated 4, separate edge 5-6.
Graph undirected_square() {
  GraphBuilder b(7, false);
  b.add_edge(0, 1, 1).add_edge(1, 2, 2).add_edge(2, 3, 1).add_edge(3, 0, 3).add_edge(0, 2, 1.5);
  b.add_edge(1, 1, 0).add_edge(5, 6, 7);
  return b.build();
}

Graph random_graph(bool directed, unsigned seed, Index n, int m) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<Index> node(0, n - 1);
  std::uniform_int_distribution<int> weight(0, 9);
  GraphBuilder b(n, directed);
  for (int e = 0; e < m; ++e) b.add_edge(node(rng), node(rng), weight(rng) * 0.5);
  return b.build();
}

// Floyd-Warshall reference: all-pairs distances with the given per-edge length.
std::vector<std::vector<double>> all_pairs(const Graph& g, bool unit) {
  const auto n = static_cast<std::size_t>(g.num_nodes());
  std::vector<std::vector<double>> d(n, std::vector<double>(n, inf));
  for (std::size_t u = 0; u < n; ++u) d[u][u] = 0;
  for (Index e = 0; e < g.num_edges(); ++e) {
    const auto u = static_cast<std::size_t>(g.source(e)), v = static_cast<std::size_t>(g.target(e));
    const double w = unit ? 1.0 : g.weight(e);
    d[u][v] = std::min(d[u][v], w);
    if (!g.directed()) d[v][u] = std::min(d[v][u], w);
  }
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) d[i][j] = std::min(d[i][j], d[i][k] + d[k][j]);
  return d;
}

}  // namespace

TEST_CASE("to_boost and from_boost keep nodes, edge order, weights and edge ids", "[graph][boost]") {
  const Graph g = weighted_dag();
  const BoostDigraph bg = to_boost<BoostDigraph>(g);
  CHECK(boost::num_vertices(bg) == 6);
  REQUIRE(boost::num_edges(bg) == 6);
  Index e = 0;
  for (auto [it, end] = boost::edges(bg); it != end; ++it, ++e) {
    CHECK(static_cast<Index>(boost::source(*it, bg)) == g.source(e));
    CHECK(static_cast<Index>(boost::target(*it, bg)) == g.target(e));
    CHECK(boost::get(boost::edge_weight, bg, *it) == g.weight(e));
    CHECK(boost::get(boost::edge_index, bg, *it) == e);
  }
  const Graph back = from_boost(bg);
  CHECK(back.directed());
  CHECK(back.sources() == g.sources());
  CHECK(back.targets() == g.targets());
  CHECK(back.weights() == g.weights());
  CHECK_FALSE(from_boost(bg, false).weighted());

  const Graph u = undirected_square();
  const Graph u_back = from_boost(to_boost<BoostUndirectedGraph>(u));
  CHECK_FALSE(u_back.directed());
  CHECK(u_back.sources() == u.sources());
  CHECK(u_back.targets() == u.targets());
  CHECK(u_back.weights() == u.weights());
  CHECK_THROWS_AS(to_boost<BoostDigraph>(u), UsageError);
  // A directed graph viewed as undirected keeps every edge.
  CHECK(boost::num_edges(to_boost<BoostUndirectedGraph>(g)) == 6);
}

TEST_CASE("BFS and Dijkstra distances on small known graphs", "[graph][boost]") {
  const Graph g = weighted_dag();
  CHECK(bfs_distances(g, 0) == std::vector<Index>{0, 1, 1, 2, 3, -1});
  CHECK(bfs_distances(g, 4) == std::vector<Index>{-1, -1, -1, -1, 0, -1});
  CHECK(dijkstra_distances(g, 0) == std::vector<double>{0, 3, 1, 4, 7, inf});
  CHECK(dijkstra_distances(g, 2) == std::vector<double>{inf, 2, 0, 3, 6, inf});

  const Graph u = undirected_square();
  CHECK(bfs_distances(u, 0) == std::vector<Index>{0, 1, 1, 1, -1, -1, -1});
  CHECK(bfs_distances(u, 6) == std::vector<Index>{-1, -1, -1, -1, -1, 1, 0});
  CHECK(dijkstra_distances(u, 0) == std::vector<double>{0, 1, 1.5, 2.5, inf, inf, inf});
  CHECK(dijkstra_distances(u, 3) == std::vector<double>{2.5, 3, 1, 0, inf, inf, inf});

  CHECK_THROWS_AS(bfs_distances(g, 6), UsageError);
  CHECK_THROWS_AS(dijkstra_distances(g, -1), UsageError);
}

TEST_CASE("BFS and Dijkstra agree with Floyd-Warshall on random multigraphs", "[graph][boost]") {
  for (bool directed : {true, false}) {
    const Graph g = random_graph(directed, directed ? 3 : 4, 25, 45);
    const auto hops = all_pairs(g, true);
    const auto dist = all_pairs(g, false);
    for (Index s = 0; s < g.num_nodes(); ++s) {
      const auto b = bfs_distances(g, s);
      const auto d = dijkstra_distances(g, s);
      for (Index t = 0; t < g.num_nodes(); ++t) {
        const double expect_hops = hops[s][t];
        CHECK(b[t] == (std::isinf(expect_hops) ? -1 : static_cast<Index>(expect_hops)));
        CHECK(d[t] == dist[s][t]);  // sums of multiples of 0.5 are exact
      }
    }
  }
}

TEST_CASE("Weak and strong components", "[graph][boost]") {
  const Graph g = cyclic();
  const Components weak = weakly_connected_components(g);
  CHECK(weak.count == 2);
  CHECK(weak.label == std::vector<Index>{0, 0, 0, 0, 0, 1, 1});
  const Components strong = strongly_connected_components(g);
  CHECK(strong.count == 4);
  CHECK(strong.label == std::vector<Index>{0, 0, 0, 1, 1, 2, 3});
  const Components dag = strongly_connected_components(weighted_dag());
  CHECK(dag.count == 6);
  CHECK(dag.label == std::vector<Index>{0, 1, 2, 3, 4, 5});
  const Components square = strongly_connected_components(undirected_square());
  CHECK(square.count == 3);
  CHECK(square.label == std::vector<Index>{0, 0, 0, 0, 1, 2, 2});
  CHECK(weakly_connected_components(Graph{}).count == 0);

  // Against reachability: same strong label iff mutually reachable.
  const Graph r = random_graph(true, 9, 30, 40);
  const auto reach = all_pairs(r, true);
  const Components sc = strongly_connected_components(r);
  for (Index u = 0; u < r.num_nodes(); ++u)
    for (Index v = 0; v < r.num_nodes(); ++v)
      CHECK((sc.label[u] == sc.label[v]) == (!std::isinf(reach[u][v]) && !std::isinf(reach[v][u])));
}

TEST_CASE("Kruskal minimum spanning forest", "[graph][boost]") {
  const Graph u = undirected_square();
  const std::vector<Index> forest = minimum_spanning_forest(u);
  CHECK(forest == std::vector<Index>{0, 2, 4, 6});
  // A directed graph is spanned with directions ignored: 0-2 (1), 2-1 (2), 1-3 (1), 3-4 (3).
  CHECK(minimum_spanning_forest(weighted_dag()) == std::vector<Index>{1, 2, 3, 5});

  // Total weight equals the brute-force minimum over all spanning edge subsets of a small graph.
  const Graph r = random_graph(false, 5, 6, 10);
  const auto chosen = minimum_spanning_forest(r);
  double chosen_weight = 0;
  for (Index e : chosen) chosen_weight += r.weight(e);
  const Index components = weakly_connected_components(r).count;
  REQUIRE(static_cast<Index>(chosen.size()) == r.num_nodes() - components);
  double best = inf;
  for (unsigned mask = 0; mask < (1u << r.num_edges()); ++mask) {
    GraphBuilder b(r.num_nodes(), false);
    double w = 0;
    int count = 0;
    for (Index e = 0; e < r.num_edges(); ++e)
      if (mask >> e & 1) {
        b.add_edge(r.source(e), r.target(e));
        w += r.weight(e);
        ++count;
      }
    if (count == r.num_nodes() - components && weakly_connected_components(b.build()).count == components)
      best = std::min(best, w);
  }
  CHECK(chosen_weight == best);
}

TEST_CASE("Topological order and the edge that closes a cycle", "[graph][boost]") {
  const Graph g = weighted_dag();
  const std::vector<Index> order = topological_order(g);
  REQUIRE(order.size() == 6);
  std::vector<Index> position(6, -1);
  for (std::size_t i = 0; i < order.size(); ++i) position[order[i]] = static_cast<Index>(i);
  for (Index p : position) CHECK(p >= 0);
  for (Index e = 0; e < g.num_edges(); ++e) CHECK(position[g.source(e)] < position[g.target(e)]);
  std::vector<Index> chain;  // 0 -> 2 -> 1 -> 3 -> 4 is forced
  for (Index u : order)
    if (u != 5) chain.push_back(u);
  CHECK(chain == std::vector<Index>{0, 2, 1, 3, 4});

  CHECK_THROWS_WITH(topological_order(cyclic()), "graph has a cycle: edge 2 (2 -> 0) closes it");
  CHECK_THROWS_AS(topological_order(cyclic()), InputError);
  GraphBuilder loop(2, true);
  loop.add_edge(0, 1).add_edge(1, 1);
  CHECK_THROWS_WITH(topological_order(loop.build()), "graph has a cycle: edge 1 (1 -> 1) closes it");
  CHECK_THROWS_AS(topological_order(undirected_square()), UsageError);
}

TEST_CASE("Graph summary of small directed and undirected multigraphs", "[graph]") {
  auto make = [](bool directed) {
    GraphBuilder b(4, directed);
    b.add_edge(0, 1).add_edge(0, 1).add_edge(1, 2).add_edge(2, 2);
    return b.build();
  };
  const GraphSummary d = summarize(make(true));
  CHECK(d.nodes == 4);
  CHECK(d.edges == 4);
  CHECK(d.directed);
  CHECK_FALSE(d.weighted);
  CHECK(d.self_loops == 1);
  CHECK(d.multi_edges == 1);
  CHECK(d.isolated_nodes == 1);
  CHECK(d.weak_components == 2);
  CHECK(d.strong_components == 4);
  CHECK(d.out_degree.min == 0);
  CHECK(d.out_degree.max == 2);
  CHECK(d.out_degree.mean == 1.0);
  CHECK(d.in_degree.min == 0);
  CHECK(d.in_degree.max == 2);
  CHECK(d.in_degree.mean == 1.0);

  const GraphSummary u = summarize(make(false));
  CHECK_FALSE(u.directed);
  CHECK(u.weak_components == 2);
  CHECK(u.strong_components == 2);
  CHECK(u.out_degree.min == 0);
  CHECK(u.out_degree.max == 3);   // node 1: two edges to 0, one to 2; node 2: 1 + self-loop twice
  CHECK(u.out_degree.mean == 2.0);  // 2m / n
  CHECK(u.in_degree.max == 3);

  const GraphSummary empty = summarize(Graph{});
  CHECK(empty.nodes == 0);
  CHECK(empty.out_degree.mean == 0.0);
  CHECK(empty.weak_components == 0);
}
