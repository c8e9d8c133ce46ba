#include "layers/models/graph_model.hpp"

#include "graph/errors.hpp"
#include "layers/batched_graph.hpp"
#include "layers/gated_gcn.hpp"
#include "layers/gcn_conv.hpp"
#include "layers/gine_conv.hpp"
#include "layers/gps_layer.hpp"
#include "layers/graph_transformer.hpp"
#include "layers/grit_layer.hpp"
#include "layers/pe_encoders.hpp"

#include <algorithm>
#include <tuple>

namespace graphtx {

namespace {

int64_t edge_width(const ModelOptions& o) { return o.model == "rt" ? std::min<int64_t>(o.dim, 16) : o.dim; }

torch::nn::Sequential feed_forward(int64_t dim, double dropout) {
  return torch::nn::Sequential(Linear(dim, 2 * dim), torch::nn::ReLU(), torch::nn::Dropout(dropout),
                               Linear(2 * dim, dim));
}

}  // namespace

const std::vector<std::string>& model_names() {
  static const std::vector<std::string> names{"gcn", "gine", "gatedgcn", "gt", "gps", "transformer", "grit", "rt", "tt"};
  return names;
}

GraphModelImpl::GraphModelImpl(const ModelOptions& options_) : options(options_) { reset(); }

void GraphModelImpl::reset() {
  const ModelOptions& o = options;
  if (std::find(model_names().begin(), model_names().end(), o.model) == model_names().end()) {
    std::string list;
    for (const auto& n : model_names()) list += (list.empty() ? "" : ", ") + n;
    throw UsageError("unknown model '" + o.model + "' (one of " + list + ")");
  }
  if (o.dim <= 0 || o.layers <= 0 || o.heads <= 0 || o.dim % o.heads != 0) {
    throw UsageError("--dim must be a positive multiple of --heads and --layers positive (dim " + std::to_string(o.dim) +
                     ", heads " + std::to_string(o.heads) + ", layers " + std::to_string(o.layers) + ")");
  }
  const int64_t d = o.dim, de = edge_width(o);
  node_embeddings = register_module("node_embeddings", torch::nn::ModuleList());
  for (int64_t rows : o.node_vocab) node_embeddings->push_back(torch::nn::Embedding(std::max<int64_t>(rows, 1), d));
  edge_embeddings = register_module("edge_embeddings", torch::nn::ModuleList());
  for (int64_t rows : o.edge_vocab) edge_embeddings->push_back(torch::nn::Embedding(std::max<int64_t>(rows, 1), de));
  if (o.node_reals > 0) node_real = register_module("node_real", Linear(o.node_reals, d));
  if (o.edge_reals > 0) edge_real = register_module("edge_real", Linear(o.edge_reals, de));
  node_bias = register_parameter("node_bias", torch::zeros({d}));
  edge_bias = register_parameter("edge_bias", torch::randn({de}) * 0.1);

  pe_encoders = register_module("pe_encoders", torch::nn::ModuleList());
  for (const PeInputInfo& pe : o.pe) {
    if (pe.kind == PeKind::kSpectral) {
      pe_encoders->push_back(LapPEEncoder(LapPEEncoderOptions(pe.width, d)));
    } else if (pe.kind == PeKind::kMagnetic) {
      pe_encoders->push_back(MagLapPEEncoder(
          MagLapPEEncoderOptions(pe.width, d).attention(o.maglap_attention).sqrt_n(o.maglap_sqrt_n)));
    } else {
      pe_encoders->push_back(RWSEEncoder(RWSEEncoderOptions(pe.width, d).mlp(true)));
    }
  }

  blocks = register_module("blocks", torch::nn::ModuleList());
  norms = register_module("norms", torch::nn::ModuleList());
  ffns = register_module("ffns", torch::nn::ModuleList());
  if (o.model == "rt") {
    relational = register_module("relational", RelationalTransformer(RelationalTransformerOptions(d, de)
                                                                         .heads(o.heads)
                                                                         .node_ffn_dim(2 * d)
                                                                         .edge_ffn_dim1(2 * de)
                                                                         .edge_ffn_dim2(de)
                                                                         .num_layers(o.layers)
                                                                         .dropout(o.dropout)));
  }
  for (int64_t l = 0; l < o.layers && o.model != "rt"; ++l) {
    if (o.model == "gcn") {
      blocks->push_back(GCNConv(d, d));
      norms->push_back(torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
    } else if (o.model == "gine") {
      blocks->push_back(GINEConv(GINEConvOptions(d, d).edge_dim(de)));
      norms->push_back(torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
    } else if (o.model == "gatedgcn") {
      blocks->push_back(GatedGCNLayer(GatedGCNLayerOptions(d).dropout(o.dropout)));
    } else if (o.model == "gt") {
      blocks->push_back(GraphTransformerLayer(GraphTransformerLayerOptions(d).heads(o.heads).edge_features(true).dropout(o.dropout)));
    } else if (o.model == "gps" || o.model == "transformer") {
      blocks->push_back(GPSLayer(GPSLayerOptions(d, o.heads)
                                     .local_model(o.model == "gps" ? GPSLocalModel::gine : GPSLocalModel::none)
                                     .dropout(o.dropout)));
    } else if (o.model == "grit") {
      blocks->push_back(GRITLayer(GRITLayerOptions(d, o.heads).dropout(o.dropout)));
    } else {  // tt
      blocks->push_back(TopologicalAttention(TopologicalAttentionOptions(d, o.heads)));
      norms->push_back(torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
      norms->push_back(torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
      ffns->push_back(feed_forward(d, o.dropout));
    }
  }
  if (o.sequence_vocab > 0) {
    sequence_head = register_module("sequence_head", Code2Head(Code2HeadOptions(d, o.sequence_vocab).length(o.sequence_length)));
  } else {
    head = register_module("head", Linear(d, o.classes));
  }
}

torch::Tensor GraphModelImpl::encode(const torch::Tensor& x, const std::vector<int64_t>& vocab,
                                     torch::nn::ModuleList& embeddings, Linear& real, const torch::Tensor& bias,
                                     int64_t rows) {
  torch::Tensor out = bias.unsqueeze(0).repeat({rows, 1});
  const int64_t categorical = static_cast<int64_t>(vocab.size());
  for (int64_t c = 0; c < categorical; ++c) {
    const torch::Tensor ids = x.select(1, c).to(torch::kInt64).clamp(0, std::max<int64_t>(vocab[c], 1) - 1);
    out = out + embeddings[c]->as<torch::nn::EmbeddingImpl>()->forward(ids);
  }
  if (real) out = out + real->forward(x.slice(1, categorical));
  return out;
}

torch::Tensor GraphModelImpl::forward(const ModelInput& in) {
  const ModelOptions& o = options;
  const int64_t n = in.x.size(0), m = in.edge_index.size(1);
  torch::Tensor h = encode(in.x, o.node_vocab, node_embeddings, node_real, node_bias, n);
  torch::Tensor e = encode(in.edge_attr, o.edge_vocab, edge_embeddings, edge_real, edge_bias, m);
  for (size_t p = 0; p < o.pe.size(); ++p) {
    const PeInputInfo& info = o.pe[p];
    const auto it = in.pe.find(info.label);
    if (it == in.pe.end()) throw UsageError("model input lacks encoding '" + info.label + "'");
    const PeBatch& pe = it->second;
    if (info.kind == PeKind::kSpectral) {
      h = h + pe_encoders[p]->as<LapPEEncoderImpl>()->forward(pe.vec, pe.val, pe.mask, in.batch);
    } else if (info.kind == PeKind::kMagnetic) {
      h = h + pe_encoders[p]->as<MagLapPEEncoderImpl>()->forward(pe.vec, pe.val, pe.mask, in.batch);
    } else {
      h = h + pe_encoders[p]->as<RWSEEncoderImpl>()->forward(pe.node);
    }
  }
  h = node_states(in, h, e);
  const torch::Tensor pooled = GraphReadout()->forward(h, in.ptr);
  return o.sequence_vocab > 0 ? sequence_head->forward(pooled) : head->forward(pooled);
}

torch::Tensor GraphModelImpl::node_states(const ModelInput& in, torch::Tensor h, torch::Tensor e) {
  const ModelOptions& o = options;
  const double p = o.dropout;
  const bool training = is_training();
  if (o.model == "rt") {
    const RelationalState s = relational->forward(h, in.edge_index, e, in.ptr);
    return from_dense(s.nodes, s.mask);
  }
  torch::Tensor pair_index, pairs, degree;
  if (o.model == "grit") {
    const torch::Tensor self = torch::arange(h.size(0), torch::kInt64);
    pair_index = torch::cat({in.edge_index, torch::stack({self, self})}, 1);
    pairs = torch::cat({e, torch::zeros({h.size(0), e.size(1)})}, 0);
    degree = torch::zeros({h.size(0)}).index_add_(0, in.edge_index[1], torch::ones({in.edge_index.size(1)}));
  }
  for (int64_t l = 0; l < o.layers; ++l) {
    const auto& block = blocks[l];
    if (o.model == "gcn") {
      h = norms[l]->as<torch::nn::LayerNormImpl>()->forward(
          h + torch::dropout(torch::relu(block->as<GCNConvImpl>()->forward(h, in.edge_index)), p, training));
    } else if (o.model == "gine") {
      h = norms[l]->as<torch::nn::LayerNormImpl>()->forward(
          h + torch::dropout(torch::relu(block->as<GINEConvImpl>()->forward(h, in.edge_index, e)), p, training));
    } else if (o.model == "gatedgcn") {
      std::tie(h, e) = block->as<GatedGCNLayerImpl>()->forward(h, in.edge_index, e);
    } else if (o.model == "gt") {
      std::tie(h, e) = block->as<GraphTransformerLayerImpl>()->forward(h, in.edge_index, e);
    } else if (o.model == "gps" || o.model == "transformer") {
      std::tie(h, e) = block->as<GPSLayerImpl>()->forward(h, in.edge_index, e, in.ptr);
    } else if (o.model == "grit") {
      std::tie(h, pairs) = block->as<GRITLayerImpl>()->forward(h, pair_index, pairs, degree);
    } else {
      if (!in.topology) throw UsageError("model tt needs a TreeTopology in its input");
      const torch::Tensor a = block->as<TopologicalAttentionImpl>()->forward(h, *in.topology);
      h = norms[2 * l]->as<torch::nn::LayerNormImpl>()->forward(h + torch::dropout(a, p, training));
      h = norms[2 * l + 1]->as<torch::nn::LayerNormImpl>()->forward(
          h + torch::dropout(ffns[l]->as<torch::nn::SequentialImpl>()->forward(h), p, training));
    }
  }
  return h;
}

int64_t parameter_count(torch::nn::Module& module) {
  int64_t count = 0;
  for (const auto& p : module.parameters()) count += p.numel();
  return count;
}

}  // namespace graphtx
