// GraphBuilder: collects edges, applies a duplicate policy, validates, then builds a Graph.
// Validation (InputError): node ids in [0, n), weights finite and >= 0, feature rows matching
// n (nodes) or the number of edges added (edges). Duplicates are edges with the same endpoints
// (unordered for undirected graphs). Cost of build(): O((n + m) log m) time, O(n + m) memory.
#pragma once

#include "graph/graph.hpp"

#include <string>

namespace graphtx {

enum class DuplicatePolicy {
  Keep,      // every edge is kept (multi-graph)
  SumWeights,// one edge per endpoint pair; weight = sum; features of the first occurrence
  Collapse,  // one edge per endpoint pair; weight and features of the first occurrence
};

// Parses "keep" / "sum" / "collapse"; throws UsageError otherwise.
DuplicatePolicy parse_duplicate_policy(const std::string& name);

class GraphBuilder {
 public:
  // n nodes (ids 0..n-1; isolated nodes are allowed); directed or undirected edges.
  GraphBuilder(Index num_nodes, bool directed);

  // Appends k isolated nodes; returns the id of the first one.
  Index add_nodes(Index k);
  GraphBuilder& reserve_edges(Index m);
  GraphBuilder& duplicate_policy(DuplicatePolicy policy);

  // Adds u -> v (or {u, v} if undirected). A weight makes the graph weighted; edges added
  // without one weigh 1. Ids are checked in build(), so readers can report all errors at once.
  GraphBuilder& add_edge(Index u, Index v);
  GraphBuilder& add_edge(Index u, Index v, double weight);

  // Feature rows: nodes must have num_nodes() rows, edges one row per added edge (before the
  // duplicate policy, which keeps the rows of surviving edges).
  GraphBuilder& node_features(Features features);
  GraphBuilder& edge_features(Features features);

  Index num_nodes() const { return n_; }
  Index num_edges() const { return static_cast<Index>(src_.size()); }
  bool directed() const { return directed_; }

  // Validates and builds. The builder is left empty.
  Graph build();

 private:
  Index n_;
  bool directed_;
  bool weighted_ = false;
  DuplicatePolicy policy_ = DuplicatePolicy::Keep;
  std::vector<Index> src_, dst_;
  std::vector<double> weight_;
  Features node_features_, edge_features_;
};

}  // namespace graphtx
