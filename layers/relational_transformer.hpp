// RelationalTransformer (Diao & Loynd, ICLR 2023): a stack of post-LN layers, each a node block
//   n = LN(n + Drop(W_o a)), n = LN(n + Drop(W2 ReLU(W1 n)))          (a from RelationalAttention)
// then, unless update_edges is off, an edge block on the updated nodes with u = [e_ij, e_ji, n_j, n_i]
//   e = LN(e + Drop(W4 ReLU(W3 u))), e = LN(e + Drop(W6 ReLU(W5 e))).
// Dense per graph: nodes [B, N, d], edges [B, N, N, de], mask [B, N]; padded entries stay 0.
// The stack builds the edge vectors of all pairs (self-pairs included) from a sparse batch, with a
// learned no-edge embedding where no edge j -> i exists. Cost per layer O(B N^2 d (d + de)).
#pragma once

#include "layers/linear.hpp"
#include "layers/relational_attention.hpp"

#include <torch/torch.h>

namespace graphtx {

struct RelationalTransformerOptions {
  RelationalTransformerOptions(int64_t d_model, int64_t edge_dim) : d_model_(d_model), edge_dim_(edge_dim) {}
  TORCH_ARG(int64_t, d_model);
  TORCH_ARG(int64_t, edge_dim);
  TORCH_ARG(int64_t, heads) = 12;
  TORCH_ARG(int64_t, node_ffn_dim) = 32;   // W1: d -> node_ffn_dim
  TORCH_ARG(int64_t, edge_ffn_dim1) = 16;  // W3: 2 de + 2 d -> edge_ffn_dim1
  TORCH_ARG(int64_t, edge_ffn_dim2) = 8;   // W5: de -> edge_ffn_dim2
  TORCH_ARG(int64_t, num_layers) = 3;
  TORCH_ARG(double, dropout) = 0.0;
  TORCH_ARG(bool, update_edges) = true;
};

// Nodes and edges of a dense batch, what every relational layer reads and returns.
struct RelationalState {
  torch::Tensor nodes;  // [B, N, d]
  torch::Tensor edges;  // [B, N, N, de]
  torch::Tensor mask;   // [B, N] bool
};

class RelationalTransformerLayerImpl : public torch::nn::Cloneable<RelationalTransformerLayerImpl> {
 public:
  explicit RelationalTransformerLayerImpl(const RelationalTransformerOptions& options);
  void reset() override;
  RelationalState forward(const RelationalState& state);

  RelationalTransformerOptions options;
  RelationalAttention attention{nullptr};
  Linear node_ffn1{nullptr}, node_ffn2{nullptr};
  torch::nn::LayerNorm node_norm1{nullptr}, node_norm2{nullptr};
  // W3 u split by the blocks of u = [e_ij, e_ji, n_j, n_i]: edge_in gives [e W3a, e W3b], node_in
  // gives [n W3c, n W3d] (+ bias); the sum equals W3 applied to the concatenation.
  Linear edge_in{nullptr}, node_in{nullptr}, edge_out{nullptr};
  Linear edge_ffn1{nullptr}, edge_ffn2{nullptr};
  torch::nn::LayerNorm edge_norm1{nullptr}, edge_norm2{nullptr};
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(RelationalTransformerLayer);

class RelationalTransformerImpl : public torch::nn::Cloneable<RelationalTransformerImpl> {
 public:
  explicit RelationalTransformerImpl(const RelationalTransformerOptions& options);
  void reset() override;
  // x [N_total, d], edge_index [2, E] (row 0 sender j, row 1 receiver i), edge_attr [E, de],
  // ptr [B + 1] -> dense state after all layers; Nmax = largest graph unless max_nodes is larger.
  RelationalState forward(const torch::Tensor& x, const torch::Tensor& edge_index, const torch::Tensor& edge_attr,
                          const torch::Tensor& ptr, int64_t max_nodes = -1);
  // Dense pair vectors: edge_attr where an edge exists (summed over parallel edges), no_edge
  // elsewhere including self-pairs, 0 on padding -> (nodes, edges, mask).
  RelationalState embed(const torch::Tensor& x, const torch::Tensor& edge_index, const torch::Tensor& edge_attr,
                        const torch::Tensor& ptr, int64_t max_nodes = -1);
  RelationalState forward_dense(RelationalState state);

  RelationalTransformerOptions options;
  torch::Tensor no_edge;  // [de]
  torch::nn::ModuleList layers{nullptr};
};
TORCH_MODULE(RelationalTransformer);

}  // namespace graphtx
