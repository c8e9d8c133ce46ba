// GraphViz DOT files through Boost.Graph's parser (boost::read_graphviz): `digraph` gives a
// directed graph, `graph` an undirected one; an optional `weight` edge attribute makes the
// graph weighted (edges without it weigh 1; values finite and >= 0). Nodes are numbered by
// their DOT id: numerically if every id is a non-negative integer, else in byte order; edges
// keep file order; a UTF-8 byte-order mark is skipped; `strict` is not enforced (use Collapse).
// Errors: InputError naming the file (and the line when it can be found). O(size + (n + m) log n).
#pragma once

#include "graph/graph.hpp"
#include "graph/io/read_options.hpp"

#include <string>
#include <vector>

namespace graphtx {

LoadedGraph read_graphviz(const std::string& path, const ReadOptions& options = {});

// Parses DOT text; `name` is the file name used in error messages.
LoadedGraph parse_graphviz(const std::string& text, const std::string& name, const ReadOptions& options = {});

// Writes g as DOT (digraph or graph; `weight` attributes when weighted, exact), atomically.
// Node ids are node_ids[u] when given ([num_nodes]), else u.
void write_graphviz(const Graph& g, const std::string& path, const std::vector<std::string>& node_ids = {});

}  // namespace graphtx
