// Spectral PE benchmarks: per-graph cost of LapPE (k = 16, sym) and MagLapPE (k = 15 / 16, sym,
// relative q' = 0.25) on code2-sized random directed trees with extra DAG edges (n = 35, 125, 500)
// and on large sparse random graphs (n = 1e4, 1e5, average degree 6; MagLapPE on directed ones;
// 1e6 with --pe_large); on the code2-sized graphs also batches through encode_graphs (LapPE k=16 +
// RWSE K=16, and MagLapPE k=16) with 1 and 2 threads. The peer (../shared/peers/pe_peer.py) runs on
// the same graphs in the same process (graphs written as an ogbg-code2 layout or an edge list);
// counters: peer_s per graph (wall), peer_cpu_s (when the peer reports it), speedup = peer / graphtx
// (wall), max_residual. The large graphs compare with scipy eigsh (ARPACK) on the sparse L_sym
// (undirected) and on the sparse magnetic Laplacian (directed), bench/peers/maglap_sparse_peer.py;
// no peer at 1e6. --pe_no_peer skips the peers,
// --pe_peer=PATH overrides the path, --pe_threads=N caps oneTBB and the peer's BLAS at N threads.
#include "graph/graph_builder.hpp"
#include "pe/batch_encoder.hpp"
#include "pe/laplacian_pe.hpp"
#include "pe/magnetic_laplacian_pe.hpp"

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace graphtx;

namespace {

struct Workload {
  std::string name;
  std::vector<Graph> graphs;
  std::vector<std::string> peer_encodings;
  std::string peer_options;
  std::string peer_script;  // empty: peer_path
  bool peer_done = false;
  std::map<std::string, double> peer_seconds;      // encoding -> seconds per graph (peer's own timer)
  std::map<std::string, double> peer_cpu_seconds;  // encoding -> CPU seconds per graph, if the peer says
};

std::string peer_path = "/work/shared/peers/pe_peer.py";
// scipy eigsh on the sparse magnetic Laplacian (the original MagLap code is dense): bench/peers/.
std::string sparse_peer_path = GRAPHTX_SOURCE_DIR "/bench/peers/maglap_sparse_peer.py";
bool run_peer = true;
bool run_large = false;
int threads = 0;  // --pe_threads=N: oneTBB and peer BLAS threads (0: default)
std::string work_dir;

// Random recursive tree (edges parent -> child) plus n/4 forward DAG edges, like code2 ASTs.
Graph code2_like(Index n, std::mt19937_64& rng) {
  GraphBuilder b(n, true);
  for (Index v = 1; v < n; ++v) b.add_edge(std::uniform_int_distribution<Index>(0, v - 1)(rng), v);
  for (Index e = 0; e < n / 4; ++e) {
    const Index u = std::uniform_int_distribution<Index>(0, n - 2)(rng);
    b.add_edge(u, std::uniform_int_distribution<Index>(u + 1, n - 1)(rng));
  }
  return b.build();
}

Graph sparse_random(Index n, double degree, bool directed, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<Index> node(0, n - 1);
  GraphBuilder b(n, directed);
  const Index m = static_cast<Index>(n * degree / 2);
  b.reserve_edges(m);
  for (Index e = 0; e < m; ++e) {
    const Index u = node(rng), v = node(rng);
    if (u != v) b.add_edge(u, v);
  }
  return b.build();
}

// Writes the graphs as an ogbg-code2 raw/ layout (several graphs) or an edge list (one graph),
// runs the peer and parses "NAME: ... seconds=S" per encoding.
void measure_peer(Workload& w) {
  if (!run_peer || w.peer_done || w.peer_encodings.empty()) return;
  w.peer_done = true;
  const std::string dir = work_dir + "/" + w.name;
  std::string source;
  if (w.graphs.size() == 1) {
    std::ofstream out(dir + ".txt");
    const Graph& g = w.graphs[0];
    for (Index e = 0; e < g.num_edges(); ++e) out << g.source(e) << ' ' << g.target(e) << '\n';
    source = "--edgelist " + dir + ".txt";
  } else {
    if (std::system(("mkdir -p " + dir + "/raw").c_str()) != 0) return;
    std::ofstream nodes(dir + "/raw/num-node-list.csv"), edges(dir + "/raw/num-edge-list.csv"), list(dir + "/raw/edge.csv");
    for (const Graph& g : w.graphs) {
      nodes << g.num_nodes() << '\n';
      edges << g.num_edges() << '\n';
      for (Index e = 0; e < g.num_edges(); ++e) list << g.source(e) << ',' << g.target(e) << '\n';
    }
    nodes.close();
    edges.close();
    list.close();
    if (std::system(("gzip -f " + dir + "/raw/*.csv").c_str()) != 0) return;
    source = "--code2 " + dir;
  }
  std::string names;
  for (const auto& e : w.peer_encodings) names += " " + e;
  const std::string script = w.peer_script.empty() ? peer_path : w.peer_script;
  const std::string command = "/usr/bin/python3 " + script + " " + source + " --pe" + names + " " + w.peer_options + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return;
  char line[512];
  while (std::fgets(line, sizeof line, pipe.get())) {
    const std::string text(line);
    std::cerr << "peer " << w.name << ": " << text;
    const auto colon = text.find(':'), at = text.find("seconds="), graphs_at = text.find("graphs=");
    if (colon == std::string::npos || at == std::string::npos || graphs_at == std::string::npos) continue;
    const double graphs = std::stod(text.substr(graphs_at + 7));
    if (graphs <= 0) continue;
    w.peer_seconds[text.substr(0, colon)] = std::stod(text.substr(at + 8)) / graphs;
    const auto cpu_at = text.find("cpu_seconds=");
    if (cpu_at != std::string::npos) w.peer_cpu_seconds[text.substr(0, colon)] = std::stod(text.substr(cpu_at + 12)) / graphs;
  }
}

// Runs `encode` over every graph of the workload per iteration; reports per-graph time. The peer
// runs once per workload, before the first benchmark that uses it.
template <class Encode>
void run(benchmark::State& state, Workload& w, const std::string& peer_name, Encode encode) {
  measure_peer(w);
  double residual = 0, seconds = 0;
  Index batches = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    for (const Graph& g : w.graphs) {
      const EncodingResult r = encode(g);
      residual = std::max(residual, r.max_residual);
      benchmark::DoNotOptimize(r.node.data());
    }
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ++batches;
  }
  const double per_graph = seconds / static_cast<double>(batches * static_cast<Index>(w.graphs.size()));
  state.counters["graphs_per_s"] = 1.0 / per_graph;
  state.counters["max_residual"] = residual;
  const auto peer = w.peer_seconds.find(peer_name);
  if (peer != w.peer_seconds.end()) {
    state.counters["peer_s"] = peer->second;
    state.counters["speedup"] = peer->second / per_graph;
  }
  const auto peer_cpu = w.peer_cpu_seconds.find(peer_name);
  if (peer_cpu != w.peer_cpu_seconds.end()) state.counters["peer_cpu_s"] = peer_cpu->second;
}

