// EdgeIncidence: the edges of a batched graph grouped by receiver and by sender, two CSR orders of
// the same edge ids (increasing inside each group). Fused message-passing kernels walk them so that
// every output row is summed by one thread in edge-id order: results do not depend on the thread
// count. edge_index [2, E] int64 (row 0 = sender j, row 1 = receiver i), N nodes.
// Cost O(N + E) time and memory (two counting sorts); throws UsageError on an index outside [0, N).
#pragma once

#include <torch/torch.h>

#include <string>

namespace graphtx {

struct EdgeIncidence {
  // Builds both orders; `layer` names the caller in error messages.
  static EdgeIncidence build(const torch::Tensor& edge_index, int64_t num_nodes, const std::string& layer);

  int64_t num_nodes = 0;
  int64_t num_edges = 0;
  torch::Tensor source;           // [E] int64, sender of each edge
  torch::Tensor target;           // [E] int64, receiver of each edge
  torch::Tensor in_ptr, in_edges;    // [N + 1], [E]: edges received by node i are in_edges[in_ptr[i] .. in_ptr[i+1])
  torch::Tensor out_ptr, out_edges;  // [N + 1], [E]: edges sent by node j are out_edges[out_ptr[j] .. out_ptr[j+1])
};

}  // namespace graphtx
