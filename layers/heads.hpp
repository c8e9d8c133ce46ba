// Task heads and readouts on node states.
//   EdgeHead     h [N, d], pairs [2, P] (row 0 j, row 1 i), e [P, de] or undefined -> [P, out]
//                = W1 h_i + W2 h_j + W3 e_ij + b; forward_dense: [B, N, d], [B, N, N, de] -> [B, N, N, out].
//   GraphReadout h [N, d], ptr [B + 1] -> [B, d]: mean, sum or max over each graph's nodes, or the
//                node at local index 0 (a virtual graph node placed there by the caller). Empty
//                graphs give 0.
//   Code2Head    g [B, d] -> [B, length, vocab], one linear classifier per position (length 5).
// Node-level heads are plain Linear on h. Cost O(P d out) / O(N d) / O(B d vocab).
#pragma once

#include "layers/linear.hpp"

#include <torch/torch.h>

namespace graphtx {

struct EdgeHeadOptions {
  EdgeHeadOptions(int64_t node_dim, int64_t edge_dim, int64_t out_dim)
      : node_dim_(node_dim), edge_dim_(edge_dim), out_dim_(out_dim) {}
  TORCH_ARG(int64_t, node_dim);
  TORCH_ARG(int64_t, edge_dim);  // 0: no edge term
  TORCH_ARG(int64_t, out_dim);
};

class EdgeHeadImpl : public torch::nn::Cloneable<EdgeHeadImpl> {
 public:
  explicit EdgeHeadImpl(const EdgeHeadOptions& options);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& h, const torch::Tensor& pairs, const torch::Tensor& e = {});
  torch::Tensor forward_dense(const torch::Tensor& nodes, const torch::Tensor& edges = {});

  EdgeHeadOptions options;
  Linear receiver{nullptr}, sender{nullptr}, edge{nullptr};
};
TORCH_MODULE(EdgeHead);

enum class Pooling { kMean, kSum, kMax, kVirtualNode };

struct GraphReadoutOptions {
  TORCH_ARG(Pooling, pooling) = Pooling::kMean;
};

class GraphReadoutImpl : public torch::nn::Cloneable<GraphReadoutImpl> {
 public:
  explicit GraphReadoutImpl(const GraphReadoutOptions& options = {});
  void reset() override {}
  torch::Tensor forward(const torch::Tensor& h, const torch::Tensor& ptr);

  GraphReadoutOptions options;
};
TORCH_MODULE(GraphReadout);

struct Code2HeadOptions {
  Code2HeadOptions(int64_t d_model, int64_t vocab) : d_model_(d_model), vocab_(vocab) {}
  TORCH_ARG(int64_t, d_model);
  TORCH_ARG(int64_t, vocab);
  TORCH_ARG(int64_t, length) = 5;
};

class Code2HeadImpl : public torch::nn::Cloneable<Code2HeadImpl> {
 public:
  explicit Code2HeadImpl(const Code2HeadOptions& options);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& graph_states);

  Code2HeadOptions options;
  torch::nn::ModuleList classifiers{nullptr};
};
TORCH_MODULE(Code2Head);

}  // namespace graphtx