// Encodes all graphs of the workload per iteration with encode_graphs on `threads` workers; the
// peer's time is the sum of its encodings `peer_names`.
void run_batch(benchmark::State& state, Workload& w, const std::vector<std::string>& peer_names,
               const std::vector<EncodingSpec>& specs, int threads) {
  measure_peer(w);
  BatchEncodeOptions options;
  options.threads = threads;
  double residual = 0, seconds = 0;
  Index batches = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const auto results = encode_graphs(w.graphs, specs, options);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (const auto& per_graph : results)
      for (const auto& r : per_graph) residual = std::max(residual, r.max_residual);
    ++batches;
  }
  const double per_graph = seconds / static_cast<double>(batches * static_cast<Index>(w.graphs.size()));
  state.counters["graphs_per_s"] = 1.0 / per_graph;
  state.counters["max_residual"] = residual;
  double peer = 0;
  for (const auto& name : peer_names) {
    const auto it = w.peer_seconds.find(name);
    if (it == w.peer_seconds.end()) return;
    peer += it->second;
  }
  state.counters["peer_s"] = peer;
  state.counters["speedup"] = peer / per_graph;
}

EncodingResult lap16(const Graph& g, SolverChoice solver = SolverChoice::Auto) {
  return laplacian_pe(g, {16, LaplacianNorm::Symmetric, true, solver});  // PyG: drops the trivial
}

EncodingResult maglap(const Graph& g, Index k, SolverChoice solver = SolverChoice::Auto) {
  MagneticLaplacianPEOptions o;
  o.k = k;
  o.q = 0.25;
  o.solver = solver;
  return magnetic_laplacian_pe(g, o);
}

std::vector<std::unique_ptr<Workload>> workloads;

