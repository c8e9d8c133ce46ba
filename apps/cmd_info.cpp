// graphtx info FILE [--undirected] [--duplicates POLICY] [--json]: reads a graph file and prints
// its size, directedness, self-loops, multi-edges, weak/strong components and degree statistics.
#include "apps/command.hpp"
#include "apps/dataset_info.hpp"
#include "graph/errors.hpp"
#include "graph/graph_summary.hpp"
#include "graph/io/read_graph.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace graphtx::cli {

namespace {

struct InfoOptions {
  std::string file;
  DatasetSource dataset;
  bool undirected = false;
  bool json = false;
  std::string duplicates = "keep";
};

nlohmann::json degree_json(const DegreeStats& d) { return {{"min", d.min}, {"mean", d.mean}, {"max", d.max}}; }

std::string degree_text(const DegreeStats& d) {
  char mean[32];
  std::snprintf(mean, sizeof mean, "%.4g", d.mean);
  return "min " + std::to_string(d.min) + ", mean " + mean + ", max " + std::to_string(d.max);
}

void run_info(const InfoOptions& options) {
  if (options.file.empty() == options.dataset.kind.empty()) throw UsageError("give exactly one of FILE or --dataset KIND");
  if (!options.dataset.kind.empty()) {
    print_dataset_info(options.dataset, options.json);
    return;
  }
  ReadOptions read_options;
  read_options.undirected = options.undirected;
  read_options.duplicates = parse_duplicate_policy(options.duplicates);
  const GraphFormat format = graph_format_of(options.file);
  const LoadedGraph loaded = read_graph(options.file, read_options);
  const GraphSummary s = summarize(loaded.graph);

  if (options.json) {
    nlohmann::json out = {{"file", options.file},
                          {"format", graph_format_name(format)},
                          {"graphs", 1},
                          {"nodes", s.nodes},
                          {"edges", s.edges},
                          {"directed", s.directed},
                          {"weighted", s.weighted},
                          {"self_loops", s.self_loops},
                          {"multi_edges", s.multi_edges},
                          {"isolated_nodes", s.isolated_nodes},
                          {"weak_components", s.weak_components},
                          {"strong_components", s.strong_components}};
    if (s.directed) {
      out["out_degree"] = degree_json(s.out_degree);
      out["in_degree"] = degree_json(s.in_degree);
    } else {
      out["degree"] = degree_json(s.out_degree);
    }
    std::cout << out.dump() << "\n";
    return;
  }
  auto row = [](const char* name, const std::string& value) {
    std::printf("%-19s %s\n", name, value.c_str());
  };
  row("file", options.file);
  row("format", graph_format_name(format));
  row("nodes", std::to_string(s.nodes));
  row("edges", std::to_string(s.edges));
  row("directed", s.directed ? "yes" : "no");
  row("weighted", s.weighted ? "yes" : "no");
  row("self-loops", std::to_string(s.self_loops));
  row("multi-edges", std::to_string(s.multi_edges));
  row("isolated nodes", std::to_string(s.isolated_nodes));
  row("weak components", std::to_string(s.weak_components));
  row("strong components", std::to_string(s.strong_components));
  if (s.directed) {
    row("out-degree", degree_text(s.out_degree));
    row("in-degree", degree_text(s.in_degree));
  } else {
    row("degree", degree_text(s.out_degree));
  }
}

const CommandRegistration registration{"info", [](CLI::App& app) {
  auto options = std::make_shared<InfoOptions>();
  CLI::App* cmd = app.add_subcommand("info", "Print statistics of a graph file (size, components, degrees) or of a dataset");
  cmd->footer(
      "Formats, chosen by extension:\n"
      "  .dot, .gv   GraphViz DOT: 'digraph' is directed, 'graph' undirected; optional 'weight' edge\n"
      "              attribute.\n"
      "  .graphml    GraphML: edgedefault=\"directed\" is directed, else undirected; optional 'weight'\n"
      "              edge key.\n"
      "  other       SNAP-style edge list: 'SOURCE TARGET [WEIGHT]' per line, separated by spaces or\n"
      "              tabs; '#' or '%' starts a comment line; ids are non-negative integers (up to\n"
      "              2^63-1), renumbered 0..n-1 in order of first appearance; directed unless\n"
      "              --undirected. Weights must be finite and >= 0.\n"
      "Degrees: directed graphs report out- and in-degree; undirected graphs one degree in which a\n"
      "self-loop counts twice. Malformed input exits with code 2 and 'FILE:LINE: what is wrong'.");
  cmd->add_option("FILE", options->file, "Graph file (edge list, .dot/.gv or .graphml)");
  cmd->add_option("--dataset", options->dataset.kind,
                  "A dataset instead of a file: ogbg-code2 | tu | sorting-networks (graphs, node/edge counts, labels, splits)");
  cmd->add_option("--root", options->dataset.root, "Dataset folder (ogbg-code2: holding ogbg_code2/; tu: holding NAME/)");
  cmd->add_option("--name", options->dataset.name, "TU dataset name, e.g. MUTAG");
  cmd->add_option("--seed", options->dataset.seed, "Seed of generated datasets (sorting-networks)");
  cmd->add_flag("--undirected", options->undirected,
                "Treat the graph as undirected (edge lists are directed by default; a directed DOT/GraphML "
                "graph loses its directions)");
  cmd->add_option("--duplicates", options->duplicates,
                  "Repeated endpoint pairs: keep (multi-graph), sum (one edge, weights summed) or collapse "
                  "(one edge, first weight)")
      ->check(CLI::IsMember({"keep", "sum", "collapse"}))
      ->default_str("keep");
  cmd->add_flag("--json", options->json, "Print one JSON object instead of a table");
  cmd->callback([options] { run_info(*options); });
}};

}  // namespace

}  // namespace graphtx::cli
