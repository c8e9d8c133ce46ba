#include "datasets/code2_reader.hpp"
#include "datasets/dataset_summary.hpp"
#include "datasets/open_dataset.hpp"
#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"

#include <catch2/catch.hpp>

using namespace graphtx;

namespace {

GraphExample path_graph(Index n, std::int64_t label) {
  GraphBuilder b(n, false);
  for (Index v = 0; v + 1 < n; ++v) b.add_edge(v, v + 1);
  GraphExample e;
  e.graph = b.build();
  e.label = {label};
  return e;
}

DatasetSource source(const std::string& kind, const std::string& root, const std::string& name = "") {
  DatasetSource s;
  s.kind = kind;
  s.root = root;
  s.name = name;
  return s;
}

}  // namespace

TEST_CASE("summarize_dataset: hand-made dataset", "[datasets]") {
  // paths with 2, 3, 4, 10 nodes -> edges 1, 2, 3, 9
  const InMemoryDataset ds("paths", {path_graph(2, 0), path_graph(3, 1), path_graph(4, 1), path_graph(10, 1)},
                           {{"train", {0, 1, 2}}, {"test", {3}}});
  const DatasetSummary s = summarize_dataset(ds, 3);
  CHECK(s.name == "paths");
  CHECK(s.graphs == 4);
  CHECK_FALSE(s.directed);
  CHECK(s.nodes.total == 19);
  CHECK(s.nodes.min == 2);
  CHECK(s.nodes.max == 10);
  CHECK(s.nodes.mean == Approx(4.75));
  CHECK(s.nodes.median == 3.5);
  CHECK(s.edges.total == 15);
  CHECK(s.edges.median == 2.5);
  CHECK(s.classes == std::map<std::int64_t, Index>{{0, 1}, {1, 3}});
  CHECK(s.label_tokens.total == 0);
  CHECK(s.splits == std::map<std::string, Index>{{"test", 1}, {"train", 3}});
}

TEST_CASE("summarize_dataset and open_dataset on the shipped code2 sample", "[datasets]") {
  const auto ds = open_dataset(source("ogbg-code2", std::string(GRAPHTX_DATA_DIR) + "/code2"));
  const DatasetSummary s = summarize_dataset(*ds);
  CHECK(s.name == "ogbg-code2");
  CHECK(s.graphs == 4000);
  CHECK(s.directed);
  CHECK(s.nodes.total == 391669);
  CHECK(s.nodes.mean == Approx(97.92).margin(0.005));  // stats.json nodes_mean
  CHECK(s.nodes.median == 53.0);                        // stats.json nodes_median
  CHECK(s.nodes.min == 11);
  CHECK(s.nodes.max == 998);
  CHECK(s.edges.total == 387669);
  CHECK(s.label_tokens.mean == Approx(2.027).margin(0.0005));  // stats.json label_len_mean
  CHECK(s.classes.empty());
  CHECK(s.splits == std::map<std::string, Index>{{"test", 400}, {"train", 3200}, {"valid", 400}});
}

TEST_CASE("open_dataset: TU by name, unknown kinds and missing names are usage errors", "[datasets]") {
  const auto mutag = open_dataset(source("tu", std::string(GRAPHTX_DATA_DIR) + "/tu", "MUTAG"));
  const DatasetSummary s = summarize_dataset(*mutag);
  CHECK(s.graphs == 188);
  CHECK(s.classes == std::map<std::int64_t, Index>{{0, 63}, {1, 125}});
  CHECK(s.edges.total == 3721);
  CHECK_THROWS_AS(open_dataset(source("tu", std::string(GRAPHTX_DATA_DIR) + "/tu")), UsageError);
  CHECK_THROWS_AS(open_dataset(source("ogbg-molhiv", ".")), UsageError);
  CHECK(dataset_kinds().size() == 4);
  CHECK_THROWS_AS(open_dataset(source("file", "")), UsageError);
}

TEST_CASE("to_in_memory keeps graphs, labels and splits of a streaming dataset", "[datasets]") {
  const Code2Dataset ds = read_ogb_code2(std::string(GRAPHTX_DATA_DIR) + "/code2");
  const InMemoryDataset mem = to_in_memory(ds, 700);
  REQUIRE(mem.size() == 4000);
  CHECK(mem.splits() == ds.splits());
  CHECK(mem.name() == "ogbg-code2");
  for (Index i : {Index{0}, Index{1234}, Index{3999}}) {
    const GraphExample a = mem.get(i), b = ds.get(i);
    CHECK(a.index == i);
    CHECK(a.tokens == b.tokens);
    CHECK(a.graph.targets() == b.graph.targets());
    CHECK(a.graph.node_features().ints == b.graph.node_features().ints);
  }
}
