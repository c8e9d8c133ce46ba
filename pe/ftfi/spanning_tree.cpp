#include "pe/ftfi/spanning_tree.hpp"

#include "graph/errors.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/kruskal_min_spanning_tree.hpp>
#include <boost/property_map/property_map.hpp>

#include <iterator>
#include <utility>

namespace graphtx::ftfi {

namespace {

using BoostGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                                         boost::property<boost::edge_index_t, Index>>;
using BoostEdge = boost::graph_traits<BoostGraph>::edge_descriptor;
using BoostVertex = boost::graph_traits<BoostGraph>::vertex_descriptor;

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// The graph's edges without self-loops, as an undirected Boost graph; edge_index = graph edge id.
BoostGraph to_boost(const Graph& g) {
  BoostGraph bg(static_cast<size_t>(g.num_nodes()));
  for (Index e = 0; e < g.num_edges(); ++e) {
    if (g.source(e) != g.target(e)) boost::add_edge(static_cast<size_t>(g.source(e)), static_cast<size_t>(g.target(e)), e, bg);
  }
  return bg;
}

Tree minimum_spanning(const Graph& g, std::uint64_t seed) {
  const BoostGraph bg = to_boost(g);
  using Key = std::pair<double, std::uint64_t>;  // weight, tie-breaker
  std::vector<Key> keys(static_cast<size_t>(g.num_edges()));
  for (Index e = 0; e < g.num_edges(); ++e) {
    const auto tie = seed == 0 ? static_cast<std::uint64_t>(e) : splitmix64(seed ^ splitmix64(static_cast<std::uint64_t>(e)));
    keys[e] = {g.weight(e), tie};
  }
  const auto edge_id = boost::get(boost::edge_index, bg);
  std::vector<BoostEdge> chosen;
  boost::kruskal_minimum_spanning_tree(bg, std::back_inserter(chosen),
                                       boost::weight_map(boost::make_iterator_property_map(keys.begin(), edge_id)));
  std::vector<TreeEdge> edges;
  edges.reserve(chosen.size());
  for (const BoostEdge& be : chosen) {
    const Index e = edge_id[be];
    edges.push_back({g.source(e), g.target(e), g.weight(e)});
  }
  return Tree::from_edges(g.num_nodes(), edges);
}

// Records every BFS tree edge as (parent, child, weight of that graph edge).
class TreeEdgeRecorder : public boost::default_bfs_visitor {
 public:
  TreeEdgeRecorder(const Graph& g, std::vector<TreeEdge>& out) : g_(&g), out_(&out) {}
  void tree_edge(const BoostEdge& be, const BoostGraph& bg) const {
    const Index e = boost::get(boost::edge_index, bg, be);
    out_->push_back({static_cast<Index>(boost::source(be, bg)), static_cast<Index>(boost::target(be, bg)), g_->weight(e)});
  }

 private:
  const Graph* g_;
  std::vector<TreeEdge>* out_;
};

Tree breadth_first(const Graph& g, std::uint64_t seed) {
  const BoostGraph bg = to_boost(g);
  const auto n = static_cast<size_t>(g.num_nodes());
  std::vector<Index> comp(n);
  const auto num_comp = static_cast<size_t>(boost::connected_components(bg, comp.data()));
  std::vector<std::vector<Index>> members(num_comp);
  for (size_t v = 0; v < n; ++v) members[static_cast<size_t>(comp[v])].push_back(static_cast<Index>(v));

  std::vector<TreeEdge> edges;
  edges.reserve(n);
  std::vector<boost::default_color_type> color(n, boost::white_color);
  const auto color_map = boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, bg));
  for (size_t c = 0; c < num_comp; ++c) {
    const auto& m = members[c];  // sorted: m[0] is the smallest node
    const size_t pick = seed == 0 ? 0 : static_cast<size_t>(splitmix64(seed ^ splitmix64(c)) % m.size());
    boost::breadth_first_visit(bg, static_cast<BoostVertex>(m[pick]),
                               boost::visitor(TreeEdgeRecorder(g, edges)).color_map(color_map));
  }
  return Tree::from_edges(g.num_nodes(), edges);
}

}  // namespace

TreeKind parse_tree_kind(const std::string& name) {
  if (name == "auto") return TreeKind::Auto;
  if (name == "mst") return TreeKind::MinimumSpanning;
  if (name == "bfs") return TreeKind::BreadthFirst;
  throw UsageError("unknown tree kind '" + name + "' (expected auto, mst or bfs)");
}

Tree spanning_tree(const Graph& graph, const SpanningTreeOptions& options) {
  TreeKind kind = options.kind;
  if (kind == TreeKind::Auto) kind = graph.weighted() ? TreeKind::MinimumSpanning : TreeKind::BreadthFirst;
  return kind == TreeKind::MinimumSpanning ? minimum_spanning(graph, options.seed) : breadth_first(graph, options.seed);
}

std::vector<Tree> spanning_trees(const Graph& graph, Index count, const SpanningTreeOptions& options) {
  if (count < 1) throw UsageError("spanning_trees: count must be >= 1");
  std::vector<Tree> trees;
  trees.reserve(static_cast<size_t>(count));
  for (Index i = 0; i < count; ++i) {
    SpanningTreeOptions o = options;
    o.seed = options.seed + static_cast<std::uint64_t>(i);
    trees.push_back(spanning_tree(graph, o));
  }
  return trees;
}

}  // namespace graphtx::ftfi
