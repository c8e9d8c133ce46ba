// Forward + backward time per batch of the attention layers on random tree-like graphs (each tree
// edge in both directions, like code2 ASTs with reverse edges): B = 32 graphs of n nodes, width d.
// Args: n, d, threads. Counters: cpu_ms = process CPU time per step (all threads; robust on a busy
// machine), peak_MB = peak resident set during the timed loop, pairs_MB = size of one dense
// [B, n, n, d] pair tensor. Relational attention is skipped when pairs_MB > 300.
#include "bench/layer_step.hpp"
#include "layers/graph_transformer.hpp"
#include "layers/relational_transformer.hpp"

namespace {

using namespace graphtx;

using bench::kGraphs;
using bench::kPairBudgetMB;
using bench::run_step;

struct Batch {
  torch::Tensor x, edge_index, edge_attr, ptr;
};

Batch tree_batch(int64_t n, int64_t d, int64_t de) {
  const bench::TreeEdges trees = bench::random_trees(n);
  torch::Tensor x = torch::randn({kGraphs * n, d});
  return {x, trees.edge_index, torch::randn({trees.edge_index.size(1), de}), trees.ptr};
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
  run_step(state, [&] {
    const RelationalState s = model(b.x, b.edge_index, b.edge_attr, b.ptr);
    (s.nodes.sum() + s.edges.sum()).backward();
  });
}

void BM_GraphTransformerLayer(benchmark::State& state) {
  const int64_t n = state.range(0), d = state.range(1);
  GraphTransformerLayer layer(GraphTransformerLayerOptions(d).heads(8).edge_features(true));
  const Batch b = tree_batch(n, d, d);
  run_step(state, [&] {
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
