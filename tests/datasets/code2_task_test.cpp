#include "datasets/code2_augment.hpp"
#include "datasets/code2_evaluator.hpp"
#include "datasets/code2_reader.hpp"
#include "datasets/code2_vocabulary.hpp"
#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"

#include <catch2/catch.hpp>

using namespace graphtx;
using Words = std::vector<std::string>;
using Ids = std::vector<std::int64_t>;

namespace {

// 0 -> 1, 0 -> 2, 2 -> 3, 2 -> 4; nodes 1, 3, 4 attributed; depths 0, 1, 1, 2, 2 (scaled by 10).
Graph small_ast(const std::vector<std::int64_t>& dfs_order) {
  GraphBuilder b(5, true);
  b.add_edge(0, 1).add_edge(0, 2).add_edge(2, 3).add_edge(2, 4);
  Features f;
  f.ints.resize(5, kCode2Columns);
  const std::int64_t attributed[] = {0, 1, 0, 1, 1};
  const std::int64_t depth[] = {0, 10, 10, 25, 25};
  for (Index v = 0; v < 5; ++v) {
    f.ints(v, kCode2Type) = v;
    f.ints(v, kCode2Attr) = 100 + v;
    f.ints(v, kCode2Depth) = depth[v];
    f.ints(v, kCode2IsAttributed) = attributed[v];
    f.ints(v, kCode2DfsOrder) = dfs_order[static_cast<size_t>(v)];
  }
  b.node_features(f);
  return b.build();
}

}  // namespace

TEST_CASE("Code2Vocabulary ranks by count, breaks ties like OGB, appends __UNK__ and __EOS__", "[datasets]") {
  const std::vector<Words> train{{"get", "name"}, {"get", "value"}, {"set", "name"}, {"b"}, {"a"}};
  // counts: get 2, name 2, value 1, set 1, b 1, a 1; sorted (count, word) descending.
  const Code2Vocabulary vocab(train, 3);
  CHECK(vocab.words() == Words{"name", "get", "value", "__UNK__", "__EOS__"});
  CHECK(vocab.unknown_id() == 3);
  CHECK(vocab.eos_id() == 4);
  CHECK(vocab.id("get") == 1);
  CHECK(vocab.id("set") == 3);  // not in the top 3
  CHECK(vocab.encode({"get", "foo", "name"}) == Ids{1, 3, 0, 4, 4});
  CHECK(vocab.encode({"name", "name", "name", "name", "name", "get", "get"}) == Ids{0, 0, 0, 0, 0});
  CHECK(vocab.encode({}) == Ids{4, 4, 4, 4, 4});
  CHECK(vocab.decode({1, 3, 4, 0, 2}) == Words{"get", "__UNK__"});
  CHECK(vocab.decode({2, 2, 2, 2, 2}) == Words{"value", "value", "value", "value", "value"});
  CHECK(vocab.decode({4, 1}).empty());
  CHECK_THROWS_AS(vocab.decode({5}), UsageError);
}

TEST_CASE("Code2Vocabulary on the sample's train split", "[datasets]") {
  const Code2Dataset ds = read_ogb_code2(std::string(GRAPHTX_DATA_DIR) + "/code2");
  const Code2Vocabulary vocab(ds.tokens(ds.split("train")));
  CHECK(vocab.size() == 2142 + 2);  // 2,142 distinct train subtokens (< 5,000)
  CHECK(vocab.unknown_id() == 2142);
  CHECK(vocab.eos_id() == 2143);
  CHECK(vocab.words()[0] == "get");  // 293 occurrences
  CHECK(vocab.words()[1] == "is");   // 148
  CHECK(vocab.words()[2] == "set");  // 106
  const Code2Vocabulary capped(ds.tokens(ds.split("train")), 5000);
  CHECK(capped.words() == vocab.words());
  // encode/decode round trip: train labels of <= 5 subtokens come back unchanged
  Index checked = 0;
  for (Index i : ds.split("train")) {
    const Words label = ds.tokens(i);
    if (label.size() > 5) continue;
    REQUIRE(vocab.decode(vocab.encode(label)) == label);
    ++checked;
  }
  CHECK(checked > 3000);
  const Words long_label = ds.tokens(33);  // 8 subtokens: truncated to 5
  CHECK(vocab.decode(vocab.encode(long_label)) == Words(long_label.begin(), long_label.begin() + 5));
}

TEST_CASE("augment_edge builds the four edge blocks with [kind, direction] features", "[datasets]") {
  const Graph aug = augment_edge(small_ast({0, 1, 2, 3, 4}));
  // 4 AST + 4 reversed + 2 next-token (1 -> 3 -> 4) + 2 reversed = 12
  REQUIRE(aug.num_edges() == 12);
  CHECK(aug.directed());
  CHECK(aug.sources() == std::vector<Index>{0, 0, 2, 2, 1, 2, 3, 4, 1, 3, 3, 4});
  CHECK(aug.targets() == std::vector<Index>{1, 2, 3, 4, 0, 0, 2, 2, 3, 4, 1, 3});
  const IntMatrix& ea = aug.edge_features().ints;
  REQUIRE(ea.cols() == 2);
  for (Index e = 0; e < 12; ++e) {
    const std::int64_t kind = e < 8 ? 0 : 1;
    const std::int64_t direction = (e >= 4 && e < 8) || e >= 10 ? 1 : 0;
    CHECK(ea(e, 0) == kind);
    CHECK(ea(e, 1) == direction);
  }
  CHECK(aug.node_features().ints == small_ast({0, 1, 2, 3, 4}).node_features().ints);
}

