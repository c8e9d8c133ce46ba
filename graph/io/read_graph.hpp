// read_graph: reads any supported graph file, choosing the reader by extension:
//   .dot / .gv -> GraphViz DOT, .graphml -> GraphML, anything else -> SNAP-style edge list
// (extensions compared case-insensitively). Returns the graph and every node's id in the file.
// Errors: InputError naming the file (and the line when known), e.g. a missing file.
#pragma once

#include "graph/io/read_options.hpp"

#include <string>

namespace graphtx {

enum class GraphFormat { EdgeList, Graphviz, Graphml };

GraphFormat graph_format_of(const std::string& path);
// "edge list", "GraphViz DOT" or "GraphML".
const char* graph_format_name(GraphFormat format);

LoadedGraph read_graph(const std::string& path, const ReadOptions& options = {});

}  // namespace graphtx
