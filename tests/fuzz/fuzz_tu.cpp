// Fuzz entry: TU datasets (read_tu). The input holds the files of dataset F separated by 0xFF:
// A, graph_indicator, graph_labels, node_labels, edge_labels, node_attributes, edge_attributes
// (empty optional parts are left out). Both the undirected and the directed reading are run.
#include "datasets/tu_reader.hpp"
#include "tests/fuzz/fuzz_util.hpp"

#include <filesystem>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace graphtx;
  static const char* const kFiles[] = {"A", "graph_indicator", "graph_labels", "node_labels",
                                       "edge_labels", "node_attributes", "edge_attributes"};
  static const auto root = fuzz::scratch_dir("tu");
  const auto parts = fuzz::split_parts(fuzz::as_text(data, size), 7);
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const auto path = root / "F" / ("F_" + std::string(kFiles[k]) + ".txt");
    if (k < 3 || !parts[k].empty()) fuzz::write_file(path, parts[k]);
    else std::filesystem::remove(path);  // absent optional file (one unlink, not a directory rebuild)
  }
  for (bool directed : {false, true}) {
    fuzz::expect_clean([&] {
      TuOptions options;
      options.directed = directed;
      const InMemoryDataset dataset = read_tu(root.string(), "F", options);
      for (Index i = 0; i < dataset.size(); ++i) dataset.get(i);
    });
  }
  return 0;
}
