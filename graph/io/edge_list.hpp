// SNAP-style edge lists: one edge "SOURCE TARGET [WEIGHT]" per line, columns separated by any
// run of spaces or tabs; lines starting with '#' or '%' are comments; empty lines, CRLF line
// ends and a UTF-8 byte-order mark are tolerated. Ids are integers in [0, 2^63-1], remapped to
// 0..n-1 in order of first appearance (original_ids[i] = id of node i in the file). A third
// column makes the graph weighted; every data line must then have one (finite, >= 0).
// Errors: InputError "FILE:LINE: what is wrong". Cost: one streaming pass, O(n + m) memory.
#pragma once

#include "graph/graph.hpp"
#include "graph/io/read_options.hpp"

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace graphtx {

struct EdgeListGraph {
  Graph graph;
  std::vector<std::int64_t> original_ids;  // [num_nodes]
};

// Reads PATH. Edge lists carry no direction: directed unless options.undirected.
EdgeListGraph read_edge_list(const std::string& path, const ReadOptions& options = {});

// Parses a stream; `name` is the file name used in error messages.
EdgeListGraph parse_edge_list(std::istream& in, const std::string& name, const ReadOptions& options = {});

// Writes g as "u<TAB>v[<TAB>w]" lines after a '#' header, in edge order, atomically (PATH.tmp,
// then rename). Nodes are written as original_ids[u] when given ([num_nodes]), else as u.
// Nodes without edges cannot be represented and are lost; weights are written exactly.
void write_edge_list(const Graph& g, const std::string& path, const std::vector<std::int64_t>& original_ids = {});

}  // namespace graphtx
