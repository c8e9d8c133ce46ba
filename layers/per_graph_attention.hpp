// per_graph_attention: multi-head softmax self-attention among the nodes of each graph of a batch,
// as one differentiable kernel over the rows of the QKV projection (no padding, no [B H, n, n]
// score tensor):  out_i = Σ_j softmax_j(q_i · k_j / √d_h) v_j  for i, j in the same graph, per head.
// qkv [N, 3d] (columns: queries, keys, values, each H heads of d_h = d / H), ptr [B + 1] node
// offsets (0 .. N) -> out [N, d]. One task per (graph, head): deterministic for any thread count.
// Float blocks run their products as single-threaded oneDNN GEMMs on the strided head columns.
// Cost O(Σ_b n_b² d) time forward, about twice that backward; saves one log-sum-exp per node and head;
// scratch [n_b, n_b] per task.
#pragma once

#include <torch/torch.h>

namespace graphtx {

torch::Tensor per_graph_attention(const torch::Tensor& qkv, const torch::Tensor& ptr, int64_t heads);

}  // namespace graphtx
