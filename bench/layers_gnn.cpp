// Forward + backward time per batch of the GNN, GPS and GRIT layers on random trees with both edge
// directions (code2-sized ASTs): B = 32 graphs of n nodes, width d. Args: n, d, threads.
// Counters: cpu_ms = process CPU time per step (all threads; robust on a busy machine), peak_MB =
// peak resident set of the process during the timed loop. GRIT full works on
// dense [B, n, n, d] pairs (pairs_MB = one such tensor) and is skipped above 300 MB per tensor.
// Peer: bench/peers/layers_gnn.py (same layers in PyTorch Python).
#include "bench/layer_step.hpp"
#include "layers/batched_graph.hpp"
#include "layers/gated_gcn.hpp"
#include "layers/gcn_conv.hpp"
#include "layers/gine_conv.hpp"
#include "layers/gps_layer.hpp"
#include "layers/grit_layer.hpp"
#include "layers/segment_ops.hpp"

namespace {

using namespace graphtx;

using bench::kGraphs;
using bench::kPairBudgetMB;
using bench::run_step;

struct Batch {
  torch::Tensor x, edge_index, edge_attr, ptr, degree;
};

Batch tree_batch(int64_t n, int64_t d) {
  const bench::TreeEdges trees = bench::random_trees(n);
  torch::Tensor x = torch::randn({kGraphs * n, d});
  return {x, trees.edge_index, torch::randn({trees.edge_index.size(1), d}), trees.ptr,
          segment_count(trees.edge_index[1], kGraphs * n)};
}

void BM_GCNConv(benchmark::State& state) {
  const int64_t n = state.range(0), d = state.range(1);
  GCNConv layer(d, d);
  const Batch b = tree_batch(n, d);
  run_step(state, [&] { layer(b.x, b.edge_index).sum().backward(); });
}

void BM_GINEConv(benchmark::State& state) {
  const int64_t n = state.range(0), d = state.range(1);
  GINEConv layer(GINEConvOptions(d, d).train_eps(true));
  const Batch b = tree_batch(n, d);
  run_step(state, [&] { layer(b.x, b.edge_index, b.edge_attr).sum().backward(); });
}

void BM_GatedGCNLayer(benchmark::State& state) {
  const int64_t n = state.range(0), d = state.range(1);
  GatedGCNLayer layer(d);
  const Batch b = tree_batch(n, d);
  run_step(state, [&] {
    const auto [h, e] = layer(b.x, b.edge_index, b.edge_attr);
    (h.sum() + e.sum()).backward();
  });
}

void gps(benchmark::State& state, GPSLocalModel local) {
  const int64_t n = state.range(0), d = state.range(1);
  GPSLayer layer(GPSLayerOptions(d, 8).local_model(local));
  const Batch b = tree_batch(n, d);
  run_step(state, [&] {
    const auto [h, e] = layer(b.x, b.edge_index, b.edge_attr, b.ptr);
    (h.sum() + e.sum()).backward();
  });
}
void BM_GPSLayer_GINE(benchmark::State& state) { gps(state, GPSLocalModel::gine); }
void BM_GPSLayer_GatedGCN(benchmark::State& state) { gps(state, GPSLocalModel::gated_gcn); }

void BM_GRITLayer_sparse(benchmark::State& state) {
  const int64_t n = state.range(0), d = state.range(1);
  GRITLayer layer(d, 8);
  const Batch b = tree_batch(n, d);
  run_step(state, [&] {
    const auto [h, e] = layer(b.x, b.edge_index, b.edge_attr, b.degree);
    (h.sum() + e.sum()).backward();
  });
}

void BM_GRITLayer_full(benchmark::State& state) {
  const int64_t n = state.range(0), d = state.range(1);
  const double pairs_mb = static_cast<double>(kGraphs * n * n * d) * 4 / 1e6;
  state.counters["pairs_MB"] = pairs_mb;
  if (pairs_mb > kPairBudgetMB) {
    state.SkipWithError("dense pair tensors above the 300 MB budget");
    return;
  }
  GRITLayer layer(d, 8);
  const Batch b = tree_batch(n, d);
  const torch::Tensor pairs = torch::randn({kGraphs, n, n, d});
  run_step(state, [&] {
    const auto [h, e] = layer->forward_dense(b.x, b.ptr, pairs, b.degree);
    (h.sum() + e.sum()).backward();
  });
}

void sizes(benchmark::internal::Benchmark* bench) {
  bench->ArgNames({"n", "d", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
  for (int64_t threads : {1, 2}) bench->Args({125, 128, threads});
}

}  // namespace

BENCHMARK(BM_GCNConv)->Apply(sizes);
BENCHMARK(BM_GINEConv)->Apply(sizes);
BENCHMARK(BM_GatedGCNLayer)->Apply(sizes);
BENCHMARK(BM_GPSLayer_GINE)->Apply(sizes);
BENCHMARK(BM_GPSLayer_GatedGCN)->Apply(sizes);
BENCHMARK(BM_GRITLayer_sparse)->Apply(sizes);
BENCHMARK(BM_GRITLayer_full)->Apply(sizes);
BENCHMARK_MAIN();
