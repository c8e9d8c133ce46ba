#include "datasets/encoding_arrays.hpp"
#include "datasets/npz_file.hpp"
#include "datasets/open_dataset.hpp"
#include "pe/batch_encoder.hpp"
#include "tests/apps/run_cli.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;
using namespace graphtx;
using graphtx::test::run_graphtx;

namespace {

const char* kSpecs = "--pe lap:k=4 --pe maglap:k=3,q=0.1 --pe rwse:K=4 --pe drw:K=3";
const std::vector<std::string> kSpecList{"lap:k=4", "maglap:k=3,q=0.1", "rwse:K=4", "drw:K=3"};

std::string tu_root() { return std::string(GRAPHTX_DATA_DIR) + "/tu"; }

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("graphtx_pe_test_" + std::to_string(getpid()));
  TempDir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string pe_mutag(const std::string& extra) {
  return "pe --dataset tu --root '" + tu_root() + "' --name MUTAG " + kSpecs + " --chunk 40 -q " + extra;
}

// What the library computes for MUTAG in one piece, without chunks or files.
std::vector<NamedArray> expected_mutag_arrays() {
  DatasetSource source;
  source.kind = "tu";
  source.root = tu_root();
  source.name = "MUTAG";
  const auto data = open_dataset(source);
  std::vector<Graph> graphs;
  std::vector<Index> sizes;
  for (Index i = 0; i < data->size(); ++i) {
    graphs.push_back(data->get(i).graph);
    sizes.push_back(graphs.back().num_nodes());
  }
  const auto specs = parse_encoding_specs(kSpecList);
  std::vector<std::string> labels;
  for (const auto& s : specs) labels.push_back(s.label);
  return encoding_arrays(sizes, labels, encode_graphs(graphs, specs));
}

}  // namespace

TEST_CASE("graphtx pe: .pt and .npz load in Python and hold what the library computes", "[apps]") {
  TempDir tmp;
  const auto pt = run_graphtx(pe_mutag("--out '" + (tmp / "m.pt") + "'"));
  INFO(pt.out);
  REQUIRE(pt.code == 0);
  CHECK_THAT(pt.out, Catch::Contains("graphs 188"));
  CHECK_THAT(pt.out, Catch::Contains("torch.load"));
  const auto npz = run_graphtx(pe_mutag("--out '" + (tmp / "m.npz") + "' -j 1"));
  REQUIRE(npz.code == 0);
  CHECK_FALSE(fs::exists(tmp / "m.npz.parts"));

  // The merged chunks equal the one-piece computation, byte for byte.
  const auto expected = expected_mutag_arrays();
  const auto got = read_npz(tmp / "m.npz");
  REQUIRE(got.size() == expected.size());
  std::map<std::string, const NamedArray*> by_name;
  for (const auto& a : got) by_name[a.name] = &a;
  for (const auto& e : expected) {
    INFO(e.name);
    REQUIRE(by_name.count(e.name) == 1);
    CHECK(by_name[e.name]->shape == e.shape);
    CHECK(by_name[e.name]->dtype == e.dtype);
    CHECK(by_name[e.name]->bytes == e.bytes);
  }
  CHECK(by_name.count("maglap.vec") == 1);
  CHECK(by_name["maglap.vec"]->shape.size() == 3);
  CHECK(by_name["drw.index"]->shape.front() == 2);

  // Python: torch.load and numpy.load agree; their values equal ours.
  const std::string dump = tmp / "dump.txt";
  const std::string cmd = "/usr/bin/python3 '" + std::string(GRAPHTX_FIXTURES_DIR) + "/pe/check_pe_files.py' '" + (tmp / "m.pt") +
                          "' '" + (tmp / "m.npz") + "' '" + dump + "' > /dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::ifstream in(dump);
  std::string line;
  Index checked = 0;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::string name, dtype, shape;
    ss >> name >> dtype >> shape;
    INFO(name);
    REQUIRE(by_name.count(name) == 1);
    const NamedArray& a = *by_name[name];
    std::vector<double> values;
    for (double v; ss >> v;) values.push_back(v);
    REQUIRE(static_cast<std::int64_t>(values.size()) == a.numel());
    for (size_t i = 0; i < values.size(); ++i) {
      double mine = 0;
      if (a.dtype == DType::Float32) mine = a.values<float>()[i];
      if (a.dtype == DType::Int64) mine = static_cast<double>(a.values<std::int64_t>()[i]);
      if (a.dtype == DType::Bool) mine = a.bytes[i] ? 1.0 : 0.0;
      REQUIRE(values[i] == mine);
    }
    ++checked;
  }
  CHECK(checked == static_cast<Index>(expected.size()));
}

