// Benchmarks of the random-walk encodings (RWSE) and of the batch encoder (LapPE k=16 + RWSE
// K=16), 1 vs 2 threads, on code2-sized graphs (n = 35, 125, 500; random trees plus n/2 chords,
// undirected), the shipped code2 sample, and random graphs of average degree 6 (n = 1e4, 1e5).
// With --peer=PATH (../shared/peers/pe_peer.py) the same graphs are also run through the peer
// in the same run (Debian's /usr/bin/python3 under /usr/bin/time -v) and the ratios printed:
//   bench_pe_walks [benchmark flags] [--peer=PATH] [--code2=ROOT] [--large] [--work=DIR]
// --large adds n = 1e5 (about a minute per run). Peak memory of our RWSE on the large graphs is
// measured in a child process (--rwse-child=N) under /usr/bin/time -v as well.
#include "datasets/code2_reader.hpp"
#include "graph/graph_builder.hpp"
#include "pe/batch_encoder.hpp"
#include "pe/rwse.hpp"

#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using namespace graphtx;

namespace {

constexpr Index kLargeDegree = 6;

// A random tree on n nodes (parent < child, like an AST) plus n/2 random chords, undirected.
Graph code2_sized_graph(Index n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  GraphBuilder b(n, false);
  for (Index v = 1; v < n; ++v) b.add_edge(static_cast<Index>(rng() % static_cast<std::uint64_t>(v)), v);
  for (Index e = 0; e < n / 2; ++e)
    b.add_edge(static_cast<Index>(rng() % static_cast<std::uint64_t>(n)), static_cast<Index>(rng() % static_cast<std::uint64_t>(n)));
  return b.build();
}

// Undirected random graph with n * degree / 2 uniformly random edges.
Graph large_graph(Index n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  GraphBuilder b(n, false);
  for (Index e = 0; e < n * kLargeDegree / 2; ++e)
    b.add_edge(static_cast<Index>(rng() % static_cast<std::uint64_t>(n)), static_cast<Index>(rng() % static_cast<std::uint64_t>(n)));
  return b.build();
}

Index small_batch_size(Index n) { return n <= 35 ? 2000 : n <= 125 ? 500 : 100; }

std::vector<Graph> small_batch(Index n) {
  std::vector<Graph> graphs;
  for (Index i = 0; i < small_batch_size(n); ++i) graphs.push_back(code2_sized_graph(n, 1000 + static_cast<std::uint64_t>(i)));
  return graphs;
}

std::string g_code2_root = "data/code2";  // the shipped sample; run from the repo root or pass --code2
constexpr Index kCode2Graphs = 1000;

const std::vector<Graph>& code2_sample() {
  static const std::vector<Graph> graphs = [] {
    std::vector<Graph> out;
    const Code2Dataset data = read_ogb_code2(g_code2_root);
    for (Index i = 0; i < std::min(kCode2Graphs, data.size()); ++i) out.push_back(data.get(i).graph);
    return out;
  }();
  return graphs;
}

double encode_seconds(const std::vector<Graph>& graphs, const std::vector<std::string>& specs, int threads) {
  BatchEncodeOptions options;
  options.threads = threads;
  const auto start = std::chrono::steady_clock::now();
  benchmark::DoNotOptimize(encode_graphs(graphs, parse_encoding_specs(specs), options));
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BM_RwseCode2Sized(benchmark::State& state) {
  const std::vector<Graph> graphs = small_batch(state.range(0));
  for (auto _ : state) state.SetIterationTime(encode_seconds(graphs, {"rwse:K=16"}, static_cast<int>(state.range(1))));
  state.counters["graphs/s"] = benchmark::Counter(static_cast<double>(graphs.size()) * static_cast<double>(state.iterations()),
                                                  benchmark::Counter::kIsRate);
}

void BM_LapRwseCode2Sized(benchmark::State& state) {
  const std::vector<Graph> graphs = small_batch(state.range(0));
  for (auto _ : state)
    state.SetIterationTime(encode_seconds(graphs, {"lap:k=16", "rwse:K=16"}, static_cast<int>(state.range(1))));
  state.counters["graphs/s"] = benchmark::Counter(static_cast<double>(graphs.size()) * static_cast<double>(state.iterations()),
                                                  benchmark::Counter::kIsRate);
}

void BM_LapRwseCode2Sample(benchmark::State& state) {
  const std::vector<Graph>& graphs = code2_sample();
  for (auto _ : state)
    state.SetIterationTime(encode_seconds(graphs, {"lap:k=16", "rwse:K=16"}, static_cast<int>(state.range(0))));
  state.counters["graphs/s"] = benchmark::Counter(static_cast<double>(graphs.size()) * static_cast<double>(state.iterations()),
                                                  benchmark::Counter::kIsRate);
}

void BM_RwseLarge(benchmark::State& state) {
  const Graph g = large_graph(state.range(0), 7);
  RwseOptions options;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    tbb::task_arena(static_cast<int>(state.range(1))).execute([&] { benchmark::DoNotOptimize(rwse(g, options)); });
    state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
}

// ---- same-run comparison with the peer ----

struct Measured {
  double seconds = -1;
  double graphs_per_s = -1;
  double peak_mb = -1;
};

std::string run_command(const std::string& command) {
  std::string output;
  if (FILE* pipe = popen((command + " 2>&1").c_str(), "r")) {
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
    pclose(pipe);
  }
  return output;
}

double number_after(const std::string& text, const std::string& key) {
  const size_t at = text.find(key);
  return at == std::string::npos ? -1.0 : std::atof(text.c_str() + at + key.size());
}

// Peer seconds summed over the requested encodings, graphs/s of the combination, peak RSS.
Measured run_peer(const std::string& peer, const std::string& input, const std::vector<std::string>& pes) {
  std::string command = "/usr/bin/time -v /usr/bin/python3 " + peer + " " + input + " --pe";
  for (const std::string& pe : pes) command += " " + pe;
  const std::string out = run_command(command);
  Measured m;
  m.seconds = 0;
  double graphs = 0;
  for (const std::string& pe : pes) {
    const size_t line = out.find(pe + ": graphs=");
    if (line == std::string::npos) {
      std::printf("peer failed for %s:\n%s\n", input.c_str(), out.c_str());
      return Measured{};
    }
    graphs = number_after(out.substr(line), "graphs=");
    m.seconds += number_after(out.substr(line), "seconds=");
  }
  m.graphs_per_s = graphs / m.seconds;
  m.peak_mb = number_after(out, "Maximum resident set size (kbytes): ") / 1024.0;
  return m;
}

void write_gz(const std::string& path, const std::string& text) {
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
  gzclose(f);
}

// The graphs in the ogbg-code2 raw layout the peer reads (both directions of undirected edges).
void write_code2_layout(const std::vector<Graph>& graphs, const std::string& root) {
  std::filesystem::create_directories(root + "/raw");
  std::string nodes, edges, list;
  for (const Graph& g : graphs) {
    nodes += std::to_string(g.num_nodes()) + "\n";
    Index count = 0;
    for (Index e = 0; e < g.num_edges(); ++e) {
      list += std::to_string(g.source(e)) + "," + std::to_string(g.target(e)) + "\n";
      ++count;
      if (!g.directed()) {
        list += std::to_string(g.target(e)) + "," + std::to_string(g.source(e)) + "\n";
        ++count;
      }
    }
    edges += std::to_string(count) + "\n";
  }
  write_gz(root + "/raw/num-node-list.csv.gz", nodes);
  write_gz(root + "/raw/num-edge-list.csv.gz", edges);
  write_gz(root + "/raw/edge.csv.gz", list);
}

void write_edge_list(const Graph& g, const std::string& path) {
  std::ofstream out(path);
  for (Index e = 0; e < g.num_edges(); ++e)
    out << g.source(e) << ' ' << g.target(e) << '\n' << g.target(e) << ' ' << g.source(e) << '\n';
}

Measured run_ours_child(const std::string& self, Index n, int threads) {
  const std::string out = run_command("/usr/bin/time -v " + self + " --rwse-child=" + std::to_string(n) +
                                      " --threads=" + std::to_string(threads));
  Measured m;
  m.seconds = number_after(out, "rwse_seconds=");
  m.peak_mb = number_after(out, "Maximum resident set size (kbytes): ") / 1024.0;
  return m;
}

void print_ratio(const std::string& what, double ours, double peer, const char* unit) {
  std::printf("%-44s ours %10.1f %-9s peer %10.1f %-9s ratio %7.1fx\n", what.c_str(), ours, unit, peer, unit,
              peer > 0 ? ours / peer : 0.0);
  std::fflush(stdout);
}

void compare_with_peer(const std::string& peer, const std::string& self, const std::string& work, bool large) {
  std::printf("\n== same-run comparison with %s (ours: 2 threads) ==\n", peer.c_str());
  const std::vector<Graph>& sample = code2_sample();
  const double ours_sample = static_cast<double>(sample.size()) / encode_seconds(sample, {"lap:k=16", "rwse:K=16"}, 2);
  const Measured peer_sample =
      run_peer(peer, "--code2 " + g_code2_root + " --limit " + std::to_string(sample.size()), {"lap", "rwse"});
  print_ratio("code2 sample lap k=16 + rwse K=16 (" + std::to_string(sample.size()) + ")", ours_sample,
              peer_sample.graphs_per_s, "graphs/s");
  for (Index n : {35, 125, 500}) {
    const std::vector<Graph> graphs = small_batch(n);
    const std::string root = work + "/code2_sized_" + std::to_string(n);
    write_code2_layout(graphs, root);
    const auto count = static_cast<double>(graphs.size());
    const Measured peer_rwse = run_peer(peer, "--code2 " + root, {"rwse"});
    print_ratio("n=" + std::to_string(n) + " rwse K=16", count / encode_seconds(graphs, {"rwse:K=16"}, 2),
                peer_rwse.graphs_per_s, "graphs/s");
    const Measured peer_both = run_peer(peer, "--code2 " + root, {"lap", "rwse"});
    print_ratio("n=" + std::to_string(n) + " lap k=16 + rwse K=16",
                count / encode_seconds(graphs, {"lap:k=16", "rwse:K=16"}, 2), peer_both.graphs_per_s, "graphs/s");
  }
  for (Index n : large ? std::vector<Index>{10000, 100000} : std::vector<Index>{10000}) {
    const Measured ours = run_ours_child(self, n, 2);
    std::printf("n=%-7lld rwse K=16 (avg degree 6): ours %.2f s, peak %.0f MB\n", static_cast<long long>(n), ours.seconds,
                ours.peak_mb);
    if (n > 10000) {
      std::printf("  peer not run at n=%lld: PyG's path needs > 14 GB there (docs/pe.md)\n", static_cast<long long>(n));
      continue;
    }
    const std::string path = work + "/large_" + std::to_string(n) + ".txt";
    write_edge_list(large_graph(n, 7), path);
    const Measured p = run_peer(peer, "--edgelist " + path, {"rwse"});
    std::printf("  peer %.2f s, peak %.0f MB: ours is %.1fx faster, %.1fx less memory\n", p.seconds, p.peak_mb,
                p.seconds / ours.seconds, p.peak_mb / ours.peak_mb);
  }
}

std::string option_value(int& argc, char** argv, const std::string& name, bool* present = nullptr) {
  std::string value;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == name || arg.rfind(name + "=", 0) == 0) {
      value = arg.size() > name.size() ? arg.substr(name.size() + 1) : "1";
      if (present) *present = true;
      for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
      --argc;
      break;
    }
  }
  return value;
}

}  // namespace

