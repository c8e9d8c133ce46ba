#include "datasets/tu_reader.hpp"
#include "graph/errors.hpp"
#include "tests/datasets/dataset_test_util.hpp"

#include <catch2/catch.hpp>

using namespace graphtx;
using graphtx_test::error_text;
namespace fs = std::filesystem;

namespace {

const std::string kTu = std::string(GRAPHTX_DATA_DIR) + "/tu";

// A two-graph TOY dataset: graph 1 = path 1-2-3, graph 2 = edge 4-5 plus a self-loop on 5.
void write_toy(const fs::path& dir, const std::string& a_txt) {
  fs::create_directories(dir);
  graphtx_test::write_bytes((dir / "TOY_A.txt").string(), a_txt);
  graphtx_test::write_bytes((dir / "TOY_graph_indicator.txt").string(), "1\n1\n1\n2\n2\n");
  graphtx_test::write_bytes((dir / "TOY_graph_labels.txt").string(), "3\n-2\n");
  graphtx_test::write_bytes((dir / "TOY_node_attributes.txt").string(), "0.5, 1\n1.5, 2\n2.5, 3\n3.5, 4\n4.5, 5\n");
}
const std::string kToyEdges = "1, 2\n2, 1\n3, 2\n2, 3\n4, 5\n5, 4\n5, 5\n";

}  // namespace

TEST_CASE("TU MUTAG: 188 graphs, 3,371 nodes, 7,442 edge lines = 3,721 undirected edges, 2 classes", "[datasets]") {
  const InMemoryDataset ds = read_tu(kTu, "MUTAG");
  REQUIRE(ds.size() == 188);
  CHECK(ds.name() == "MUTAG");
  CHECK(ds.splits().empty());
  Index nodes = 0, edges = 0, positives = 0;
  for (Index i = 0; i < ds.size(); ++i) {
    const GraphExample e = ds.get(i);
    nodes += e.graph.num_nodes();
    edges += e.graph.num_edges();
    REQUIRE(e.label.size() == 1);
    REQUIRE((e.label[0] == 0 || e.label[0] == 1));
    positives += e.label[0];
    REQUIRE_FALSE(e.graph.directed());
    REQUIRE(e.graph.node_features().ints.cols() == 1);
    REQUIRE(e.graph.edge_features().ints.cols() == 1);
    REQUIRE(e.graph.num_multi_edges() == 0);
  }
  CHECK(nodes == 3371);
  CHECK(2 * edges == 7442);
  CHECK(positives == 125);  // raw label 1 -> class 1 (125 graphs), raw -1 -> class 0 (63)
  const GraphExample g0 = ds.get(0);
  CHECK(g0.graph.num_nodes() == 17);
  CHECK(g0.graph.num_edges() == 19);  // 38 lines
  CHECK(g0.label == std::vector<std::int64_t>{1});
  CHECK(g0.graph.source(0) == 1);  // first line "2, 1" (1-based)
  CHECK(g0.graph.target(0) == 0);
  CHECK(g0.graph.source(1) == 2);  // third line "3, 2"
  CHECK(g0.graph.node_features().ints(14, 0) == 1);  // N
  CHECK(g0.graph.node_features().ints(16, 0) == 2);  // O
}

TEST_CASE("TU MUTAG directed: every line is an edge", "[datasets]") {
  TuOptions options;
  options.directed = true;
  const InMemoryDataset ds = read_tu(kTu, "MUTAG", options);
  Index edges = 0;
  for (Index i = 0; i < ds.size(); ++i) edges += ds.get(i).graph.num_edges();
  CHECK(edges == 7442);
  CHECK(ds.get(0).graph.directed());
}