TEST_CASE("graphtx pe: shards, pe-merge and --resume give bitwise-identical files", "[apps]") {
  TempDir tmp;
  REQUIRE(run_graphtx(pe_mutag("--out '" + (tmp / "full.npz") + "'")).code == 0);
  REQUIRE(run_graphtx(pe_mutag("--out '" + (tmp / "full.pt") + "'")).code == 0);
  const std::string full = slurp(tmp / "full.npz");

  // Two shards into one parts directory, then pe-merge.
  const std::string sharded = tmp / "sharded.npz";
  REQUIRE(run_graphtx(pe_mutag("--out '" + sharded + "' --shard 0/2")).code == 0);
  CHECK_FALSE(fs::exists(sharded));
  const auto missing = run_graphtx("pe-merge --out '" + sharded + "' '" + sharded + ".parts'");
  CHECK(missing.code == 2);
  CHECK_THAT(missing.out, Catch::Contains("chunks missing (1, 3)"));
  REQUIRE(run_graphtx(pe_mutag("--out '" + sharded + "' --shard 1/2")).code == 0);
  REQUIRE(run_graphtx("pe-merge --out '" + sharded + "' '" + sharded + ".parts'").code == 0);
  CHECK(slurp(sharded) == full);

  // The same chunk in two parts directories is refused.
  fs::copy(sharded + ".parts", tmp / "copy.parts");
  const auto twice = run_graphtx("pe-merge --out '" + (tmp / "x.npz") + "' '" + sharded + ".parts' '" + (tmp / "copy.parts") + "'");
  CHECK(twice.code == 2);
  CHECK_THAT(twice.out, Catch::Contains("present twice"));

  // An interrupted run (some chunks done, no output) refuses to start over silently, and
  // --resume finishes it with the same bytes, for .npz and .pt alike.
  for (const std::string ext : {".npz", ".pt"}) {
    const std::string out = tmp / ("resumed" + ext);
    REQUIRE(run_graphtx(pe_mutag("--out '" + out + "' --shard 2/3")).code == 0);
    fs::remove(fs::path(out + ".parts") / "shard-2-of-3.done");
    const auto again = run_graphtx(pe_mutag("--out '" + out + "'"));
    CHECK(again.code == 2);
    CHECK_THAT(again.out, Catch::Contains("--resume"));
    const auto resumed = run_graphtx(pe_mutag("--out '" + out + "' --resume"));
    INFO(resumed.out);
    REQUIRE(resumed.code == 0);
    CHECK_THAT(resumed.out, Catch::Contains("chunks computed, 1 reused"));
    CHECK(slurp(out) == slurp(tmp / ("full" + ext)));
    CHECK_FALSE(fs::exists(out + ".parts"));
  }
}

TEST_CASE("graphtx pe: a .pt above --max-pt-gib is refused with exit 2, early or at the end", "[apps]") {
  TempDir tmp;
  const std::string base = "pe --dataset tu --root '" + tu_root() + "' --name MUTAG " + kSpecs + " -q ";
  // Projected after the first chunk of 40 graphs: nothing written, the advice names .npz.
  const auto early = run_graphtx(base + "--chunk 40 --max-pt-gib 1e-6 --out '" + (tmp / "early.pt") + "'");
  CHECK(early.code == 2);
  CHECK_THAT(early.out, Catch::Contains("is projected at") && Catch::Contains("--out " + (tmp / "early.npz")));
  CHECK_FALSE(fs::exists(tmp / "early.pt"));

  // One chunk: no projection, the exact size is refused at the end and the chunks are kept;
  // the suggested pe-merge gives the same file as a direct .npz run.
  REQUIRE(run_graphtx(base + "--chunk 200 --out '" + (tmp / "direct.npz") + "'").code == 0);
  std::uint64_t bytes = 0;
  const NpzReader direct(tmp / "direct.npz");
  for (const auto& e : direct.entries()) bytes += e.data_size;
  const std::string pt = tmp / "late.pt";
  const auto late = run_graphtx(base + "--chunk 200 --max-pt-gib 1e-6 --out '" + pt + "'");
  CHECK(late.code == 2);
  CHECK_THAT(late.out, Catch::Contains("holds") && Catch::Contains("(" + std::to_string(bytes) + " bytes)"));
  CHECK_FALSE(fs::exists(pt));
  const std::string merge = "pe-merge --out '" + (tmp / "late.npz") + "' '" + pt + ".parts'";
  CHECK_THAT(late.out, Catch::Contains("graphtx pe-merge --out " + (tmp / "late.npz") + " " + pt + ".parts"));
  REQUIRE(run_graphtx(merge).code == 0);
  CHECK(slurp(tmp / "late.npz") == slurp(tmp / "direct.npz"));
  const auto merged_pt = run_graphtx("pe-merge --max-pt-gib 1e-6 --out '" + pt + "' '" + pt + ".parts'");
  CHECK(merged_pt.code == 2);
  CHECK_FALSE(fs::exists(pt));
  CHECK(run_graphtx("pe-merge --out '" + pt + "' '" + pt + ".parts'").code == 0);
}

TEST_CASE("graphtx pe: usage and input errors exit with 2 and say what is wrong", "[apps]") {
  TempDir tmp;
  const auto bad_ext = run_graphtx("pe --input '" + std::string(GRAPHTX_DATA_DIR) + "/snap/C-elegans-frontal.txt' --pe rwse --out x.csv");
  CHECK(bad_ext.code == 2);
  CHECK_THAT(bad_ext.out, Catch::Contains(".pt (PyTorch) or .npz"));
  const auto bad_key = run_graphtx("pe --input '" + std::string(GRAPHTX_DATA_DIR) + "/snap/C-elegans-frontal.txt' --pe lap:kk=3 --out '" + (tmp / "x.pt") + "'");
  CHECK(bad_key.code == 2);
  CHECK_THAT(bad_key.out, Catch::Contains("kk"));
  const auto missing = run_graphtx("pe --input '" + (tmp / "nope.txt") + "' --pe rwse --out '" + (tmp / "x.pt") + "'");
  CHECK(missing.code == 2);
  CHECK_THAT(missing.out, Catch::Contains("nope.txt"));
  const auto augment = run_graphtx(pe_mutag("--augment --out '" + (tmp / "x.pt") + "'"));
  CHECK(augment.code == 2);
  CHECK_THAT(augment.out, Catch::Contains("--augment applies to --dataset ogbg-code2 only"));
  const auto both = run_graphtx("pe --dataset tu --input a.txt --pe rwse --out '" + (tmp / "x.pt") + "'");
  CHECK(both.code == 2);
  CHECK_FALSE(fs::exists(tmp / "x.pt"));
}
