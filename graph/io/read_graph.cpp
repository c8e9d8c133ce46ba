#include "graph/io/read_graph.hpp"

#include "graph/io/edge_list.hpp"
#include "graph/io/graphml.hpp"
#include "graph/io/graphviz.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace graphtx {

GraphFormat graph_format_of(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".dot" || extension == ".gv") return GraphFormat::Graphviz;
  if (extension == ".graphml") return GraphFormat::Graphml;
  return GraphFormat::EdgeList;
}

const char* graph_format_name(GraphFormat format) {
  switch (format) {
    case GraphFormat::Graphviz: return "GraphViz DOT";
    case GraphFormat::Graphml: return "GraphML";
    case GraphFormat::EdgeList: break;
  }
  return "edge list";
}

LoadedGraph read_graph(const std::string& path, const ReadOptions& options) {
  switch (graph_format_of(path)) {
    case GraphFormat::Graphviz: return read_graphviz(path, options);
    case GraphFormat::Graphml: return read_graphml(path, options);
    case GraphFormat::EdgeList: break;
  }
  EdgeListGraph edge_list = read_edge_list(path, options);
  LoadedGraph loaded;
  loaded.graph = std::move(edge_list.graph);
  loaded.node_ids.reserve(edge_list.original_ids.size());
  for (std::int64_t id : edge_list.original_ids) loaded.node_ids.push_back(std::to_string(id));
  return loaded;
}

}  // namespace graphtx
