#include "pe/sparse_pair_set.hpp"

#include "graph/errors.hpp"

#include <cstdio>

namespace graphtx {

namespace {

std::string format_bytes(std::uint64_t bytes) {
  char text[64];
  const double gib = static_cast<double>(bytes) / static_cast<double>(std::uint64_t{1} << 30);
  if (gib >= 1.0) {
    std::snprintf(text, sizeof text, "%.2f GiB", gib);
  } else if (bytes >= (std::uint64_t{1} << 20)) {
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  } else {  // exact below 1 MiB, so small limits and graphs do not all read "0.0 MiB"
    std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
  }
  return text;
}

}  // namespace

PairSelection parse_pair_selection(const std::string& name) {
  if (name == "edges") return PairSelection::Edges;
  if (name == "all") return PairSelection::All;
  throw UsageError("unknown pair set '" + name + "' (valid: edges, all)");
}

std::string to_string(PairSelection selection) { return selection == PairSelection::All ? "all" : "edges"; }

std::uint64_t all_pairs_bytes(Index num_nodes, Index channels) {
  const auto n = static_cast<std::uint64_t>(num_nodes);
  return n * n * (2 + static_cast<std::uint64_t>(channels)) * 8;
}

PairSet select_pairs(const Graph& g, PairSelection selection, Index channels, std::uint64_t max_bytes,
                     const std::string& what) {
  const Index n = g.num_nodes();
  PairSet set;
  set.offsets.assign(static_cast<size_t>(n) + 1, 0);
  if (selection == PairSelection::All) {
    const std::uint64_t bytes = all_pairs_bytes(n, channels);
    if (bytes > max_bytes)
      throw UsageError(what + ": pairs=all on a graph of " + std::to_string(n) + " nodes needs about " +
                       format_bytes(bytes) + " (" + std::to_string(n) + "^2 pairs x " + std::to_string(channels) +
                       " channels), above the pair memory limit of " + format_bytes(max_bytes) +
                       "; raise the limit or use pairs=edges");
    set.pairs.resize(n * n, 2);
    for (Index u = 0; u < n; ++u) {
      for (Index v = 0; v < n; ++v) set.pairs.row(u * n + v) << u, v;
      set.offsets[u + 1] = (u + 1) * n;
    }
    return set;
  }
  std::vector<Index> flat;
  flat.reserve(2 * static_cast<size_t>(g.out_offsets().back()));
  for (Index u = 0; u < n; ++u) {
    const Neighbours nb = g.out(u);
    for (Index i = 0; i < nb.size(); ++i) {
      if (i > 0 && nb.nodes[i] == nb.nodes[i - 1]) continue;  // multi-edges: one pair
      flat.push_back(u);
      flat.push_back(nb.nodes[i]);
    }
    set.offsets[u + 1] = static_cast<Index>(flat.size() / 2);
  }
  set.pairs = Eigen::Map<const PairMatrix>(flat.data(), static_cast<Index>(flat.size() / 2), 2);
  return set;
}

}  // namespace graphtx
