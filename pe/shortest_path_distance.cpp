#include "pe/shortest_path_distance.hpp"

#include "graph/errors.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <vector>

namespace graphtx {

namespace {

// Breadth-first search state reused across sources: hop distances (-1 = not reached) and the
// queue, which doubles as the list of entries to reset.
struct BfsWorkspace {
  explicit BfsWorkspace(Index n) : distance(static_cast<size_t>(n), -1), wanted(static_cast<size_t>(n), 0) {}
  std::vector<Index> distance;
  std::vector<char> wanted;
  std::vector<Index> queue;
};

// Distances from u until every target of u is reached (or the component is exhausted).
void search(const Graph& g, Index u, const PairSet& set, BfsWorkspace& w) {
  Index missing = 0;
  for (Index i = set.offsets[u]; i < set.offsets[u + 1]; ++i) {
    char& flag = w.wanted[set.pairs(i, 1)];
    missing += flag == 0;
    flag = 1;
  }
  w.queue.assign(1, u);
  w.distance[u] = 0;
  if (w.wanted[u]) --missing;
  for (size_t head = 0; head < w.queue.size() && missing > 0; ++head) {
    const Index x = w.queue[head];
    const Neighbours nb = g.out(x);
    for (Index j = 0; j < nb.size(); ++j) {
      const Index y = nb.nodes[j];
      if (w.distance[y] >= 0) continue;
      w.distance[y] = w.distance[x] + 1;
      w.queue.push_back(y);
      if (w.wanted[y]) --missing;
    }
  }
}

void reset(const PairSet& set, Index u, BfsWorkspace& w) {
  for (Index x : w.queue) w.distance[x] = -1;
  for (Index i = set.offsets[u]; i < set.offsets[u + 1]; ++i) w.wanted[set.pairs(i, 1)] = 0;
}

}  // namespace

EncodingResult shortest_path_distance(const Graph& g, const ShortestPathOptions& options) {
  if (options.max_distance < 0)
    throw UsageError("spd: max must be >= 0, got " + std::to_string(options.max_distance));
  PairSet set = select_pairs(g, options.pairs, 1, options.max_pair_bytes, "spd");
  const Index n = g.num_nodes();
  const auto cap = static_cast<double>(options.max_distance);
  EncodingResult result;
  result.node.resize(n, 0);
  result.node_dims = {0};
  result.pair_values.resize(set.size(), 1);
  tbb::enumerable_thread_specific<BfsWorkspace> workspaces([n] { return BfsWorkspace(n); });
  tbb::parallel_for(tbb::blocked_range<Index>(0, n, 16), [&](const tbb::blocked_range<Index>& r) {
    BfsWorkspace& w = workspaces.local();
    for (Index u = r.begin(); u != r.end(); ++u) {
      if (set.offsets[u] == set.offsets[u + 1]) continue;
      search(g, u, set, w);
      for (Index i = set.offsets[u]; i < set.offsets[u + 1]; ++i) {
        const Index d = w.distance[set.pairs(i, 1)];
        result.pair_values(i, 0) = d < 0 ? cap + 1 : std::min(static_cast<double>(d), cap);
      }
      reset(set, u, w);
    }
  });
  result.pairs = std::move(set.pairs);
  check_finite(result, "spd");
  return result;
}

}  // namespace graphtx
