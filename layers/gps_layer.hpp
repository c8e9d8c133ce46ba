// GPSLayer (Rampášek et al. 2022): local message passing plus global attention, summed.
//   h_M = Norm(h + Drop(MPNN(h, e))), h_T = Norm(h + Drop(GlobalAttn(h))), h = h_M + h_T,
//   h = Norm(h + Drop(FFN(h)))  with FFN d -> 2d -> d (ReLU); MPNN = GINE or GatedGCN (or none).
//   x [N, d], edge_index [2, E] int64 (row 0 = sender, row 1 = receiver), edge_attr [E, d],
//   ptr [B + 1] node offsets, attn_bias [B, H, Nmax, Nmax] optional (Nmax >= largest graph)
//   -> (h [N, d], e [E, d]); e changes only with GatedGCN. Cost O((N + E) d² + B Nmax² d).
#pragma once

#include "layers/gated_gcn.hpp"
#include "layers/gine_conv.hpp"
#include "layers/global_attention.hpp"
#include "layers/masked_batch_norm.hpp"

#include <torch/torch.h>

#include <string>
#include <tuple>

namespace graphtx {

enum class GPSLocalModel { none, gine, gated_gcn };
// Normalization of the node stream: BatchNorm (over real nodes, the GPS default) or LayerNorm.
enum class GPSNorm { batch, layer };

struct GPSLayerOptions {
  GPSLayerOptions(int64_t dim, int64_t heads) : dim_(dim), heads_(heads) {}
  TORCH_ARG(int64_t, dim);
  TORCH_ARG(int64_t, heads);
  TORCH_ARG(GPSLocalModel, local_model) = GPSLocalModel::gine;
  // Global attention can be switched off (then the layer is MPNN + FFN).
  TORCH_ARG(bool, global_attention) = true;
  TORCH_ARG(GPSNorm, norm) = GPSNorm::batch;
  TORCH_ARG(double, dropout) = 0.0;
  TORCH_ARG(double, attention_dropout) = 0.0;
};

class GPSLayerImpl : public torch::nn::Cloneable<GPSLayerImpl> {
 public:
  GPSLayerImpl(int64_t dim, int64_t heads) : GPSLayerImpl(GPSLayerOptions(dim, heads)) {}
  explicit GPSLayerImpl(const GPSLayerOptions& options);

  void reset() override;
  std::tuple<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x, const torch::Tensor& edge_index,
                                                   const torch::Tensor& edge_attr, const torch::Tensor& ptr,
                                                   const torch::Tensor& attn_bias = {});

  GPSLayerOptions options;
  GINEConv gine{nullptr};
  GatedGCNLayer gated_gcn{nullptr};
  GlobalAttention attention{nullptr};
  torch::nn::Sequential ffn{nullptr};
  // One of each pair is set, by options.norm().
  MaskedBatchNorm local_batch_norm{nullptr}, attention_batch_norm{nullptr}, ffn_batch_norm{nullptr};
  torch::nn::LayerNorm local_layer_norm{nullptr}, attention_layer_norm{nullptr}, ffn_layer_norm{nullptr};

 private:
  void make_norm(const std::string& name, MaskedBatchNorm& batch_norm, torch::nn::LayerNorm& layer_norm);
};

TORCH_MODULE(GPSLayer);

}  // namespace graphtx
