#include "layers/training/trainer.hpp"

#include "datasets/code2_evaluator.hpp"
#include "graph/errors.hpp"
#include "layers/cpu_threads.hpp"
#include "layers/heap_retention.hpp"
#include "layers/distributed/sharded_sampler.hpp"
#include "layers/training/epoch_sampler.hpp"
#include "layers/training/lr_schedule.hpp"
#include "layers/training/memory_usage.hpp"
#include "layers/training/train_options_json.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace graphtx {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct LoopState {
  int64_t epoch = 0, next_batch = 0, step = 0, best_epoch = 0, bad_epochs = 0;
  double best_valid = -1, loss_sum = 0, loss_count = 0, partial_seconds = 0;
  std::vector<EpochRecord> history;
  std::vector<StepRecord> steps;
};

nlohmann::json record_json(const EpochRecord& r) {
  return {{"epoch", r.epoch}, {"lr", r.lr}, {"train_loss", r.train_loss}, {"valid", r.valid_metric},
          {"test", r.test_metric}, {"seconds", r.seconds}, {"valid_kinds", r.valid_kinds}, {"test_kinds", r.test_kinds}};
}

EpochRecord record_from_json(const nlohmann::json& j) {
  EpochRecord r;
  r.epoch = j.at("epoch").get<int64_t>();
  r.lr = j.at("lr").get<double>();
  r.train_loss = j.at("train_loss").get<double>();
  r.valid_metric = j.at("valid").get<double>();
  r.test_metric = j.at("test").get<double>();
  r.seconds = j.at("seconds").get<double>();
  if (j.contains("valid_kinds")) r.valid_kinds = j.at("valid_kinds").get<std::map<std::string, double>>();
  if (j.contains("test_kinds")) r.test_kinds = j.at("test_kinds").get<std::map<std::string, double>>();
  return r;
}

nlohmann::json state_json(const LoopState& s) {
  nlohmann::json h = nlohmann::json::array();
  for (const EpochRecord& r : s.history) h.push_back(record_json(r));
  nlohmann::json steps = nlohmann::json::array();
  for (const StepRecord& r : s.steps) steps.push_back({r.epoch, r.step, r.lr, r.loss});
  return {{"steps", steps}, {"epoch", s.epoch}, {"next_batch", s.next_batch}, {"step", s.step}, {"best_epoch", s.best_epoch},
          {"bad_epochs", s.bad_epochs}, {"best_valid", s.best_valid}, {"loss_sum", s.loss_sum},
          {"loss_count", s.loss_count}, {"partial_seconds", s.partial_seconds}, {"history", h}};
}

