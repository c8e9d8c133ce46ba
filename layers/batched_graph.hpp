// BatchedGraph: a GraphBatch as tensors, the one place graphs become LibTorch values.
//   x          [N, F]   float32 node features (what the caller put there: embeddings, PE, ...)
//   edge_index [2, E]   int64; row 0 = source j (sender), row 1 = target i (receiver), PyG's order
//   edge_attr  [E, Fe]  float32 edge features (Fe may be 0)
//   ptr        [B + 1]  int64 node offsets; batch [N] int64 graph id per node
// to_dense / from_dense pad per graph to [B, Nmax, ...] with a bool mask [B, Nmax] (true = real);
// to_dense_pairs / from_dense_pairs do the same for edge values on [B, Nmax, Nmax, ...].
#pragma once

#include "graph/graph_batch.hpp"

#include <torch/torch.h>

#include <utility>

namespace graphtx {

struct BatchedGraph {
  torch::Tensor x;
  torch::Tensor edge_index;
  torch::Tensor edge_attr;
  torch::Tensor ptr;
  torch::Tensor batch;

  int64_t num_nodes() const { return x.size(0); }
  int64_t num_graphs() const { return ptr.size(0) - 1; }
  int64_t max_nodes() const;  // largest graph, 0 for an empty batch
};

// Structure of a GraphBatch (edge_index, ptr, batch) with the union's real node / edge feature
// columns as x / edge_attr (float32; integer columns are converted). Cost O(N + E).
BatchedGraph to_tensors(const GraphBatch& batch);

// [N, ...] -> ([B, Nmax, ...] zero-padded, mask [B, Nmax]); Nmax = max_nodes() unless larger is given.
std::pair<torch::Tensor, torch::Tensor> to_dense(const torch::Tensor& values, const torch::Tensor& ptr,
                                                 int64_t max_nodes = -1);
// [B, Nmax, ...] -> [N, ...] keeping the rows where mask is true, in graph order.
torch::Tensor from_dense(const torch::Tensor& dense, const torch::Tensor& mask);

// Edge values [E, ...] -> (pairs [B, Nmax, Nmax, ...], present [B, Nmax, Nmax] bool) with
// pairs[b, i, j] = the sum of the values of the edges j -> i of graph b (local ids; i receiver)
// and 0 where there is no edge. Cost O(B Nmax^2 * prod(...) + E).
std::pair<torch::Tensor, torch::Tensor> to_dense_pairs(const torch::Tensor& edge_values,
                                                       const torch::Tensor& edge_index, const torch::Tensor& ptr,
                                                       int64_t max_nodes = -1);
// [B, Nmax, Nmax, ...] -> [E, ...]: row e is pairs[b, i, j] for edge e = (j -> i).
torch::Tensor from_dense_pairs(const torch::Tensor& pairs, const torch::Tensor& edge_index, const torch::Tensor& ptr);

// The batch with a virtual graph node at local index 0 of every graph (x row 0), joined to each
// real node in both directions. The first E edges are the original ones (renumbered); then come
// virtual -> node and node -> virtual for every node, with edge_attr rows 0. Cost O(N + E).
BatchedGraph with_virtual_nodes(const BatchedGraph& graph);

}  // namespace graphtx
