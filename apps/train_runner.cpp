#include "apps/train_runner.hpp"

#include "apps/interrupt.hpp"
#include "apps/progress.hpp"
#include "layers/training/training_data.hpp"

#include <cstdio>
#include <memory>

namespace graphtx::cli {

TrainResult train_with_progress(const TrainOptions& o, bool resume, bool quiet) {
  InterruptGuard interrupt;
  std::unique_ptr<ProgressBar> encoding;
  const TrainingData data = load_training_data(o, [&](const EncodingProgress& p) {
    if (!encoding) encoding = std::make_unique<ProgressBar>("encodings", p.total, "graphs", quiet);
    encoding->update(p.done);
  });
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
  TrainResult result = run_training(o, data, resume, hooks);
  if (result.interrupted && !quiet) {
    std::fprintf(stderr, "\ninterrupted: checkpoint saved; continue with  graphtx train --resume %s\n", o.out.c_str());
  }
  return result;
}

}  // namespace graphtx::cli
