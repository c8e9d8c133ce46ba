// TrainOptions: everything one `graphtx train` run depends on (dataset, model, PE specs, optimizer,
// schedule, output). Plain data, no LibTorch, so the bench grid parser can fill it. Defaults are
// CPU-scale; run_training() validates the values (UsageError naming the option).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace graphtx {

struct TrainOptions {
  // Data.
  std::string dataset = "sorting-networks";  // ogbg-code2 | tu | sorting-networks
  std::string root;                          // ogbg-code2, tu
  std::string name;                          // tu: MUTAG, PROTEINS, ...
  std::int64_t max_nodes = 0;                // drop graphs with more nodes (0 = keep all)
  std::int64_t max_graphs = 0;               // use only the first N graphs of each split (0 = all)
  // Sorting networks: wire ranges "a-b" of the splits and networks per split (2-3 graphs each).
  std::string sn_train_wires = "7-9", sn_valid_wires = "10-11", sn_test_wires = "10-11";
  std::int64_t sn_train_networks = 400, sn_eval_networks = 60;
  bool augment = true;                       // ogbg-code2: OGB's augment_edge for the model input
  // Model.
  std::string model = "gt";  // gcn | gine | gatedgcn | gt | gps | transformer | grit | rt | tt
  std::vector<std::string> pe;  // encoding specs as for `graphtx pe`; empty or "none" = no PE
  bool maglap_attention = false;  // MagLapPE encoder: self-attention over the k eigenvector tokens
  bool maglap_sqrt_n = false;     // MagLapPE encoder: eigenvector entries times sqrt(graph nodes)
  std::int64_t layers = 3, dim = 64, heads = 4;
  double dropout = 0.0;
  // Optimization.
  std::int64_t epochs = 10, batch = 32;
  double lr = 1e-3, weight_decay = 1e-2, clip = 1.0, warmup = 0.05;  // warmup: fraction of all steps
  std::int64_t patience = 0;  // stop after this many epochs without a better valid metric (0 = never)
  std::uint64_t seed = 0;
  int threads = 1;            // LibTorch intra-op and encoding threads (1 = deterministic)
  // Output.
  std::string out = "run";    // RUN_DIR
  std::string cache;          // PE cache folder (default RUN_DIR/pe-cache)
};

}  // namespace graphtx
