#include "datasets/code2_reader.hpp"
#include "graph/errors.hpp"
#include "tests/datasets/dataset_test_util.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace graphtx;
using graphtx_test::edit_gz_lines;
using graphtx_test::error_text;
namespace fs = std::filesystem;

namespace {

const std::string kSample = std::string(GRAPHTX_DATA_DIR) + "/code2";

// A writable copy of the shipped sample's ogbg_code2/ under tmp.
std::string copy_sample(const graphtx_test::TempDir& tmp) {
  fs::copy(kSample + "/ogbg_code2", tmp.path() / "ogbg_code2", fs::copy_options::recursive);
  return tmp.path().string();
}

std::string open_error(const std::string& root) {
  return error_text<InputError>([&] { read_ogb_code2(root); });
}

bool same_example(const GraphExample& a, const GraphExample& b) {
  return a.index == b.index && a.tokens == b.tokens && a.graph.sources() == b.graph.sources() &&
         a.graph.targets() == b.graph.targets() && a.graph.node_features().ints == b.graph.node_features().ints;
}

}  // namespace

TEST_CASE("code2 sample: counts and splits match stats.json / README.txt", "[datasets]") {
  const Code2Dataset ds = read_ogb_code2(kSample);
  CHECK(ds.size() == 4000);
  CHECK(ds.total_nodes() == 391669);
  CHECK(ds.total_edges() == 387669);
  CHECK(ds.type_names().size() == 97);
  CHECK(ds.attr_names().size() == 8380);
  CHECK(ds.type_names()[19] == "Module");
  CHECK(ds.attr_names()[8379] == "__NONE__");
  CHECK(ds.warnings().empty());
  CHECK(ds.split("train").size() == 3200);
  CHECK(ds.split("valid").size() == 400);
  CHECK(ds.split("test").size() == 400);
  std::set<Index> all;
  for (const auto& [name, ids] : ds.splits()) all.insert(ids.begin(), ids.end());
  CHECK(all.size() == 4000);  // disjoint and covering
  CHECK(ds.split("valid").front() == 0);
  CHECK(ds.split("train").front() == 1);
  CHECK(ds.tokens(33) == std::vector<std::string>{"member", "space", "limits", "change", "caps", "type", "policy", "details"});
}

TEST_CASE("code2 sample: graph 0 matches the raw files row by row", "[datasets]") {
  const Code2Dataset ds = read_ogb_code2(kSample);
  const GraphExample g = ds.get(0);
  CHECK(g.index == 0);
  CHECK(g.tokens == std::vector<std::string>{"mark", "asn1", "named", "ec", "curve"});
  CHECK(g.label.empty());
  REQUIRE(g.graph.num_nodes() == 24);
  REQUIRE(g.graph.num_edges() == 23);
  CHECK(g.graph.directed());
  // raw/edge.csv.gz lines 1-23
  const std::vector<Index> src{0, 1, 1, 1, 2, 2, 3, 6, 8, 9, 9, 9, 10, 10, 11, 11, 12, 16, 18, 18, 19, 19, 20};
  const std::vector<Index> dst{1, 2, 6, 8, 3, 5, 4, 7, 9, 10, 16, 18, 11, 15, 12, 14, 13, 17, 19, 23, 20, 22, 21};
  CHECK(g.graph.sources() == src);
  CHECK(g.graph.targets() == dst);
  // raw/node-feat, node_depth, node_is_attributed, node_dfs_order lines 1-24
  const std::vector<std::int64_t> type{19, 18, 16, 7, 5, 7, 8, 5, 8, 3, 2, 2, 1, 0, 0, 0, 1, 0, 2, 2, 1, 0, 0, 0};
  const std::vector<std::int64_t> attr{8379, 1, 8379, 495, 8378, 8378, 8379, 8378, 8379, 8379, 8378, 8378,
                                       495, 8379, 8379, 8379, 8378, 8379, 8378, 8378, 495, 8379, 8379, 8379};
  const std::vector<std::int64_t> depth{0, 1, 2, 3, 4, 3, 2, 3, 2, 3, 4, 5, 6, 7, 6, 5, 4, 5, 4, 5, 6, 7, 6, 5};
  const std::vector<std::int64_t> attributed{0, 1, 0, 1, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0};
  const IntMatrix& x = g.graph.node_features().ints;
  REQUIRE(x.cols() == kCode2Columns);
  for (Index v = 0; v < 24; ++v) {
    CHECK(x(v, kCode2Type) == type[static_cast<size_t>(v)]);
    CHECK(x(v, kCode2Attr) == attr[static_cast<size_t>(v)]);
    CHECK(x(v, kCode2Depth) == depth[static_cast<size_t>(v)]);
    CHECK(x(v, kCode2IsAttributed) == attributed[static_cast<size_t>(v)]);
    CHECK(x(v, kCode2DfsOrder) == v);
  }
  CHECK(ds.type_names()[static_cast<size_t>(x(1, kCode2Type))] == "FunctionDef");
  CHECK(ds.attr_names()[static_cast<size_t>(x(1, kCode2Attr))] == "_mask_");
}

