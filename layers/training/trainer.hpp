// run_training: the `graphtx train` loop. AdamW with linear warm-up and cosine decay
// (lr_schedule.hpp), gradient-norm clipping, evaluation each epoch with the dataset's metric
// (accuracy; code2: subtoken F1, OGB's mean over graphs), best checkpoint by the validation
// metric (best.pt), early stopping; accuracy per kind of graph when the data has kinds (sorting
// networks: positive / truncated / reversed; extra metrics.csv columns, result.json
// "scores_by_kind"); RUN_DIR/metrics.csv and RUN_DIR/steps.csv (every step's loss
// and lr) after every epoch, RUN_DIR/result.json at the end (metric per split from the best
// checkpoint, parameters, seconds per epoch, peak RSS). Resumable: last.pt, optimizer.pt, rng.pt
// and state.json are written at every epoch end and when stop_requested() turns true (then it
// returns interrupted); resume = true continues from them. Files are written atomically; only
// rank 0 writes. Data-parallel seams (TrainHooks): rank/world_size, epoch_batches, after_backward,
// sum_over_ranks. Deterministic for a seed with threads = 1. Cost: epochs x (train + valid + test).
#pragma once

#include "layers/models/graph_model.hpp"
#include "layers/training/train_options.hpp"
#include "layers/training/training_data.hpp"

#include <torch/torch.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace graphtx {

struct StepRecord {
  int64_t epoch = 0, step = 0;  // 1-based epoch, 0-based optimizer step since the start
  double lr = 0, loss = 0;      // loss: mean over the step's global batch
};

struct EpochRecord {
  int64_t epoch = 0;  // 1-based
  double lr = 0, train_loss = 0, valid_metric = 0, test_metric = 0, seconds = 0;
  std::map<std::string, double> valid_kinds, test_kinds;  // accuracy per TrainingData kind name
};

// The seams for progress display and data-parallel training.
struct TrainHooks {
  int rank = 0, world_size = 1;                          // only rank 0 writes files
  // This rank's batches of an epoch (graph ids; a batch may be empty, then the step runs without
  // a forward pass so collectives stay matched). Default: epoch_order(train, seed, epoch, rank,
  // world_size) cut into --batch pieces. Every epoch must have the same number of batches.
  std::function<std::vector<std::vector<int64_t>>(const std::vector<int64_t>& train, int64_t epoch)> epoch_batches;
  // After each backward pass, before clipping; `batch` indexes the epoch's plan (e.g. all-reduce
  // the gradients, weighted by this rank's share of that global batch).
  std::function<void(GraphModel&, int64_t batch)> after_backward;
  // Element-wise sums over ranks of small partial sums (loss sums, metric numerators, counts):
  // the reported losses and metrics are those of the global batch and of the whole split.
  // Default: the identity (one process). Evaluation is split with shard_range(rank, world_size).
  std::function<std::vector<double>(std::vector<double>)> sum_over_ranks;
  std::function<void(int64_t epoch, int64_t batches)> on_epoch_begin;
  std::function<void(int64_t batches_done)> on_batch;
  std::function<void(const EpochRecord&)> on_epoch_end;
  std::function<bool()> stop_requested;                  // checked after every batch
};

struct TrainResult {
  std::string metric;                       // "accuracy" or "f1"
  std::map<std::string, double> scores;     // split -> metric of the best checkpoint
  std::map<std::string, std::map<std::string, double>> kind_scores;  // split -> kind -> accuracy (best)
  int64_t parameters = 0;
  int64_t epochs_run = 0, best_epoch = 0;
  double seconds_per_epoch = 0, peak_rss_mib = 0;
  bool stopped_early = false, interrupted = false;
  std::vector<EpochRecord> history;
  std::vector<StepRecord> steps;
};

// The metric as a sum over graphs and their count: correct predictions (accuracy) or per-graph
// subtoken F1 (code2, OGB's mean over graphs), so shards reduce exactly by adding both.
struct MetricSums {
  double sum = 0, count = 0;
};
MetricSums metric_sums(const TrainingData& data, const torch::Tensor& outputs, const std::vector<int64_t>& ids);
// Metric of the model outputs ([B, classes] or [B, 5, vocab]) for graphs `ids` of `data` (0 if none).
double metric_from_outputs(const TrainingData& data, const torch::Tensor& outputs, const std::vector<int64_t>& ids);
// Mean training loss of outputs against the targets of `ids` (cross-entropy, per position for code2).
torch::Tensor task_loss(const TrainingData& data, const torch::Tensor& outputs, const std::vector<int64_t>& ids);
// Model outputs for `ids` in eval mode, in batches of `batch` graphs: [len(ids), ...].
torch::Tensor predict(GraphModel& model, const TrainingData& data, const std::vector<int64_t>& ids, int64_t batch);
std::string metric_name(const TrainingData& data);

TrainResult run_training(const TrainOptions& options, const TrainingData& data, bool resume = false,
                         const TrainHooks& hooks = {});

// Writes `bytes` to path atomically (path.tmp, then rename).
void write_file_atomically(const std::string& path, const std::string& bytes);

}  // namespace graphtx
