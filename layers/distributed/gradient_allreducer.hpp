// Data-parallel synchronisation of a module's parameters and gradients over a DistributedContext.
//   broadcast_parameters(module, context): every rank gets rank 0's parameters and buffers
//     (BatchNorm statistics), one flattened buffer per dtype; call once after construction.
//   GradientAllReducer: after backward(), all-reduces the gradients in buckets of about 25 MB
//     (flattened, one collective per bucket, launched together) and divides by the world size.
//     Parameters without a gradient contribute zeros, so ranks with empty batches still take part.
// Cost per step: one copy of every gradient in and out, plus the all-reduce of all their bytes.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "layers/distributed/distributed_context.hpp"

namespace graphtx {

void broadcast_parameters(torch::nn::Module& module, DistributedContext& context);

class GradientAllReducer {
 public:
  GradientAllReducer(std::vector<torch::Tensor> parameters, DistributedContext& context,
                     std::int64_t bucket_bytes = 25 * 1024 * 1024);
  // Replaces each parameter's gradient by the mean over ranks (allocating zeros where undefined).
  void reduce();
  std::int64_t bucket_count() const { return static_cast<std::int64_t>(buckets_.size()); }
  std::int64_t bytes_per_step() const { return bytes_per_step_; }  // gradient payload of one reduce()

 private:
  std::vector<torch::Tensor> parameters_;
  std::vector<std::vector<std::size_t>> buckets_;  // indices into parameters_, one dtype per bucket
  DistributedContext& context_;
  std::int64_t bytes_per_step_ = 0;
};

}  // namespace graphtx