TEST_CASE("TU PROTEINS: 1,113 graphs, 162,088 edge lines, 1 node attribute, 2 classes", "[datasets]") {
  const InMemoryDataset ds = read_tu(kTu, "PROTEINS");
  REQUIRE(ds.size() == 1113);
  Index nodes = 0, edges = 0, ones = 0;
  for (Index i = 0; i < ds.size(); ++i) {
    const GraphExample e = ds.get(i);
    nodes += e.graph.num_nodes();
    edges += e.graph.num_edges();
    ones += e.label[0];
    REQUIRE(e.graph.node_features().reals.cols() == 1);
  }
  CHECK(nodes == 43471);
  CHECK(2 * edges == 162088);
  CHECK(ones == 450);  // raw 1 -> class 0 (663), raw 2 -> class 1 (450)
  const GraphExample g0 = ds.get(0);
  CHECK(g0.graph.num_nodes() == 42);
  CHECK(g0.graph.num_edges() == 81);
  CHECK(g0.graph.node_features().reals(0, 0) == 23.0);
  CHECK(g0.graph.node_features().reals(2, 0) == 25.0);
}

TEST_CASE("TU reader: raw/ layout, attributes, self-loops and label ranks on a hand-made dataset", "[datasets]") {
  graphtx_test::TempDir tmp;
  write_toy(tmp.path() / "TOY" / "raw", kToyEdges);
  const InMemoryDataset ds = read_tu(tmp.path().string(), "TOY");
  REQUIRE(ds.size() == 2);
  const Graph g1 = ds.get(0).graph, g2 = ds.get(1).graph;
  CHECK(ds.get(0).label == std::vector<std::int64_t>{1});  // raw 3 > raw -2
  CHECK(ds.get(1).label == std::vector<std::int64_t>{0});
  CHECK(g1.num_nodes() == 3);
  CHECK(g1.sources() == std::vector<Index>{0, 2});
  CHECK(g1.targets() == std::vector<Index>{1, 1});
  CHECK(g2.num_nodes() == 2);
  CHECK(g2.num_edges() == 2);  // {4,5} once and the self-loop once
  CHECK(g2.num_self_loops() == 1);
  CHECK(g2.node_features().reals.rows() == 2);
  CHECK(g2.node_features().reals(1, 0) == 4.5);
  CHECK(g2.node_features().reals(1, 1) == 5.0);
}

TEST_CASE("TU reader: bad inputs name file and line", "[datasets]") {
  graphtx_test::TempDir tmp;
  const fs::path dir = tmp.path() / "TOY";
  const std::string root = tmp.path().string();
  auto error = [&] { return error_text<InputError>([&] { read_tu(root, "TOY"); }); };
  SECTION("missing reverse direction") {
    write_toy(dir, "1, 2\n2, 1\n3, 2\n4, 5\n5, 4\n");
    CHECK(error().find((dir / "TOY_A.txt").string() + ":3: edge 3, 2 has no reverse line") == 0);
  }
  SECTION("edge between graphs") {
    write_toy(dir, "1, 2\n2, 1\n3, 4\n4, 3\n");
    CHECK(error().find((dir / "TOY_A.txt").string() + ":3: edge joins graph 1 and graph 2") == 0);
  }
  SECTION("node id out of range") {
    write_toy(dir, "1, 2\n2, 6\n");
    CHECK(error().find((dir / "TOY_A.txt").string() + ":2: node id 6 outside [1, 5]") == 0);
  }
  SECTION("malformed number") {
    write_toy(dir, "1, 2\n2, one\n");
    CHECK(error().find((dir / "TOY_A.txt").string() + ":2: malformed node id ' one'") == 0);
  }
  SECTION("attribute rows disagree with the node count") {
    write_toy(dir, kToyEdges);
    graphtx_test::write_bytes((dir / "TOY_node_attributes.txt").string(), "1\n2\n3\n4\n");
    CHECK(error().find((dir / "TOY_node_attributes.txt").string() + ":5: has 4 rows") == 0);
  }
  SECTION("graph id beyond the label file") {
    write_toy(dir, kToyEdges);
    graphtx_test::write_bytes((dir / "TOY_graph_indicator.txt").string(), "1\n1\n1\n2\n3\n");
    CHECK(error().find((dir / "TOY_graph_indicator.txt").string() + ":5: graph id 3 outside [1, 2]") == 0);
  }
  SECTION("missing dataset") {
    CHECK(error().find("TOY_A.txt: not found") != std::string::npos);
  }
}
