// Spanning forests of a Graph as tree metrics for tree-field integration (edge directions are
// ignored, self-loops dropped, one forest component per connected component).
//   MinimumSpanning: Boost.Graph Kruskal on the weights (ties broken by edge id, or by a seeded
//                    random key when seed != 0, which gives different minimum trees).
//   BreadthFirst:    Boost.Graph BFS tree, rooted at each component's smallest node (seed 0)
//                    or a seeded random node; tree edges keep their graph weights (1 unweighted).
//   Auto:            MinimumSpanning for weighted graphs, BreadthFirst otherwise.
// Cost O(m log m) (Kruskal) or O(n + m) (BFS) per tree.
#pragma once

#include "graph/graph.hpp"
#include "pe/ftfi/tree.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace graphtx::ftfi {

enum class TreeKind { Auto, MinimumSpanning, BreadthFirst };

// "auto" / "mst" / "bfs"; UsageError otherwise.
TreeKind parse_tree_kind(const std::string& name);

struct SpanningTreeOptions {
  TreeKind kind = TreeKind::Auto;
  std::uint64_t seed = 0;
};

Tree spanning_tree(const Graph& graph, const SpanningTreeOptions& options = {});

// `count` spanning forests for averaging: tree i uses seed options.seed + i (so tree 0 of seed 0
// is the deterministic one above and the others differ in tie-breaking or BFS roots).
std::vector<Tree> spanning_trees(const Graph& graph, Index count, const SpanningTreeOptions& options = {});

}  // namespace graphtx::ftfi
