// TrainingData: a dataset prepared for `graphtx train` — graphs in memory (after the optional
// --max-nodes / --max-graphs selection), model input features, labels as tensors, cached
// positional encodings as whole-dataset tensors, and batching by graph indices.
//   features  code2: node [type, attr, min(depth, 20)] ids, edges (augment_edge) [kind, direction];
//             TU: integer columns as ids, real columns as given; sorting networks: sinusoidal
//             encodings of the two absolute wire indices (sorting_network_features).
//   labels    classification: [G] int64; code2: [G, 5] int64 vocabulary ids (train vocabulary).
// Cost: O(total graph size) memory and time to load; batch() is O(batch size) plus the PE rows.
#pragma once

#include "datasets/code2_vocabulary.hpp"
#include "graph/graph.hpp"
#include "layers/models/graph_model.hpp"
#include "layers/training/train_options.hpp"

#include <torch/torch.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace graphtx {

struct TrainingData {
  std::string description;                            // dataset, selection, transforms (cache key)
  std::vector<Graph> graphs;                          // model input structure
  std::vector<torch::Tensor> node_x, edge_x;          // per graph [n, Cn], [m, Ce] float32
  std::vector<int64_t> node_vocab, edge_vocab;        // categorical columns (then real ones)
  int64_t node_reals = 0, edge_reals = 0;
  torch::Tensor labels;                               // [G] or [G, 5] int64
  int64_t classes = 0;                                // classification
  std::optional<Code2Vocabulary> vocabulary;          // code2
  std::vector<std::vector<std::string>> tokens;       // code2 reference subtokens per graph
  std::map<std::string, std::vector<int64_t>> splits; // "train", "valid", "test"
  // Kinds of graph reported separately by evaluation (empty: none). Sorting networks: "positive",
  // "truncated" (minus the last comparator), "reversed" (valid/test only); kinds[g] indexes kind_names.
  std::vector<std::string> kind_names;
  std::vector<int64_t> kinds;
  torch::Tensor pe_ptr;                               // [G + 1] node offsets of the PE arrays
  std::map<std::string, torch::Tensor> pe_arrays;     // as written by `graphtx pe`
  std::vector<PeInputInfo> pe_info;

  int64_t size() const { return static_cast<int64_t>(graphs.size()); }
  // The batch of the given graphs, in that order; `topology` builds the tree structure for "tt".
  ModelInput batch(const std::vector<int64_t>& ids, bool topology = false) const;
  torch::Tensor targets(const std::vector<int64_t>& ids) const;
  // ModelOptions filled with this data's inputs and outputs and the options' architecture.
  ModelOptions model_options(const TrainOptions& options) const;
};

struct EncodingProgress {
  int64_t done = 0, total = 0;
};

// Loads and prepares the dataset of `options`; encodings are computed once into
// options.cache (or RUN_DIR/pe-cache) as a `graphtx pe` .npz file and reused by later runs.
// Processes that may fill one cache at the same time (the ranks of a data-parallel run) pass
// distinct writer tags: each then builds its own FILE.TAG (and FILE.TAG.parts/, resumable) and
// renames it to FILE, so concurrent writers never share a temporary file.
TrainingData load_training_data(const TrainOptions& options,
                                const std::function<void(const EncodingProgress&)>& on_encoding_progress = {},
                                const std::string& cache_writer_tag = "");

// Sorting-network node features, as the reference SortingNetworkEncoder: per comparator (i, j),
// [sin(i w_f), cos(i w_f)]_f ++ [sin(j w_f), cos(j w_f)]_f with w_f = 26^(-f/F), f < F =
// kWireFrequencies: [n, 4F] float32. A comparator's features depend on its own wires only, not on the
// wire count or the other comparators, and bounded for any index: (k, k+1) looks the same in a 7-
// and a 16-wire network, and an offset j - i is a fixed rotation.
constexpr int64_t kWireFrequencies = 8;
torch::Tensor sorting_network_features(const Graph& g);

// "a-b" or "a" -> (a, b); UsageError naming the option otherwise.
std::pair<int, int> parse_wire_range(const std::string& text, const std::string& option);

}  // namespace graphtx
