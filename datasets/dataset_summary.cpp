#include "datasets/dataset_summary.hpp"

#include <algorithm>
#include <vector>

namespace graphtx {

namespace {

CountStats stats_of(std::vector<Index> values) {
  CountStats s;
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  for (Index v : values) s.total += v;
  s.min = values.front();
  s.max = values.back();
  const std::size_t n = values.size();
  s.mean = static_cast<double>(s.total) / static_cast<double>(n);
  s.median = n % 2 == 1 ? static_cast<double>(values[n / 2])
                        : 0.5 * (static_cast<double>(values[n / 2 - 1]) + static_cast<double>(values[n / 2]));
  return s;
}

}  // namespace

DatasetSummary summarize_dataset(const Dataset& dataset, Index chunk) {
  DatasetSummary out;
  out.name = dataset.name();
  out.graphs = dataset.size();
  std::vector<Index> nodes, edges, tokens;
  nodes.reserve(static_cast<std::size_t>(dataset.size()));
  edges.reserve(static_cast<std::size_t>(dataset.size()));
  bool any_tokens = false;
  dataset.for_each_chunk(chunk, [&](Index, std::vector<GraphExample>& examples) {
    for (const auto& e : examples) {
      nodes.push_back(e.graph.num_nodes());
      edges.push_back(e.graph.num_edges());
      tokens.push_back(static_cast<Index>(e.tokens.size()));
      any_tokens = any_tokens || !e.tokens.empty();
      out.directed = out.directed && e.graph.directed();
      if (!e.label.empty()) ++out.classes[e.label.front()];
    }
  });
  out.nodes = stats_of(std::move(nodes));
  out.edges = stats_of(std::move(edges));
  if (any_tokens) out.label_tokens = stats_of(std::move(tokens));
  for (const auto& [name, ids] : dataset.splits()) out.splits[name] = static_cast<Index>(ids.size());
  return out;
}

}  // namespace graphtx