BENCHMARK(BM_RwseCode2Sized)->ArgsProduct({{35, 125, 500}, {1, 2}})->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LapRwseCode2Sized)->ArgsProduct({{35, 125, 500}, {1, 2}})->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LapRwseCode2Sample)->Arg(1)->Arg(2)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RwseLarge)->Args({10000, 1})->Args({10000, 2})->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

int main(int argc, char** argv) {
  const std::string child = option_value(argc, argv, "--rwse-child");
  const std::string threads = option_value(argc, argv, "--threads");
  if (!child.empty()) {
    const Graph g = large_graph(std::atoll(child.c_str()), 7);
    const auto start = std::chrono::steady_clock::now();
    tbb::task_arena(threads.empty() ? 2 : std::atoi(threads.c_str())).execute([&] { benchmark::DoNotOptimize(rwse(g, RwseOptions{})); });
    std::printf("rwse_seconds=%.4f\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return 0;
  }
  const std::string peer = option_value(argc, argv, "--peer");
  const std::string code2 = option_value(argc, argv, "--code2");
  if (!code2.empty()) g_code2_root = code2;
  std::string work = option_value(argc, argv, "--work");
  if (work.empty()) work = (std::filesystem::temp_directory_path() / "graphtx_bench_pe_walks").string();
  bool large = false;
  option_value(argc, argv, "--large", &large);
  if (large) benchmark::RegisterBenchmark("BM_RwseLarge", BM_RwseLarge)->Args({100000, 2})->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  if (!peer.empty()) compare_with_peer(peer, std::filesystem::canonical("/proc/self/exe").string(), work, large);
  benchmark::Shutdown();
  return 0;
}
