// Argument checks shared by the message-passing layers: shapes and index ranges of the sparse
// batched-graph tensors (x [N, F], edge_index [2, E] int64, edge features [E, Fe]).
// Each throws UsageError naming the layer. Cost O(E) for the index range check.
#pragma once

#include "graph/errors.hpp"

#include <torch/torch.h>

#include <string>

namespace graphtx {

inline void check_node_features(const torch::Tensor& x, int64_t features, const std::string& layer) {
  if (!x.defined() || x.dim() != 2 || x.size(1) != features)
    throw UsageError(layer + ": node features must have shape [N, " + std::to_string(features) + "]");
}

inline void check_edge_index(const torch::Tensor& edge_index, int64_t num_nodes, const std::string& layer) {
  if (!edge_index.defined() || edge_index.dim() != 2 || edge_index.size(0) != 2 ||
      edge_index.scalar_type() != torch::kInt64)
    throw UsageError(layer + ": edge_index must be an int64 tensor of shape [2, E]");
  if (edge_index.size(1) > 0 && (edge_index.min().item<int64_t>() < 0 || edge_index.max().item<int64_t>() >= num_nodes))
    throw UsageError(layer + ": edge_index refers to a node outside [0, " + std::to_string(num_nodes) + ")");
}

inline void check_edge_features(const torch::Tensor& edge_attr, int64_t num_edges, int64_t features,
                                const std::string& layer) {
  if (!edge_attr.defined() || edge_attr.dim() != 2 || edge_attr.size(0) != num_edges || edge_attr.size(1) != features)
    throw UsageError(layer + ": edge features must have shape [E, " + std::to_string(features) + "]");
}

}  // namespace graphtx
