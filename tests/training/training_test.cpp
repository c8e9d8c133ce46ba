#include "datasets/code2_evaluator.hpp"
#include "graph/errors.hpp"
#include "layers/training/epoch_sampler.hpp"
#include "layers/training/lr_schedule.hpp"
#include "layers/training/trainer.hpp"
#include "layers/training/training_data.hpp"
#include "datasets/sorting_networks.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

namespace fs = std::filesystem;
using namespace graphtx;

namespace {

struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& tag) : path(fs::temp_directory_path() / ("graphtx_train_" + tag + "_" + std::to_string(getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

// MUTAG (188 graphs, categorical node and edge labels), a small GINE: trains in well under a second per epoch.
TrainOptions mutag_options(const std::string& out) {
  TrainOptions o;
  o.dataset = "tu";
  o.root = std::string(GRAPHTX_DATA_DIR) + "/tu";
  o.name = "MUTAG";
  o.model = "gine";
  o.layers = 2;
  o.dim = 16;
  o.heads = 2;
  o.epochs = 6;
  o.batch = 16;
  o.lr = 5e-3;
  o.seed = 3;
  o.out = out;
  return o;
}

}  // namespace

TEST_CASE("lr schedule: linear warm-up then cosine decay to zero", "[training]") {
  CHECK(warmup_cosine_lr(1.0, 0, 4, 20) == Approx(0.25));
  CHECK(warmup_cosine_lr(1.0, 3, 4, 20) == Approx(1.0));
  CHECK(warmup_cosine_lr(1.0, 4, 4, 20) == Approx(1.0));
  CHECK(warmup_cosine_lr(2.0, 12, 4, 20) == Approx(1.0));  // halfway through the decay: base / 2
  CHECK(warmup_cosine_lr(1.0, 20, 4, 20) == Approx(0.0).margin(1e-15));
  CHECK(warmup_cosine_lr(1.0, 8, 4, 20) == Approx(0.5 * (1 + std::cos(M_PI * 0.25))));
}

TEST_CASE("epoch order: a seeded permutation, rank shares partition it", "[training]") {
  std::vector<int64_t> ids;
  for (int64_t i = 0; i < 23; ++i) ids.push_back(10 * i);
  const std::vector<int64_t> a = epoch_order(ids, 5, 2), b = epoch_order(ids, 5, 2), c = epoch_order(ids, 5, 3);
  CHECK(a == b);
  CHECK(a != c);
  CHECK(std::multiset<int64_t>(a.begin(), a.end()) == std::multiset<int64_t>(ids.begin(), ids.end()));
  const std::vector<int64_t> r0 = epoch_order(ids, 5, 2, 0, 3), r1 = epoch_order(ids, 5, 2, 1, 3), r2 = epoch_order(ids, 5, 2, 2, 3);
  CHECK(r0.size() == 8);
  CHECK(r2.size() == 7);
  std::multiset<int64_t> all(r0.begin(), r0.end());
  all.insert(r1.begin(), r1.end());
  all.insert(r2.begin(), r2.end());
  CHECK(all == std::multiset<int64_t>(ids.begin(), ids.end()));
  CHECK_THROWS_AS(epoch_order(ids, 5, 2, 3, 3), UsageError);
}

TEST_CASE("metric: accuracy of argmax and code2 F1 through the evaluator", "[training]") {
  TrainingData data;
  data.labels = torch::tensor({1, 0, 2}, torch::kInt64);
  const torch::Tensor logits = torch::tensor({{0.f, 1.f, 0.f}, {0.f, 0.f, 1.f}, {0.f, 0.f, 3.f}});
  CHECK(metric_from_outputs(data, logits, {0, 1, 2}) == Approx(2.0 / 3.0));
  CHECK(metric_from_outputs(data, logits.index_select(0, torch::tensor({2, 0}, torch::kInt64)), {2, 0}) == Approx(1.0));
  CHECK(metric_name(data) == "accuracy");

  const std::vector<std::vector<std::string>> refs{{"get", "value"}, {"set", "name", "x"}};
  data.vocabulary.emplace(refs);
  data.tokens = refs;
  CHECK(metric_name(data) == "f1");
  const int64_t vocab = data.vocabulary->size();
  // Graph 0 predicts "get value", graph 1 predicts "set foo"-> "set" then __UNK__ (unknown words decode as __UNK__).
  const std::vector<std::vector<int64_t>> predicted{data.vocabulary->encode({"get", "value"}),
                                                    data.vocabulary->encode({"set", "unseen"})};
  torch::Tensor out = torch::zeros({2, 5, vocab});
  for (int64_t g = 0; g < 2; ++g) {
    for (int64_t p = 0; p < 5; ++p) out[g][p][predicted[g][p]] = 1.0f;
  }
  std::vector<std::vector<std::string>> decoded{data.vocabulary->decode(predicted[0]), data.vocabulary->decode(predicted[1])};
  const double expected = evaluate_code2_f1(refs, decoded).f1;
  // Graph 0: F1 1; graph 1: P = {set, __UNK__}, L = {set, name, x}: p = 1/2, r = 1/3, F1 = 0.4.
  CHECK(expected == Approx((1.0 + 0.4) / 2));
  CHECK(metric_from_outputs(data, out, {0, 1}) == Approx(expected));
}

TEST_CASE("train: a tiny run reduces the loss, is deterministic, and writes its files", "[training]") {
  TempDir dir("loss");
  const TrainOptions o = mutag_options((dir.path / "run").string());
  const TrainingData data = load_training_data(o);
  CHECK(data.size() == 188);
  CHECK(data.classes == 2);
  const TrainResult a = run_training(o, data);
  REQUIRE(a.history.size() == 6);
  CHECK(a.history.back().train_loss < 0.85 * a.history.front().train_loss);
  CHECK(a.scores.size() == 3);  // train, valid, test of the best checkpoint
  CHECK(a.parameters > 0);
  for (const char* f : {"result.json", "metrics.csv", "steps.csv", "best.pt", "last.pt", "options.json"})
    CHECK(fs::exists(dir.path / "run" / f));
  // Every step is recorded; an epoch's train_loss is the graph-weighted mean of its step losses.
  const auto train_graphs = static_cast<int64_t>(data.splits.at("train").size());
  const int64_t per_epoch = (train_graphs + 15) / 16, last = train_graphs - 16 * (per_epoch - 1);
  REQUIRE(a.steps.size() == static_cast<size_t>(6 * per_epoch));
  for (int64_t e = 0; e < 6; ++e) {
    double weighted = 0;
    for (int64_t b = 0; b < per_epoch; ++b) {
      const StepRecord& s = a.steps[static_cast<size_t>(e * per_epoch + b)];
      CHECK(s.epoch == e + 1);
      CHECK(s.step == e * per_epoch + b);
      weighted += s.loss * static_cast<double>(b + 1 < per_epoch ? 16 : last);
    }
    CHECK(weighted / static_cast<double>(train_graphs) == Approx(a.history[static_cast<size_t>(e)].train_loss).epsilon(1e-12));
  }
  TrainOptions o2 = o;
  o2.out = (dir.path / "run2").string();
  const TrainResult b = run_training(o2, data);
  for (size_t e = 0; e < a.history.size(); ++e) CHECK(a.history[e].train_loss == b.history[e].train_loss);
  CHECK(a.scores == b.scores);
}

TEST_CASE("train: best checkpoint round trip restores identical predictions", "[training]") {
  TempDir dir("ckpt");
  TrainOptions o = mutag_options((dir.path / "run").string());
  o.epochs = 3;
  o.pe = {"rwse:K=4", "lap:k=3"};
  const TrainingData data = load_training_data(o);
  REQUIRE(data.pe_info.size() == 2);
  const TrainResult r = run_training(o, data);
  const std::vector<int64_t>& test = data.splits.at("test");
  GraphModel loaded(data.model_options(o));
  torch::load(loaded, (dir.path / "run" / "best.pt").string());
  const torch::Tensor p1 = predict(loaded, data, test, 7);
  CHECK(metric_from_outputs(data, p1, test) == r.scores.at("test"));
  GraphModel again(data.model_options(o));
  torch::load(again, (dir.path / "run" / "best.pt").string());
  CHECK(torch::equal(p1, predict(again, data, test, 7)));
  CHECK(torch::allclose(p1, predict(again, data, test, 50), 1e-5, 1e-6));  // eval is per graph: batching only reorders sums
  // The encodings were cached once: a second load reads the same file.
  CHECK(std::distance(fs::directory_iterator(dir.path / "run" / "pe-cache"), fs::directory_iterator{}) >= 1);
}

TEST_CASE("train: interrupt and resume give the uninterrupted result", "[training]") {
  TempDir dir("resume");
  TrainOptions o = mutag_options((dir.path / "full").string());
  o.epochs = 3;
  const TrainingData data = load_training_data(o);
  const TrainResult full = run_training(o, data);
  o.out = (dir.path / "cut").string();
  TrainHooks hooks;
  int64_t batches = 0;
  hooks.on_batch = [&batches](int64_t) { ++batches; };
  hooks.stop_requested = [&batches] { return batches == 13; };  // mid epoch 2 (10 batches per epoch)
  const TrainResult cut = run_training(o, data, false, hooks);
  CHECK(cut.interrupted);
  CHECK_FALSE(fs::exists(dir.path / "cut" / "result.json"));
  TrainHooks watch;  // the data-parallel seam sees the plan's batch index, also right after a resume
  std::vector<int64_t> seen;
  watch.after_backward = [&seen](GraphModel&, int64_t b) { seen.push_back(b); };
  const TrainResult resumed = run_training(o, data, true, watch);
  REQUIRE(seen.size() == 17);
  CHECK(seen.front() == 3);
  CHECK(seen[6] == 9);
  CHECK(seen[7] == 0);
  REQUIRE(resumed.steps.size() == full.steps.size());
  for (size_t s = 0; s < full.steps.size(); ++s) CHECK(resumed.steps[s].loss == Approx(full.steps[s].loss).epsilon(1e-9));
  REQUIRE(resumed.history.size() == full.history.size());
  for (size_t e = 0; e < full.history.size(); ++e) CHECK(resumed.history[e].train_loss == Approx(full.history[e].train_loss).epsilon(1e-9));
  CHECK(resumed.scores.at("test") == full.scores.at("test"));
}

TEST_CASE("sorting-network features: a comparator's features depend on its wires only", "[training]") {
  // The former features divided by the largest wire index of each graph: (3, 4) differed between a
  // 7- and an 11-wire network, and dropping the last comparator could rescale all the others.
  const SortingNetwork small{7, {{3, 4}, {2, 5}, {0, 6}}}, large{11, {{3, 4}, {0, 10}, {9, 10}}};
  const torch::Tensor a = sorting_network_features(sorting_network_graph(small));
  const torch::Tensor b = sorting_network_features(sorting_network_graph(large));
  REQUIRE(a.sizes() == torch::IntArrayRef({3, 4 * kWireFrequencies}));
  CHECK(torch::equal(a[0], b[0]));  // (3, 4) in both
  SortingNetwork truncated = small;
  truncated.comparators.pop_back();  // removes the only comparator on wire 6
  CHECK(torch::equal(sorting_network_features(sorting_network_graph(truncated)), a.slice(0, 0, 2)));
  CHECK_FALSE(torch::equal(a[0], a[1]));
  // wire 10 (unseen when training on 7-9 wires) stays in [-1, 1]; i and j have their own columns
  CHECK(b.abs().max().item<float>() <= 1.0f);
  const int64_t half = 2 * kWireFrequencies;
  CHECK(torch::equal(b[1].slice(0, half), b[2].slice(0, half)));               // j = 10 in both
  CHECK_FALSE(torch::equal(b[1].slice(0, 0, half), b[2].slice(0, 0, half)));  // i = 0 vs 9
}

TEST_CASE("sorting networks: without PE a transformer cannot tell a network from its reversal", "[training]") {
  // Same comparator multiset, and the transformer ignores edges: identical logits, so on valid/test
  // (positive, negative, reversal) such a model is capped near 2/3 and only a directional PE helps.
  const auto net = random_sorting_network(6, 11);
  REQUIRE(net);
  ModelOptions m;
  m.model = "transformer";
  m.layers = 2;
  m.dim = 16;
  m.heads = 2;
  m.node_reals = 4 * kWireFrequencies;
  torch::manual_seed(1);
  GraphModel model(m);
  model->eval();
  const auto logits = [&](const SortingNetwork& n) {
    const Graph g = sorting_network_graph(n);
    ModelInput in;
    in.x = sorting_network_features(g);
    std::vector<int64_t> s(g.sources().begin(), g.sources().end()), t(g.targets().begin(), g.targets().end());
    in.edge_index = torch::stack({torch::tensor(s, torch::kInt64), torch::tensor(t, torch::kInt64)});
    in.edge_attr = torch::zeros({g.num_edges(), 0});
    in.ptr = torch::tensor(std::vector<int64_t>{0, g.num_nodes()}, torch::kInt64);
    in.batch = torch::zeros({g.num_nodes()}, torch::kInt64);
    torch::NoGradGuard guard;
    return model->forward(in);
  };
  const torch::Tensor forward = logits(*net), backward = logits(reversed_network(*net));
  CHECK(torch::allclose(forward, backward, 1e-5, 1e-6));
  SortingNetwork truncated = *net;
  truncated.comparators.pop_back();
  CHECK_FALSE(torch::allclose(forward, logits(truncated), 1e-5, 1e-6));
}

TEST_CASE("train: sorting networks report accuracy per kind of graph", "[training]") {
  TempDir dir("kinds");
  TrainOptions o;
  o.dataset = "sorting-networks";
  o.sn_train_wires = "4";
  o.sn_valid_wires = o.sn_test_wires = "5";
  o.sn_train_networks = 12;
  o.sn_eval_networks = 10;
  o.model = "transformer";
  o.layers = 1;
  o.dim = 8;
  o.heads = 2;
  o.epochs = 1;
  o.seed = 2;
  o.out = (dir.path / "run").string();
  const TrainingData data = load_training_data(o);
  REQUIRE(data.kind_names == std::vector<std::string>{"positive", "truncated", "reversed"});
  REQUIRE(data.kinds.size() == 24 + 30 + 30);
  // Per network: positive (label 1), truncated (label 0), then in valid/test the reversal.
  for (const int64_t g : data.splits.at("train")) CHECK(data.kinds[g] == (g % 2 == 0 ? 0 : 1));
  for (const int64_t g : data.splits.at("valid")) {
    CHECK(data.kinds[g] == (g - 24) % 3);
    if (data.kinds[g] < 2) CHECK(data.labels[g].item<int64_t>() == 1 - data.kinds[g]);
  }
  const TrainResult r = run_training(o, data);
  REQUIRE(r.kind_scores.at("train").size() == 2);  // no reversed networks in training
  for (const char* split : {"valid", "test"}) {
    const auto& k = r.kind_scores.at(split);
    REQUIRE(k.size() == 3);
    // 10 graphs of each kind: the overall accuracy is the mean of the three.
    CHECK(r.scores.at(split) == Approx((k.at("positive") + k.at("truncated") + k.at("reversed")) / 3).epsilon(1e-12));
    for (const auto& [name, acc] : k) CHECK(std::abs(acc * 10 - std::round(acc * 10)) < 1e-9);
  }
  const auto& e = r.history.back();
  CHECK(e.valid_kinds.size() == 3);
  CHECK(e.test_metric == Approx((e.test_kinds.at("positive") + e.test_kinds.at("truncated") + e.test_kinds.at("reversed")) / 3));
  std::ifstream csv(dir.path / "run" / "metrics.csv");
  std::string header;
  std::getline(csv, header);
  CHECK(header == "epoch,lr,train_loss,valid_accuracy,test_accuracy,seconds,valid_accuracy_positive,valid_accuracy_truncated,"
                  "valid_accuracy_reversed,test_accuracy_positive,test_accuracy_truncated,test_accuracy_reversed");
  std::ifstream json(dir.path / "run" / "result.json");
  const std::string text((std::istreambuf_iterator<char>(json)), std::istreambuf_iterator<char>());
  CHECK(text.find("\"scores_by_kind\"") != std::string::npos);
}
