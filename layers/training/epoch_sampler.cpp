#include "layers/training/epoch_sampler.hpp"

#include "graph/errors.hpp"

#include <algorithm>
#include <random>

namespace graphtx {

std::vector<std::int64_t> epoch_order(const std::vector<std::int64_t>& train_ids, std::uint64_t seed, std::int64_t epoch,
                                      int rank, int world_size) {
  if (world_size < 1 || rank < 0 || rank >= world_size) throw UsageError("epoch_order: rank must be in [0, world_size)");
  std::vector<std::int64_t> order = train_ids;
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(epoch)};
  std::mt19937_64 rng(seq);
  for (size_t i = order.size(); i > 1; --i) {  // Fisher-Yates, independent of the standard library's shuffle
    const size_t j = static_cast<size_t>(rng() % i);
    std::swap(order[i - 1], order[j]);
  }
  std::vector<std::int64_t> share;
  for (size_t p = static_cast<size_t>(rank); p < order.size(); p += static_cast<size_t>(world_size)) share.push_back(order[p]);
  return share;
}

}  // namespace graphtx
