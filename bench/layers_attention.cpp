// Forward + backward time per batch of the attention layers on random tree-like graphs (each tree
// edge in both directions, like code2 ASTs with reverse edges): B = 32 graphs of n nodes, width d.
// Args: n, d, threads. Counters: cpu_ms = process CPU time per step (all threads; robust on a busy
// machine), peak_MB = peak resident set during the timed loop, pairs_MB = size of one dense
// [B, n, n, d] pair tensor. Relational attention is skipped when pairs_MB > 300.
#include "layers/graph_transformer.hpp"
#include "layers/relational_transformer.hpp"

#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <ctime>
#include <fstream>
#include <string>
#include <vector>

namespace {

using namespace graphtx;

constexpr int64_t kGraphs = 32;
constexpr double kPairBudgetMB = 300;

struct Batch {
  torch::Tensor x, edge_index, edge_attr, ptr;
};

Batch tree_batch(int64_t n, int64_t d, int64_t de) {
  torch::manual_seed(0);
  std::vector<int64_t> src, dst, ptr{0};
  for (int64_t g = 0; g < kGraphs; ++g) {
    const int64_t start = ptr.back();
    for (int64_t v = 1; v < n; ++v) {
      const int64_t parent = start + torch::randint(0, v, {1}).item<int64_t>();
      src.insert(src.end(), {parent, start + v});
      dst.insert(dst.end(), {start + v, parent});
    }
    ptr.push_back(start + n);
  }
  const int64_t e = static_cast<int64_t>(src.size());
  return {torch::randn({kGraphs * n, d}),
          torch::stack({torch::tensor(src, torch::kInt64), torch::tensor(dst, torch::kInt64)}),
          torch::randn({e, de}), torch::tensor(ptr, torch::kInt64)};
}

// Resets the kernel's peak-RSS mark (VmHWM) and reads it back in MB.
void reset_peak() { std::ofstream("/proc/self/clear_refs") << "5"; }
double peak_mb() {
  std::ifstream status("/proc/self/status");
  std::string key;
  double kb = 0;
  while (status >> key)
    if (key == "VmHWM:") {
      status >> kb;
      break;
    }
  return kb / 1024.0;
}

double process_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

template <typename Step>
void run(benchmark::State& state, Step step) {
  torch::set_num_threads(static_cast<int>(state.range(2)));
  step();  // warm-up: allocator and autograd graph
  reset_peak();
  const double cpu_start = process_cpu_ms();
  for (auto _ : state) step();
  state.counters["cpu_ms"] = (process_cpu_ms() - cpu_start) / static_cast<double>(state.iterations());
  state.counters["peak_MB"] = peak_mb();
}

void BM_RelationalTransformerLayer(benchmark::State& state) {
  const int64_t n = state.range(0), d = state.range(1);
  const double pairs_mb = static_cast<double>(kGraphs * n * n * d) * 4 / 1e6;
  state.counters["pairs_MB"] = pairs_mb;
  if (pairs_mb > kPairBudgetMB) {
    state.SkipWithError("dense pair tensors above the 300 MB budget");
    return;
  }
  RelationalTransformer model(RelationalTransformerOptions(d, d).heads(d / 16).num_layers(1));
  const Batch b = tree_batch(n, d, d);
  run(state, [&] {
    const RelationalState s = model(b.x, b.edge_index, b.edge_attr, b.ptr);
    (s.nodes.sum() + s.edges.sum()).backward();
  });
}

void BM_GraphTransformerLayer(benchmark::State& state) {
  const int64_t n = state.range(0), d = state.range(1);
  GraphTransformerLayer layer(GraphTransformerLayerOptions(d).heads(8).edge_features(true));
  const Batch b = tree_batch(n, d, d);
  run(state, [&] {
    const auto [h, e] = layer(b.x, b.edge_index, b.edge_attr);
    (h.sum() + e.sum()).backward();
  });
}

void sizes(benchmark::internal::Benchmark* bench) {
  bench->ArgNames({"n", "d", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
  for (int64_t threads : {1, 2}) bench->Args({125, 128, threads});
  for (int64_t n : {32, 128, 512})
    for (int64_t d : {64, 192}) bench->Args({n, d, 2});
}

}  // namespace

BENCHMARK(BM_RelationalTransformerLayer)->Apply(sizes);
BENCHMARK(BM_GraphTransformerLayer)->Apply(sizes);
BENCHMARK_MAIN();
