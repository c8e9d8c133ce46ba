// ShardedBatchSampler: the global batches of each epoch, and this rank's disjoint part of each.
// Epoch e visits the training set in a permutation drawn from (seed, e) by a portable generator
// (splitmix64 + Fisher-Yates), identical on every rank and platform. Step s owns positions
// [s B, min((s+1) B, n)) of it; rank r of W takes the r-th of W contiguous near-equal pieces, so
// the union over ranks is exactly the single-process batch. Every rank runs the same number of
// steps (ranks may get an empty piece of a short last batch). shard_range does the same for the
// unshuffled evaluation sets. Cost O(n) per epoch.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace graphtx {

// Portable permutation of 0..n-1 for (seed, epoch).
std::vector<std::int64_t> epoch_permutation(std::int64_t n, std::uint64_t seed, std::int64_t epoch);

// Piece `rank` of [0, n) split into `world_size` contiguous near-equal ranges: [begin, end).
std::pair<std::int64_t, std::int64_t> shard_range(std::int64_t n, int rank, int world_size);

class ShardedBatchSampler {
 public:
  ShardedBatchSampler(std::int64_t size, std::int64_t global_batch, std::uint64_t seed, int rank, int world_size,
                      bool shuffle = true);

  std::int64_t steps_per_epoch() const;  // ceil(size / global_batch), the same on every rank
  void set_epoch(std::int64_t epoch);    // draws the epoch's order

  struct Batch {
    std::vector<std::int64_t> indices;  // this rank's dataset indices for the step
    std::int64_t global_size = 0;       // graphs in the step's batch over all ranks
  };
  Batch batch(std::int64_t step) const;

 private:
  std::int64_t size_, global_batch_;
  std::uint64_t seed_;
  int rank_, world_size_;
  bool shuffle_;
  std::vector<std::int64_t> order_;
};

}  // namespace graphtx