TEST_CASE("code2 sample: streaming sees every graph once, agrees with get() and stats.json", "[datasets]") {
  const Code2Dataset ds = read_ogb_code2(kSample);
  Index graphs = 0, nodes = 0, edges = 0, attributed = 0, max_nodes = 0, min_nodes = 1 << 30, max_depth = 0;
  std::vector<GraphExample> kept;
  const std::set<Index> probes{0, 17, 2000, 3999};
  ds.for_each_chunk(300, [&](Index first, std::vector<GraphExample>& chunk) {
    REQUIRE(first == graphs);
    REQUIRE(chunk.size() <= 300);
    for (const auto& e : chunk) {
      REQUIRE(e.index == graphs++);
      nodes += e.graph.num_nodes();
      edges += e.graph.num_edges();
      REQUIRE(e.graph.num_edges() == e.graph.num_nodes() - 1);  // AST: a tree
      max_nodes = std::max(max_nodes, e.graph.num_nodes());
      min_nodes = std::min(min_nodes, e.graph.num_nodes());
      attributed += e.graph.node_features().ints.col(kCode2IsAttributed).sum();
      max_depth = std::max(max_depth, e.graph.node_features().ints.col(kCode2Depth).maxCoeff());
      if (probes.count(e.index)) kept.push_back(e);
    }
  });
  CHECK(graphs == 4000);
  CHECK(nodes == 391669);
  CHECK(edges == 387669);
  CHECK(max_nodes == 998);
  CHECK(min_nodes == 11);
  CHECK(max_depth == 23);
  CHECK(attributed == 147817);  // attributed_node_frac 0.3774
  // random access, backwards then forwards
  for (auto it = kept.rbegin(); it != kept.rend(); ++it) CHECK(same_example(ds.get(it->index), *it));
  for (const auto& e : kept) CHECK(same_example(ds.get(e.index), e));
  CHECK(ds.get(3999).tokens == std::vector<std::string>{"parse", "html"});
}

TEST_CASE("code2 sample: random access with dense access points agrees with streaming", "[datasets]") {
  Code2Options options;
  options.access_span = 16 * 1024;  // ~100 access points per row file
  const Code2Dataset ds = read_ogb_code2(kSample, options);
  std::vector<GraphExample> streamed;
  ds.for_each_chunk(1000, [&](Index, std::vector<GraphExample>& chunk) {
    for (auto& e : chunk)
      if (e.index % 397 == 5) streamed.push_back(std::move(e));
  });
  REQUIRE(streamed.size() == 11);
  for (auto it = streamed.rbegin(); it != streamed.rend(); ++it) REQUIRE(same_example(ds.get(it->index), *it));
  for (std::size_t k = 0; k < streamed.size(); k += 2) REQUIRE(same_example(ds.get(streamed[k].index), streamed[k]));
}

TEST_CASE("code2 reader: missing RELEASE_v1.txt warns by default, fails when required", "[datasets]") {
  graphtx_test::TempDir tmp;
  const std::string root = copy_sample(tmp);
  fs::remove(tmp.path() / "ogbg_code2/RELEASE_v1.txt");
  const Code2Dataset ds = read_ogb_code2(root);
  REQUIRE(ds.warnings().size() == 1);
  CHECK(ds.warnings()[0].find("RELEASE_v1.txt: missing") != std::string::npos);
  Code2Options strict;
  strict.require_release_file = true;
  CHECK(error_text<InputError>([&] { read_ogb_code2(root, strict); }).find("RELEASE_v1.txt: missing") != std::string::npos);
}

TEST_CASE("code2 reader: a truncated gzip file is reported with its name", "[datasets]") {
  graphtx_test::TempDir tmp;
  const std::string root = copy_sample(tmp);
  const std::string path = root + "/ogbg_code2/raw/node-feat.csv.gz";
  const std::string bytes = graphtx_test::read_bytes(path);
  graphtx_test::write_bytes(path, bytes.substr(0, bytes.size() - 1000));
  const std::string what = open_error(root);
  CHECK(what.find(path + ":") == 0);
  CHECK(what.find("truncated gzip") != std::string::npos);
}

