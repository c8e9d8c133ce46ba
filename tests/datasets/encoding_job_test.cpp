// run_encoding_job on a small in-memory dataset: the merged file is bitwise independent of the
// thread count, and two shards joined by merge_encoding_parts give the same bytes. Small enough
// to run under ThreadSanitizer (./run test, sanitizer stage).
#include "datasets/encoding_job.hpp"
#include "graph/graph_builder.hpp"
#include "tests/datasets/dataset_test_util.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace graphtx;

namespace {

InMemoryDataset random_dataset(int count, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<GraphExample> examples;
  for (int i = 0; i < count; ++i) {
    const Index n = 2 + static_cast<Index>(rng() % 40);
    std::uniform_int_distribution<Index> node(0, n - 1);
    GraphBuilder b(n, i % 2 == 0);
    for (Index e = 0; e < 2 * n; ++e) b.add_edge(node(rng), node(rng));
    GraphExample ex;
    ex.index = i;
    ex.graph = b.build();
    examples.push_back(std::move(ex));
  }
  return InMemoryDataset("random", std::move(examples));
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

EncodingJobOptions job(const std::string& out, int threads) {
  EncodingJobOptions o;
  o.specs = parse_encoding_specs({"lap:k=3", "maglap:k=2,q=0.1", "rwse:K=3", "drw:K=2"});
  o.out = out;
  o.chunk_graphs = 7;
  o.threads = threads;
  return o;
}

}  // namespace

TEST_CASE("encoding job: thread count and sharding do not change a bit of the output", "[datasets][job]") {
  graphtx_test::TempDir dir;
  const InMemoryDataset data = random_dataset(30, 11);
  const EncodingJobStats one = run_encoding_job(data, job(dir / "one.npz", 1));
  CHECK(one.graphs == 30);
  CHECK(one.chunks_computed == 5);
  run_encoding_job(data, job(dir / "four.npz", 4));
  const std::string bytes = slurp(dir / "one.npz");
  REQUIRE(bytes.size() > 1000);
  CHECK(slurp(dir / "four.npz") == bytes);

  for (Index shard = 0; shard < 2; ++shard) {
    EncodingJobOptions o = job(dir / "sharded.npz", 2);
    o.shard_index = shard;
    o.shard_count = 2;
    const EncodingJobStats part = run_encoding_job(data, o);
    CHECK(part.chunks_computed == (shard == 0 ? 3 : 2));
  }
  merge_encoding_parts({parts_directory(dir / "sharded.npz")}, dir / "merged.npz", write_merged_npz);
  CHECK(slurp(dir / "merged.npz") == bytes);
}
