// GraphBatch: many graphs as one block-diagonal graph, like PyG's Batch.
// node_ptr / edge_ptr have (graphs + 1) offsets: graph g owns nodes [node_ptr[g], node_ptr[g+1])
// and edges [edge_ptr[g], edge_ptr[g+1]) of the union. All graphs must agree on directedness,
// weightedness and feature columns (UsageError otherwise). split() inverts batching exactly.
// Cost: O(total nodes + edges) for both directions.
#pragma once

#include "graph/graph.hpp"

#include <vector>

namespace graphtx {

class GraphBatch {
 public:
  GraphBatch() = default;
  explicit GraphBatch(const std::vector<Graph>& graphs);

  Index num_graphs() const { return static_cast<Index>(node_ptr_.size()) - 1; }
  const Graph& graph() const { return union_; }
  const std::vector<Index>& node_ptr() const { return node_ptr_; }
  const std::vector<Index>& edge_ptr() const { return edge_ptr_; }
  // Graph id of every node of the union ([total nodes]), like PyG's `batch` vector.
  std::vector<Index> node_graph_ids() const;

  std::vector<Graph> split() const;

 private:
  Graph union_;
  std::vector<Index> node_ptr_{0}, edge_ptr_{0};
};

}  // namespace graphtx