LoopState state_from_json(const nlohmann::json& j) {
  LoopState s;
  s.epoch = j.at("epoch").get<int64_t>();
  s.next_batch = j.at("next_batch").get<int64_t>();
  s.step = j.at("step").get<int64_t>();
  s.best_epoch = j.at("best_epoch").get<int64_t>();
  s.bad_epochs = j.at("bad_epochs").get<int64_t>();
  s.best_valid = j.at("best_valid").get<double>();
  s.loss_sum = j.at("loss_sum").get<double>();
  s.loss_count = j.at("loss_count").get<double>();
  s.partial_seconds = j.at("partial_seconds").get<double>();
  for (const auto& r : j.at("history")) s.history.push_back(record_from_json(r));
  if (j.contains("steps"))
    for (const auto& r : j.at("steps"))
      s.steps.push_back({r.at(0).get<int64_t>(), r.at(1).get<int64_t>(), r.at(2).get<double>(), r.at(3).get<double>()});
  return s;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot open (is this a graphtx train run directory?)");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

template <class T>
void save_atomically(T& value, const std::string& path) {
  const std::string tmp = path + ".tmp";
  torch::save(value, tmp);
  fs::rename(tmp, path);
}

std::vector<torch::Tensor> snapshot(torch::nn::Module& m) {
  torch::NoGradGuard guard;
  std::vector<torch::Tensor> out;
  for (const auto& p : m.parameters()) out.push_back(p.detach().clone());
  for (const auto& b : m.buffers()) out.push_back(b.detach().clone());
  return out;
}

void restore(torch::nn::Module& m, const std::vector<torch::Tensor>& values) {
  torch::NoGradGuard guard;
  size_t i = 0;
  for (auto& p : m.parameters()) p.copy_(values[i++]);
  for (auto& b : m.buffers()) b.copy_(values[i++]);
}

// One row per epoch; then valid_/test_<metric>_<kind> columns for each of `kinds` (empty cell if absent).
std::string metrics_csv(const std::vector<EpochRecord>& history, const std::string& metric,
                        const std::vector<std::string>& kinds) {
  std::string out = "epoch,lr,train_loss,valid_" + metric + ",test_" + metric + ",seconds";
  for (const char* split : {"valid_", "test_"})
    for (const std::string& k : kinds) out += "," + std::string(split) + metric + "_" + k;
  out += "\n";
  char line[256];
  for (const EpochRecord& r : history) {
    std::snprintf(line, sizeof line, "%lld,%.6g,%.6f,%.6f,%.6f,%.3f", static_cast<long long>(r.epoch), r.lr, r.train_loss,
                  r.valid_metric, r.test_metric, r.seconds);
    out += line;
    for (const auto* scores : {&r.valid_kinds, &r.test_kinds})
      for (const std::string& k : kinds) {
        const auto it = scores->find(k);
        if (it != scores->end()) std::snprintf(line, sizeof line, "%.6f", it->second);
        out += "," + std::string(it != scores->end() ? line : "");
      }
    out += "\n";
  }
  return out;
}

std::string steps_csv(const std::vector<StepRecord>& steps) {
  std::string out = "epoch,step,lr,loss\n";
  char line[128];
  for (const StepRecord& r : steps) {
    std::snprintf(line, sizeof line, "%lld,%lld,%.9g,%.9g\n", static_cast<long long>(r.epoch), static_cast<long long>(r.step),
                  r.lr, r.loss);
    out += line;
  }
  return out;
}

std::vector<double> sum_over_ranks(const TrainHooks& hooks, std::vector<double> sums) {
  return hooks.sum_over_ranks ? hooks.sum_over_ranks(std::move(sums)) : sums;
}

struct Evaluation {
  double metric = 0;
  std::map<std::string, double> kinds;  // accuracy per kind present in the graphs (data.kind_names)
};

// The metric over all of `ids`: each rank evaluates its contiguous shard, sums are added over ranks.
Evaluation evaluate(GraphModel& model, const TrainingData& data, const std::vector<int64_t>& ids, int64_t batch,
                    const TrainHooks& hooks) {
  const auto [from, to] = shard_range(static_cast<int64_t>(ids.size()), hooks.rank, hooks.world_size);
  const std::vector<int64_t> mine(ids.begin() + from, ids.begin() + to);
  const torch::Tensor outputs = predict(model, data, mine, batch);
  const MetricSums local = metric_sums(data, outputs, mine);
  std::vector<double> sums = {local.sum, local.count};
  sums.resize(2 + 2 * data.kind_names.size(), 0.0);  // then (correct, count) per kind
  if (!data.kind_names.empty() && !mine.empty()) {
    const torch::Tensor correct = outputs.argmax(-1).eq(data.targets(mine)).to(torch::kInt64).contiguous();
    for (size_t i = 0; i < mine.size(); ++i) {
      const auto k = static_cast<size_t>(data.kinds.at(static_cast<size_t>(mine[i])));
      sums[2 + 2 * k] += static_cast<double>(correct.data_ptr<int64_t>()[i]);
      sums[3 + 2 * k] += 1;
    }
  }
  const std::vector<double> total = sum_over_ranks(hooks, sums);
  Evaluation e;
  e.metric = total[1] > 0 ? total[0] / total[1] : 0.0;
  for (size_t k = 0; k < data.kind_names.size(); ++k)
    if (total[3 + 2 * k] > 0) e.kinds[data.kind_names[k]] = total[2 + 2 * k] / total[3 + 2 * k];
  return e;
}

void validate(const TrainOptions& o) {
  if (o.epochs < 1) throw UsageError("--epochs must be at least 1");
  if (o.batch < 1) throw UsageError("--batch must be at least 1");
  if (!(o.lr > 0)) throw UsageError("--lr must be positive");
  if (o.warmup < 0 || o.warmup >= 1) throw UsageError("--warmup is a fraction of the steps in [0, 1)");
  if (o.clip < 0) throw UsageError("--clip must be >= 0 (0 = no clipping)");
  if (o.dropout < 0 || o.dropout >= 1) throw UsageError("--dropout must be in [0, 1)");
  if (o.threads < 1) throw UsageError("--threads must be at least 1");
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out) throw std::runtime_error("cannot write " + tmp);
  }
  fs::rename(tmp, path);
}

