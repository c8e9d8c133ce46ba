// GraphormerDegreeEmbedding (Ying et al. 2021): centrality encoding added to the node inputs,
//   z_i = z⁻[min(deg_in(i), max_degree)] + z⁺[min(deg_out(i), max_degree)].
//   in_degree [N] int64, out_degree [N] int64 (pass the same tensor twice for undirected graphs)
//   -> [N, dim]. Degrees come from segment_count(edge_index[1] / edge_index[0], N). Cost O(N dim).
#pragma once

#include <torch/torch.h>

namespace graphtx {

struct GraphormerDegreeEmbeddingOptions {
  GraphormerDegreeEmbeddingOptions(int64_t max_degree, int64_t dim) : max_degree_(max_degree), dim_(dim) {}
  TORCH_ARG(int64_t, max_degree);
  TORCH_ARG(int64_t, dim);
};

class GraphormerDegreeEmbeddingImpl : public torch::nn::Cloneable<GraphormerDegreeEmbeddingImpl> {
 public:
  GraphormerDegreeEmbeddingImpl(int64_t max_degree, int64_t dim)
      : GraphormerDegreeEmbeddingImpl(GraphormerDegreeEmbeddingOptions(max_degree, dim)) {}
  explicit GraphormerDegreeEmbeddingImpl(const GraphormerDegreeEmbeddingOptions& options);

  void reset() override;
  torch::Tensor forward(const torch::Tensor& in_degree, const torch::Tensor& out_degree);

  GraphormerDegreeEmbeddingOptions options;
  torch::nn::Embedding in_embedding{nullptr}, out_embedding{nullptr};  // [max_degree + 1, dim]
};

TORCH_MODULE(GraphormerDegreeEmbedding);

}  // namespace graphtx
