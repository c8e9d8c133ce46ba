// A user program: builds the directed path 0 -> 1 -> 2 through the installed graphtx headers.
#include <graphtx/graph/graph_builder.hpp>

#include <iostream>

int main() {
  graphtx::GraphBuilder builder(3, /*directed=*/false);
  builder.add_edge(0, 1).add_edge(1, 2);
  const graphtx::Graph g = builder.build();
  std::cout << "nodes=" << g.num_nodes() << " edges=" << g.num_edges() << " out(1)=" << g.out_degree(1) << "\n";
  return g.num_nodes() == 3 ? 0 : 1;
}
