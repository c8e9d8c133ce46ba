#include "layers/segment_ops.hpp"

#include "graph/errors.hpp"

#include <string>
#include <vector>

namespace graphtx {

namespace {

void check_index(const torch::Tensor& src, const torch::Tensor& index, int64_t num_segments) {
  if (index.dim() != 1 || index.scalar_type() != torch::kInt64)
    throw UsageError("segment ops: index must be a 1-d int64 tensor");
  if (src.dim() < 1 || src.size(0) != index.size(0))
    throw UsageError("segment ops: src has " + std::to_string(src.dim() ? src.size(0) : 0) + " rows, index " +
                     std::to_string(index.size(0)));
  if (num_segments < 0) throw UsageError("segment ops: negative number of segments");
}

std::vector<int64_t> segment_shape(const torch::Tensor& src, int64_t num_segments) {
  std::vector<int64_t> shape(src.sizes().begin(), src.sizes().end());
  shape[0] = num_segments;
  return shape;
}

// index [E] viewed as [E, 1, ...] and expanded to the shape of src, for scatter/gather.
torch::Tensor expand_index(const torch::Tensor& index, const torch::Tensor& src) {
  std::vector<int64_t> view(static_cast<size_t>(src.dim()), 1);
  view[0] = index.size(0);
  return index.view(view).expand(src.sizes());
}

}  // namespace

torch::Tensor segment_sum(const torch::Tensor& src, const torch::Tensor& index, int64_t num_segments) {
  check_index(src, index, num_segments);
  return torch::zeros(segment_shape(src, num_segments), src.options()).index_add(0, index, src);
}

torch::Tensor segment_count(const torch::Tensor& index, int64_t num_segments) {
  return torch::bincount(index, {}, num_segments).to(torch::kInt64);
}

torch::Tensor segment_mean(const torch::Tensor& src, const torch::Tensor& index, int64_t num_segments) {
  const torch::Tensor sum = segment_sum(src, index, num_segments);
  std::vector<int64_t> view(static_cast<size_t>(src.dim()), 1);
  view[0] = num_segments;
  const torch::Tensor count = segment_count(index, num_segments).clamp_min(1).to(src.scalar_type()).view(view);
  return sum / count;
}

torch::Tensor segment_max(const torch::Tensor& src, const torch::Tensor& index, int64_t num_segments) {
  check_index(src, index, num_segments);
  const torch::Tensor zeros = torch::zeros(segment_shape(src, num_segments), src.options());
  return zeros.scatter_reduce(0, expand_index(index, src), src, "amax", /*include_self=*/false);
}

torch::Tensor segment_softmax(const torch::Tensor& scores, const torch::Tensor& index, int64_t num_segments,
                              double eps) {
  check_index(scores, index, num_segments);
  const torch::Tensor seg_max = segment_max(scores.detach(), index, num_segments);
  const torch::Tensor shifted = (scores - seg_max.index_select(0, index)).exp();
  const torch::Tensor denom = segment_sum(shifted, index, num_segments).index_select(0, index);
  return shifted / (denom + eps);
}

torch::Tensor masked_softmax(const torch::Tensor& scores, const torch::Tensor& mask, int64_t dim) {
  const double lowest = scores.scalar_type() == torch::kFloat64 ? -1e300 : -1e30;
  const torch::Tensor filled = scores.masked_fill(mask.logical_not(), lowest);
  return torch::softmax(filled, dim) * mask.to(scores.scalar_type());
}

}  // namespace graphtx
