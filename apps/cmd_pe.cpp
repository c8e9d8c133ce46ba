// graphtx pe: precompute positional encodings for a whole dataset into a .pt or .npz file.
#include "apps/command.hpp"
#include "apps/pe_output.hpp"
#include "apps/progress.hpp"
#include "datasets/code2_augment.hpp"
#include "datasets/encoding_job.hpp"
#include "datasets/open_dataset.hpp"
#include "graph/errors.hpp"
#include "graph/transforms.hpp"
#include "layers/distributed/distributed_config.hpp"
#include "pe/encoding_registry.hpp"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

namespace graphtx::cli {
namespace {

struct PeArgs {
  std::string dataset, root, name, input, out, shard;
  std::vector<std::string> specs;
  std::uint64_t seed = 0;
  int threads = 0;
  Index chunk = 500;
  double max_pair_gib = 1.0, max_pt_gib = 2.0;
  bool undirected = false, augment = false, resume = false, quiet = false, distributed = false;
};

void parse_shard(const std::string& text, EncodingJobOptions& o) {
  const auto slash = text.find('/');
  try {
    if (slash == std::string::npos) throw std::invalid_argument(text);
    size_t used = 0;
    o.shard_index = std::stoll(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument(text);
    o.shard_count = std::stoll(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) throw std::invalid_argument(text);
  } catch (const std::logic_error&) {
    throw UsageError("--shard '" + text + "' is not of the form i/N (e.g. 0/4)");
  }
}

// Bytes of array data in the finished chunks of a parts directory.
std::uint64_t finished_chunk_bytes(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".npz") files.push_back(e.path().string());
  return chunk_bytes(files);
}

void run(const PeArgs& a) {
  if (a.dataset.empty() == a.input.empty()) throw UsageError("give exactly one of --dataset KIND or --input FILE");
  DatasetSource source;
  source.kind = a.input.empty() ? a.dataset : "file";
  source.root = a.root;
  source.name = a.name;
  source.path = a.input;
  source.seed = a.seed;
  if (a.augment && source.kind != "ogbg-code2") throw UsageError("--augment applies to --dataset ogbg-code2 only");
  const OutputFormat format = output_format(a.out);

  EncodingJobOptions o;
  o.specs = parse_encoding_specs(a.specs);
  o.out = a.out;
  o.chunk_graphs = a.chunk;
  o.threads = a.threads;
  o.limits.max_pair_bytes = static_cast<std::uint64_t>(a.max_pair_gib * (1ull << 30));
  o.resume = a.resume;
  if (!a.shard.empty()) {
    parse_shard(a.shard, o);
  } else if (a.distributed) {
    const DistributedConfig where = rank_and_world_from_environment();
    o.shard_index = where.rank;
    o.shard_count = where.world_size;
  }
  o.description = source.kind + (source.root.empty() ? "" : " " + source.root) + (source.name.empty() ? "" : " " + source.name) +
                  (source.path.empty() ? "" : " " + source.path) + (a.undirected ? " --undirected" : "") +
                  (a.augment ? " --augment" : "") + (source.kind == "sorting-networks" ? " seed " + std::to_string(a.seed) : "");
  const bool undirected = a.undirected, augment = a.augment;
  if (undirected || augment) {
    o.transform = [undirected, augment](const GraphExample& ex) {
      Graph g = augment ? augment_edge(ex.graph) : ex.graph;
      return undirected ? to_undirected(g) : g;
    };
  }
  if (!(a.max_pt_gib > 0)) throw UsageError("--max-pt-gib must be positive");
  const auto max_pt_bytes = static_cast<std::uint64_t>(a.max_pt_gib * static_cast<double>(1ull << 30));
  o.finish = finish_writer(format, max_pt_bytes);

  if (!a.quiet) std::cerr << "graphtx pe: opening " << o.description << "\n";
  const std::unique_ptr<Dataset> data = open_dataset(source);
  ProgressBar bar("pe", data->size(), "graphs", a.quiet);
  // .pt: after 1, 2, 4, ... chunks, project the output size from the finished chunks.
  const bool project_pt = format == OutputFormat::Pt && o.shard_count == 1;
  o.on_progress = [&](const EncodingJobProgress& p) {
    bar.update(p.graphs_done);
    const Index chunks_done = (p.graphs_done + a.chunk - 1) / a.chunk;
    if (project_pt && p.graphs_done < p.graphs_total && chunks_done > 0 && (chunks_done & (chunks_done - 1)) == 0)
      check_pt_size(a.out,
                    finished_chunk_bytes(parts_directory(a.out)) / static_cast<std::uint64_t>(p.graphs_done) *
                        static_cast<std::uint64_t>(p.graphs_total),
                    max_pt_bytes, true);
  };
  const EncodingJobStats s = run_encoding_job(*data, o);
  bar.finish();

  std::printf("graphs %lld, nodes %lld, %.2f s, %.0f graphs/s (%lld chunks computed, %lld reused)\n",
              static_cast<long long>(s.graphs), static_cast<long long>(s.nodes), s.seconds,
              s.seconds > 0 ? static_cast<double>(s.graphs) / s.seconds : 0.0, static_cast<long long>(s.chunks_computed),
              static_cast<long long>(s.chunks_reused));
  std::printf("eigensolves: %lld tree, %lld dense, %lld sparse, %lld dense fallbacks; max residual %.3g\n",
              static_cast<long long>(s.tree_solves), static_cast<long long>(s.dense_solves),
              static_cast<long long>(s.sparse_solves),
              static_cast<long long>(s.dense_fallbacks), s.max_residual);
  if (o.shard_count > 1) {
    std::printf("shard %lld/%lld done: parts in %s; when every shard is done run\n  graphtx pe-merge --out %s %s\n",
                static_cast<long long>(o.shard_index), static_cast<long long>(o.shard_count), parts_directory(a.out).c_str(),
                a.out.c_str(), parts_directory(a.out).c_str());
  } else {
    std::printf("wrote %s\nload it in Python with:  %s\n", a.out.c_str(), python_load_hint(a.out, format).c_str());
  }
}

const CommandRegistration registration{"pe", [](CLI::App& app) {
  auto args = std::make_shared<PeArgs>();
  CLI::App* cmd = app.add_subcommand("pe", "Precompute positional encodings for a dataset into a .pt or .npz file");
  cmd->add_option("--dataset", args->dataset, "Dataset: ogbg-code2 (needs --root), tu (needs --root, --name), sorting-networks");
  cmd->add_option("--root", args->root, "Dataset folder (ogbg-code2: the folder holding ogbg_code2/; tu: holding NAME/)");
  cmd->add_option("--name", args->name, "TU dataset name, e.g. MUTAG");
  cmd->add_option("--input", args->input, "One graph file instead of a dataset: edge list, DOT (.dot/.gv) or GraphML (.graphml)");
  cmd->add_option("--seed", args->seed, "Seed of generated datasets (sorting-networks)")->default_val(0);
  cmd->add_option("--pe", args->specs, "Encoding spec, repeatable, e.g. lap:k=16 maglap:k=15,q=0.1,qrel=1 rwse:K=16 (list below)")->required();
  cmd->add_option("--out", args->out, "Output file: .pt (torch.load gives a dict of tensors) or .npz (numpy.load)")->required();
  cmd->add_option("-j,--threads", args->threads, "Worker threads (0 = all cores); results do not depend on it")->default_val(0);
  cmd->add_option("--chunk", args->chunk, "Graphs per chunk (the unit of progress, memory and --resume)")->default_val(500);
  cmd->add_flag("--undirected", args->undirected, "Symmetrize every graph before encoding (default: graphs as given; directed stays directed)");
  cmd->add_flag("--augment", args->augment,
                "ogbg-code2: apply OGB's augment_edge first (AST + reversed + next-token edges). Raw code2 ASTs only have "
                "parent->child edges, so random-walk encodings such as RWSE are all zeros on them");
  cmd->add_flag("--resume", args->resume, "Continue an interrupted run from its finished chunks (OUT.parts/); output is bitwise identical");
  cmd->add_option("--shard", args->shard, "i/N: compute only chunk shard i of N (for N processes or machines); join with graphtx pe-merge");
  cmd->add_flag("--distributed", args->distributed,
                "Without --shard: compute shard RANK/WORLD_SIZE (or SLURM_PROCID/SLURM_NTASKS) from the environment");
  cmd->add_option("--max-pair-gib", args->max_pair_gib, "Refuse all-pairs pair encodings of a graph above this size (GiB)")->default_val(1.0);
  cmd->add_option("--max-pt-gib", args->max_pt_gib,
                  "A .pt output is assembled in memory: refuse (exit 2, chunks kept for pe-merge to .npz) when it is "
                  "projected after a chunk, or found at the end, to exceed this size (GiB). .npz streams in bounded memory")
      ->default_val(2.0);
  cmd->add_flag("-q,--quiet", args->quiet, "No progress output");
  cmd->footer("Encodings (SPEC = [label=]name:key=value,...):\n" + encoding_help() + "\n" + output_keys_help());
  cmd->callback([args] { run(*args); });
}};

}  // namespace
}  // namespace graphtx::cli
