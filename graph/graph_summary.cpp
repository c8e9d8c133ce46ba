#include "graph/graph_summary.hpp"

#include "graph/algorithms.hpp"

#include <algorithm>
#include <vector>

namespace graphtx {

namespace {

DegreeStats degree_stats(const std::vector<Index>& degree) {
  DegreeStats s;
  if (degree.empty()) return s;
  const auto [lo, hi] = std::minmax_element(degree.begin(), degree.end());
  s.min = *lo;
  s.max = *hi;
  double total = 0;
  for (Index d : degree) total += static_cast<double>(d);
  s.mean = total / static_cast<double>(degree.size());
  return s;
}

}  // namespace

GraphSummary summarize(const Graph& g) {
  GraphSummary s;
  s.nodes = g.num_nodes();
  s.edges = g.num_edges();
  s.directed = g.directed();
  s.weighted = g.weighted();
  s.self_loops = g.num_self_loops();
  s.multi_edges = g.num_multi_edges();

  const auto n = static_cast<std::size_t>(g.num_nodes());
  std::vector<Index> out(n, 0), in(n, 0);
  for (Index e = 0; e < g.num_edges(); ++e) {
    ++out[static_cast<std::size_t>(g.source(e))];
    ++in[static_cast<std::size_t>(g.target(e))];
  }
  if (!g.directed()) {
    for (std::size_t u = 0; u < n; ++u) out[u] += in[u];
    in = out;
  }
  for (std::size_t u = 0; u < n; ++u) s.isolated_nodes += (out[u] == 0 && in[u] == 0);
  s.out_degree = degree_stats(out);
  s.in_degree = degree_stats(in);

  s.weak_components = weakly_connected_components(g).count;
  s.strong_components = g.directed() ? strongly_connected_components(g).count : s.weak_components;
  return s;
}

}  // namespace graphtx
