#include "tests/apps/run_cli.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using graphtx::test::run_graphtx;

TEST_CASE("graphtx bench: a 2-cell grid writes results.md, results.csv and results.png, then resumes", "[apps]") {
  const fs::path dir = fs::temp_directory_path() / ("graphtx_bench_test_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string grid = (dir / "grid.json").string();
  std::ofstream(grid) << R"({"datasets": ["tu"], "roots": {"tu": ")" << GRAPHTX_DATA_DIR << R"(/tu"}, "name": "MUTAG",
    "models": ["gcn"], "pe": [["none"], ["rwse:K=4"]], "seeds": [1], "epochs": 2, "dim": 16, "layers": 2, "heads": 2})";
  const auto first = run_graphtx("bench -q --grid '" + grid + "' --out '" + (dir / "out").string() + "'");
  INFO(first.out);
  REQUIRE(first.code == 0);
  for (const char* f : {"results.md", "results.csv", "results.png"}) CHECK(fs::file_size(dir / "out" / f) > 0);
  std::ifstream csv(dir / "out" / "results.csv");
  std::string header, line;
  std::getline(csv, header);
  int rows = 0;
  while (std::getline(csv, line)) ++rows;
  CHECK(rows == 2);
  const auto second = run_graphtx("bench -q --grid '" + grid + "' --out '" + (dir / "out").string() + "'");
  CHECK(second.code == 0);
  CHECK(second.out.find("done, skipped") != std::string::npos);
  std::ofstream(dir / "bad.json") << "{\"datasets\": [\"tu\"],\n\"modles\": [\"gcn\"]}";
  const auto bad = run_graphtx("bench --grid '" + (dir / "bad.json").string() + "' --out '" + (dir / "o2").string() + "'");
  CHECK(bad.code == 2);
  CHECK(bad.out.find("bad.json:1: missing key") != std::string::npos);
  fs::remove_all(dir);
}
