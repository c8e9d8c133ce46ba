#include "layers/pe_encoders.hpp"

#include "graph/errors.hpp"
#include "layers/segment_ops.hpp"

#include <cmath>
#include <string>

namespace graphtx {

namespace {

void check_pe(const torch::Tensor& eigvecs, const torch::Tensor& eigvals, const torch::Tensor& mask,
              const torch::Tensor& batch, int64_t k, const char* who) {
  if (eigvecs.size(1) != k || eigvals.size(1) != k || mask.size(1) != k)
    throw UsageError(std::string(who) + ": expected k = " + std::to_string(k) + " eigenvectors, got " +
                     std::to_string(eigvecs.size(1)));
  if (batch.size(0) != eigvecs.size(0) || eigvals.size(0) != mask.size(0))
    throw UsageError(std::string(who) + ": batch, eigvals and mask disagree on the number of nodes or graphs");
}

torch::nn::Sequential two_layer_mlp(int64_t in, int64_t hidden, int64_t out) {
  return torch::nn::Sequential(Linear(in, hidden), torch::nn::ReLU(), Linear(hidden, out));
}

}  // namespace

LapPEEncoderImpl::LapPEEncoderImpl(const LapPEEncoderOptions& options_) : options(options_) { reset(); }

void LapPEEncoderImpl::reset() {
  phi = register_module("phi", two_layer_mlp(2, options.hidden(), options.hidden()));
  rho = register_module("rho", Linear(options.hidden(), options.out_dim()));
}

torch::Tensor LapPEEncoderImpl::forward(const torch::Tensor& eigvecs, const torch::Tensor& eigvals,
                                        const torch::Tensor& mask, const torch::Tensor& batch) {
  check_pe(eigvecs, eigvals, mask, batch, options.k(), "LapPEEncoder");
  const torch::Tensor node_mask = mask.index_select(0, batch).unsqueeze(-1).to(eigvecs.scalar_type());  // [N, k, 1]
  torch::Tensor v = eigvecs;
  if (is_training() && options.random_sign_flip()) {
    const torch::Tensor signs = torch::randint(0, 2, eigvals.sizes(), eigvecs.options()) * 2 - 1;  // [B, k]
    v = v * signs.index_select(0, batch);
  }
  const torch::Tensor lambda = eigvals.index_select(0, batch);  // [N, k]
  torch::Tensor tokens = phi->forward(torch::stack({v, lambda}, -1));     // [N, k, hidden]
  if (options.sign_invariant()) tokens = tokens + phi->forward(torch::stack({-v, lambda}, -1));
  return rho((tokens * node_mask).sum(1));
}

MagLapPEEncoderImpl::MagLapPEEncoderImpl(const MagLapPEEncoderOptions& options_) : options(options_) { reset(); }

void MagLapPEEncoderImpl::reset() {
  const int64_t t = options.token_dim();
  token_mlp = register_module("token_mlp", two_layer_mlp(2, t, t));
  if (options.attention()) {
    token_qkv = register_module("token_qkv", Linear(t + 1, 3 * (t + 1)));
    token_norm = register_module("token_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({t + 1})));
  }
  out_mlp = register_module("out_mlp", two_layer_mlp(options.k() * (t + 1), options.out_dim(), options.out_dim()));
}

torch::Tensor MagLapPEEncoderImpl::forward(const torch::Tensor& eigvecs, const torch::Tensor& eigvals,
                                           const torch::Tensor& mask, const torch::Tensor& batch) {
  check_pe(eigvecs, eigvals, mask, batch, options.k(), "MagLapPEEncoder");
  if (eigvecs.dim() != 3 || eigvecs.size(2) != 2)
    throw UsageError("MagLapPEEncoder: eigvecs must be [N, k, 2] (Re, Im)");
  const int64_t n = eigvecs.size(0), k = options.k();
  const torch::Tensor token_mask = mask.index_select(0, batch);  // [N, k]
  const torch::Tensor lambda = eigvals.index_select(0, batch).unsqueeze(-1);
  torch::Tensor v = eigvecs;
  if (options.sqrt_n()) {
    const torch::Tensor nodes = torch::bincount(batch, {}, eigvals.size(0)).to(eigvecs.scalar_type());  // [B]
    v = v * nodes.sqrt().index_select(0, batch).view({n, 1, 1});
  }
  torch::Tensor tokens = torch::cat({token_mlp->forward(v), lambda}, -1);  // [N, k, t + 1]
  if (options.attention()) {
    const auto qkv = token_qkv(tokens).chunk(3, -1);
    const double scale = 1.0 / std::sqrt(static_cast<double>(tokens.size(-1)));
    const torch::Tensor scores = torch::matmul(qkv[0], qkv[1].transpose(1, 2)) * scale;  // [N, k, k]
    const torch::Tensor alpha = masked_softmax(scores, token_mask.unsqueeze(1), 2);
    tokens = token_norm(tokens + torch::matmul(alpha, qkv[2]));
  }
  tokens = tokens * token_mask.unsqueeze(-1).to(tokens.scalar_type());
  return out_mlp->forward(tokens.reshape({n, k * tokens.size(-1)}));
}

RWSEEncoderImpl::RWSEEncoderImpl(const RWSEEncoderOptions& options_) : options(options_) { reset(); }

void RWSEEncoderImpl::reset() {
  net = options.mlp() ? two_layer_mlp(options.steps(), options.out_dim(), options.out_dim())
                      : torch::nn::Sequential(Linear(options.steps(), options.out_dim()));
  register_module("net", net);
}

torch::Tensor RWSEEncoderImpl::forward(const torch::Tensor& rwse) {
  if (rwse.dim() != 2 || rwse.size(1) != options.steps())
    throw UsageError("RWSEEncoder: expected [N, " + std::to_string(options.steps()) + "] landing probabilities");
  return net->forward(rwse);
}

RRWPEncoderImpl::RRWPEncoderImpl(const RWSEEncoderOptions& options_) : options(options_) { reset(); }

void RRWPEncoderImpl::reset() {
  node = register_module("node", RWSEEncoder(options));
  pair = register_module("pair", RWSEEncoder(options));
}

std::pair<torch::Tensor, torch::Tensor> RRWPEncoderImpl::forward(const torch::Tensor& node_rrwp,
                                                                 const torch::Tensor& pair_rrwp) {
  return {node(node_rrwp), pair(pair_rrwp)};
}

}  // namespace graphtx
