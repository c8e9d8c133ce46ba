// GraphSummary: the statistics `graphtx info` prints: sizes, directedness, self-loops,
// multi-edges, weak and strong components (via Boost.Graph), isolated nodes and degree
// min / mean / max. Directed graphs get out- and in-degree; undirected graphs one degree in
// which a self-loop counts twice (so its mean is 2m/n). Cost: O((n + m) log m) time, O(n + m) memory.
#pragma once

#include "graph/graph.hpp"

namespace graphtx {

struct DegreeStats {
  Index min = 0;
  double mean = 0;  // 0 for the empty graph
  Index max = 0;
};

struct GraphSummary {
  Index nodes = 0;
  Index edges = 0;
  bool directed = true;
  bool weighted = false;
  Index self_loops = 0;
  Index multi_edges = 0;       // edges repeating an earlier edge's endpoint pair
  Index isolated_nodes = 0;    // nodes without any edge
  Index weak_components = 0;
  Index strong_components = 0; // equals weak_components for undirected graphs
  DegreeStats out_degree;      // undirected: the degree
  DegreeStats in_degree;       // undirected: equal to out_degree
};

GraphSummary summarize(const Graph& g);

}  // namespace graphtx
