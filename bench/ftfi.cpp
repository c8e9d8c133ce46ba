// Tree-field integration speed (ftfi.md): brute force (distances + f(D) X) vs the exact two-pass
// integrator (exp f) vs the separator-tree TreeFieldIntegrator (rational f), d = 16, on random
// recursive trees with unit weights (BFS trees) or real weights (minimum spanning trees).
// Everything runs in a one-thread oneTBB arena, so the figures are single-core.
// Args: {n, weights: 0 unit / 1 real}.
#include "pe/ftfi/brute_force.hpp"
#include "pe/ftfi/tree_field_integrator.hpp"
#include "pe/ftfi/two_pass.hpp"

#include <benchmark/benchmark.h>
#include <oneapi/tbb/task_arena.h>

#include <functional>
#include <random>

using namespace graphtx;
using namespace graphtx::ftfi;

namespace {

constexpr Index kColumns = 16;

Tree random_tree(Index n, bool real_weights) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<TreeEdge> edges;
  for (Index i = 1; i < n; ++i)
    edges.push_back({std::uniform_int_distribution<Index>(0, i - 1)(rng), i, real_weights ? 0.1 + u(rng) : 1.0});
  return Tree::from_edges(n, edges);
}

RealMatrix random_field(Index n) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> g;
  RealMatrix x(n, kColumns);
  for (Index i = 0; i < x.size(); ++i) x.data()[i] = g(rng);
  return x;
}

void single_core(const std::function<void()>& work) { tbb::task_arena(1).execute(work); }

void BM_BruteForceExp(benchmark::State& state) {
  const Tree tree = random_tree(state.range(0), state.range(1) != 0);
  const RealMatrix x = random_field(state.range(0));
  const FieldFunction f = ExpPolynomial::exponential(1.0, 0.5);
  for (auto _ : state) single_core([&] { benchmark::DoNotOptimize(integrate_brute_force(tree, f, x).data()); });
}

void BM_BruteForceRational(benchmark::State& state) {
  const Tree tree = random_tree(state.range(0), state.range(1) != 0);
  const RealMatrix x = random_field(state.range(0));
  const FieldFunction f = Rational{1.0, 2.0};
  for (auto _ : state) single_core([&] { benchmark::DoNotOptimize(integrate_brute_force(tree, f, x).data()); });
}

void BM_TwoPassExp(benchmark::State& state) {
  const Tree tree = random_tree(state.range(0), state.range(1) != 0);
  const RealMatrix x = random_field(state.range(0));
  const ExpPolynomial f = ExpPolynomial::exponential(1.0, 0.5);
  TwoPassIntegrator integrator(tree, f);
  RealMatrix y;
  for (auto _ : state) single_core([&] {
    integrator.apply(x, y);
    benchmark::DoNotOptimize(y.data());
  });
}

// The one-shot call: decays, scratch and y allocated on every call.
void BM_TwoPassExpOneShot(benchmark::State& state) {
  const Tree tree = random_tree(state.range(0), state.range(1) != 0);
  const RealMatrix x = random_field(state.range(0));
  const ExpPolynomial f = ExpPolynomial::exponential(1.0, 0.5);
  for (auto _ : state) single_core([&] { benchmark::DoNotOptimize(integrate_two_pass(tree, f, x).data()); });
}

void BM_SeparatorRational(benchmark::State& state) {
  const Tree tree = random_tree(state.range(0), state.range(1) != 0);
  const RealMatrix x = random_field(state.range(0));
  const FieldFunction f = Rational{1.0, 2.0};
  TreeFieldIntegrator integrator;
  single_core([&] { integrator = TreeFieldIntegrator(tree); });
  for (auto _ : state) single_core([&] { benchmark::DoNotOptimize(integrator.apply(f, x).data()); });
}

void BM_SeparatorExpDense(benchmark::State& state) {  // the general path on an exp f, for comparison
  const Tree tree = random_tree(state.range(0), state.range(1) != 0);
  const RealMatrix x = random_field(state.range(0));
  IntegratorOptions o;
  o.method = IntegrationMethod::SeparatorTree;
  TreeFieldIntegrator integrator;
  single_core([&] { integrator = TreeFieldIntegrator(tree, o); });
  const FieldFunction f = ExpPolynomial::exponential(1.0, 0.5);
  for (auto _ : state) single_core([&] { benchmark::DoNotOptimize(integrator.apply(f, x).data()); });
}

void BM_SeparatorBuild(benchmark::State& state) {
  const Tree tree = random_tree(state.range(0), state.range(1) != 0);
  for (auto _ : state) single_core([&] { benchmark::DoNotOptimize(TreeFieldIntegrator(tree).depth()); });
}

}  // namespace

BENCHMARK(BM_BruteForceExp)->Args({1000, 0})->Args({1000, 1})->Args({10000, 0})->Args({10000, 1})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BruteForceRational)->Args({1000, 0})->Args({1000, 1})->Args({10000, 0})->Args({10000, 1})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TwoPassExp)->ArgsProduct({{1000, 10000, 100000}, {0, 1}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TwoPassExpOneShot)->ArgsProduct({{100000}, {0, 1}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SeparatorRational)->ArgsProduct({{1000, 10000, 100000}, {0, 1}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SeparatorExpDense)->Args({10000, 0})->Args({10000, 1})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SeparatorBuild)->Args({10000, 0})->Args({100000, 1})->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