TEST_CASE("code2 reader: row counts that disagree with the count lists name file and line", "[datasets]") {
  graphtx_test::TempDir tmp;
  const std::string root = copy_sample(tmp);
  const std::string raw = root + "/ogbg_code2/raw/";
  SECTION("a node file one row short") {
    edit_gz_lines(raw + "node_depth.csv.gz", [](auto& lines) { lines.pop_back(); });
    const std::string what = open_error(root);
    CHECK(what.find(raw + "node_depth.csv.gz:391669: file ends after 391668 rows while reading graph 3999") == 0);
    CHECK(what.find("num-node-list.csv.gz sums to 391669") != std::string::npos);
  }
  SECTION("an extra edge row") {
    edit_gz_lines(raw + "edge.csv.gz", [](auto& lines) { lines.push_back("0,1"); });
    CHECK(open_error(root).find(raw + "edge.csv.gz:387670: extra row") == 0);
  }
  SECTION("one label row missing") {
    edit_gz_lines(raw + "graph-label.csv.gz", [](auto& lines) { lines.pop_back(); });
    CHECK(open_error(root).find(raw + "graph-label.csv.gz:4000: missing labels: 3999 rows") == 0);
  }
  SECTION("an empty label") {
    edit_gz_lines(raw + "graph-label.csv.gz", [](auto& lines) { lines[1] = ""; });
    CHECK(open_error(root).find(raw + "graph-label.csv.gz:2: missing label for graph 1") == 0);
  }
  SECTION("num-edge-list shorter than num-node-list") {
    edit_gz_lines(raw + "num-edge-list.csv.gz", [](auto& lines) { lines.pop_back(); });
    CHECK(open_error(root).find(raw + "num-edge-list.csv.gz:4000: has 3999 graphs") == 0);
  }
}

TEST_CASE("code2 reader: out-of-range values and malformed numbers name file and line", "[datasets]") {
  graphtx_test::TempDir tmp;
  const std::string root = copy_sample(tmp);
  const std::string raw = root + "/ogbg_code2/raw/";
  SECTION("edge endpoint outside its graph") {
    edit_gz_lines(raw + "edge.csv.gz", [](auto& lines) { lines[2] = "1,24"; });  // graph 0 has 24 nodes
    CHECK(open_error(root).find(raw + "edge.csv.gz:3: edge target 24 outside [0, 24) for graph 0") == 0);
  }
  SECTION("type index beyond the mapping table") {
    edit_gz_lines(raw + "node-feat.csv.gz", [](auto& lines) { lines[30] = "97,3"; });
    CHECK(open_error(root).find(raw + "node-feat.csv.gz:31: type_idx 97 outside [0, 97) for graph 1") == 0);
  }
  SECTION("malformed number") {
    edit_gz_lines(raw + "node_depth.csv.gz", [](auto& lines) { lines[2] = "2x"; });
    CHECK(open_error(root).find(raw + "node_depth.csv.gz:3: malformed integer '2x'") == 0);
  }
  SECTION("wrong number of columns") {
    edit_gz_lines(raw + "edge.csv.gz", [](auto& lines) { lines[0] = "0,1,2"; });
    CHECK(open_error(root).find(raw + "edge.csv.gz:1: expected 2 comma-separated values, found 3") == 0);
  }
}

TEST_CASE("code2 reader: split ids out of range, repeated or overlapping name file and line", "[datasets]") {
  graphtx_test::TempDir tmp;
  const std::string root = copy_sample(tmp);
  const std::string split = root + "/ogbg_code2/split/project/";
  SECTION("overlap") {
    edit_gz_lines(split + "valid.csv.gz", [](auto& lines) { lines.push_back("1"); });  // graph 1 is in train
    CHECK(open_error(root).find(split + "valid.csv.gz:401: graph id 1 is also in split 'train' (splits overlap)") == 0);
  }
  SECTION("out of range") {
    edit_gz_lines(split + "test.csv.gz", [](auto& lines) { lines[4] = "4000"; });
    CHECK(open_error(root).find(split + "test.csv.gz:5: graph id 4000 outside [0, 4000)") == 0);
  }
  SECTION("listed twice") {
    edit_gz_lines(split + "train.csv.gz", [](auto& lines) { lines.push_back(lines.front()); });
    CHECK(open_error(root).find(split + "train.csv.gz:3201: graph id 1 listed twice") == 0);
  }
}

TEST_CASE("code2 reader: mapping tables must be indexed 0, 1, 2, ...", "[datasets]") {
  graphtx_test::TempDir tmp;
  const std::string root = copy_sample(tmp);
  const std::string path = root + "/ogbg_code2/mapping/typeidx2type.csv.gz";
  edit_gz_lines(path, [](auto& lines) { lines[3] = "5,Call"; });
  CHECK(open_error(root).find(path + ":4: index 5 where 2 was expected") == 0);
  CHECK(open_error(tmp / "nowhere").find("no ogbg_code2/ directory") != std::string::npos);
}
