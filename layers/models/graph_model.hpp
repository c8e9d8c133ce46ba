// GraphModel: the model zoo of `graphtx train` — input encoders, PE encoders, a stack of one
// layer family, mean readout and a task head, built from ModelOptions.
//   input  ModelInput: x [N, Cn] (first node_vocab.size() columns are category ids, the rest
//          real), edge_index [2, E] (row 0 sender, row 1 receiver), edge_attr [E, Ce] likewise,
//          ptr [B + 1], batch [N], PE tensors per label, a TreeTopology for model "tt".
//   output [B, classes] logits, or [B, sequence_length, sequence_vocab] for sequence heads (code2).
// Models: gcn, gine, gatedgcn, gt (neighbour attention), gps (GINE + global attention),
// transformer (global attention only: structure enters through the PEs), grit (sparse, over
// edges and self-pairs), rt (relational transformer, dense), tt (topological attention).
// Cost: the layer family's (see its header), times `layers`.
#pragma once

#include "layers/ftfi/topological_attention.hpp"
#include "layers/heads.hpp"
#include "layers/linear.hpp"
#include "layers/relational_transformer.hpp"

#include <torch/torch.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace graphtx {

// One cached encoding the model reads: spectral (vec [N, k], val [B, k], mask [B, k]),
// magnetic (vec [N, k, 2]), or per-node (node [N, K]).
enum class PeKind { kSpectral, kMagnetic, kNode };

struct PeInputInfo {
  std::string label;
  PeKind kind = PeKind::kNode;
  int64_t width = 0;  // k or K
};

struct PeBatch {
  torch::Tensor vec, val, mask, node;
};

struct ModelOptions {
  std::string model = "gt";
  int64_t layers = 3, dim = 64, heads = 4;
  double dropout = 0.0;
  std::vector<int64_t> node_vocab;  // embedding rows of each categorical node column
  int64_t node_reals = 0;           // real node columns after them
  std::vector<int64_t> edge_vocab;
  int64_t edge_reals = 0;
  std::vector<PeInputInfo> pe;
  bool maglap_attention = false, maglap_sqrt_n = false;  // MagLapPEEncoderOptions attention, sqrt_n
  int64_t classes = 2;              // graph classification when sequence_vocab == 0
  int64_t sequence_vocab = 0, sequence_length = 5;
};

// The names accepted as ModelOptions::model.
const std::vector<std::string>& model_names();

struct ModelInput {
  torch::Tensor x, edge_index, edge_attr, ptr, batch;
  std::map<std::string, PeBatch> pe;
  std::shared_ptr<TreeTopology> topology;  // model "tt" only
};

class GraphModelImpl : public torch::nn::Cloneable<GraphModelImpl> {
 public:
  explicit GraphModelImpl(const ModelOptions& options);
  void reset() override;
  torch::Tensor forward(const ModelInput& input);

  ModelOptions options;
  torch::nn::ModuleList node_embeddings{nullptr}, edge_embeddings{nullptr}, pe_encoders{nullptr};
  Linear node_real{nullptr}, edge_real{nullptr};
  torch::Tensor node_bias, edge_bias;
  torch::nn::ModuleList blocks{nullptr}, norms{nullptr}, ffns{nullptr};
  RelationalTransformer relational{nullptr};
  Linear head{nullptr};
  Code2Head sequence_head{nullptr};

 private:
  torch::Tensor encode(const torch::Tensor& x, const std::vector<int64_t>& vocab, torch::nn::ModuleList& embeddings,
                       Linear& real, const torch::Tensor& bias, int64_t rows);
  torch::Tensor node_states(const ModelInput& input, torch::Tensor h, torch::Tensor e);
};
TORCH_MODULE(GraphModel);

// Number of trainable scalars.
int64_t parameter_count(torch::nn::Module& module);

}  // namespace graphtx
