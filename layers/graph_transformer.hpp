// GraphTransformerLayer (Dwivedi & Bresson 2020): multi-head attention over in-neighbours only.
//   h [N, d], edge_index [2, E] (row 0 sender j, row 1 receiver i), e [E, d] when edge_features
//   -> (h' [N, d], e' [E, d] or undefined). Without edge features
//   w_ij = softmax_j(Q h_i . K h_j / sqrt(d_h)); with them the vector
//   w^_ij = (Q h_i * K h_j) / sqrt(d_h) * E e_ij scores sum(w^_ij) and feeds the edge stream O_e w^.
// The softmax is a max-subtracted segment softmax with eps: nodes without in-edges aggregate 0. Scores
// and the weighted sum run as fused kernels over the edge incidence (edge_dot_scores, segment_attention).
// h = Norm(h + Drop(O ||_h sum_j w_ij V h_j)), h = Norm(h + FFN(h)), FFN d -> 2d -> d (dropout after the ReLU); the
// same for e. Norm is BatchNorm over the real rows (MaskedBatchNorm; with the residual sum as one fused
// kernel, residual_batch_norm) or LayerNorm. Cost O(E d + N d^2).
#pragma once

#include "layers/linear.hpp"
#include "layers/masked_batch_norm.hpp"

#include <torch/torch.h>

#include <utility>

namespace graphtx {

enum class GraphNorm { kBatch, kLayer };

struct GraphTransformerLayerOptions {
  explicit GraphTransformerLayerOptions(int64_t d_model) : d_model_(d_model) {}
  TORCH_ARG(int64_t, d_model);
  TORCH_ARG(int64_t, heads) = 8;
  TORCH_ARG(bool, edge_features) = false;
  TORCH_ARG(GraphNorm, norm) = GraphNorm::kBatch;
  TORCH_ARG(double, dropout) = 0.0;
  TORCH_ARG(double, softmax_eps) = 1e-16;
};

// One residual + norm + FFN stream (the node stream, or the edge stream with edge features).
class GraphTransformerStreamImpl : public torch::nn::Cloneable<GraphTransformerStreamImpl> {
 public:
  GraphTransformerStreamImpl(int64_t d_model, GraphNorm norm, double dropout);
  void reset() override;
  // x [M, d], update [M, d] (before O) -> Norm(x + Drop(O update)), then the FFN sub-block.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& update);

  int64_t d_model;
  GraphNorm norm_kind;
  double dropout_p;
  Linear out{nullptr}, ffn1{nullptr}, ffn2{nullptr};
  MaskedBatchNorm batch_norm1{nullptr}, batch_norm2{nullptr};
  torch::nn::LayerNorm layer_norm1{nullptr}, layer_norm2{nullptr};
  torch::nn::Dropout dropout{nullptr};

 private:
  // Norm which (1 or 2) of x + u: one fused kernel for BatchNorm (residual_batch_norm).
  torch::Tensor add_normalize(int which, const torch::Tensor& x, const torch::Tensor& u);
};
TORCH_MODULE(GraphTransformerStream);

class GraphTransformerLayerImpl : public torch::nn::Cloneable<GraphTransformerLayerImpl> {
 public:
  explicit GraphTransformerLayerImpl(const GraphTransformerLayerOptions& options);
  void reset() override;
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& h, const torch::Tensor& edge_index,
                                                  const torch::Tensor& e = {});

  GraphTransformerLayerOptions options;
  Linear query{nullptr}, key{nullptr}, value{nullptr}, edge_proj{nullptr};
  GraphTransformerStream node_stream{nullptr}, edge_stream{nullptr};
};
TORCH_MODULE(GraphTransformerLayer);

}  // namespace graphtx
