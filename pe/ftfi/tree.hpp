// Tree: a weighted forest on n nodes (edge weights finite, >= 0), stored rooted for O(n) passes:
// a breadth-first order (each component's root first, components by smallest root), parents and
// parent-edge weights, contiguous child ranges in that order, and undirected CSR adjacency.
// Nodes in different components are at distance +inf (they never interact: f(inf) := 0).
// Built from explicit edges (cycle check, InputError) or as a spanning forest of a Graph
// (spanning_tree.hpp). Memory O(n); building O(n α(n)).
#pragma once

#include "graph/graph.hpp"

#include <vector>

namespace graphtx::ftfi {

struct TreeEdge {
  Index u = 0;
  Index v = 0;
  double weight = 1.0;
};

class Tree {
 public:
  Tree() = default;

  // The forest with these edges on nodes 0..n-1. Throws InputError on out-of-range ids,
  // self-loops, cycles (including parallel edges) or weights that are negative or not finite.
  static Tree from_edges(Index num_nodes, const std::vector<TreeEdge>& edges);

  Index num_nodes() const { return static_cast<Index>(parent_.size()); }
  Index num_components() const { return num_components_; }

  // Positions 0..n-1 in breadth-first order: node_at(i) is the node at position i.
  const std::vector<Index>& order() const { return order_; }
  const std::vector<Index>& position() const { return position_; }  // inverse of order()
  // Per node: parent (-1 for a root), weight of the edge to the parent (0 for a root),
  // component id (0..num_components-1, numbered by their roots' positions).
  const std::vector<Index>& parent() const { return parent_; }
  const std::vector<double>& parent_weight() const { return parent_weight_; }
  const std::vector<Index>& component() const { return component_; }
  // Children of the node at position i occupy positions [first_child[i], first_child[i] + child_count[i]).
  const std::vector<Index>& first_child() const { return first_child_; }
  const std::vector<Index>& child_count() const { return child_count_; }

  // Undirected adjacency (CSR, n + 1 offsets): neighbours and the weights of the edges to them.
  const std::vector<Index>& adjacency_offsets() const { return adj_ptr_; }
  const std::vector<Index>& adjacency_nodes() const { return adj_nbr_; }
  const std::vector<double>& adjacency_weights() const { return adj_w_; }

  // The n - num_components edges as (parent, child, weight), in breadth-first order of the child.
  std::vector<TreeEdge> edges() const;

 private:
  std::vector<Index> order_, position_, parent_, component_, first_child_, child_count_;
  std::vector<double> parent_weight_;
  std::vector<Index> adj_ptr_{0}, adj_nbr_;
  std::vector<double> adj_w_;
  Index num_components_ = 0;
};

}  // namespace graphtx::ftfi
