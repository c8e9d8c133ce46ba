// Segment and masked reductions shared by the attention layers, all differentiable.
//   segment_*(src [E, ...], index [E] int64 in [0, S), S) -> [S, ...]: entries grouped by index
//   (e.g. edges by target i); empty segments give 0. segment_softmax -> [E, ...], per segment,
//   max-subtracted, eps in the denominator. masked_softmax(scores, mask, dim): rows whose keys are
//   all masked give 0, never NaN. Cost O(E * prod(...)) time and memory.
#pragma once

#include <torch/torch.h>

namespace graphtx {

// Sum of the rows of src sharing an index; rows of the result with no entries are 0.
torch::Tensor segment_sum(const torch::Tensor& src, const torch::Tensor& index, int64_t num_segments);

// Mean of the rows of src sharing an index; empty segments give 0.
torch::Tensor segment_mean(const torch::Tensor& src, const torch::Tensor& index, int64_t num_segments);

// Elementwise max of the rows of src sharing an index; empty segments give 0. The gradient flows
// to the maximal entries (split evenly between ties).
torch::Tensor segment_max(const torch::Tensor& src, const torch::Tensor& index, int64_t num_segments);

// Number of entries per segment as int64 [S].
torch::Tensor segment_count(const torch::Tensor& index, int64_t num_segments);

// softmax of scores [E, ...] over the entries sharing an index, computed as
// exp(s - max_seg) / (sum_seg exp(s - max_seg) + eps); the max is treated as a constant.
torch::Tensor segment_softmax(const torch::Tensor& scores, const torch::Tensor& index, int64_t num_segments,
                              double eps = 1e-16);

// softmax along dim over the entries where mask (bool, broadcastable to scores) is true; masked
// entries and rows without any real entry give exactly 0.
torch::Tensor masked_softmax(const torch::Tensor& scores, const torch::Tensor& mask, int64_t dim);

}  // namespace graphtx
