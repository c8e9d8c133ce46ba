#include "graph/errors.hpp"
#include "graph/io/edge_list.hpp"
#include "graph/io/read_graph.hpp"

#include "tests/graph/test_paths.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

using namespace graphtx;

namespace {

using graphtx::test::fixture;
using graphtx::test::scratch;

// The message of the InputError thrown by reading `path`, or "no error".
std::string read_error(const std::string& path, const ReadOptions& options = {}) {
  try {
    read_edge_list(path, options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

EdgeListGraph parse(const std::string& text, const ReadOptions& options = {}) {
  std::istringstream in(text);
  return parse_edge_list(in, "inline.txt", options);
}

std::string parse_error(const std::string& text) {
  try {
    parse(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("Edge list: comments, blanks, empty lines and id remapping", "[graph][io]") {
  const EdgeListGraph r = read_edge_list(fixture("small.txt"));
  const Graph& g = r.graph;
  CHECK(g.directed());
  CHECK_FALSE(g.weighted());
  CHECK(g.num_nodes() == 4);
  CHECK(r.original_ids == std::vector<std::int64_t>{10, 20, 30, 40});
  CHECK(g.sources() == std::vector<Index>{0, 1, 2, 0});
  CHECK(g.targets() == std::vector<Index>{1, 2, 0, 3});
}

TEST_CASE("Edge list: weights, CRLF, byte-order mark and a self-loop", "[graph][io]") {
  const EdgeListGraph r = read_edge_list(fixture("weighted_crlf_bom.txt"));
  CHECK(r.original_ids == std::vector<std::int64_t>{7, 8, 9});
  REQUIRE(r.graph.weighted());
  CHECK(r.graph.weights() == std::vector<double>{0.5, 2.0, 1e-3, 0.0});
  CHECK(r.graph.sources() == std::vector<Index>{0, 1, 2, 0});
  CHECK(r.graph.targets() == std::vector<Index>{1, 2, 0, 0});
  CHECK(r.graph.num_self_loops() == 1);
}

TEST_CASE("Edge list: undirected reading with summed duplicates", "[graph][io]") {
  ReadOptions options;
  options.undirected = true;
  options.duplicates = DuplicatePolicy::SumWeights;
  const Graph g = read_edge_list(fixture("undirected_weighted.txt"), options).graph;
  CHECK_FALSE(g.directed());
  REQUIRE(g.num_edges() == 4);
  CHECK(g.weights() == std::vector<double>{4.0, 2.0, 4.0, 1.5});  // {1,2} listed as 1 2 and 2 1
  options.duplicates = DuplicatePolicy::Keep;
  CHECK(read_edge_list(fixture("undirected_weighted.txt"), options).graph.num_edges() == 5);
}

TEST_CASE("Edge list: every reader error names file and line", "[graph][io]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"error_one_column.txt", ":3: expected 2 or 3 columns, got 1"},
      {"error_four_columns.txt", ":2: expected 2 or 3 columns, got 4"},
      {"error_bad_id.txt", ":2: 'abc' is not a non-negative integer node id"},
      {"error_negative_id.txt", ":2: '-3' is not a non-negative integer node id"},
      {"error_huge_id.txt", ":3: node id '9223372036854775808' is larger than 2^63-1"},
      {"error_nan_weight.txt", ":2: weight 'nan' is not a finite number"},
      {"error_inf_weight.txt", ":2: weight 'inf' is not a finite number"},
      {"error_negative_weight.txt", ":2: weight '-0.5' is negative"},
      {"error_bad_weight.txt", ":2: weight '1.5x' is not a number"},
      {"error_mixed_columns.txt", ":2: expected 3 columns as on line 1, got 2"},
      {"error_empty.txt", ": no edges (the file is empty)"},
      {"error_comments_only.txt", ": no edges (3 lines, all comments or blank)"},
  };
  for (const auto& [file, message] : cases) {
    INFO(file);
    CHECK(read_error(fixture(file)) == fixture(file) + message);
  }
  const std::string missing = fixture("does_not_exist.txt");
  CHECK(read_error(missing) == missing + ": cannot open: No such file or directory");
  CHECK(read_error(fixture("")) == fixture("") + ": cannot open: is a directory");
  try {
    read_edge_list(fixture("error_bad_id.txt"));
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.file() == fixture("error_bad_id.txt"));
    CHECK(e.line() == 2);
  }
}

TEST_CASE("Edge list: number edge cases", "[graph][io]") {
  CHECK(parse("007 9223372036854775807\n").original_ids == std::vector<std::int64_t>{7, 9223372036854775807});
  CHECK(parse("1 2 +2.5\n").graph.weights() == std::vector<double>{2.5});
  CHECK(parse("1 2 1e-320\n").graph.weights() == std::vector<double>{1e-320});
  CHECK(parse("1 2 -0\n").graph.weights() == std::vector<double>{0.0});
  CHECK(parse_error("1 2 1e999\n") == "inline.txt:1: weight '1e999' is not a finite number");
  CHECK(parse_error("1 2 0x10\n") == "inline.txt:1: weight '0x10' is not a number");
  CHECK(parse_error("1 +2\n") == "inline.txt:1: '+2' is not a non-negative integer node id");
  CHECK(parse_error("1.0 2\n") == "inline.txt:1: '1.0' is not a non-negative integer node id");
  CHECK(parse_error("1 2\r\n3\r\n") == "inline.txt:2: expected 2 or 3 columns, got 1");
  CHECK(parse_error("\xEF\xBB\xBF\n1 2 3 4 5\n") == "inline.txt:2: expected 2 or 3 columns, got 5");
}

TEST_CASE("Edge list: write then read gives the same graph, ids and exact weights", "[graph][io]") {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<Index> node(0, 29);
  std::uniform_real_distribution<double> weight(0.0, 10.0);
  for (bool directed : {true, false}) {
    GraphBuilder b(30, directed);
    for (int e = 0; e < 80; ++e) b.add_edge(node(rng), node(rng), weight(rng) / 3.0);
    const Graph g = b.build();
    std::vector<std::int64_t> ids(30);
    for (Index u = 0; u < 30; ++u) ids[u] = 1000000007LL * (u + 1) % 998244353LL;
    const std::string path = scratch(directed ? "round_trip_directed.txt" : "round_trip_undirected.txt");
    write_edge_list(g, path, ids);
    CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
    ReadOptions options;
    options.undirected = !directed;
    const EdgeListGraph back = read_edge_list(path, options);
    // Nodes come back in order of first appearance; map them through the original ids.
    const Graph& h = back.graph;
    REQUIRE(h.num_edges() == g.num_edges());
    CHECK(h.directed() == directed);
    CHECK(h.weights() == g.weights());
    for (Index e = 0; e < g.num_edges(); ++e) {
      CHECK(back.original_ids[h.source(e)] == ids[g.source(e)]);
      CHECK(back.original_ids[h.target(e)] == ids[g.target(e)]);
    }
    // Written again with the ids just read, the edge lines are byte-identical (the header's
    // node count differs when some of the 30 nodes had no edge).
    const std::string again = scratch("round_trip_again.txt");
    write_edge_list(h, again, back.original_ids);
    auto edge_lines = [](const std::string& file) {
      std::ifstream in(file);
      std::string line, lines;
      while (std::getline(in, line))
        if (line.front() != '#') lines += line + "\n";
      return lines;
    };
    CHECK(edge_lines(path) == edge_lines(again));
    CHECK(edge_lines(path).size() > 80 * 4);
  }
  GraphBuilder b(2, true);
  b.add_edge(0, 1);
  const Graph g = b.build();
  CHECK_THROWS_AS(write_edge_list(g, scratch("no/such/dir/x.txt")), UsageError);
  CHECK_THROWS_AS(write_edge_list(g, scratch("ids.txt"), {1}), UsageError);
}

TEST_CASE("read_graph dispatches by extension and keeps ids as text", "[graph][io]") {
  CHECK(graph_format_of("a/b.dot") == GraphFormat::Graphviz);
  CHECK(graph_format_of("b.GV") == GraphFormat::Graphviz);
  CHECK(graph_format_of("b.GraphML") == GraphFormat::Graphml);
  CHECK(graph_format_of("b.txt") == GraphFormat::EdgeList);
  CHECK(graph_format_of("edges") == GraphFormat::EdgeList);
  const LoadedGraph loaded = read_graph(fixture("small.txt"));
  CHECK(loaded.node_ids == std::vector<std::string>{"10", "20", "30", "40"});
  CHECK(loaded.graph.num_edges() == 4);
  CHECK(read_graph(fixture("small.dot")).graph.num_nodes() == 4);
  CHECK(read_graph(fixture("small.graphml")).graph.num_nodes() == 4);
  CHECK_THROWS_WITH(read_graph(fixture("missing.graphml")),
                    fixture("missing.graphml") + ": cannot open: No such file or directory");
}
