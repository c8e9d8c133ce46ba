// Data-parallel training over c10d/Gloo: environment parsing, the sharded sampler, and real
// multi-process runs on loopback (equal losses for 1 and 2 ranks, a dead or hung rank makes the
// survivor exit with an error instead of hanging).
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "layers/distributed/distributed_context.hpp"
#include "layers/distributed/sharded_sampler.hpp"
#include "tests/workers/launch_ranks.hpp"

// After LibTorch: glog (through c10) defines its own CHECK, Catch's must be the last definition.
#include <catch2/catch.hpp>

namespace {

using graphtx::DistributedConfig;
using graphtx::ShardedBatchSampler;

graphtx::EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    const auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

std::string scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "graphtx_test_distributed";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

// "step loss" lines printed by rank 0 of the toy worker.
std::vector<double> losses_of(const std::string& output) {
  std::vector<double> losses;
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    long long step = 0;
    double loss = 0;
    if (fields >> step >> loss && step == static_cast<long long>(losses.size())) losses.push_back(loss);
  }
  return losses;
}

}  // namespace

TEST_CASE("distributed config: torchrun variables", "[distributed]") {
  const DistributedConfig c = graphtx::parse_distributed_config(
      env_of({{"RANK", "2"}, {"WORLD_SIZE", "4"}, {"MASTER_ADDR", "node7"}, {"MASTER_PORT", "29501"}}));
  CHECK(c.rank == 2);
  CHECK(c.world_size == 4);
  CHECK(c.master_addr == "node7");
  CHECK(c.master_port == 29501);
  CHECK(c.source == "RANK/WORLD_SIZE");
}

TEST_CASE("distributed config: Slurm variables, alone or agreeing", "[distributed]") {
  const DistributedConfig c = graphtx::parse_distributed_config(env_of(
      {{"SLURM_PROCID", "5"}, {"SLURM_NTASKS", "8"}, {"MASTER_ADDR", "10.0.0.1"}, {"MASTER_PORT", "1234"}}));
  CHECK(c.rank == 5);
  CHECK(c.world_size == 8);
  CHECK(c.source == "SLURM_PROCID/SLURM_NTASKS");
  const DistributedConfig both = graphtx::parse_distributed_config(env_of({{"RANK", "5"}, {"WORLD_SIZE", "8"},
      {"SLURM_PROCID", "5"}, {"SLURM_NTASKS", "8"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}}));
  CHECK(both.rank == 5);
}

