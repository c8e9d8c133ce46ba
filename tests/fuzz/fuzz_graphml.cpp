// Fuzz entry: GraphML (parse_graphml); a parsed graph has one id per node.
#include "graph/io/graphml.hpp"
#include "tests/fuzz/fuzz_util.hpp"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace graphtx;
  const std::string text(fuzz::as_text(data, size));
  fuzz::expect_clean([&] {
    const LoadedGraph g = parse_graphml(text, "fuzz.graphml");
    if (static_cast<Index>(g.node_ids.size()) != g.graph.num_nodes()) throw std::logic_error("GraphML: ids != nodes");
  });
  return 0;
}
