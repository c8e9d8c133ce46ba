#include "pe/ftfi/tree.hpp"

#include "graph/errors.hpp"

#include <cmath>
#include <numeric>
#include <string>

namespace graphtx::ftfi {

namespace {

Index find_root(std::vector<Index>& up, Index x) {
  while (up[x] != x) {
    up[x] = up[up[x]];
    x = up[x];
  }
  return x;
}

}  // namespace

Tree Tree::from_edges(Index num_nodes, const std::vector<TreeEdge>& edges) {
  if (num_nodes < 0) throw InputError("tree: negative number of nodes");
  const Index n = num_nodes;
  std::vector<Index> up(static_cast<size_t>(n));
  std::iota(up.begin(), up.end(), Index{0});
  std::vector<Index> degree(static_cast<size_t>(n), 0);
  for (size_t e = 0; e < edges.size(); ++e) {
    const TreeEdge& t = edges[e];
    const std::string where = "tree edge " + std::to_string(e) + " (" + std::to_string(t.u) + ", " + std::to_string(t.v) + ")";
    if (t.u < 0 || t.u >= n || t.v < 0 || t.v >= n) throw InputError(where + ": node id out of range [0, " + std::to_string(n) + ")");
    if (t.u == t.v) throw InputError(where + ": self-loop");
    if (!std::isfinite(t.weight) || t.weight < 0) throw InputError(where + ": weight must be finite and >= 0");
    const Index a = find_root(up, t.u), b = find_root(up, t.v);
    if (a == b) throw InputError(where + ": closes a cycle, the edges do not form a forest");
    up[a] = b;
    ++degree[t.u];
    ++degree[t.v];
  }

  Tree tree;
  tree.adj_ptr_.assign(static_cast<size_t>(n) + 1, 0);
  for (Index v = 0; v < n; ++v) tree.adj_ptr_[v + 1] = tree.adj_ptr_[v] + degree[v];
  tree.adj_nbr_.resize(2 * edges.size());
  tree.adj_w_.resize(2 * edges.size());
  std::vector<Index> fill(tree.adj_ptr_.begin(), tree.adj_ptr_.end() - 1);
  for (const TreeEdge& t : edges) {
    tree.adj_nbr_[fill[t.u]] = t.v;
    tree.adj_w_[fill[t.u]++] = t.weight;
    tree.adj_nbr_[fill[t.v]] = t.u;
    tree.adj_w_[fill[t.v]++] = t.weight;
  }

  tree.order_.reserve(static_cast<size_t>(n));
  tree.position_.assign(static_cast<size_t>(n), -1);
  tree.parent_.assign(static_cast<size_t>(n), -1);
  tree.parent_weight_.assign(static_cast<size_t>(n), 0.0);
  tree.component_.assign(static_cast<size_t>(n), -1);
  tree.first_child_.assign(static_cast<size_t>(n), 0);
  tree.child_count_.assign(static_cast<size_t>(n), 0);
  for (Index root = 0; root < n; ++root) {
    if (tree.position_[root] >= 0) continue;
    const Index comp = tree.num_components_++;
    tree.position_[root] = static_cast<Index>(tree.order_.size());
    tree.component_[root] = comp;
    tree.order_.push_back(root);
    for (Index head = tree.position_[root]; head < static_cast<Index>(tree.order_.size()); ++head) {
      const Index v = tree.order_[head];
      tree.first_child_[head] = static_cast<Index>(tree.order_.size());
      for (Index k = tree.adj_ptr_[v]; k < tree.adj_ptr_[v + 1]; ++k) {
        const Index c = tree.adj_nbr_[k];
        if (c == tree.parent_[v]) continue;  // a forest: the parent is the only visited neighbour
        tree.parent_[c] = v;
        tree.parent_weight_[c] = tree.adj_w_[k];
        tree.component_[c] = comp;
        tree.position_[c] = static_cast<Index>(tree.order_.size());
        tree.order_.push_back(c);
        ++tree.child_count_[head];
      }
    }
  }
  return tree;
}

std::vector<TreeEdge> Tree::edges() const {
  std::vector<TreeEdge> out;
  out.reserve(order_.size());
  for (Index v : order_) {
    if (parent_[v] >= 0) out.push_back({parent_[v], v, parent_weight_[v]});
  }
  return out;
}

}  // namespace graphtx::ftfi
