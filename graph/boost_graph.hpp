// Conversion between graphtx::Graph and Boost.Graph adjacency lists, so Boost's algorithms run
// on graphtx graphs. Both Boost types keep vertices 0..n-1 and list edges (boost::edges) in
// insertion order, each with edge_weight (double, 1 when unweighted) and edge_index (graphtx id).
// to_boost<BoostDigraph> needs a directed g (UsageError); to_boost<BoostUndirectedGraph> takes
// any g (u->v becomes {u, v}); from_boost keeps boost::edges order. O(n + m) either way.
#pragma once

#include "graph/errors.hpp"
#include "graph/graph.hpp"
#include "graph/graph_builder.hpp"

#include <boost/graph/adjacency_list.hpp>

#include <type_traits>

namespace graphtx {

using BoostEdgeProperties =
    boost::property<boost::edge_weight_t, double, boost::property<boost::edge_index_t, Index>>;
using BoostDigraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property,
                                           BoostEdgeProperties>;
using BoostUndirectedGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS,
                                                   boost::no_property, BoostEdgeProperties>;

template <class BoostGraph>
constexpr bool is_boost_directed() {
  using Category = typename boost::graph_traits<BoostGraph>::directed_category;
  return std::is_convertible<Category, boost::directed_tag>::value;
}

template <class BoostGraph = BoostDigraph>
BoostGraph to_boost(const Graph& g) {
  if (is_boost_directed<BoostGraph>() && !g.directed())
    throw UsageError("to_boost: an undirected graph cannot become a directed Boost graph (use BoostUndirectedGraph)");
  BoostGraph bg(static_cast<typename boost::graph_traits<BoostGraph>::vertices_size_type>(g.num_nodes()));
  for (Index e = 0; e < g.num_edges(); ++e) {
    using Vertex = typename boost::graph_traits<BoostGraph>::vertex_descriptor;
    boost::add_edge(static_cast<Vertex>(g.source(e)), static_cast<Vertex>(g.target(e)),
                    BoostEdgeProperties(g.weight(e), BoostEdgeProperties::next_type(e)), bg);
  }
  return bg;
}

template <class BoostGraph>
Graph from_boost(const BoostGraph& bg, bool weighted = true) {
  GraphBuilder builder(static_cast<Index>(boost::num_vertices(bg)), is_boost_directed<BoostGraph>());
  builder.reserve_edges(static_cast<Index>(boost::num_edges(bg)));
  const auto weight = boost::get(boost::edge_weight, bg);
  const auto edge_range = boost::edges(bg);
  for (auto it = edge_range.first; it != edge_range.second; ++it) {
    const auto u = static_cast<Index>(boost::source(*it, bg));
    const auto v = static_cast<Index>(boost::target(*it, bg));
    if (weighted) builder.add_edge(u, v, boost::get(weight, *it));
    else builder.add_edge(u, v);
  }
  return builder.build();
}

}  // namespace graphtx
