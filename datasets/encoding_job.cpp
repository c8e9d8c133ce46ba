#include "datasets/encoding_job.hpp"

#include "datasets/encoding_arrays.hpp"
#include "datasets/npz_file.hpp"
#include "graph/errors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;

namespace graphtx {

namespace {

constexpr int kPartsFormat = 1;

std::string chunk_name(Index c) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "chunk-%06lld.npz", static_cast<long long>(c));
  return buf;
}

std::string manifest_text(const Dataset& data, const EncodingJobOptions& o) {
  nlohmann::json specs = nlohmann::json::array();
  for (const auto& s : o.specs) specs.push_back(to_string(s));
  const nlohmann::json j = {{"format", kPartsFormat}, {"dataset", o.description.empty() ? data.name() : o.description},
                            {"graphs", data.size()},  {"chunk_graphs", o.chunk_graphs},
                            {"specs", specs}};
  return j.dump(2) + "\n";
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw InputError(tmp + ": write failed");
  }
  fs::rename(tmp, path);
}

// Creates or checks OUT.parts/manifest.json. Finished chunks of a different job are never mixed in.
void prepare_parts(const std::string& dir, const std::string& manifest, const EncodingJobOptions& o) {
  const std::string path = dir + "/manifest.json";
  if (fs::exists(path)) {
    const bool has_chunks = std::any_of(fs::directory_iterator(dir), fs::directory_iterator(), [](const fs::directory_entry& e) {
      return e.path().extension() == ".npz";
    });
    if (read_text(path) != manifest)
      throw UsageError(dir + " holds parts of a different job (other dataset, specs or chunk size); delete it or choose another --out");
    if (has_chunks && !o.resume && o.shard_count == 1)
      throw UsageError(dir + " holds finished chunks of an interrupted run: pass --resume to continue it, or delete the directory");
    return;
  }
  fs::create_directories(dir);
  write_text_atomically(path, manifest);
}

}  // namespace

std::string parts_directory(const std::string& out) { return out + ".parts"; }

void write_merged_npz(const std::vector<std::string>& chunk_files, const std::string& out) {
  NpzWriter writer(out);
  NpzSink sink(writer);
  merge_arrays(chunk_files, sink);
  writer.commit();
}

EncodingJobStats run_encoding_job(const Dataset& data, const EncodingJobOptions& o) {
  if (o.specs.empty()) throw UsageError("no encodings requested (give at least one --pe SPEC)");
  if (o.chunk_graphs <= 0) throw UsageError("chunk size must be positive");
  if (o.shard_count <= 0 || o.shard_index < 0 || o.shard_index >= o.shard_count)
    throw UsageError("shard " + std::to_string(o.shard_index) + "/" + std::to_string(o.shard_count) + " is not of the form i/N with 0 <= i < N");
  const auto start = std::chrono::steady_clock::now();
  const std::string dir = parts_directory(o.out);
  prepare_parts(dir, manifest_text(data, o), o);

  std::vector<std::string> labels;
  for (const auto& s : o.specs) labels.push_back(s.label);
  BatchEncodeOptions batch_options;
  batch_options.threads = o.threads;
  batch_options.limits = o.limits;

  EncodingJobStats stats;
  EncodingJobProgress progress;
  progress.graphs_total = data.size();
  const Index chunks = (data.size() + o.chunk_graphs - 1) / o.chunk_graphs;
  data.for_each_chunk(o.chunk_graphs, [&](Index first, std::vector<GraphExample>& examples) {
    const Index c = first / o.chunk_graphs;
    const std::string path = dir + "/" + chunk_name(c);
    Index nodes = 0;
    for (const auto& ex : examples) nodes += ex.graph.num_nodes();
    if (c % o.shard_count == o.shard_index) {
      if (fs::exists(path)) {
        ++stats.chunks_reused;
      } else {
        std::vector<Graph> graphs;
        graphs.reserve(examples.size());
        for (const auto& ex : examples) graphs.push_back(o.transform ? o.transform(ex) : ex.graph);
        const auto results = encode_graphs(graphs, o.specs, batch_options);
        std::vector<Index> sizes;
        for (const auto& g : graphs) sizes.push_back(g.num_nodes());
        for (const auto& per_graph : results) {
          for (const auto& r : per_graph) {
            if (r.solver == EncodingResult::Solver::Dense) ++stats.dense_solves;
            if (r.solver == EncodingResult::Solver::Sparse) ++stats.sparse_solves;
            if (r.solver == EncodingResult::Solver::Tree) ++stats.tree_solves;
            stats.dense_fallbacks += r.dense_fallback ? 1 : 0;
            stats.max_residual = std::max(stats.max_residual, r.max_residual);
          }
        }
        write_npz(path, encoding_arrays(sizes, labels, results));
        ++stats.chunks_computed;
      }
      stats.graphs += static_cast<Index>(examples.size());
      stats.nodes += nodes;
    }
    progress.graphs_done += static_cast<Index>(examples.size());
    progress.nodes_done += nodes;
    if (o.on_progress) o.on_progress(progress);
  });

  if (o.shard_count > 1) {
    write_text_atomically(dir + "/shard-" + std::to_string(o.shard_index) + "-of-" + std::to_string(o.shard_count) + ".done", "");
  } else {
    std::vector<std::string> files;
    for (Index c = 0; c < std::max<Index>(chunks, 1); ++c) files.push_back(dir + "/" + chunk_name(c));
    if (chunks == 0) write_npz(files.front(), encoding_arrays({}, labels, {}));
    (o.finish ? o.finish : FinishWriter(write_merged_npz))(files, o.out);
    fs::remove_all(dir);
  }
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

void merge_encoding_parts(const std::vector<std::string>& parts_dirs, const std::string& out, const FinishWriter& finish) {
  if (parts_dirs.empty()) throw UsageError("pe-merge: no parts directories given");
  std::string manifest;
  std::map<Index, std::string> chunk_files;
  for (const auto& dir : parts_dirs) {
    const std::string path = dir + "/manifest.json";
    if (!fs::exists(path)) throw InputError(dir + ": not a parts directory of graphtx pe (no manifest.json)");
    const std::string text = read_text(path);
    if (manifest.empty()) manifest = text;
    else if (text != manifest) throw InputError(dir + ": its manifest differs from that of " + parts_dirs.front() + " (a different job)");
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string name = e.path().filename().string();
      if (e.path().extension() != ".npz" || name.rfind("chunk-", 0) != 0) continue;
      const Index c = std::stoll(name.substr(6, name.size() - 10));
      auto [it, inserted] = chunk_files.emplace(c, e.path().string());
      if (!inserted) throw InputError("pe-merge: chunk " + std::to_string(c) + " is present twice: " + it->second + " and " + e.path().string());
    }
  }
  const auto j = nlohmann::json::parse(manifest);
  const Index graphs = j.at("graphs").get<Index>(), chunk = j.at("chunk_graphs").get<Index>();
  const Index chunks = (graphs + chunk - 1) / chunk;
  std::vector<std::string> files;
  std::string missing;
  for (Index c = 0; c < chunks; ++c) {
    auto it = chunk_files.find(c);
    if (it == chunk_files.end()) missing += (missing.empty() ? "" : ", ") + std::to_string(c);
    else files.push_back(it->second);
  }
  if (!missing.empty())
    throw InputError("pe-merge: chunks missing (" + missing + ") of " + std::to_string(chunks) + "; run the shards that own them");
  if (static_cast<Index>(chunk_files.size()) != chunks)
    throw InputError("pe-merge: found chunks beyond the " + std::to_string(chunks) + " this job has");
  finish(files, out);
}

}  // namespace graphtx
