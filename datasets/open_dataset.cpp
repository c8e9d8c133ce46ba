#include "datasets/open_dataset.hpp"

#include "datasets/code2_reader.hpp"
#include "datasets/sorting_networks.hpp"
#include "datasets/tu_reader.hpp"
#include "graph/errors.hpp"
#include "graph/io/read_graph.hpp"

namespace graphtx {

const std::vector<std::string>& dataset_kinds() {
  static const std::vector<std::string> kinds{"ogbg-code2", "tu", "sorting-networks", "file"};
  return kinds;
}

std::unique_ptr<Dataset> open_dataset(const DatasetSource& s) {
  auto need = [&](const std::string& value, const char* what) {
    if (value.empty()) throw UsageError("dataset '" + s.kind + "' needs " + what);
  };
  if (s.kind == "ogbg-code2") {
    need(s.root, "--root DIR (the folder holding ogbg_code2/)");
    return std::make_unique<Code2Dataset>(s.root);
  }
  if (s.kind == "tu") {
    need(s.root, "--root DIR");
    need(s.name, "--name NAME (e.g. MUTAG)");
    return std::make_unique<InMemoryDataset>(read_tu(s.root, s.name));
  }
  if (s.kind == "sorting-networks") {
    SortingNetworkOptions options;
    options.seed = s.seed;
    return std::make_unique<InMemoryDataset>(make_sorting_network_dataset(options));
  }
  if (s.kind == "file") {
    need(s.path, "an input file");
    ReadOptions options;
    options.undirected = s.undirected;
    GraphExample example;
    example.graph = read_graph(s.path, options).graph;
    return std::make_unique<InMemoryDataset>(s.path, std::vector<GraphExample>{std::move(example)});
  }
  std::string kinds;
  for (const auto& k : dataset_kinds()) kinds += (kinds.empty() ? "" : ", ") + k;
  throw UsageError("unknown dataset '" + s.kind + "' (valid: " + kinds + ")");
}

}  // namespace graphtx
