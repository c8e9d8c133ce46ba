// graphtx pe --max-pair-gib: an all-pairs pair encoding above the limit is refused (exit 2, a
// message with the sizes and the limit, no output file, no chunk computed); the same command
// with the default limit (1 GiB) writes the encoding.
#include "datasets/npz_file.hpp"
#include "tests/apps/run_cli.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;
using namespace graphtx;
using graphtx::test::run_graphtx;

TEST_CASE("graphtx pe: --max-pair-gib refuses pairs=all above the limit, the default limit accepts it", "[apps][limits]") {
  const fs::path dir = fs::temp_directory_path() / ("graphtx_pair_limit_test_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string graph = (dir / "cycle5.txt").string();
  {
    std::ofstream out(graph);
    out << "# directed 5-cycle\n0 1\n1 2\n2 3\n3 4\n4 0\n";
  }
  // rrwp:K=4,pairs=all on 5 nodes: 5^2 pairs x (2 index + 4 value) x 8 bytes = 1200 bytes.
  // --max-pair-gib 1e-6 is 1e-6 * 2^30 = 1073 bytes.
  const std::string out = (dir / "cycle5.npz").string();
  const std::string base = "pe -q -j 1 --input '" + graph + "' --pe rrwp:K=4,pairs=all --out '" + out + "'";

  const auto refused = run_graphtx(base + " --max-pair-gib 1e-6");
  INFO(refused.out);
  CHECK(refused.code == 2);
  CHECK_THAT(refused.out, Catch::StartsWith("graphtx: ") &&
                             Catch::Contains("graph 0, encoding rrwp: rrwp: pairs=all on a graph of 5 nodes needs about 1200 bytes "
                                             "(5^2 pairs x 4 channels), above the pair memory limit of 1073 bytes"));
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(fs::exists(out + ".tmp"));
  // Only the job manifest may exist in OUT.parts/ (kept for --resume): no chunk was written.
  if (fs::exists(out + ".parts"))
    for (const auto& e : fs::directory_iterator(out + ".parts")) CHECK(e.path().filename() == "manifest.json");

  const auto tiny = run_graphtx(base + " --max-pair-gib 1e-9");  // 1 byte
  CHECK(tiny.code == 2);
  CHECK_THAT(tiny.out, Catch::Contains("above the pair memory limit of 1 bytes"));
  CHECK_FALSE(fs::exists(out));

  const auto accepted = run_graphtx(base);
  INFO(accepted.out);
  REQUIRE(accepted.code == 0);
  REQUIRE(fs::exists(out));
  CHECK_FALSE(fs::exists(out + ".parts"));
  std::map<std::string, NamedArray> arrays;
  for (auto& a : read_npz(out)) arrays.emplace(a.name, std::move(a));
  REQUIRE(arrays.count("rrwp.index") == 1);
  REQUIRE(arrays.count("rrwp.value") == 1);
  CHECK(arrays.at("rrwp.index").shape == std::vector<std::int64_t>{2, 25});
  CHECK(arrays.at("rrwp.value").shape == std::vector<std::int64_t>{25, 4});
  // All 25 pairs, row-major; on the directed cycle M^t(u, v) = 1 exactly when v = u + t (mod 5).
  const std::vector<std::int64_t> index = arrays.at("rrwp.index").values<std::int64_t>();
  const std::vector<float> value = arrays.at("rrwp.value").values<float>();
  REQUIRE(index.size() == 50);
  REQUIRE(value.size() == 100);
  for (int u = 0; u < 5; ++u) {
    for (int v = 0; v < 5; ++v) {
      const int p = u * 5 + v;
      CHECK(index[p] == u);
      CHECK(index[25 + p] == v);
      for (int t = 0; t < 4; ++t) {
        INFO("pair (" << u << "," << v << ") channel " << t);
        CHECK(value[p * 4 + t] == ((u + t) % 5 == v ? 1.0f : 0.0f));
      }
    }
  }
  fs::remove_all(dir);
}
