// Shared by the layer benchmarks: a batch of B = 32 random recursive trees of n nodes with every
// tree edge in both directions (code2-sized ASTs with reverse edges), and the timing loop that
// reports process CPU ms (all threads; robust on a busy machine) and peak RSS (VmHWM) per step.
// Cost of random_trees: O(B n) scalar draws, once per benchmark.
#pragma once

#include "layers/cpu_threads.hpp"
#include "layers/heap_retention.hpp"

#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <ctime>
#include <fstream>
#include <string>
#include <vector>

namespace graphtx::bench {

constexpr int64_t kGraphs = 32;
constexpr double kPairBudgetMB = 300;  // dense [B, n, n, d] pair tensors above this are skipped

struct TreeEdges {
  torch::Tensor edge_index;  // [2, 2 B (n - 1)] int64
  torch::Tensor ptr;         // [B + 1] int64
};

// Seeds LibTorch's generator with 0, so the caller's following draws are reproducible too.
inline TreeEdges random_trees(int64_t n) {
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
  return {torch::stack({torch::tensor(src, torch::kInt64), torch::tensor(dst, torch::kInt64)}),
          torch::tensor(ptr, torch::kInt64)};
}

// Resets the kernel's peak-RSS mark (VmHWM) and reads it back in MB.
inline void reset_peak() { std::ofstream("/proc/self/clear_refs") << "5"; }
inline double peak_mb() {
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

inline double process_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

// Times step() (forward + backward) with state.range(2) LibTorch and OpenBLAS threads after one
// warm-up step, freed memory kept in the heap as graphtx train does.
template <typename Step>
void run_step(benchmark::State& state, Step step) {
  set_cpu_threads(static_cast<int>(state.range(2)));
  retain_freed_heap_memory();
  step();  // warm-up: allocator and autograd graph
  reset_peak();
  const double cpu_start = process_cpu_ms();
  for (auto _ : state) step();
  state.counters["cpu_ms"] = (process_cpu_ms() - cpu_start) / static_cast<double>(state.iterations());
  state.counters["peak_MB"] = peak_mb();
}

}  // namespace graphtx::bench
