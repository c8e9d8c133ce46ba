#include "tests/apps/run_cli.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace {

using Run = graphtx::test::CliRun;
using graphtx::test::run_graphtx;

std::string fixture(const std::string& name) { return std::string(GRAPHTX_FIXTURES_DIR) + "/graph/" + name; }
std::string snap(const std::string& name) { return std::string(GRAPHTX_DATA_DIR) + "/snap/" + name; }

nlohmann::json info_json(const std::string& args) {
  const Run run = run_graphtx("info --json " + args);
  INFO(run.out);
  REQUIRE(run.code == 0);
  return nlohmann::json::parse(run.out);
}

}  // namespace

TEST_CASE("graphtx info prints a table for the demo graph", "[apps]") {
  const Run run = run_graphtx("info '" + snap("C-elegans-frontal.txt") + "'");
  INFO(run.out);
  REQUIRE(run.code == 0);
  CHECK_THAT(run.out, Catch::Contains("nodes               131\n"));
  CHECK_THAT(run.out, Catch::Contains("edges               764\n"));
  CHECK_THAT(run.out, Catch::Contains("directed            yes\n"));
  CHECK_THAT(run.out, Catch::Contains("format              edge list\n"));
  CHECK_THAT(run.out, Catch::Contains("out-degree          min "));
  CHECK_THAT(run.out, Catch::Contains("mean 5.832"));  // 764 / 131 = 5.8321...
}

TEST_CASE("graphtx info --json on the shipped SNAP graphs", "[apps]") {
  const nlohmann::json wiki = info_json("'" + snap("wiki-Vote.txt") + "'");
  CHECK(wiki["graphs"] == 1);
  CHECK(wiki["nodes"] == 7115);
  CHECK(wiki["edges"] == 103689);
  CHECK(wiki["directed"] == true);
  CHECK(wiki["out_degree"]["mean"].get<double>() == Approx(103689.0 / 7115.0).epsilon(1e-12));
  CHECK(wiki["in_degree"]["mean"].get<double>() == Approx(103689.0 / 7115.0).epsilon(1e-12));
  const nlohmann::json p2p = info_json("'" + snap("p2p-Gnutella08.txt") + "'");
  CHECK(p2p["nodes"] == 6301);
  CHECK(p2p["edges"] == 20777);
  const nlohmann::json worm = info_json("'" + snap("C-elegans-frontal.txt") + "'");
  CHECK(worm["nodes"] == 131);
  CHECK(worm["edges"] == 764);
  CHECK(worm["format"] == "edge list");
  for (const char* key : {"self_loops", "multi_edges", "isolated_nodes", "weak_components", "strong_components"})
    CHECK(worm.contains(key));
}

TEST_CASE("graphtx info --json on small fixtures with known answers", "[apps]") {
  // 10->20->30->10 and 10->40: one weak component, strong {10,20,30} {40}.
  const nlohmann::json small = info_json("'" + fixture("small.txt") + "'");
  CHECK(small["nodes"] == 4);
  CHECK(small["edges"] == 4);
  CHECK(small["weak_components"] == 1);
  CHECK(small["strong_components"] == 2);
  CHECK(small["out_degree"] == nlohmann::json({{"min", 0}, {"mean", 1.0}, {"max", 2}}));
  CHECK(small["in_degree"] == nlohmann::json({{"min", 1}, {"mean", 1.0}, {"max", 1}}));

  const nlohmann::json undirected = info_json("--undirected '" + fixture("small.txt") + "'");
  CHECK(undirected["directed"] == false);
  CHECK(undirected["strong_components"] == 1);
  CHECK(undirected["degree"] == nlohmann::json({{"min", 1}, {"mean", 2.0}, {"max", 3}}));
  CHECK_FALSE(undirected.contains("out_degree"));

  const nlohmann::json summed = info_json("--undirected --duplicates sum '" + fixture("undirected_weighted.txt") + "'");
  CHECK(summed["edges"] == 4);
  CHECK(summed["multi_edges"] == 0);
  CHECK(summed["weighted"] == true);
  CHECK(info_json("--undirected '" + fixture("undirected_weighted.txt") + "'")["multi_edges"] == 1);

  const nlohmann::json dot = info_json("'" + fixture("small.dot") + "'");
  CHECK(dot["format"] == "GraphViz DOT");
  CHECK(dot["nodes"] == 4);
  CHECK(dot["isolated_nodes"] == 1);
  CHECK(dot["strong_components"] == 2);  // a->b->c->a is one, the isolated d the other
  const nlohmann::json gml = info_json("'" + fixture("undirected.graphml") + "'");
  CHECK(gml["format"] == "GraphML");
  CHECK(gml["directed"] == false);
  CHECK(gml["self_loops"] == 1);
  CHECK(gml["degree"] == nlohmann::json({{"min", 1}, {"mean", 2.0}, {"max", 3}}));
}

TEST_CASE("graphtx info: malformed input gives FILE:LINE and exit code 2", "[apps]") {
  const std::string bad = fixture("error_bad_id.txt");
  const Run run = run_graphtx("info '" + bad + "'");
  CHECK(run.code == 2);
  CHECK(run.out == "graphtx: " + bad + ":2: 'abc' is not a non-negative integer node id\n");
  const Run weight = run_graphtx("info --json '" + fixture("error_nan_weight.txt") + "'");
  CHECK(weight.code == 2);
  CHECK_THAT(weight.out, Catch::EndsWith(":2: weight 'nan' is not a finite number\n"));
  const Run missing = run_graphtx("info '" + fixture("no_such_file.txt") + "'");
  CHECK(missing.code == 2);
  CHECK_THAT(missing.out, Catch::Contains("no_such_file.txt: cannot open: No such file or directory"));
  const Run xml = run_graphtx("info '" + fixture("error_xml.graphml") + "'");
  CHECK(xml.code == 2);
  CHECK_THAT(xml.out, Catch::Contains("error_xml.graphml:5: invalid XML"));
}

TEST_CASE("graphtx info: usage errors exit 2 and --help explains the formats", "[apps]") {
  CHECK(run_graphtx("info").code == 2);
  CHECK(run_graphtx("info --duplicates merge '" + fixture("small.txt") + "'").code == 2);
  CHECK(run_graphtx("info --no-such-flag '" + fixture("small.txt") + "'").code == 2);
  const Run help = run_graphtx("info --help");
  CHECK(help.code == 0);
  CHECK_THAT(help.out, Catch::Contains("GraphViz DOT"));
  CHECK_THAT(help.out, Catch::Contains("GraphML"));
  CHECK_THAT(help.out, Catch::Contains("SNAP-style edge list"));
}
