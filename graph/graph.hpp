// Graph: an immutable directed or undirected graph with n nodes (isolated nodes allowed), m edges
// kept in their given order (multi-edges and self-loops preserved), optional double weights and
// optional integer / real feature rows per node and per edge.
// Adjacency: CSR out-lists and CSC in-lists of (neighbour, edge id), sorted by neighbour then
// edge id. An undirected edge {u,v} appears in both u's and v's lists (a self-loop once), and the
// in-lists equal the out-lists. Memory O(n + m); built once by GraphBuilder in O((n + m) log m).
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace graphtx {

using Index = std::int64_t;
using IntMatrix = Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RealMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Feature rows for nodes or edges: an integer block and a real block, each [rows, columns].
// Either block may have zero columns (then it is absent).
struct Features {
  IntMatrix ints;
  RealMatrix reals;
  bool empty() const { return ints.cols() == 0 && reals.cols() == 0; }
};

// A view of one adjacency list: neighbours and the ids of the edges leading to them.
struct Neighbours {
  const Index* nodes;
  const Index* edges;
  Index count;
  Index size() const { return count; }
  Index operator[](Index i) const { return nodes[i]; }
};

class Graph {
 public:
  Graph() = default;  // the empty directed graph

  Index num_nodes() const { return n_; }
  Index num_edges() const { return static_cast<Index>(src_.size()); }
  bool directed() const { return directed_; }
  bool weighted() const { return !weight_.empty(); }

  // Edge e as given: source, target, weight (1 when unweighted).
  Index source(Index e) const { return src_[e]; }
  Index target(Index e) const { return dst_[e]; }
  double weight(Index e) const { return weight_.empty() ? 1.0 : weight_[e]; }
  const std::vector<Index>& sources() const { return src_; }
  const std::vector<Index>& targets() const { return dst_; }
  const std::vector<double>& weights() const { return weight_; }  // empty when unweighted

  // Out-neighbours of u (CSR) and in-neighbours of v (CSC); undirected: both are all neighbours.
  // (data() + offset, not &v[offset]: a graph without edges has empty arrays.)
  Neighbours out(Index u) const { return {out_nbr_.data() + out_ptr_[u], out_eid_.data() + out_ptr_[u], out_ptr_[u + 1] - out_ptr_[u]}; }
  Neighbours in(Index v) const { return {in_nbr_.data() + in_ptr_[v], in_eid_.data() + in_ptr_[v], in_ptr_[v + 1] - in_ptr_[v]}; }
  Index out_degree(Index u) const { return out_ptr_[u + 1] - out_ptr_[u]; }
  Index in_degree(Index v) const { return in_ptr_[v + 1] - in_ptr_[v]; }

  // Raw CSR / CSC arrays (offsets have n + 1 entries).
  const std::vector<Index>& out_offsets() const { return out_ptr_; }
  const std::vector<Index>& out_neighbours() const { return out_nbr_; }
  const std::vector<Index>& out_edge_ids() const { return out_eid_; }
  const std::vector<Index>& in_offsets() const { return in_ptr_; }
  const std::vector<Index>& in_neighbours() const { return in_nbr_; }
  const std::vector<Index>& in_edge_ids() const { return in_eid_; }

  const Features& node_features() const { return node_features_; }
  const Features& edge_features() const { return edge_features_; }

  Index num_self_loops() const;
  // Number of edges that repeat an earlier edge's (unordered, if undirected) endpoint pair.
  Index num_multi_edges() const;

 private:
  friend class GraphBuilder;

  Index n_ = 0;
  bool directed_ = true;
  std::vector<Index> src_, dst_;
  std::vector<double> weight_;
  std::vector<Index> out_ptr_{0}, out_nbr_, out_eid_;
  std::vector<Index> in_ptr_{0}, in_nbr_, in_eid_;
  Features node_features_, edge_features_;
};

}  // namespace graphtx
