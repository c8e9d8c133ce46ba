// TU graph-classification datasets (Morris et al. 2020): NAME_A.txt, NAME_graph_indicator.txt,
// NAME_graph_labels.txt and, when present, NAME_node_labels.txt, NAME_edge_labels.txt,
// NAME_node_attributes.txt, NAME_edge_attributes.txt, found in ROOT/NAME/ or ROOT/NAME/raw/
// (plain text or gzip). Node ids are 1-based over the whole dataset; graph ids non-decreasing.
// Undirected (default): TU lists every edge in both directions; each pair of lines (u,v),(v,u)
// becomes ONE undirected edge, placed at its first line, oriented as written there. A line whose
// reverse is missing, or whose reverse has different labels/attributes, is an InputError
// (self-loops are single lines). directed = true keeps every line as a directed edge.
// Labels: class id = rank of the raw graph label among the sorted distinct values (MUTAG -1/1 ->
// 0/1, as PyG does). Node/edge labels are integer features (raw values), attributes real features.
// Everything is read into memory: O(n + m).
#pragma once

#include "datasets/dataset.hpp"

#include <string>

namespace graphtx {

struct TuOptions {
  bool directed = false;
};

InMemoryDataset read_tu(const std::string& root, const std::string& name, const TuOptions& options = {});

}  // namespace graphtx
