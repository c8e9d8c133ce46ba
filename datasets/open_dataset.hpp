// open_dataset: one entry point from a dataset name (as the CLI and the trainer spell it) to a
// Dataset: "ogbg-code2" (ROOT holds ogbg_code2/), "tu" (ROOT/NAME/NAME_A.txt), "sorting-networks"
// (generated from a seed; ROOT unused), "file" (one graph: edge list, DOT or GraphML).
// UsageError naming the valid kinds or the missing argument; reader errors propagate as
// InputError. Opening code2 streams over its files once to check them; the others load into memory.
#pragma once

#include "datasets/dataset.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace graphtx {

struct DatasetSource {
  std::string kind;          // ogbg-code2 | tu | sorting-networks | file
  std::string root;          // ogbg-code2, tu
  std::string name;          // tu: dataset name (MUTAG, PROTEINS, ...)
  std::string path;          // file: the graph file
  bool undirected = false;   // file: read edges as undirected
  std::uint64_t seed = 0;    // sorting-networks
};

// The names accepted as DatasetSource::kind, for --help and error messages.
const std::vector<std::string>& dataset_kinds();

std::unique_ptr<Dataset> open_dataset(const DatasetSource& source);

}  // namespace graphtx
