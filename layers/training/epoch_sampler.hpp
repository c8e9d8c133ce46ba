// The training order of one epoch: the training graph ids shuffled by a generator seeded with
// (seed, epoch) — the same on every run and every thread count — then the rank's share
// (positions p with p mod world_size == rank, the data-parallel split). O(n).
#pragma once

#include <cstdint>
#include <vector>

namespace graphtx {

std::vector<std::int64_t> epoch_order(const std::vector<std::int64_t>& train_ids, std::uint64_t seed, std::int64_t epoch,
                                      int rank = 0, int world_size = 1);

}  // namespace graphtx
