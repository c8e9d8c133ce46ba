// Fuzz entry: GraphViz DOT (parse_graphviz); a parsed graph has one id per node.
#include "graph/io/graphviz.hpp"
#include "tests/fuzz/fuzz_util.hpp"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace graphtx;
  const std::string text(fuzz::as_text(data, size));
  fuzz::expect_clean([&] {
    const LoadedGraph g = parse_graphviz(text, "fuzz.dot");
    if (static_cast<Index>(g.node_ids.size()) != g.graph.num_nodes()) throw std::logic_error("DOT: ids != nodes");
  });
  return 0;
}