void register_all() {
  std::mt19937_64 rng(2024);
  for (Index n : {35, 125, 500}) {
    auto w = std::make_unique<Workload>();
    w->name = "code2_n" + std::to_string(n);
    const Index count = n == 500 ? 20 : n == 125 ? 100 : 300;
    for (Index i = 0; i < count; ++i) w->graphs.push_back(code2_like(n, rng));
    w->peer_encodings = {"lap", "rwse", "maglap"};
    w->peer_options = "--k 16 --K 16 --q 0.25";
    Workload* p = w.get();
    benchmark::RegisterBenchmark(("LapPE_k16/" + w->name).c_str(), [p](benchmark::State& s) { run(s, *p, "lap", [](const Graph& g) { return lap16(g); }); })
        ->Unit(benchmark::kMicrosecond);
    for (SolverChoice solver : {SolverChoice::Dense, SolverChoice::Sparse}) {
      const std::string tag = solver == SolverChoice::Dense ? "dense" : "sparse";
      benchmark::RegisterBenchmark(("LapPE_k16_" + tag + "/" + w->name).c_str(),
                                   [p, solver](benchmark::State& s) { run(s, *p, "lap", [solver](const Graph& g) { return lap16(g, solver); }); })
          ->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark(("MagLapPE_k16_" + tag + "/" + w->name).c_str(),
                                   [p, solver](benchmark::State& s) { run(s, *p, "maglap", [solver](const Graph& g) { return maglap(g, 16, solver); }); })
          ->Unit(benchmark::kMicrosecond);
    }
    for (Index k : {15, 16})
      benchmark::RegisterBenchmark(("MagLapPE_k" + std::to_string(k) + "/" + w->name).c_str(),
                                   [p, k](benchmark::State& s) { run(s, *p, "maglap", [k](const Graph& g) { return maglap(g, k); }); })
          ->Unit(benchmark::kMicrosecond);
    for (int threads : {1, 2}) {
      const std::string tag = "/threads:" + std::to_string(threads) + "/" + w->name;
      benchmark::RegisterBenchmark(("Batch_LapPE_k16+RWSE_K16" + tag).c_str(), [p, threads](benchmark::State& s) {
        run_batch(s, *p, {"lap", "rwse"}, parse_encoding_specs({"lap:k=16,drop_trivial=1", "rwse:K=16"}), threads);
      })->Unit(benchmark::kMicrosecond)->UseRealTime();
      benchmark::RegisterBenchmark(("Batch_MagLapPE_k16" + tag).c_str(), [p, threads](benchmark::State& s) {
        run_batch(s, *p, {"maglap"}, parse_encoding_specs({"maglap:k=16,q=0.25,qrel=1"}), threads);
      })->Unit(benchmark::kMicrosecond)->UseRealTime();
    }
    workloads.push_back(std::move(w));
  }
  std::vector<Index> large{10000, 100000};
  if (run_large) large.push_back(1000000);
  for (Index n : large) {
    if (n <= 100000) {
      auto w = std::make_unique<Workload>();
      w->name = "undirected_n" + std::to_string(n);
      w->graphs.push_back(sparse_random(n, 6, false, 7));
      // scipy eigsh(L_sym, k + 1, which='SA') as pe_peer.py's lap, timed with its CPU time too.
      w->peer_encodings = {"lap_sparse"};
      w->peer_options = "--k 16";
      w->peer_script = sparse_peer_path;
      Workload* p = w.get();
      benchmark::RegisterBenchmark(("LapPE_k16/" + w->name).c_str(), [p](benchmark::State& s) { run(s, *p, "lap_sparse", [](const Graph& g) { return lap16(g); }); })
          ->Unit(benchmark::kMillisecond)->Iterations(1);
      workloads.push_back(std::move(w));
    }
    auto w = std::make_unique<Workload>();
    w->name = "directed_n" + std::to_string(n);
    w->graphs.push_back(sparse_random(n, 6, true, 8));
    if (n <= 100000) {  // scipy eigsh on the sparse complex matrix (~minutes at 1e5 under load)
      w->peer_encodings = {"maglap_sparse"};
      w->peer_options = "--k 16 --q 0.25";
      w->peer_script = sparse_peer_path;
    }
    Workload* p = w.get();
    benchmark::RegisterBenchmark(("MagLapPE_k16/" + w->name).c_str(),
                                 [p](benchmark::State& s) { run(s, *p, "maglap_sparse", [](const Graph& g) { return maglap(g, 16); }); })
        ->Unit(benchmark::kMillisecond)->Iterations(1);
    workloads.push_back(std::move(w));
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--pe_no_peer") run_peer = false;
    else if (a == "--pe_large") run_large = true;
    else if (a.rfind("--pe_threads=", 0) == 0) threads = std::stoi(a.substr(13));
    else if (a.rfind("--pe_peer=", 0) == 0) peer_path = a.substr(10);
    else rest.push_back(argv[i]);
  }
  // --pe_threads=N caps oneTBB (and the peer's BLAS: OPENBLAS/OMP/MKL_NUM_THREADS) at N threads.
  std::unique_ptr<tbb::global_control> cap;
  if (threads > 0) {
    cap = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, threads);
    for (const char* name : {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"})
      setenv(name, std::to_string(threads).c_str(), 1);
  }
  char tmpl[] = "/tmp/graphtx_pe_spectral_XXXXXX";
  if (run_peer && mkdtemp(tmpl) == nullptr) run_peer = false;
  work_dir = tmpl;
  int count = static_cast<int>(rest.size());
  benchmark::Initialize(&count, rest.data());
  register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  const int removed = run_peer ? std::system(("rm -rf " + work_dir).c_str()) : 0;
  return removed == 0 ? 0 : 1;
}
