#include "layers/graphormer_degree.hpp"

#include "graph/errors.hpp"

namespace graphtx {

GraphormerDegreeEmbeddingImpl::GraphormerDegreeEmbeddingImpl(const GraphormerDegreeEmbeddingOptions& options_)
    : options(options_) {
  reset();
}

void GraphormerDegreeEmbeddingImpl::reset() {
  if (options.max_degree() < 0 || options.dim() < 1)
    throw UsageError("GraphormerDegreeEmbedding: max_degree must be >= 0 and dim >= 1");
  in_embedding = register_module("in_embedding", torch::nn::Embedding(options.max_degree() + 1, options.dim()));
  out_embedding = register_module("out_embedding", torch::nn::Embedding(options.max_degree() + 1, options.dim()));
}

torch::Tensor GraphormerDegreeEmbeddingImpl::forward(const torch::Tensor& in_degree, const torch::Tensor& out_degree) {
  if (in_degree.dim() != 1 || in_degree.sizes() != out_degree.sizes() || in_degree.scalar_type() != torch::kInt64 ||
      out_degree.scalar_type() != torch::kInt64)
    throw UsageError("GraphormerDegreeEmbedding: degrees must be int64 tensors of the same shape [N]");
  if (in_degree.numel() > 0 && std::min(in_degree.min().item<int64_t>(), out_degree.min().item<int64_t>()) < 0)
    throw UsageError("GraphormerDegreeEmbedding: negative degree");
  const int64_t cap = options.max_degree();
  return in_embedding(in_degree.clamp_max(cap)) + out_embedding(out_degree.clamp_max(cap));
}

}  // namespace graphtx
