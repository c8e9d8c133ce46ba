// Fuzz entry: ogbg-code2 (read_ogb_code2). The input holds the 13 files of the layout separated
// by 0xFF, as plain text (zlib reads plain files transparently); the dataset is then streamed
// (for_each_chunk) and read by random access (get).
#include "datasets/code2_reader.hpp"
#include "tests/fuzz/fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace graphtx;
  static const char* const kFiles[] = {
      "mapping/typeidx2type.csv.gz", "mapping/attridx2attr.csv.gz", "raw/num-node-list.csv.gz",
      "raw/num-edge-list.csv.gz",    "raw/graph-label.csv.gz",      "split/project/train.csv.gz",
      "split/project/valid.csv.gz",  "split/project/test.csv.gz",   "raw/node-feat.csv.gz",
      "raw/node_depth.csv.gz",       "raw/node_is_attributed.csv.gz", "raw/node_dfs_order.csv.gz",
      "raw/edge.csv.gz"};
  static const auto root = fuzz::scratch_dir("code2");
  const auto parts = fuzz::split_parts(fuzz::as_text(data, size), 13);
  for (std::size_t k = 0; k < parts.size(); ++k) fuzz::write_file(root / "ogbg_code2" / kFiles[k], parts[k]);
  fuzz::write_file(root / "ogbg_code2" / "RELEASE_v1.txt", "fuzz\n");
  fuzz::expect_clean([&] {
    Code2Options options;
    options.require_release_file = true;
    options.access_span = 64;
    const Code2Dataset dataset(root.string(), options);
    dataset.for_each_chunk(3, [](Index, std::vector<GraphExample>&) {});
    for (Index i = dataset.size() - 1; i >= 0; --i) dataset.get(i);
  });
  return 0;
}
