// Classic graph algorithms on graphtx::Graph, each computed by Boost.Graph (see boost_graph.hpp).
// Directed graphs follow edge directions; undirected graphs use every edge both ways.
// Component labels are numbered 0.. in order of each component's smallest node id.
// Cost: O(n + m) each, Dijkstra O((n + m) log n), Kruskal O(m log m); O(n + m) memory.
#pragma once

#include "graph/graph.hpp"

#include <vector>

namespace graphtx {

// Hop distance from `source` to every node ([n]); -1 when unreachable. UsageError for a bad source.
std::vector<Index> bfs_distances(const Graph& g, Index source);

// Weighted shortest-path distance from `source` ([n]; weight 1 per edge when unweighted);
// +infinity when unreachable. UsageError for a bad source.
std::vector<double> dijkstra_distances(const Graph& g, Index source);

struct Components {
  Index count = 0;
  std::vector<Index> label;  // [n], in [0, count)
};

// Components ignoring edge directions.
Components weakly_connected_components(const Graph& g);
// Strongly connected components (Tarjan); for an undirected graph the same as the weak ones.
Components strongly_connected_components(const Graph& g);

// Kruskal minimum spanning forest of the graph with directions ignored: ids of the chosen edges,
// ascending (n - weak components of them; self-loops are never chosen).
std::vector<Index> minimum_spanning_forest(const Graph& g);

// Nodes so that every edge u->v has u before v. UsageError if g is undirected; InputError
// "graph has a cycle: edge E (U -> V) closes it" if g is not acyclic (self-loops included).
std::vector<Index> topological_order(const Graph& g);

}  // namespace graphtx
