#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"
#include "graph/io/graphml.hpp"
#include "graph/io/graphviz.hpp"

#include "tests/graph/test_paths.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <string>

using namespace graphtx;

namespace {

using graphtx::test::fixture;
using graphtx::test::scratch;

template <class Read>
InputError input_error(Read read) {
  try {
    read();
  } catch (const InputError& e) {
    return e;
  }
  return InputError("no error");
}

// A random multigraph with self-loops, weights with long expansions and isolated nodes.
Graph random_graph(bool directed, bool weighted, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<Index> node(0, 19);
  std::uniform_real_distribution<double> weight(0.0, 5.0);
  GraphBuilder b(25, directed);  // nodes 20..24 stay isolated
  for (int e = 0; e < 60; ++e) {
    const Index u = node(rng), v = node(rng);
    if (weighted) b.add_edge(u, v, weight(rng) / 7.0);
    else b.add_edge(u, v);
  }
  return b.build();
}

void check_same(const Graph& a, const Graph& b) {
  CHECK(a.num_nodes() == b.num_nodes());
  CHECK(a.directed() == b.directed());
  CHECK(a.weighted() == b.weighted());
  CHECK(a.sources() == b.sources());
  CHECK(a.targets() == b.targets());
  CHECK(a.weights() == b.weights());
}

}  // namespace

