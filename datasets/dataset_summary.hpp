// Summary statistics of a Dataset in one streaming pass (for_each_chunk): graph count, node and
// edge counts (total, min, mean, median, max per graph), class-label counts, text-label lengths
// and split sizes. Memory O(graphs) (per-graph sizes for the medians) plus one chunk.
#pragma once

#include "datasets/dataset.hpp"

#include <cstdint>
#include <map>
#include <string>

namespace graphtx {

struct CountStats {
  Index total = 0, min = 0, max = 0;
  double mean = 0.0, median = 0.0;  // median of an even count: mean of the two middle values
};

struct DatasetSummary {
  std::string name;
  Index graphs = 0;
  bool directed = true;  // all graphs directed (false if any is undirected)
  CountStats nodes, edges;
  std::map<std::int64_t, Index> classes;  // first label entry -> graphs (graphs with a label)
  CountStats label_tokens;                // text-label lengths (all zero without text labels)
  std::map<std::string, Index> splits;    // split name -> graphs
};

DatasetSummary summarize_dataset(const Dataset& dataset, Index chunk = 256);

}  // namespace graphtx
