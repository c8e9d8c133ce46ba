#include "layers/distributed/sharded_sampler.hpp"

#include <algorithm>
#include <numeric>
#include <string>

#include "graph/errors.hpp"

namespace graphtx {
namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Uniform integer in [0, bound) by rejection (no modulo bias), bound >= 1.
std::uint64_t uniform_below(std::uint64_t& state, std::uint64_t bound) {
  const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
  std::uint64_t x = splitmix64(state);
  while (x >= limit) x = splitmix64(state);
  return x % bound;
}

}  // namespace

std::vector<std::int64_t> epoch_permutation(std::int64_t n, std::uint64_t seed, std::int64_t epoch) {
  if (n < 0) throw UsageError("epoch_permutation: negative size");
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), std::int64_t{0});
  std::uint64_t state = seed;
  state = splitmix64(state) ^ static_cast<std::uint64_t>(epoch);
  for (std::int64_t i = n - 1; i > 0; --i) {
    const auto j = static_cast<std::int64_t>(uniform_below(state, static_cast<std::uint64_t>(i) + 1));
    std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(j)]);
  }
  return order;
}

std::pair<std::int64_t, std::int64_t> shard_range(std::int64_t n, int rank, int world_size) {
  if (world_size < 1 || rank < 0 || rank >= world_size)
    throw UsageError("shard_range: rank " + std::to_string(rank) + " outside world size " + std::to_string(world_size));
  const std::int64_t begin = n * rank / world_size;
  const std::int64_t end = n * (rank + 1) / world_size;
  return {begin, end};
}

ShardedBatchSampler::ShardedBatchSampler(std::int64_t size, std::int64_t global_batch, std::uint64_t seed, int rank,
                                         int world_size, bool shuffle)
    : size_(size), global_batch_(global_batch), seed_(seed), rank_(rank), world_size_(world_size), shuffle_(shuffle) {
  if (size < 0) throw UsageError("ShardedBatchSampler: negative dataset size");
  if (global_batch < 1) throw UsageError("ShardedBatchSampler: the batch size must be at least 1");
  shard_range(0, rank, world_size);  // validates rank and world size
  set_epoch(0);
}

std::int64_t ShardedBatchSampler::steps_per_epoch() const { return (size_ + global_batch_ - 1) / global_batch_; }

void ShardedBatchSampler::set_epoch(std::int64_t epoch) {
  if (shuffle_) {
    order_ = epoch_permutation(size_, seed_, epoch);
  } else {
    order_.resize(static_cast<std::size_t>(size_));
    std::iota(order_.begin(), order_.end(), std::int64_t{0});
  }
}

ShardedBatchSampler::Batch ShardedBatchSampler::batch(std::int64_t step) const {
  if (step < 0 || step >= steps_per_epoch())
    throw UsageError("ShardedBatchSampler: step " + std::to_string(step) + " outside the epoch");
  const std::int64_t start = step * global_batch_;
  Batch batch;
  batch.global_size = std::min(global_batch_, size_ - start);
  const auto [begin, end] = shard_range(batch.global_size, rank_, world_size_);
  batch.indices.assign(order_.begin() + start + begin, order_.begin() + start + end);
  return batch;
}

}  // namespace graphtx
