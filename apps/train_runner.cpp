#include "apps/train_runner.hpp"

#include "apps/interrupt.hpp"
#include "apps/progress.hpp"
#include "layers/distributed/gradient_allreducer.hpp"
#include "layers/distributed/sharded_sampler.hpp"
#include "layers/training/epoch_sampler.hpp"
#include "layers/training/training_data.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>

namespace graphtx::cli {
namespace {

// Data-parallel seams: each global batch of --batch graphs (the single-process epoch order) is
// split into contiguous pieces, one per rank; before the all-reduce each rank scales its
// gradient (of its piece's mean loss) by W * piece / batch, so the averaged gradient is the
// gradient of the global batch mean exactly. Parameters and buffers come from rank 0 at the
// first step. Losses and metrics are summed over ranks (the trainer's sum_over_ranks).
struct DataParallel {
  DistributedContext& context;
  std::vector<std::pair<int64_t, int64_t>> sizes;  // (piece, batch) per step of the current epoch
  std::unique_ptr<GradientAllReducer> reducer;
};

void add_data_parallel_hooks(TrainHooks& hooks, const TrainOptions& o, const std::shared_ptr<DataParallel>& dp) {
  hooks.rank = dp->context.rank();
  hooks.world_size = dp->context.world_size();
  hooks.epoch_batches = [&o, dp](const std::vector<int64_t>& train, int64_t epoch) {
    const std::vector<int64_t> order = epoch_order(train, o.seed, epoch);
    std::vector<std::vector<int64_t>> batches;
    dp->sizes.clear();
    for (size_t start = 0; start < order.size(); start += static_cast<size_t>(o.batch)) {
      const auto global = static_cast<int64_t>(std::min(order.size() - start, static_cast<size_t>(o.batch)));
      const auto [from, to] = shard_range(global, dp->context.rank(), dp->context.world_size());
      batches.emplace_back(order.begin() + static_cast<int64_t>(start) + from, order.begin() + static_cast<int64_t>(start) + to);
      dp->sizes.emplace_back(to - from, global);
    }
    return batches;
  };
  hooks.after_backward = [dp](GraphModel& model, int64_t batch) {
    if (!dp->reducer) {
      broadcast_parameters(*model, dp->context);
      dp->reducer = std::make_unique<GradientAllReducer>(model->parameters(), dp->context);
    }
    const auto [piece, global] = dp->sizes.at(static_cast<size_t>(batch));
    const double scale = static_cast<double>(dp->context.world_size()) * static_cast<double>(piece) / static_cast<double>(global);
    torch::NoGradGuard no_grad;
    for (auto& p : model->parameters())
      if (p.grad().defined()) p.mutable_grad().mul_(scale);
    dp->reducer->reduce();
  };
  hooks.sum_over_ranks = [dp](std::vector<double> sums) { return allreduce_sums(dp->context, std::move(sums)); };
}

}  // namespace

TrainResult train_with_progress(const TrainOptions& o, bool resume, bool quiet_all, DistributedContext* distributed) {
  const bool parallel = distributed != nullptr && distributed->world_size() > 1;
  const bool quiet = quiet_all || (distributed != nullptr && !distributed->is_main());
  InterruptGuard interrupt;
  std::unique_ptr<ProgressBar> encoding;
  const std::string cache_writer = parallel ? "rank" + std::to_string(distributed->rank()) : "";
  const TrainingData data = load_training_data(
      o,
      [&](const EncodingProgress& p) {
        if (!encoding) encoding = std::make_unique<ProgressBar>("encodings", p.total, "graphs", quiet);
        encoding->update(p.done);
      },
      cache_writer);
  if (encoding) encoding->finish();
  if (!quiet) {
    std::fprintf(stderr, "graphtx train: %s, %lld graphs (train %zu, valid %zu, test %zu), model %s\n", data.description.c_str(),
                 static_cast<long long>(data.size()), data.splits.count("train") ? data.splits.at("train").size() : 0,
                 data.splits.count("valid") ? data.splits.at("valid").size() : 0,
                 data.splits.count("test") ? data.splits.at("test").size() : 0, o.model.c_str());
  }
  std::unique_ptr<ProgressBar> bar;
  TrainHooks hooks;
  const std::string metric = metric_name(data);
  hooks.on_epoch_begin = [&](int64_t epoch, int64_t batches) {
    bar = std::make_unique<ProgressBar>("epoch " + std::to_string(epoch) + "/" + std::to_string(o.epochs), batches, "batches", quiet);
  };
  hooks.on_batch = [&](int64_t done) { bar->update(done); };
  hooks.on_epoch_end = [&](const EpochRecord& r) {
    bar->finish();
    if (!quiet) {
      std::fprintf(stderr, "epoch %lld/%lld: loss %.4f, valid %s %.4f, test %s %.4f, lr %.2e, %.1f s\n",
                   static_cast<long long>(r.epoch), static_cast<long long>(o.epochs), r.train_loss, metric.c_str(),
                   r.valid_metric, metric.c_str(), r.test_metric, r.lr, r.seconds);
    }
  };
  hooks.stop_requested = [] { return InterruptGuard::requested(); };
  if (parallel) add_data_parallel_hooks(hooks, o, std::make_shared<DataParallel>(DataParallel{*distributed, {}, nullptr}));
  TrainResult result = run_training(o, data, resume, hooks);
  if (parallel) distributed->barrier("end of training");
  if (result.interrupted && !quiet) {
    std::fprintf(stderr, "\ninterrupted: checkpoint saved; continue with  graphtx train --resume %s\n", o.out.c_str());
  }
  return result;
}

}  // namespace graphtx::cli
