#include "graph/transforms.hpp"

namespace graphtx {

namespace {

Graph rebuild(const Graph& g, bool directed, bool swap_ends, DuplicatePolicy policy) {
  GraphBuilder b(g.num_nodes(), directed);
  b.duplicate_policy(policy).reserve_edges(g.num_edges());
  for (Index e = 0; e < g.num_edges(); ++e) {
    const Index u = swap_ends ? g.target(e) : g.source(e);
    const Index v = swap_ends ? g.source(e) : g.target(e);
    if (g.weighted()) b.add_edge(u, v, g.weight(e));
    else b.add_edge(u, v);
  }
  b.node_features(g.node_features());
  b.edge_features(g.edge_features());
  return b.build();
}

}  // namespace

Graph to_undirected(const Graph& g, DuplicatePolicy policy) { return rebuild(g, false, false, policy); }

Graph reversed(const Graph& g) {
  if (!g.directed()) return g;
  return rebuild(g, true, true, DuplicatePolicy::Keep);
}

}  // namespace graphtx
