// Whole-graph transforms that return new graphs (inputs are never modified). O(n + m) each.
//   to_undirected: the same edges viewed as undirected (duplicates by the given policy; an
//                  edge u->v and v->u become two parallel undirected edges under Keep).
//   reversed:      every directed edge u->v becomes v->u (undirected graphs are returned as is).
// Weights and feature rows follow their edges.
#pragma once

#include "graph/graph.hpp"
#include "graph/graph_builder.hpp"

namespace graphtx {

Graph to_undirected(const Graph& g, DuplicatePolicy policy = DuplicatePolicy::Keep);
Graph reversed(const Graph& g);

}  // namespace graphtx
