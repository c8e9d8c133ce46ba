// Tree (forest) construction and spanning forests of graphs (Boost.Graph Kruskal / BFS).
#include "ftfi_test_util.hpp"
#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"
#include "pe/ftfi/brute_force.hpp"
#include "pe/ftfi/spanning_tree.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace graphtx;
using namespace graphtx::ftfi;

namespace {

double total_weight(const Tree& t) {
  double s = 0;
  for (const TreeEdge& e : t.edges()) s += e.weight;
  return s;
}

void require_valid_order(const Tree& t) {
  const auto& order = t.order();
  for (Index i = 0; i < t.num_nodes(); ++i) {
    REQUIRE(t.position()[order[i]] == i);
    for (Index c = t.first_child()[i]; c < t.first_child()[i] + t.child_count()[i]; ++c) {
      REQUIRE(c > i);
      REQUIRE(t.parent()[order[c]] == order[i]);
    }
  }
}

}  // namespace

TEST_CASE("Tree::from_edges builds a rooted breadth-first forest", "[ftfi]") {
  const Tree t = Tree::from_edges(6, {{3, 1, 2.0}, {1, 0, 1.0}, {1, 2, 0.0}, {4, 5, 1.5}});
  REQUIRE(t.num_components() == 2);
  REQUIRE(t.order().front() == 0);  // each component is rooted at its smallest node
  REQUIRE(t.parent()[0] == -1);
  REQUIRE(t.parent()[1] == 0);
  REQUIRE(t.parent_weight()[3] == 2.0);
  REQUIRE(t.parent()[5] == 4);
  REQUIRE(t.component()[5] == 1);
  REQUIRE(t.edges().size() == 4);
  require_valid_order(t);
  const RealMatrix d = tree_distances(t);
  REQUIRE(d(0, 3) == 3.0);
  REQUIRE(d(2, 3) == 2.0);
  REQUIRE(d(0, 5) == std::numeric_limits<double>::infinity());
  require_valid_order(testing::random_tree(500, testing::Weights::Real, 4));
}

TEST_CASE("Tree::from_edges rejects what is not a forest", "[ftfi]") {
  REQUIRE_THROWS_AS(Tree::from_edges(3, {{0, 1, 1.0}, {1, 2, 1.0}, {2, 0, 1.0}}), InputError);
  REQUIRE_THROWS_AS(Tree::from_edges(3, {{0, 1, 1.0}, {1, 0, 1.0}}), InputError);
  REQUIRE_THROWS_AS(Tree::from_edges(3, {{0, 3, 1.0}}), InputError);
  REQUIRE_THROWS_AS(Tree::from_edges(3, {{1, 1, 1.0}}), InputError);
  REQUIRE_THROWS_AS(Tree::from_edges(3, {{0, 1, -1.0}}), InputError);
  REQUIRE_THROWS_AS(Tree::from_edges(3, {{0, 1, std::nan("")}}), InputError);
}

TEST_CASE("minimum spanning forest of a weighted graph (Kruskal)", "[ftfi]") {
  // Square 0-1-2-3-0 with a diagonal, plus a separate edge 4-5 and an isolated node 6.
  GraphBuilder b(7, false);
  b.add_edge(0, 1, 1.0).add_edge(1, 2, 4.0).add_edge(2, 3, 1.0).add_edge(3, 0, 2.0).add_edge(0, 2, 3.0);
  b.add_edge(4, 5, 7.0).add_edge(5, 5, 0.5);  // the self-loop is ignored
  const Graph g = b.build();
  const Tree t = spanning_tree(g);  // Auto: weighted -> MST
  REQUIRE(t.num_components() == 3);
  REQUIRE(t.edges().size() == 4);
  REQUIRE(total_weight(t) == 11.0);  // 1 + 1 + 2 + 7
  const RealMatrix d = tree_distances(t);
  REQUIRE(d(1, 2) == 4.0);  // 1-0-3-2
  // Ties: every seed gives a minimum tree of the same weight.
  GraphBuilder c(4, false);
  c.add_edge(0, 1, 1.0).add_edge(1, 2, 1.0).add_edge(2, 3, 1.0).add_edge(3, 0, 1.0);
  const Graph cycle = c.build();
  std::set<std::vector<double>> distinct;
  for (const Tree& tr : spanning_trees(cycle, 8, {TreeKind::MinimumSpanning, 0})) {
    REQUIRE(total_weight(tr) == 3.0);
    const RealMatrix dd = tree_distances(tr);
    distinct.insert(std::vector<double>(dd.data(), dd.data() + dd.size()));
  }
  REQUIRE(distinct.size() > 1);  // seeds break ties differently
}

TEST_CASE("BFS spanning tree keeps hop distances from its root", "[ftfi]") {
  // A directed graph: directions are ignored. Grid 4 x 5.
  GraphBuilder b(20, true);
  for (Index r = 0; r < 4; ++r)
    for (Index c = 0; c < 5; ++c) {
      if (c + 1 < 5) b.add_edge(r * 5 + c, r * 5 + c + 1);
      if (r + 1 < 4) b.add_edge((r + 1) * 5 + c, r * 5 + c);
    }
  const Graph g = b.build();
  const Tree t = spanning_tree(g, {TreeKind::BreadthFirst, 0});
  REQUIRE(t.num_components() == 1);
  const RealMatrix d = tree_distances(t);
  for (Index v = 0; v < 20; ++v) REQUIRE(d(0, v) == static_cast<double>(v / 5 + v % 5));  // root 0
  // Another seed roots the BFS elsewhere: still a spanning tree, with hop distances from that root.
  const Tree other = spanning_tree(g, {TreeKind::BreadthFirst, 5});
  REQUIRE(other.edges().size() == 19);
  const RealMatrix od = tree_distances(other);
  bool found_root = false;
  for (Index r = 0; r < 20 && !found_root; ++r) {
    bool all = true;
    for (Index v = 0; v < 20; ++v) all = all && od(r, v) == static_cast<double>(std::abs(v / 5 - r / 5) + std::abs(v % 5 - r % 5));
    found_root = all;
  }
  REQUIRE(found_root);
  REQUIRE_THROWS_AS(parse_tree_kind("dfs"), UsageError);
}
