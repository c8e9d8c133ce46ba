// Fuzz entry: SNAP edge lists (parse_edge_list), directed and undirected; a parsed graph must
// have as many original ids as nodes and every edge inside [0, n).
#include "graph/io/edge_list.hpp"
#include "tests/fuzz/fuzz_util.hpp"

#include <sstream>
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace graphtx;
  const std::string text(fuzz::as_text(data, size));
  for (bool undirected : {false, true}) {
    fuzz::expect_clean([&] {
      std::istringstream in(text);
      ReadOptions options;
      options.undirected = undirected;
      const EdgeListGraph g = parse_edge_list(in, "fuzz.txt", options);
      if (static_cast<Index>(g.original_ids.size()) != g.graph.num_nodes() || g.graph.num_edges() == 0)
        throw std::logic_error("edge list: inconsistent graph");
      for (Index e = 0; e < g.graph.num_edges(); ++e)
        if (g.graph.source(e) < 0 || g.graph.source(e) >= g.graph.num_nodes() || g.graph.target(e) < 0 ||
            g.graph.target(e) >= g.graph.num_nodes())
          throw std::logic_error("edge list: edge endpoint out of range");
    });
  }
  return 0;
}
