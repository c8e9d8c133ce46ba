// Internal to graph/io: the Boost.Graph types the DOT and GraphML parsers fill, a dynamic
// property map collecting the optional `weight` edge attribute as text, and the conversion of
// such a parsed graph into a LoadedGraph (weights validated like edge-list weights).
// Cost: O(n + m) beyond Boost's parse.
#pragma once

#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"
#include "graph/io/read_options.hpp"
#include "graph/io/text_io.hpp"
#include "graph/transforms.hpp"

#include <boost/any.hpp>
#include <boost/graph/adjacency_list.hpp>
#include <boost/property_map/dynamic_property_map.hpp>

#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <vector>

namespace graphtx::io_detail {

struct FileVertex {
  std::string id;
};

struct FileEdge {
  std::string weight;  // as written in the file
  bool has_weight = false;
};

// Directedness: boost::bidirectionalS or boost::undirectedS (both keep edges in file order).
template <class Directedness>
using FileGraph = boost::adjacency_list<boost::vecS, boost::vecS, Directedness, FileVertex, FileEdge>;

// Accepts the `weight` attribute as a string (DOT) or as a typed GraphML value.
template <class BoostGraph>
class WeightAttribute : public boost::dynamic_property_map {
 public:
  using Edge = typename boost::graph_traits<BoostGraph>::edge_descriptor;
  explicit WeightAttribute(BoostGraph& graph) : graph_(graph) {}

  boost::any get(const boost::any& key) override { return graph_[boost::any_cast<Edge>(key)].weight; }
  std::string get_string(const boost::any& key) override { return graph_[boost::any_cast<Edge>(key)].weight; }
  void put(const boost::any& key, const boost::any& value) override {
    FileEdge& edge = graph_[boost::any_cast<Edge>(key)];
    edge.has_weight = true;
    if (value.type() == typeid(std::string)) edge.weight = boost::any_cast<std::string>(value);
    else if (value.type() == typeid(double)) edge.weight = format_double(boost::any_cast<double>(value));
    else if (value.type() == typeid(float)) edge.weight = format_double(boost::any_cast<float>(value));
    else if (value.type() == typeid(int)) edge.weight = std::to_string(boost::any_cast<int>(value));
    else if (value.type() == typeid(long)) edge.weight = std::to_string(boost::any_cast<long>(value));
    else edge.weight = boost::any_cast<bool>(value) ? "1" : "0";  // GraphML booleans are written 0 / 1
  }
  const std::type_info& key() const override { return typeid(Edge); }
  const std::type_info& value() const override { return typeid(std::string); }

 private:
  BoostGraph& graph_;
};

// Builds the LoadedGraph of a parsed file: nodes in the order given by `order` (order[i] = Boost
// vertex that becomes node i), edges in file order, weights checked ("FILE:LINE: edge E (A -> B):
// weight 'x' is not a number", ids as in the file; LINE when the weight text is unique in `text`).
template <class BoostGraph>
LoadedGraph to_loaded_graph(const BoostGraph& bg, const std::vector<std::size_t>& order, const std::string& name,
                            const ReadOptions& options, std::string_view text) {
  const bool directed = std::is_convertible<typename boost::graph_traits<BoostGraph>::directed_category,
                                            boost::directed_tag>::value;
  LoadedGraph loaded;
  std::vector<Index> node_of(order.size());
  loaded.node_ids.reserve(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    node_of[order[i]] = static_cast<Index>(i);
    loaded.node_ids.push_back(bg[order[i]].id);
  }
  GraphBuilder builder(static_cast<Index>(order.size()), directed);
  const bool make_undirected = options.undirected && directed;
  builder.duplicate_policy(make_undirected ? DuplicatePolicy::Keep : options.duplicates).reserve_edges(static_cast<Index>(boost::num_edges(bg)));
  bool weighted = false;
  const auto edge_range = boost::edges(bg);
  for (auto it = edge_range.first; it != edge_range.second; ++it) weighted = weighted || bg[*it].has_weight;
  Index e = 0;
  for (auto it = edge_range.first; it != edge_range.second; ++it, ++e) {
    const Index u = node_of[boost::source(*it, bg)];
    const Index v = node_of[boost::target(*it, bg)];
    if (!weighted) {
      builder.add_edge(u, v);
      continue;
    }
    double weight = 1.0;
    if (bg[*it].has_weight) {
      const std::string problem = parse_weight(bg[*it].weight, weight);
      if (!problem.empty())
        throw InputError(name, unique_line(text, bg[*it].weight), "edge " + std::to_string(e) + " (" + loaded.node_ids[u] + (directed ? " -> " : " -- ") +
                                      loaded.node_ids[v] + "): " + problem);
    }
    builder.add_edge(u, v, weight);
  }
  loaded.graph = builder.build();
  if (make_undirected) loaded.graph = to_undirected(loaded.graph, options.duplicates);
  return loaded;
}

}  // namespace graphtx::io_detail
