// Fuzz entry: the `graphtx bench` grid file (parse_bench_grid, a pure function of the text) and
// the expansion of an accepted grid into its cells, which must number
// datasets x models x PE sets x seeds.
#include "layers/training/bench_grid.hpp"
#include "tests/fuzz/fuzz_util.hpp"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace graphtx;
  const std::string text(fuzz::as_text(data, size));
  fuzz::expect_clean([&] {
    const BenchGrid grid = parse_bench_grid(text, "grid.json");
    const std::size_t cells = grid.datasets.size() * grid.models.size() * grid.pe_sets.size() * grid.seeds.size();
    if (cells > 10000) return;  // a valid but huge grid: expansion cost, not a parser property
    if (expand_grid(grid, "out").size() != cells) throw std::logic_error("bench grid: wrong number of cells");
  });
  return 0;
}
