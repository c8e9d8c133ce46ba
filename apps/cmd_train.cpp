// graphtx train: train one model x PE combination on a dataset (thin over layers/training).
#include "apps/command.hpp"
#include "apps/train_runner.hpp"
#include "graph/errors.hpp"
#include "layers/distributed/distributed_context.hpp"
#include "layers/models/graph_model.hpp"
#include "layers/training/train_options_json.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

namespace graphtx::cli {
namespace {

struct TrainArgs {
  TrainOptions options;
  std::string resume;
  bool quiet = false, distributed = false;
};

void run(TrainArgs& a) {
  TrainOptions o = a.options;
  if (!a.resume.empty()) {
    const std::string path = a.resume + "/options.json";
    std::ifstream in(path);
    if (!in) throw UsageError("--resume " + a.resume + ": no options.json there (not a graphtx train run directory)");
    std::stringstream ss;
    ss << in.rdbuf();
    try {
      o = train_options_from_json(nlohmann::json::parse(ss.str()));
    } catch (const nlohmann::json::exception& e) {
      throw InputError(path, 0, e.what());
    }
    o.out = a.resume;
  }
  std::shared_ptr<DistributedContext> context;
  if (a.distributed) {
    context = DistributedContext::connect(distributed_config_from_environment(),
                                          distributed_timeout_from_environment(std::chrono::seconds(600)));
  }
  const TrainResult r = train_with_progress(o, !a.resume.empty(), a.quiet, context.get());
  if (r.interrupted || (context && !context->is_main())) return;
  std::printf("%s: train %.4f, valid %.4f, test %.4f (best epoch %lld of %lld%s)\n", r.metric.c_str(),
              r.scores.count("train") ? r.scores.at("train") : 0.0, r.scores.count("valid") ? r.scores.at("valid") : 0.0,
              r.scores.count("test") ? r.scores.at("test") : 0.0, static_cast<long long>(r.best_epoch),
              static_cast<long long>(r.epochs_run), r.stopped_early ? ", stopped early" : "");
  std::printf("parameters %lld, %.2f s/epoch, peak RSS %.0f MiB\nwrote %s/{result.json,metrics.csv,best.pt}\n",
              static_cast<long long>(r.parameters), r.seconds_per_epoch, r.peak_rss_mib, o.out.c_str());
}

const CommandRegistration registration{"train", [](CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  TrainOptions& o = args->options;
  std::string models;
  for (const auto& m : model_names()) models += (models.empty() ? "" : "|") + m;
  CLI::App* cmd = app.add_subcommand("train", "Train a model with positional encodings on a dataset; writes RUN_DIR/{result.json,metrics.csv,best.pt}");
  cmd->add_option("--dataset", o.dataset, "ogbg-code2 | tu | sorting-networks")->default_val(o.dataset);
  cmd->add_option("--root", o.root, "Dataset folder (ogbg-code2: holding ogbg_code2/; tu: holding NAME/)");
  cmd->add_option("--name", o.name, "TU dataset name, e.g. MUTAG");
  cmd->add_option("--model", o.model, models)->default_val(o.model);
  cmd->add_option("--pe", o.pe, "Encoding spec as for graphtx pe, repeatable (lap, maglap, rwse, node parts of drw/rrwp); none = no PE");
  cmd->add_option("--maglap-attention", o.maglap_attention,
                  "MagLapPE encoder: self-attention over each node's k eigenvector tokens")->default_val(o.maglap_attention);
  cmd->add_option("--maglap-sqrt-n", o.maglap_sqrt_n,
                  "MagLapPE encoder: multiply (Re, Im) by sqrt(nodes of the graph), so entries are O(1) at any size")
      ->default_val(o.maglap_sqrt_n);
  cmd->add_option("--epochs", o.epochs)->default_val(o.epochs);
  cmd->add_option("--batch", o.batch, "Graphs per batch")->default_val(o.batch);
  cmd->add_option("--lr", o.lr, "Peak learning rate of AdamW")->default_val(o.lr);
  cmd->add_option("--weight-decay", o.weight_decay)->default_val(o.weight_decay);
  cmd->add_option("--warmup", o.warmup, "Linear warm-up, as a fraction of all steps; cosine decay after")->default_val(o.warmup);
  cmd->add_option("--clip", o.clip, "Gradient-norm clipping (0 = off)")->default_val(o.clip);
  cmd->add_option("--patience", o.patience, "Early stopping after this many epochs without a better valid metric (0 = off)")->default_val(o.patience);
  cmd->add_option("--layers", o.layers)->default_val(o.layers);
  cmd->add_option("--dim", o.dim)->default_val(o.dim);
  cmd->add_option("--heads", o.heads)->default_val(o.heads);
  cmd->add_option("--dropout", o.dropout)->default_val(o.dropout);
  cmd->add_option("--seed", o.seed, "Seed of the model, the batches and generated data")->default_val(o.seed);
  cmd->add_option("-j,--threads", o.threads, "Threads (1 = deterministic)")->default_val(o.threads);
  cmd->add_option("--max-nodes", o.max_nodes, "Drop graphs with more nodes from every split (0 = keep)")->default_val(o.max_nodes);
  cmd->add_option("--max-graphs", o.max_graphs, "Use only the first N graphs of each split (0 = all)")->default_val(o.max_graphs);
  cmd->add_option("--sn-train-wires", o.sn_train_wires, "sorting-networks: wire range of the training networks")->default_val(o.sn_train_wires);
  cmd->add_option("--sn-valid-wires", o.sn_valid_wires)->default_val(o.sn_valid_wires);
  cmd->add_option("--sn-test-wires", o.sn_test_wires)->default_val(o.sn_test_wires);
  cmd->add_option("--sn-train-networks", o.sn_train_networks, "sorting-networks: generated training networks (2 graphs each)")->default_val(o.sn_train_networks);
  cmd->add_option("--sn-eval-networks", o.sn_eval_networks, "sorting-networks: networks per valid/test split (3 graphs each)")->default_val(o.sn_eval_networks);
  cmd->add_option("--augment", o.augment, "ogbg-code2: OGB's augment_edge for the model input (encodings use the raw AST)")->default_val(o.augment);
  cmd->add_option("--out", o.out, "Run directory")->default_val(o.out);
  cmd->add_option("--cache", o.cache, "Folder of cached encodings (default RUN_DIR/pe-cache)");
  cmd->add_option("--resume", args->resume, "Continue the interrupted run in RUN_DIR (its options.json; other options ignored)");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress output");
  cmd->add_flag("--distributed", args->distributed,
                "Data-parallel over processes: RANK/WORLD_SIZE (or SLURM_PROCID/SLURM_NTASKS), MASTER_ADDR, MASTER_PORT; "
                "--batch is the global batch; rank 0 writes RUN_DIR; GRAPHTX_DIST_TIMEOUT seconds (default 600)");
  cmd->callback([args] { run(*args); });
}};

}  // namespace
}  // namespace graphtx::cli
