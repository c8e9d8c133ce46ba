// Positional-encoding encoders: PE tensors per node -> features [N, out_dim] to add to node embeddings.
//   LapPEEncoder     eigvecs [N, k], eigvals [B, k], mask [B, k] bool, batch [N]; tokens (v_il, lambda_l),
//                    phi(v, l) + phi(-v, l) (SignNet style), masked sum over l, linear rho; optional
//                    random sign flips per graph and eigenvector in training.
//   MagLapPEEncoder  eigvecs [N, k, 2] (Re, Im), eigvals [B, k], mask [B, k]; optionally scaled by sqrt(n)
//                    of each graph (entries of a unit vector are ~1/sqrt(n)); tokens MLP(Re, Im) ++ lambda,
//                    optional masked self-attention over the k tokens, padded tokens zeroed, MLP to out_dim.
//   RWSEEncoder      rwse [N, K] -> linear or MLP.   RRWPEncoder  node [N, K], pairs [P, K] -> linear each.
// Cost O(N k hidden) (plus O(N k^2 token) with attention).
#pragma once

#include "layers/linear.hpp"

#include <torch/torch.h>

#include <utility>

namespace graphtx {

struct LapPEEncoderOptions {
  LapPEEncoderOptions(int64_t k, int64_t out_dim) : k_(k), out_dim_(out_dim) {}
  TORCH_ARG(int64_t, k);
  TORCH_ARG(int64_t, out_dim);
  TORCH_ARG(int64_t, hidden) = 32;
  TORCH_ARG(bool, sign_invariant) = true;    // phi(x) + phi(-x)
  TORCH_ARG(bool, random_sign_flip) = true;  // in training only
};

class LapPEEncoderImpl : public torch::nn::Cloneable<LapPEEncoderImpl> {
 public:
  explicit LapPEEncoderImpl(const LapPEEncoderOptions& options);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& eigvecs, const torch::Tensor& eigvals, const torch::Tensor& mask,
                        const torch::Tensor& batch);

  LapPEEncoderOptions options;
  torch::nn::Sequential phi{nullptr};
  Linear rho{nullptr};
};
TORCH_MODULE(LapPEEncoder);

struct MagLapPEEncoderOptions {
  MagLapPEEncoderOptions(int64_t k, int64_t out_dim) : k_(k), out_dim_(out_dim) {}
  TORCH_ARG(int64_t, k);
  TORCH_ARG(int64_t, out_dim);
  TORCH_ARG(int64_t, token_dim) = 16;  // per-eigenvector MLP output, lambda is appended to it
  TORCH_ARG(bool, attention) = false;  // self-attention over the k tokens of a node
  TORCH_ARG(bool, sqrt_n) = false;     // (Re, Im) times sqrt(nodes of the graph): unit RMS per eigenvector
};

class MagLapPEEncoderImpl : public torch::nn::Cloneable<MagLapPEEncoderImpl> {
 public:
  explicit MagLapPEEncoderImpl(const MagLapPEEncoderOptions& options);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& eigvecs, const torch::Tensor& eigvals, const torch::Tensor& mask,
                        const torch::Tensor& batch);

  MagLapPEEncoderOptions options;
  torch::nn::Sequential token_mlp{nullptr}, out_mlp{nullptr};
  Linear token_qkv{nullptr};
  torch::nn::LayerNorm token_norm{nullptr};
};
TORCH_MODULE(MagLapPEEncoder);

struct RWSEEncoderOptions {
  RWSEEncoderOptions(int64_t steps, int64_t out_dim) : steps_(steps), out_dim_(out_dim) {}
  TORCH_ARG(int64_t, steps);
  TORCH_ARG(int64_t, out_dim);
  TORCH_ARG(bool, mlp) = false;  // Linear-ReLU-Linear instead of one Linear
};

class RWSEEncoderImpl : public torch::nn::Cloneable<RWSEEncoderImpl> {
 public:
  explicit RWSEEncoderImpl(const RWSEEncoderOptions& options);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& rwse);

  RWSEEncoderOptions options;
  torch::nn::Sequential net{nullptr};
};
TORCH_MODULE(RWSEEncoder);

// RRWP (Ma et al. 2023): node part = diagonal landing probabilities [N, K], pair part = the
// K probabilities of each stored pair [P, K]; one linear map each to out_dim.
class RRWPEncoderImpl : public torch::nn::Cloneable<RRWPEncoderImpl> {
 public:
  explicit RRWPEncoderImpl(const RWSEEncoderOptions& options);
  void reset() override;
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& node_rrwp, const torch::Tensor& pair_rrwp);

  RWSEEncoderOptions options;
  RWSEEncoder node{nullptr}, pair{nullptr};
};
TORCH_MODULE(RRWPEncoder);

}  // namespace graphtx