std::string metric_name(const TrainingData& data) { return data.vocabulary ? "f1" : "accuracy"; }

MetricSums metric_sums(const TrainingData& data, const torch::Tensor& outputs, const std::vector<int64_t>& ids) {
  MetricSums sums;
  sums.count = static_cast<double>(ids.size());
  if (ids.empty()) return sums;
  const torch::Tensor predicted = outputs.argmax(-1);
  if (!data.vocabulary) {
    sums.sum = predicted.eq(data.targets(ids)).sum().item<double>();
    return sums;
  }
  const torch::Tensor p = predicted.contiguous();
  for (size_t i = 0; i < ids.size(); ++i) {
    const torch::Tensor row = p[static_cast<int64_t>(i)];
    const std::vector<std::string> prediction =
        data.vocabulary->decode(std::vector<int64_t>(row.data_ptr<int64_t>(), row.data_ptr<int64_t>() + row.numel()));
    sums.sum += subtoken_f1(data.tokens[static_cast<size_t>(ids[i])], prediction).f1;
  }
  return sums;
}

double metric_from_outputs(const TrainingData& data, const torch::Tensor& outputs, const std::vector<int64_t>& ids) {
  const MetricSums sums = metric_sums(data, outputs, ids);
  return sums.count > 0 ? sums.sum / sums.count : 0.0;
}

torch::Tensor task_loss(const TrainingData& data, const torch::Tensor& outputs, const std::vector<int64_t>& ids) {
  const torch::Tensor targets = data.targets(ids);
  if (!data.vocabulary) return torch::cross_entropy_loss(outputs, targets);
  return torch::cross_entropy_loss(outputs.reshape({-1, outputs.size(-1)}), targets.reshape({-1}));
}

torch::Tensor predict(GraphModel& model, const TrainingData& data, const std::vector<int64_t>& ids, int64_t batch) {
  torch::NoGradGuard guard;
  model->eval();
  const bool topology = model->options.model == "tt";
  std::vector<torch::Tensor> parts;
  for (size_t b = 0; b < ids.size(); b += static_cast<size_t>(batch)) {
    const std::vector<int64_t> chunk(ids.begin() + static_cast<int64_t>(b),
                                     ids.begin() + static_cast<int64_t>(std::min(ids.size(), b + static_cast<size_t>(batch))));
    parts.push_back(model->forward(data.batch(chunk, topology)));
  }
  return parts.empty() ? torch::Tensor() : torch::cat(parts);
}

