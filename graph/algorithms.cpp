#include "graph/algorithms.hpp"

#include "graph/boost_graph.hpp"
#include "graph/errors.hpp"

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/kruskal_min_spanning_tree.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/graph/topological_sort.hpp>

#include <algorithm>
#include <iterator>
#include <limits>
#include <string>

namespace graphtx {

namespace {

void check_source(const Graph& g, Index source, const char* what) {
  if (source < 0 || source >= g.num_nodes())
    throw UsageError(std::string(what) + ": source " + std::to_string(source) + " is out of range [0, " +
                     std::to_string(g.num_nodes()) + ")");
}

// Calls fn with the Boost graph matching g's directedness.
template <class Fn>
auto with_boost(const Graph& g, Fn&& fn) {
  if (g.directed()) return fn(to_boost<BoostDigraph>(g));
  return fn(to_boost<BoostUndirectedGraph>(g));
}

// Renumbers labels 0.. in order of each label's first (smallest) node.
Components normalized(std::vector<Index> raw) {
  Components c;
  std::vector<Index> renumber(raw.size(), -1);
  c.label.resize(raw.size());
  for (std::size_t u = 0; u < raw.size(); ++u) {
    Index& fresh = renumber[static_cast<std::size_t>(raw[u])];
    if (fresh < 0) fresh = c.count++;
    c.label[u] = fresh;
  }
  return c;
}

struct BackEdgeRecorder : boost::default_dfs_visitor {
  Index* edge_id;
  template <class Edge, class BoostGraph>
  void back_edge(const Edge& e, const BoostGraph& bg) {
    if (*edge_id < 0) *edge_id = boost::get(boost::edge_index, bg, e);
  }
};

}  // namespace

std::vector<Index> bfs_distances(const Graph& g, Index source) {
  check_source(g, source, "bfs_distances");
  std::vector<Index> distance(static_cast<std::size_t>(g.num_nodes()), -1);
  distance[static_cast<std::size_t>(source)] = 0;
  with_boost(g, [&](const auto& bg) {
    boost::breadth_first_search(
        bg, static_cast<std::size_t>(source),
        boost::visitor(boost::make_bfs_visitor(boost::record_distances(distance.data(), boost::on_tree_edge()))));
  });
  return distance;
}

std::vector<double> dijkstra_distances(const Graph& g, Index source) {
  check_source(g, source, "dijkstra_distances");
  constexpr double inf = std::numeric_limits<double>::infinity();
  std::vector<double> distance(static_cast<std::size_t>(g.num_nodes()), inf);
  with_boost(g, [&](const auto& bg) {
    boost::dijkstra_shortest_paths(bg, static_cast<std::size_t>(source),
                                   boost::distance_map(distance.data()).distance_inf(inf));
  });
  return distance;
}

Components weakly_connected_components(const Graph& g) {
  const auto bg = to_boost<BoostUndirectedGraph>(g);
  std::vector<Index> raw(static_cast<std::size_t>(g.num_nodes()));
  boost::connected_components(bg, raw.data());
  return normalized(std::move(raw));
}

Components strongly_connected_components(const Graph& g) {
  if (!g.directed()) return weakly_connected_components(g);
  const auto bg = to_boost<BoostDigraph>(g);
  std::vector<Index> raw(static_cast<std::size_t>(g.num_nodes()));
  boost::strong_components(bg, raw.data());
  return normalized(std::move(raw));
}

std::vector<Index> minimum_spanning_forest(const Graph& g) {
  const auto bg = to_boost<BoostUndirectedGraph>(g);
  std::vector<boost::graph_traits<BoostUndirectedGraph>::edge_descriptor> tree;
  boost::kruskal_minimum_spanning_tree(bg, std::back_inserter(tree));
  std::vector<Index> ids;
  ids.reserve(tree.size());
  for (const auto& e : tree) ids.push_back(boost::get(boost::edge_index, bg, e));
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<Index> topological_order(const Graph& g) {
  if (!g.directed()) throw UsageError("topological_order: the graph is undirected");
  const auto bg = to_boost<BoostDigraph>(g);
  std::vector<std::size_t> reverse_order;
  reverse_order.reserve(static_cast<std::size_t>(g.num_nodes()));
  try {
    boost::topological_sort(bg, std::back_inserter(reverse_order));
  } catch (const boost::not_a_dag&) {
    Index cycle_edge = -1;
    BackEdgeRecorder recorder;
    recorder.edge_id = &cycle_edge;
    boost::depth_first_search(bg, boost::visitor(recorder));
    throw InputError("graph has a cycle: edge " + std::to_string(cycle_edge) + " (" +
                     std::to_string(g.source(cycle_edge)) + " -> " + std::to_string(g.target(cycle_edge)) +
                     ") closes it");
  }
  return std::vector<Index>(reverse_order.rbegin(), reverse_order.rend());
}

}  // namespace graphtx
