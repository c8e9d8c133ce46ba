// TopologicalAttention (FTFI §TT; Choromanski et al. 2022): attention masked by M_ij = f(dist_T(i, j))
// over a spanning forest T of each graph, f(x) = a·e^{−λx} + b the learnable 3-parameter family
// (ExpMaskFamily); pairs in different graphs or tree components have M = 0.
//   forward(x [N, dim] float, topology) -> [N, dim]; N = all nodes of the batch, rows by graph
//   (ptr [B + 1] as in BatchedGraph). Drop-in attention sublayer for a transformer block:
//   h = Norm(h + Drop(attention(h, topology))).
//   Linear (default): φ = elu + 1 feature maps per head, out_i = Σ_j M_ij φ(q_i)·φ(k_j) v_j /
//     Σ_j M_ij φ(q_i)·φ(k_j), every M-product an exact tree-field integration: O(N · H · d_h²).
//   Exact (options.exact): softmax(q·k/√d_h + log M) per graph, dense [B, H, Nmax, Nmax].
#pragma once

#include "graph/graph_batch.hpp"
#include "layers/ftfi/tree_field_integration.hpp"
#include "layers/linear.hpp"
#include "pe/ftfi/spanning_tree.hpp"

#include <torch/torch.h>

namespace graphtx {

// The tree structure of one batch: the spanning forest of the batch's block-diagonal union and,
// for the exact variant, dense per-graph distances [B, Nmax, Nmax] (float64, +inf across
// components and for padding) with the node mask [B, Nmax].
struct TreeTopology {
  ftfi::TreeFieldIntegrator integrator;
  torch::Tensor ptr;        // [B + 1] int64
  torch::Tensor distances;  // [B, Nmax, Nmax] or undefined
  torch::Tensor mask;       // [B, Nmax] bool or undefined

  static TreeTopology from_batch(const GraphBatch& batch, const ftfi::SpanningTreeOptions& tree = {},
                                 bool with_distances = false);
};

struct TopologicalAttentionOptions {
  TopologicalAttentionOptions(int64_t dim, int64_t heads) : dim_(dim), heads_(heads) {}
  TORCH_ARG(int64_t, dim);
  TORCH_ARG(int64_t, heads);
  TORCH_ARG(bool, exact) = false;  // softmax with log f(dist) bias (needs topology distances)
  TORCH_ARG(double, mask_a) = 1.0;  // initial f(x) = a e^{−λx} + b
  TORCH_ARG(double, mask_lambda) = 1.0;
  TORCH_ARG(double, mask_b) = 0.1;
  TORCH_ARG(double, epsilon) = 1e-6;  // added to the linear variant's denominator
};

class TopologicalAttentionImpl : public torch::nn::Cloneable<TopologicalAttentionImpl> {
 public:
  TopologicalAttentionImpl(int64_t dim, int64_t heads) : TopologicalAttentionImpl(TopologicalAttentionOptions(dim, heads)) {}
  explicit TopologicalAttentionImpl(const TopologicalAttentionOptions& options);

  void reset() override;
  torch::Tensor forward(const torch::Tensor& x, const TreeTopology& topology);

  ExpMaskFamily mask_family() const { return {mask_theta}; }

  TopologicalAttentionOptions options;
  Linear query{nullptr}, key{nullptr}, value{nullptr}, output{nullptr};
  torch::Tensor mask_theta;  // [3], see ExpMaskFamily

 private:
  torch::Tensor forward_linear(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                               const TreeTopology& topology);
  torch::Tensor forward_exact(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                              const TreeTopology& topology);
};

TORCH_MODULE(TopologicalAttention);

}  // namespace graphtx
