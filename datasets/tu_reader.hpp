// TU graph-classification datasets (Morris et al. 2020): NAME_A.txt, NAME_graph_indicator.txt,
// NAME_graph_labels.txt and, when present, node/edge labels and node/edge attributes, found in
// ROOT/NAME/ or ROOT/NAME/raw/ (plain text or gzip). Undirected by default: each TU edge pair
// (u,v),(v,u) becomes ONE edge (see read_tu). Class id = rank of the raw graph label among the
// sorted distinct values (MUTAG -1/1 -> 0/1, as PyG). Node/edge labels -> integer features, node/
// edge attributes -> real features. Reads everything into memory: O(n + m).
#pragma once

#include "datasets/dataset.hpp"

#include <string>

namespace graphtx {

struct TuOptions {
  bool directed = false;
};

// Node ids are 1-based over the whole dataset; graph ids must not decrease. Undirected: every line
// (u,v) must have a reverse line (v,u) with equal labels/attributes (else InputError naming the
// line); the pair becomes one edge placed at its first line, oriented as written there;
// self-loops are single lines. options.directed keeps every line as a directed edge.
InMemoryDataset read_tu(const std::string& root, const std::string& name, const TuOptions& options = {});

}  // namespace graphtx