TrainResult run_training(const TrainOptions& o, const TrainingData& data, bool resume, const TrainHooks& hooks) {
  validate(o);
  reset_peak_rss();
  const bool writer = hooks.rank == 0;
  const fs::path dir(o.out);
  if (writer) {
    fs::create_directories(dir);
    write_file_atomically((dir / "options.json").string(), to_json(o).dump(2) + "\n");
  }
  set_cpu_threads(o.threads);
  retain_freed_heap_memory();
  torch::manual_seed(o.seed);
  GraphModel model(data.model_options(o));
  torch::optim::AdamW optimizer(model->parameters(), torch::optim::AdamWOptions(o.lr).weight_decay(o.weight_decay));

  const std::vector<int64_t>& train = data.splits.at("train");
  const auto split_or_empty = [&data](const std::string& name) {
    const auto it = data.splits.find(name);
    return it == data.splits.end() ? std::vector<int64_t>{} : it->second;
  };
  const std::vector<int64_t> valid = split_or_empty("valid"), test = split_or_empty("test");
  const std::string metric = metric_name(data);
  const auto plan = [&](int64_t epoch) -> std::vector<std::vector<int64_t>> {
    if (hooks.epoch_batches) return hooks.epoch_batches(train, epoch);
    const std::vector<int64_t> order = epoch_order(train, o.seed, epoch, hooks.rank, hooks.world_size);
    std::vector<std::vector<int64_t>> out;
    for (size_t b = 0; b < order.size(); b += static_cast<size_t>(o.batch)) {
      out.emplace_back(order.begin() + static_cast<int64_t>(b),
                       order.begin() + static_cast<int64_t>(std::min(order.size(), b + static_cast<size_t>(o.batch))));
    }
    return out;
  };
  const int64_t batches = static_cast<int64_t>(plan(0).size());
  const int64_t total_steps = o.epochs * batches;
  const int64_t warmup_steps = std::max<int64_t>(1, std::llround(o.warmup * static_cast<double>(total_steps)));
  const bool topology = o.model == "tt";

  LoopState state;
  std::vector<torch::Tensor> best = snapshot(*model);
  if (resume) {
    state = state_from_json(nlohmann::json::parse(read_text((dir / "state.json").string())));
    torch::load(model, (dir / "last.pt").string());
    torch::load(optimizer, (dir / "optimizer.pt").string());
    torch::Tensor rng;
    torch::load(rng, (dir / "rng.pt").string());
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    generator.set_state(rng);
    if (fs::exists(dir / "best.pt")) {
      GraphModel best_model(data.model_options(o));
      torch::load(best_model, (dir / "best.pt").string());
      best = snapshot(*best_model);
    }
  }
  const auto save_last = [&]() {
    if (!writer) return;
    save_atomically(model, (dir / "last.pt").string());
    save_atomically(optimizer, (dir / "optimizer.pt").string());
    torch::Tensor rng = at::detail::getDefaultCPUGenerator().get_state();
    save_atomically(rng, (dir / "rng.pt").string());
    write_file_atomically((dir / "state.json").string(), state_json(state).dump(1) + "\n");
  };

  TrainResult result;
  result.metric = metric;
  result.parameters = parameter_count(*model);
  for (int64_t epoch = state.epoch; epoch < o.epochs; ++epoch) {
    const std::vector<std::vector<int64_t>> epoch_plan = plan(epoch);
    if (static_cast<int64_t>(epoch_plan.size()) != batches) throw UsageError("epoch_batches: every epoch needs the same number of batches");
    if (hooks.on_epoch_begin) hooks.on_epoch_begin(epoch + 1, batches);
    model->train();
    const auto start = Clock::now();
    double lr = 0;
    for (int64_t b = state.next_batch; b < batches; ++b) {
      const std::vector<int64_t>& ids = epoch_plan[static_cast<size_t>(b)];
      lr = warmup_cosine_lr(o.lr, state.step, warmup_steps, total_steps);
      for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
      optimizer.zero_grad();
      double value = 0;
      if (!ids.empty()) {
        const torch::Tensor loss = task_loss(data, model->forward(data.batch(ids, topology)), ids);
        value = loss.item<double>();
        if (!std::isfinite(value)) {
          throw NumericalError("training loss is " + std::to_string(value) + " at epoch " + std::to_string(epoch + 1) + ", batch " +
                               std::to_string(b + 1) + " (try a lower --lr or --clip)");
        }
        loss.backward();
      }
      if (hooks.after_backward) hooks.after_backward(model, b);
      if (o.clip > 0) torch::nn::utils::clip_grad_norm_(model->parameters(), o.clip);
      optimizer.step();
      const std::vector<double> global = sum_over_ranks(hooks, {value * static_cast<double>(ids.size()), static_cast<double>(ids.size())});
      state.loss_sum += global[0];
      state.loss_count += global[1];
      state.steps.push_back({epoch + 1, state.step, lr, global[1] > 0 ? global[0] / global[1] : 0.0});
      ++state.step;
      if (hooks.on_batch) hooks.on_batch(b + 1);
      if (hooks.stop_requested && hooks.stop_requested()) {
        state.next_batch = b + 1;
        state.partial_seconds += std::chrono::duration<double>(Clock::now() - start).count();
        save_last();
        result.interrupted = true;
        result.history = state.history;
        result.steps = state.steps;
        result.epochs_run = epoch;
        return result;
      }
    }
    EpochRecord r;
    r.epoch = epoch + 1;
    r.lr = lr;
    r.seconds = state.partial_seconds + std::chrono::duration<double>(Clock::now() - start).count();
    r.train_loss = state.loss_count > 0 ? state.loss_sum / state.loss_count : 0.0;
    const Evaluation v = evaluate(model, data, valid, o.batch, hooks), t = evaluate(model, data, test, o.batch, hooks);
    r.valid_metric = v.metric;
    r.test_metric = t.metric;
    r.valid_kinds = v.kinds;
    r.test_kinds = t.kinds;
    state.history.push_back(r);
    if (state.best_epoch == 0 || r.valid_metric > state.best_valid) {
      state.best_valid = r.valid_metric;
      state.best_epoch = r.epoch;
      state.bad_epochs = 0;
      best = snapshot(*model);
      if (writer) save_atomically(model, (dir / "best.pt").string());
    } else {
      ++state.bad_epochs;
    }
    state.epoch = epoch + 1;
    state.next_batch = 0;
    state.loss_sum = state.loss_count = state.partial_seconds = 0;
    if (writer) {
      write_file_atomically((dir / "metrics.csv").string(), metrics_csv(state.history, metric, data.kind_names));
      write_file_atomically((dir / "steps.csv").string(), steps_csv(state.steps));
    }
    save_last();
    if (hooks.on_epoch_end) hooks.on_epoch_end(r);
    if (o.patience > 0 && state.bad_epochs >= o.patience) {
      result.stopped_early = true;
      break;
    }
  }

  restore(*model, best);
  result.history = state.history;
  result.steps = state.steps;
  result.epochs_run = static_cast<int64_t>(state.history.size());
  result.best_epoch = state.best_epoch;
  for (const auto& [name, ids] : data.splits) {
    const Evaluation e = evaluate(model, data, ids, o.batch, hooks);
    result.scores[name] = e.metric;
    if (!e.kinds.empty()) result.kind_scores[name] = e.kinds;
  }
  double seconds = 0;
  for (const EpochRecord& r : state.history) seconds += r.seconds;
  result.seconds_per_epoch = state.history.empty() ? 0.0 : seconds / static_cast<double>(state.history.size());
  result.peak_rss_mib = peak_rss_mib();
  if (writer) {
    nlohmann::json j = {{"dataset", o.dataset}, {"model", o.model}, {"pe", o.pe}, {"seed", o.seed}, {"metric", metric},
                        {"scores", result.scores}, {"parameters", result.parameters}, {"epochs_run", result.epochs_run},
                        {"best_epoch", result.best_epoch}, {"stopped_early", result.stopped_early},
                        {"seconds_per_epoch", result.seconds_per_epoch}, {"peak_rss_mib", result.peak_rss_mib}};
    if (!result.kind_scores.empty()) j["scores_by_kind"] = result.kind_scores;
    write_file_atomically((dir / "result.json").string(), j.dump(2) + "\n");
  }
  return result;
}

}  // namespace graphtx