TEST_CASE("DOT: digraph with weights, an isolated node and byte-ordered ids", "[graph][io]") {
  const LoadedGraph r = read_graphviz(fixture("small.dot"));
  const Graph& g = r.graph;
  CHECK(r.node_ids == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(g.directed());
  REQUIRE(g.weighted());
  CHECK(g.sources() == std::vector<Index>{0, 1, 0, 2});
  CHECK(g.targets() == std::vector<Index>{1, 2, 2, 0});
  CHECK(g.weights() == std::vector<double>{2.5, 1.0, 4.0, 0.25});
  ReadOptions options;
  options.undirected = true;
  const Graph u = read_graphviz(fixture("small.dot"), options).graph;
  CHECK_FALSE(u.directed());
  CHECK(u.num_edges() == 4);
  CHECK(u.out_degree(0) == 3);
  // Duplicate policies apply as for edge lists: parallel a->b edges, weights 2 and 3 (b->a differs).
  const std::string parallel = "digraph { a -> b [weight=2]; b -> a; a -> b [weight=3] }";
  options = ReadOptions{};
  options.duplicates = DuplicatePolicy::SumWeights;
  CHECK(parse_graphviz(parallel, "p.dot", options).graph.weights() == std::vector<double>{5.0, 1.0});
  options.duplicates = DuplicatePolicy::Collapse;
  CHECK(parse_graphviz(parallel, "p.dot", options).graph.weights() == std::vector<double>{2.0, 1.0});
  options.undirected = true;
  options.duplicates = DuplicatePolicy::SumWeights;
  CHECK(parse_graphviz(parallel, "p.dot", options).graph.weights() == std::vector<double>{6.0});
}

TEST_CASE("DOT: byte-order mark, CRLF line ends and comments are accepted", "[graph][io]") {
  const LoadedGraph r = parse_graphviz("\xEF\xBB\xBF/* c */ digraph {\r\n  b -> a; // c\r\n}\r\n", "bom.dot");
  CHECK(r.node_ids == std::vector<std::string>{"a", "b"});
  CHECK(r.graph.sources() == std::vector<Index>{1});
  CHECK(r.graph.targets() == std::vector<Index>{0});
  CHECK(parse_graphml("\xEF\xBB\xBF<graphml><graph edgedefault='directed'><node id='a'/></graph></graphml>", "bom.graphml")
            .graph.num_nodes() == 1);
}

TEST_CASE("DOT: undirected graph with numeric ids in numeric order", "[graph][io]") {
  const LoadedGraph r = read_graphviz(fixture("undirected.gv"));
  const Graph& g = r.graph;
  CHECK(r.node_ids == std::vector<std::string>{"1", "2", "3", "4", "10"});
  CHECK_FALSE(g.directed());
  CHECK_FALSE(g.weighted());
  CHECK(g.sources() == std::vector<Index>{2, 0, 1, 4});
  CHECK(g.targets() == std::vector<Index>{0, 1, 2, 1});
  CHECK(g.out_degree(3) == 0);
}

TEST_CASE("DOT: write then read gives the same graph", "[graph][io]") {
  for (bool directed : {true, false}) {
    for (bool weighted : {true, false}) {
      const Graph g = random_graph(directed, weighted, 11 + 2 * directed + weighted);
      const std::string path = scratch("round_trip.dot");
      write_graphviz(g, path);
      CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
      const LoadedGraph back = read_graphviz(path);
      check_same(back.graph, g);
      CHECK(back.node_ids[24] == "24");
    }
  }
  GraphBuilder b(2, true);
  b.add_edge(0, 1, 0.1);
  const std::string path = scratch("named.gv");
  write_graphviz(b.build(), path, {"first node", "second"});
  const LoadedGraph named = read_graphviz(path);
  CHECK(named.node_ids == std::vector<std::string>{"first node", "second"});
  CHECK(named.graph.weights() == std::vector<double>{0.1});
}

TEST_CASE("DOT: syntax and weight errors name the file", "[graph][io]") {
  const std::string syntax = fixture("error_syntax.dot");
  const InputError e = input_error([&] { read_graphviz(syntax); });
  CHECK(e.file() == syntax);
  CHECK(e.line() == 3);  // the unexpected '=' occurs once in the file
  CHECK_THAT(std::string(e.what()), Catch::StartsWith(syntax + ":3: invalid DOT: "));
  CHECK(input_error([&] { parse_graphviz("digraph {\n a -> b\n c -> @\n}\n", "x.dot"); }).line() == 3);
  CHECK(input_error([&] { parse_graphviz("digraph {\n a -> b;\n", "x.dot"); }).line() == 2);  // end of file
  CHECK(input_error([&] { parse_graphviz("digraph {\n a -> ;\n b -> ;\n}", "x.dot"); }).line() == 0);
  // The unexpected second 'graph' keyword occurs twice, so no line is guessed.
  CHECK_THAT(std::string(input_error([&] { parse_graphviz("graph { a -- b }\ngraph { c -- d }", "x.dot"); }).what()),
             Catch::StartsWith("x.dot: invalid DOT: "));
  const std::string weight = fixture("error_weight.dot");
  CHECK(std::string(input_error([&] { read_graphviz(weight); }).what()) ==
        weight + ":3: edge 1 (b -> c): weight 'heavy' is not a number");
  CHECK(std::string(input_error([&] { parse_graphviz("graph { a -- b [weight=nan] }", "x.dot"); }).what()) ==
        "x.dot:1: edge 0 (a -- b): weight 'nan' is not a finite number");
  CHECK(std::string(input_error([&] { read_graphviz(fixture("nope.dot")); }).what()) ==
        fixture("nope.dot") + ": cannot open: No such file or directory");
}

TEST_CASE("GraphML: directed file with a weight key, a default-less edge and node ids", "[graph][io]") {
  const LoadedGraph r = read_graphml(fixture("small.graphml"));
  const Graph& g = r.graph;
  CHECK(r.node_ids == std::vector<std::string>{"x", "y", "z", "lonely"});
  CHECK(g.directed());
  REQUIRE(g.weighted());
  CHECK(g.sources() == std::vector<Index>{1, 0, 2});
  CHECK(g.targets() == std::vector<Index>{2, 1, 0});
  CHECK(g.weights() == std::vector<double>{0.5, 3.0, 1.0});
}

TEST_CASE("GraphML: undirected edgedefault and a self-loop", "[graph][io]") {
  const Graph g = read_graphml(fixture("undirected.graphml")).graph;
  CHECK_FALSE(g.directed());
  CHECK_FALSE(g.weighted());
  CHECK(g.num_nodes() == 3);
  CHECK(g.sources() == std::vector<Index>{0, 1, 2});
  CHECK(g.targets() == std::vector<Index>{1, 2, 2});
  CHECK(g.num_self_loops() == 1);
}

TEST_CASE("GraphML: write then read gives the same graph", "[graph][io]") {
  for (bool directed : {true, false}) {
    for (bool weighted : {true, false}) {
      const Graph g = random_graph(directed, weighted, 23 + 2 * directed + weighted);
      const std::string path = scratch("round_trip.graphml");
      write_graphml(g, path);
      CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
      const LoadedGraph back = read_graphml(path);
      check_same(back.graph, g);
      CHECK(back.node_ids[3] == "n3");
    }
  }
}

TEST_CASE("GraphML: XML, structure and weight errors name the file", "[graph][io]") {
  const std::string xml = fixture("error_xml.graphml");
  const InputError e = input_error([&] { read_graphml(xml); });
  CHECK(e.file() == xml);
  CHECK(e.line() == 5);
  CHECK_THAT(std::string(e.what()), Catch::StartsWith(xml + ":5: invalid XML"));
  const std::string weight = fixture("error_weight.graphml");
  CHECK(std::string(input_error([&] { read_graphml(weight); }).what()) ==
        weight + ":7: edge 0 (a -> b): weight '-2' is negative");
  CHECK(std::string(input_error([&] { parse_graphml("<graphml></graphml>", "x.graphml"); }).what()) ==
        "x.graphml: no <graph> element");
  CHECK(std::string(input_error([&] { parse_graphml("<other/>", "x.graphml"); }).what()) ==
        "x.graphml: not GraphML: no <graphml> element");
  const std::string typed =
      "<graphml><key id='w' for='edge' attr.name='weight' attr.type='int'/><graph edgedefault='undirected'>"
      "<node id='a'/><node id='b'/><edge source='a' target='b'><data key='w'>3</data></edge></graph></graphml>";
  CHECK(parse_graphml(typed, "typed.graphml").graph.weights() == std::vector<double>{3.0});
  const std::string bad_int =
      "<graphml><key id='w' for='edge' attr.name='weight' attr.type='int'/><graph edgedefault='undirected'>"
      "<node id='a'/><node id='b'/><edge source='a' target='b'><data key='w'>x</data></edge></graph></graphml>";
  CHECK_THAT(std::string(input_error([&] { parse_graphml(bad_int, "bad.graphml"); }).what()),
             Catch::StartsWith("bad.graphml:1: invalid GraphML: invalid value \"x\" for key weight"));
  const std::string boolean =
      "<graphml><key id='w' for='edge' attr.name='weight' attr.type='boolean'/><graph edgedefault='directed'>"
      "<node id='a'/><node id='b'/><edge source='a' target='b'><data key='w'>1</data></edge></graph></graphml>";
  CHECK(parse_graphml(boolean, "bool.graphml").graph.weights() == std::vector<double>{1.0});
}
