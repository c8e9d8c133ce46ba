// ogbg-code2 graph transforms of OGB's example, on graphs from read_ogb_code2 (node feature
// columns as in Code2Column).
//   augment_edge: directed edges in four blocks, in this order — AST (parent -> child, as given),
//     reversed AST, next-token (attributed nodes in DFS order, each -> the next one), reversed
//     next-token — with integer edge features [kind, direction] = [0,0], [0,1], [1,0], [1,1].
//     m' = 2 m + 2 (a - 1) for a >= 1 attributed nodes. Node features are kept. O(n log n + m).
//   clamp_depth: the depth column clamped to at most max_depth (20 in OGB). O(n).
#pragma once

#include "graph/graph.hpp"

namespace graphtx {

Graph augment_edge(const Graph& ast);
Graph clamp_depth(const Graph& g, std::int64_t max_depth = 20);

}  // namespace graphtx