TEST_CASE("augment_edge links attributed nodes in DFS order, not index order", "[datasets]") {
  // DFS positions: node 1 -> 4, node 3 -> 2, node 4 -> 3: attributed order 3, 4, 1.
  const Graph aug = augment_edge(small_ast({0, 4, 1, 2, 3}));
  REQUIRE(aug.num_edges() == 12);
  CHECK(std::vector<Index>(aug.sources().begin() + 8, aug.sources().end()) == std::vector<Index>{3, 4, 4, 1});
  CHECK(std::vector<Index>(aug.targets().begin() + 8, aug.targets().end()) == std::vector<Index>{4, 1, 3, 4});
}

TEST_CASE("augment_edge on a sample graph: 2 m + 2 (a - 1) edges", "[datasets]") {
  const Code2Dataset ds = read_ogb_code2(std::string(GRAPHTX_DATA_DIR) + "/code2");
  const Graph g = ds.get(0).graph;  // 24 nodes, 23 edges, 12 attributed nodes
  const Graph aug = augment_edge(g);
  CHECK(g.node_features().ints.col(kCode2IsAttributed).sum() == 12);
  CHECK(aug.num_edges() == 2 * 23 + 2 * 11);
  CHECK(aug.source(46) == 1);  // first next-token edge: attributed nodes 1 and 3
  CHECK(aug.target(46) == 3);
}

TEST_CASE("clamp_depth caps the depth column only", "[datasets]") {
  const Graph g = small_ast({0, 1, 2, 3, 4});
  const Graph c = clamp_depth(g, 20);
  const IntMatrix& x = c.node_features().ints;
  CHECK(x(0, kCode2Depth) == 0);
  CHECK(x(1, kCode2Depth) == 10);
  CHECK(x(3, kCode2Depth) == 20);
  CHECK(x(4, kCode2Depth) == 20);
  CHECK(x.col(kCode2Attr) == g.node_features().ints.col(kCode2Attr));
  CHECK(c.sources() == g.sources());
  CHECK(c.targets() == g.targets());
}

TEST_CASE("code2 F1 evaluator: hand-computed scores and empty-set cases", "[datasets]") {
  // L = {a,b,c}, P = {a,b,d}: p = r = 2/3, F1 = 2/3.
  const F1Scores s1 = subtoken_f1({"a", "b", "c"}, {"a", "b", "d", "d"});
  CHECK(s1.precision == Approx(2.0 / 3.0));
  CHECK(s1.recall == Approx(2.0 / 3.0));
  CHECK(s1.f1 == Approx(2.0 / 3.0));
  // L = {x,y}, P = {x}: p = 1, r = 1/2, F1 = 2/3.
  const F1Scores s2 = subtoken_f1({"x", "y"}, {"x"});
  CHECK(s2.precision == 1.0);
  CHECK(s2.recall == 0.5);
  CHECK(s2.f1 == Approx(2.0 / 3.0));
  // P empty: precision 0; L empty: recall 0; p + r = 0: F1 0.
  const F1Scores empty_p = subtoken_f1({"a"}, {});
  CHECK((empty_p.precision == 0.0 && empty_p.recall == 0.0 && empty_p.f1 == 0.0));
  const F1Scores empty_l = subtoken_f1({}, {"a"});
  CHECK((empty_l.precision == 0.0 && empty_l.recall == 0.0 && empty_l.f1 == 0.0));
  const F1Scores both = subtoken_f1({}, {});
  CHECK((both.precision == 0.0 && both.recall == 0.0 && both.f1 == 0.0));
  const F1Scores disjoint = subtoken_f1({"a"}, {"b"});
  CHECK((disjoint.precision == 0.0 && disjoint.recall == 0.0 && disjoint.f1 == 0.0));
  // Means over the five graphs above (without "disjoint").
  const F1Scores mean = evaluate_code2_f1({{"a", "b", "c"}, {"x", "y"}, {"a"}, {}, {}},
                                          {{"a", "b", "d", "d"}, {"x"}, {}, {"a"}, {}});
  CHECK(mean.precision == Approx(1.0 / 3.0));  // (2/3 + 1) / 5
  CHECK(mean.recall == Approx(7.0 / 30.0));    // (2/3 + 1/2) / 5
  CHECK(mean.f1 == Approx(4.0 / 15.0));        // (2/3 + 2/3) / 5
  CHECK_THROWS_AS(evaluate_code2_f1({{"a"}}, {}), UsageError);
  CHECK_THROWS_AS(evaluate_code2_f1({}, {}), UsageError);
}

TEST_CASE("code2 F1 of decoded predictions: exact labels score 1, __UNK__ costs precision", "[datasets]") {
  const std::vector<Words> train{{"get", "name"}, {"set", "name"}};
  const Code2Vocabulary vocab(train);
  const Words reference{"get", "name", "rare"};
  const Words predicted = vocab.decode(vocab.encode(reference));  // get name __UNK__
  const F1Scores s = evaluate_code2_f1({reference}, {predicted});
  CHECK(s.precision == Approx(2.0 / 3.0));
  CHECK(s.recall == Approx(2.0 / 3.0));
  CHECK(evaluate_code2_f1({{"get", "name"}}, {vocab.decode(vocab.encode({"get", "name"}))}).f1 == 1.0);
}
