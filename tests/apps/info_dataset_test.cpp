#include "tests/apps/run_cli.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using graphtx::test::run_graphtx;

TEST_CASE("graphtx info --dataset: JSON statistics of the shipped datasets", "[apps]") {
  const std::string data = GRAPHTX_DATA_DIR;
  const auto mutag = run_graphtx("info --dataset tu --root '" + data + "/tu' --name MUTAG --json");
  INFO(mutag.out);
  REQUIRE(mutag.code == 0);
  const auto m = nlohmann::json::parse(mutag.out);
  CHECK(m["graphs"] == 188);
  CHECK(m["nodes"] == 3371);
  CHECK(m["edges"] == 3721);  // 7,442 lines in MUTAG_A.txt, each undirected edge listed twice
  CHECK(m["classes"]["0"] == 63);
  CHECK(m["classes"]["1"] == 125);

  const auto code2 = run_graphtx("info --dataset ogbg-code2 --root '" + data + "/code2' --json");
  INFO(code2.out);
  REQUIRE(code2.code == 0);
  const auto c = nlohmann::json::parse(code2.out.substr(code2.out.find('{')));
  CHECK(c["graphs"] == 4000);
  CHECK(c["nodes"] == 391669);
  CHECK(c["edges"] == 387669);
  CHECK(c["node_stats"]["median"] == 53.0);
  CHECK(c["splits"]["train"] == 3200);
  CHECK(c["splits"]["valid"] == 400);
  CHECK(c["splits"]["test"] == 400);

  const auto table = run_graphtx("info --dataset tu --root '" + data + "/tu' --name MUTAG");
  CHECK(table.code == 0);
  CHECK_THAT(table.out, Catch::Contains("graphs         188"));
}

TEST_CASE("graphtx info --dataset: bad data and usage errors exit with 2", "[apps]") {
  const fs::path root = fs::temp_directory_path() / ("graphtx_info_dataset_" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "MUTAG");
  fs::copy(fs::path(GRAPHTX_DATA_DIR) / "tu" / "MUTAG", root / "MUTAG", fs::copy_options::recursive);
  {
    std::ofstream a(root / "MUTAG" / "MUTAG_A.txt", std::ios::app);
    a << "2, x\n";
  }
  const auto bad = run_graphtx("info --dataset tu --root '" + root.string() + "' --name MUTAG");
  CHECK(bad.code == 2);
  CHECK_THAT(bad.out, Catch::Contains("MUTAG_A.txt:7443:"));
  fs::remove_all(root);

  CHECK(run_graphtx("info --dataset tu --root /nonexistent-root --name MUTAG").code == 2);
  const auto both = run_graphtx("info --dataset tu some_file.txt");
  CHECK(both.code == 2);
  CHECK_THAT(both.out, Catch::Contains("exactly one of FILE or --dataset"));
  CHECK(run_graphtx("info").code == 2);
}
