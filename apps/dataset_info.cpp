#include "apps/dataset_info.hpp"

#include "datasets/dataset_summary.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace graphtx::cli {

namespace {

nlohmann::json stats_json(const CountStats& c) {
  return {{"total", c.total}, {"min", c.min}, {"mean", c.mean}, {"median", c.median}, {"max", c.max}};
}

std::string stats_text(const CountStats& c) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%lld in all; per graph min %lld, mean %.2f, median %.1f, max %lld",
                static_cast<long long>(c.total), static_cast<long long>(c.min), c.mean, c.median, static_cast<long long>(c.max));
  return buf;
}

}  // namespace

void print_dataset_info(const DatasetSource& source, bool json) {
  const auto data = open_dataset(source);
  const DatasetSummary s = summarize_dataset(*data);
  if (json) {
    nlohmann::json classes = nlohmann::json::object(), splits = nlohmann::json::object();
    for (const auto& [c, n] : s.classes) classes[std::to_string(c)] = n;
    for (const auto& [name, n] : s.splits) splits[name] = n;
    const nlohmann::json out = {{"dataset", s.name},
                                {"graphs", s.graphs},
                                {"nodes", s.nodes.total},
                                {"edges", s.edges.total},
                                {"directed", s.directed},
                                {"node_stats", stats_json(s.nodes)},
                                {"edge_stats", stats_json(s.edges)},
                                {"label_tokens", stats_json(s.label_tokens)},
                                {"classes", classes},
                                {"splits", splits}};
    std::cout << out.dump() << "\n";
    return;
  }
  std::printf("%-14s %s\n", "dataset", s.name.c_str());
  std::printf("%-14s %lld\n", "graphs", static_cast<long long>(s.graphs));
  std::printf("%-14s %s\n", "directed", s.directed ? "yes" : "no");
  std::printf("%-14s %s\n", "nodes", stats_text(s.nodes).c_str());
  std::printf("%-14s %s\n", "edges", stats_text(s.edges).c_str());
  if (s.label_tokens.total > 0) std::printf("%-14s %s\n", "label tokens", stats_text(s.label_tokens).c_str());
  for (const auto& [c, n] : s.classes) std::printf("%-14s %lld graphs\n", ("class " + std::to_string(c)).c_str(), static_cast<long long>(n));
  for (const auto& [name, n] : s.splits) std::printf("%-14s %lld graphs\n", ("split " + name).c_str(), static_cast<long long>(n));
}

}  // namespace graphtx::cli
