// What every graph reader takes (ReadOptions) and returns (LoadedGraph).
//   ReadOptions.undirected  edge lists are directed unless set; DOT and GraphML take their
//                           directedness from the file, and this flag turns a directed file into
//                           an undirected graph (every edge kept, direction dropped).
//   ReadOptions.duplicates  what to do with repeated endpoint pairs (see GraphBuilder).
//   LoadedGraph.node_ids    node_ids[i] is the id node i has in the file ([num_nodes] strings).
#pragma once

#include "graph/graph.hpp"
#include "graph/graph_builder.hpp"

#include <string>
#include <vector>

namespace graphtx {

struct ReadOptions {
  bool undirected = false;
  DuplicatePolicy duplicates = DuplicatePolicy::Keep;
};

struct LoadedGraph {
  Graph graph;
  std::vector<std::string> node_ids;
};

}  // namespace graphtx