TEST_CASE("distributed config: missing or inconsistent variables are usage errors", "[distributed]") {
  using Catch::Matchers::Contains;
  const auto parse = [](std::map<std::string, std::string> values) {
    return graphtx::parse_distributed_config(env_of(std::move(values)));
  };
  CHECK_THROWS_WITH(parse({{"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}}), Contains("RANK and WORLD_SIZE"));
  CHECK_THROWS_WITH(parse({{"RANK", "0"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}}), Contains("WORLD_SIZE is unset"));
  CHECK_THROWS_WITH(parse({{"RANK", "4"}, {"WORLD_SIZE", "4"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}}),
                    Contains("RANK=4 is out of range [0, 3]"));
  CHECK_THROWS_WITH(parse({{"RANK", "x1"}, {"WORLD_SIZE", "4"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}}),
                    Contains("RANK='x1' is not an integer"));
  CHECK_THROWS_WITH(parse({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_PORT", "1"}}), Contains("MASTER_ADDR"));
  CHECK_THROWS_WITH(parse({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "h"}}), Contains("MASTER_PORT"));
  CHECK_THROWS_WITH(parse({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "70000"}}),
                    Contains("MASTER_PORT=70000 is out of range"));
  CHECK_THROWS_WITH(parse({{"RANK", "1"}, {"WORLD_SIZE", "2"}, {"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "2"},
                           {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}}),
                    Contains("disagree with SLURM_PROCID/SLURM_NTASKS"));
  CHECK_THROWS_AS(parse({{"SLURM_PROCID", "0"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}}), graphtx::UsageError);
}

TEST_CASE("epoch_permutation: a permutation, reproducible, different per epoch and seed", "[distributed]") {
  const std::vector<std::int64_t> a = graphtx::epoch_permutation(1000, 3, 0);
  std::vector<std::int64_t> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (std::int64_t i = 0; i < 1000; ++i) REQUIRE(sorted[static_cast<std::size_t>(i)] == i);
  CHECK(graphtx::epoch_permutation(1000, 3, 0) == a);
  CHECK(graphtx::epoch_permutation(1000, 3, 1) != a);
  CHECK(graphtx::epoch_permutation(1000, 4, 0) != a);
  // Uniformity: position of element 0 over many epochs hits each of 4 slots about equally often.
  std::vector<int> hits(4, 0);
  for (std::int64_t epoch = 0; epoch < 4000; ++epoch) {
    const auto p = graphtx::epoch_permutation(4, 9, epoch);
    ++hits[static_cast<std::size_t>(std::find(p.begin(), p.end(), 0) - p.begin())];
  }
  for (int h : hits) CHECK(std::abs(h - 1000) < 120);  // 3.8 standard deviations
}

TEST_CASE("shard_range: contiguous, disjoint, covering, sizes differ by at most one", "[distributed]") {
  for (std::int64_t n : {0, 1, 5, 17, 100}) {
    for (int world : {1, 2, 3, 7}) {
      std::int64_t expected_begin = 0;
      for (int rank = 0; rank < world; ++rank) {
        const auto [begin, end] = graphtx::shard_range(n, rank, world);
        CHECK(begin == expected_begin);
        CHECK(end - begin >= n / world);
        CHECK(end - begin <= n / world + 1);
        expected_begin = end;
      }
      CHECK(expected_begin == n);
    }
  }
  CHECK_THROWS_AS(graphtx::shard_range(10, 2, 2), graphtx::UsageError);
}

TEST_CASE("ShardedBatchSampler: ranks split each single-process batch exactly", "[distributed]") {
  const std::int64_t n = 53, batch = 8;
  for (int world : {2, 3, 5}) {
    ShardedBatchSampler single(n, batch, 42, 0, 1);
    std::vector<ShardedBatchSampler> ranks;
    for (int r = 0; r < world; ++r) ranks.emplace_back(n, batch, 42, r, world);
    for (std::int64_t epoch : {0, 1}) {
      single.set_epoch(epoch);
      for (auto& s : ranks) s.set_epoch(epoch);
      std::set<std::int64_t> seen;
      REQUIRE(single.steps_per_epoch() == 7);
      for (std::int64_t step = 0; step < single.steps_per_epoch(); ++step) {
        const auto whole = single.batch(step);
        std::vector<std::int64_t> joined;
        for (auto& s : ranks) {
          REQUIRE(s.steps_per_epoch() == 7);
          const auto piece = s.batch(step);
          CHECK(piece.global_size == whole.global_size);
          joined.insert(joined.end(), piece.indices.begin(), piece.indices.end());
        }
        CHECK(joined == whole.indices);  // same graphs, same order
        seen.insert(joined.begin(), joined.end());
      }
      CHECK(seen.size() == static_cast<std::size_t>(n));  // disjoint shards covering the epoch
    }
  }
  // Last batch of 53 = 6 * 8 + 5 graphs over 7 ranks: pieces [5r/7, 5(r+1)/7), two of them empty.
  std::vector<std::size_t> sizes;
  for (int r = 0; r < 7; ++r) {
    ShardedBatchSampler last(53, 8, 42, r, 7);
    CHECK(last.batch(6).global_size == 5);
    sizes.push_back(last.batch(6).indices.size());
  }
  CHECK(sizes == std::vector<std::size_t>({0, 1, 1, 0, 1, 1, 1}));
}

TEST_CASE("DistributedContext::single: collectives are the identity", "[distributed]") {
  auto context = graphtx::DistributedContext::single();
  CHECK(context->world_size() == 1);
  CHECK(context->is_main());
  const std::vector<std::int64_t> counts = graphtx::allreduce_counts(*context, {3, 4});
  CHECK(counts == std::vector<std::int64_t>({3, 4}));
  std::vector<torch::Tensor> t{torch::ones({3})};
  context->allreduce_sum(t, "test");
  CHECK(t[0].sum().item<double>() == 3.0);
  CHECK(context->bytes_allreduced() == 12);
}

TEST_CASE("toy data-parallel run: 2 ranks give the losses of 1 rank (loopback Gloo)", "[distributed][processes]") {
  graphtx::test::RankLauncher one(GRAPHTX_DIST_TOY_WORKER, {}, 1, {"GRAPHTX_DIST_TIMEOUT=60"}, scratch("toy1"));
  const auto single = one.wait(std::chrono::seconds(120));
  INFO(single[0].output);
  REQUIRE(single[0].exit_code == 0);
  graphtx::test::RankLauncher two(GRAPHTX_DIST_TOY_WORKER, {}, 2, {"GRAPHTX_DIST_TIMEOUT=60"}, scratch("toy2"));
  const auto pair = two.wait(std::chrono::seconds(120));
  INFO(pair[0].output + pair[1].output);
  REQUIRE(pair[0].exit_code == 0);
  REQUIRE(pair[1].exit_code == 0);
  CHECK(losses_of(pair[1].output).empty());  // only rank 0 writes

  const std::vector<double> a = losses_of(single[0].output), b = losses_of(pair[0].output);
  REQUIRE(a.size() == 15);  // 3 epochs of ceil(37 / 8) steps
  REQUIRE(b.size() == a.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(std::abs(a[i] - b[i]) <= 1e-5 * std::abs(a[i]));
  const auto epoch_mean = [&a](std::size_t e) { return (a[5 * e] + a[5 * e + 1] + a[5 * e + 2] + a[5 * e + 3] + a[5 * e + 4]) / 5; };
  CHECK(epoch_mean(2) < 0.5 * epoch_mean(0));  // it does train
  // (6*16+16) + (16*16+16) + (16+1) = 401 float32 parameters: 1604 bytes per step, one bucket.
  CHECK(pair[0].output.find("bytes_per_step 1604 buckets 1 ") != std::string::npos);
}

TEST_CASE("toy data-parallel run: a killed rank makes the other exit with an error", "[distributed][processes]") {
  graphtx::test::RankLauncher ranks(GRAPHTX_DIST_TOY_WORKER, {"--die-rank", "1", "--die-step", "4"}, 2,
                                    {"GRAPHTX_DIST_TIMEOUT=20"}, scratch("toykill"));
  const auto results = ranks.wait(std::chrono::seconds(90));
  INFO(results[0].output);
  CHECK_FALSE(results[0].timed_out);
  CHECK(results[0].exit_code == 1);
  CHECK(results[0].seconds < 25.0);
  CHECK(results[0].output.find("rank 0 of 2: gradient all-reduce failed") != std::string::npos);
  CHECK(results[1].exit_code == -1);  // SIGKILL
}

TEST_CASE("toy data-parallel run: a hung rank makes the other time out with an error", "[distributed][processes]") {
  graphtx::test::RankLauncher ranks(GRAPHTX_DIST_TOY_WORKER,
                                    {"--die-rank", "1", "--die-step", "4", "--die-how", "stop"}, 2,
                                    {"GRAPHTX_DIST_TIMEOUT=5"}, scratch("toystop"));
  const auto results = ranks.wait(std::chrono::seconds(60));
  INFO(results[0].output);
  CHECK_FALSE(results[0].timed_out);
  CHECK(results[0].exit_code == 1);
  CHECK(results[0].seconds < 30.0);
  CHECK(results[0].output.find("did not answer within 5 s") != std::string::npos);
  CHECK(results[1].timed_out);  // stopped, killed by the launcher
}
