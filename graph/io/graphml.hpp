// GraphML files through Boost.Graph's parser (boost::read_graphml): edgedefault="directed"
// gives a directed graph, anything else an undirected one; an optional `weight` edge key (any
// numeric or string type) makes the graph weighted (edges without it weigh 1 unless the key has
// a default; values finite and >= 0). Node i is the i-th <node> of the first <graph>, and
// node_ids[i] its id attribute (nodes of nested graphs are ignored); edges keep file order. Errors: InputError naming the file (and
// the line for XML syntax errors). Cost: O(file size + n + m); the XML is parsed twice.
#pragma once

#include "graph/graph.hpp"
#include "graph/io/read_options.hpp"

#include <string>

namespace graphtx {

LoadedGraph read_graphml(const std::string& path, const ReadOptions& options = {});

// Parses GraphML text; `name` is the file name used in error messages.
LoadedGraph parse_graphml(const std::string& text, const std::string& name, const ReadOptions& options = {});

// Writes g as GraphML (node ids n0..n{n-1}; a double `weight` key when weighted, exact), atomically.
void write_graphml(const Graph& g, const std::string& path);

}  // namespace graphtx
