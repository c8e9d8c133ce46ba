#include "layers/distributed/gradient_allreducer.hpp"

#include <map>

namespace graphtx {
namespace {

// Concatenates the tensors (all of one dtype) into one flat buffer, and copies it back.
torch::Tensor flatten(const std::vector<torch::Tensor>& tensors) {
  std::vector<torch::Tensor> flat;
  flat.reserve(tensors.size());
  for (const torch::Tensor& t : tensors) flat.push_back(t.reshape({-1}));
  return torch::cat(flat);
}

void unflatten_into(const torch::Tensor& buffer, std::vector<torch::Tensor>& tensors) {
  std::int64_t offset = 0;
  for (torch::Tensor& t : tensors) {
    t.copy_(buffer.narrow(0, offset, t.numel()).view_as(t));
    offset += t.numel();
  }
}

}  // namespace

void broadcast_parameters(torch::nn::Module& module, DistributedContext& context) {
  if (context.world_size() == 1) return;
  std::map<torch::ScalarType, std::vector<torch::Tensor>> by_dtype;
  for (const torch::Tensor& p : module.parameters()) by_dtype[p.scalar_type()].push_back(p);
  for (const torch::Tensor& b : module.buffers()) by_dtype[b.scalar_type()].push_back(b);
  torch::NoGradGuard no_grad;
  for (auto& [dtype, tensors] : by_dtype) {
    std::vector<torch::Tensor> buffer{flatten(tensors)};
    context.broadcast(buffer, 0, "parameter broadcast");
    unflatten_into(buffer[0], tensors);
  }
}

GradientAllReducer::GradientAllReducer(std::vector<torch::Tensor> parameters, DistributedContext& context,
                                       std::int64_t bucket_bytes)
    : parameters_(std::move(parameters)), context_(context) {
  if (bucket_bytes <= 0) throw UsageError("GradientAllReducer: bucket size must be positive");
  std::map<torch::ScalarType, std::vector<std::size_t>> open;  // bucket being filled, per dtype
  std::map<torch::ScalarType, std::int64_t> open_bytes;
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const torch::Tensor& p = parameters_[i];
    if (!p.requires_grad()) continue;
    const std::int64_t bytes = p.numel() * static_cast<std::int64_t>(p.element_size());
    auto& bucket = open[p.scalar_type()];
    auto& filled = open_bytes[p.scalar_type()];
    if (!bucket.empty() && filled + bytes > bucket_bytes) {
      buckets_.push_back(std::move(bucket));
      bucket.clear();
      filled = 0;
    }
    bucket.push_back(i);
    filled += bytes;
    bytes_per_step_ += bytes;
  }
  for (auto& [dtype, bucket] : open)
    if (!bucket.empty()) buckets_.push_back(std::move(bucket));
}

void GradientAllReducer::reduce() {
  if (context_.world_size() == 1) return;
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> flats;
  std::vector<std::vector<torch::Tensor>> grads(buckets_.size());
  flats.reserve(buckets_.size());
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    for (std::size_t i : buckets_[b]) {
      torch::Tensor& p = parameters_[i];
      if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
      grads[b].push_back(p.grad());
    }
    flats.push_back(flatten(grads[b]));
  }
  context_.allreduce_sum(flats, "gradient all-reduce");
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    flats[b].div_(static_cast<double>(context_.world_size()));
    unflatten_into(flats[b], grads[b]);
  }
}

}  // namespace graphtx
