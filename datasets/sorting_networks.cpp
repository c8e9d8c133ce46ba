#include "datasets/sorting_networks.hpp"

#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <string>

namespace graphtx {

namespace {

constexpr int kMaxWires = 24;

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  std::uint64_t state = seed;
  for (std::uint64_t part : {a, b, c}) {
    state ^= splitmix64(state) + part;
    splitmix64(state);
  }
  return splitmix64(state);
}

// Uniform integer in [0, bound) by rejection.
std::uint64_t uniform_below(std::uint64_t& state, std::uint64_t bound) {
  const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
  for (;;) {
    const std::uint64_t r = splitmix64(state);
    if (r < limit) return r % bound;
  }
}

void check_wires(int wires) {
  if (wires < 2 || wires > kMaxWires)
    throw UsageError("sorting networks: " + std::to_string(wires) + " wires outside [2, " + std::to_string(kMaxWires) + "]");
}

// All 2^w binary inputs at once: bit x of wire k's words is bit k of input x.
class BinaryInputs {
 public:
  explicit BinaryInputs(int wires)
      : wires_(wires), words_(wires >= 6 ? (std::size_t{1} << (wires - 6)) : 1), bits_(wires_ * words_, 0) {
    const std::uint64_t inputs = std::uint64_t{1} << wires;
    for (std::uint64_t x = 0; x < inputs; ++x)
      for (int k = 0; k < wires; ++k)
        if ((x >> k) & 1U) bits_[static_cast<std::size_t>(k) * words_ + x / 64] |= std::uint64_t{1} << (x % 64);
    last_mask_ = wires >= 6 ? ~std::uint64_t{0} : (std::uint64_t{1} << inputs) - 1;
    // Comparators keep the number of ones of every input, so its sorted output is known up front:
    // wire k ends as 1 iff the input has at least wires - k ones.
    target_.assign(bits_.size(), 0);
    for (std::uint64_t x = 0; x < inputs; ++x) {
      const int ones = __builtin_popcountll(x);
      for (int k = wires - ones; k < wires; ++k) target_[static_cast<std::size_t>(k) * words_ + x / 64] |= std::uint64_t{1} << (x % 64);
    }
  }
  void apply(int i, int j) {
    std::uint64_t* a = &bits_[static_cast<std::size_t>(i) * words_];
    std::uint64_t* b = &bits_[static_cast<std::size_t>(j) * words_];
    for (std::size_t t = 0; t < words_; ++t) {
      const std::uint64_t lo = a[t] & b[t], hi = a[t] | b[t];
      a[t] = lo;
      b[t] = hi;
    }
  }
  // Sorted ascending: no input has a 1 on wire k and a 0 on wire k + 1.
  bool sorted() const {
    for (int k = 0; k + 1 < wires_; ++k) {
      const std::uint64_t* a = &bits_[static_cast<std::size_t>(k) * words_];
      const std::uint64_t* b = &bits_[static_cast<std::size_t>(k + 1) * words_];
      for (std::size_t t = 0; t < words_; ++t)
        if ((a[t] & ~b[t] & last_mask_) != 0) return false;
    }
    return true;
  }
  // Wires that still carry a wrong value for some input (ascending); empty iff sorted().
  std::vector<int> unsorted_wires() const {
    std::vector<int> out;
    for (int k = 0; k < wires_; ++k) {
      const std::size_t base = static_cast<std::size_t>(k) * words_;
      for (std::size_t t = 0; t < words_; ++t)
        if (((bits_[base + t] ^ target_[base + t]) & last_mask_) != 0) {
          out.push_back(k);
          break;
        }
    }
    return out;
  }

 private:
  int wires_;
  std::size_t words_;
  std::vector<std::uint64_t> bits_, target_;
  std::uint64_t last_mask_;
};

}  // namespace

bool sorts_all_binary_inputs(const SortingNetwork& network) {
  check_wires(network.wires);
  BinaryInputs inputs(network.wires);
  for (const auto& [i, j] : network.comparators) {
    if (i < 0 || j >= network.wires || i >= j)
      throw UsageError("sorting networks: comparator (" + std::to_string(i) + ", " + std::to_string(j) +
                       ") needs 0 <= i < j < " + std::to_string(network.wires));
    inputs.apply(i, j);
  }
  return inputs.sorted();
}

std::optional<SortingNetwork> random_sorting_network(int wires, std::uint64_t seed, int max_comparators) {
  check_wires(wires);
  SortingNetwork network;
  network.wires = wires;
  BinaryInputs inputs(wires);
  std::uint64_t state = seed;
  // As the reference generator (Geisler et al.): both wires are drawn from those still out of place
  // for some binary input, and the previous comparator is never repeated at once.
  for (std::vector<int> open = inputs.unsorted_wires(); !open.empty(); open = inputs.unsorted_wires()) {
    if (static_cast<int>(network.comparators.size()) >= max_comparators) return std::nullopt;
    const int u = static_cast<int>(open.size());  // >= 2: an unsorted input is wrong on two wires
    int i = 0, j = 0;
    do {
      std::uint64_t r = uniform_below(state, static_cast<std::uint64_t>(u) * static_cast<std::uint64_t>(u - 1) / 2);
      int a = 0;
      while (r >= static_cast<std::uint64_t>(u - 1 - a)) r -= static_cast<std::uint64_t>(u - 1 - a++);
      i = open[static_cast<std::size_t>(a)];
      j = open[static_cast<std::size_t>(a + 1 + static_cast<int>(r))];
    } while (!network.comparators.empty() && network.comparators.back() == std::make_pair(i, j));
    network.comparators.emplace_back(i, j);
    inputs.apply(i, j);
  }
  return network;
}

SortingNetwork reversed_network(const SortingNetwork& network) {
  SortingNetwork out = network;
  std::reverse(out.comparators.begin(), out.comparators.end());
  return out;
}

Graph sorting_network_graph(const SortingNetwork& network, bool wire_features) {
  check_wires(network.wires);
  const auto c = static_cast<Index>(network.comparators.size());
  std::vector<Index> last(static_cast<std::size_t>(network.wires), -1);
  GraphBuilder builder(c, true);
  Features features;
  if (wire_features) features.ints.resize(c, 2);
  for (Index t = 0; t < c; ++t) {
    const auto [i, j] = network.comparators[static_cast<std::size_t>(t)];
    const Index pi = last[static_cast<std::size_t>(i)], pj = last[static_cast<std::size_t>(j)];
    if (pi >= 0) builder.add_edge(pi, t);
    if (pj >= 0 && pj != pi) builder.add_edge(pj, t);
    last[static_cast<std::size_t>(i)] = last[static_cast<std::size_t>(j)] = t;
    if (wire_features) {
      features.ints(t, 0) = i;
      features.ints(t, 1) = j;
    }
  }
  builder.node_features(std::move(features));
  return builder.build();
}

InMemoryDataset make_sorting_network_dataset(const SortingNetworkOptions& options) {
  const SortingNetworkSplit* splits[] = {&options.train, &options.valid, &options.test};
  const char* names[] = {"train", "valid", "test"};
  struct Task {
    int split;
    Index k;
  };
  std::vector<Task> tasks;
  for (int s = 0; s < 3; ++s) {
    const auto& sp = *splits[s];
    if (sp.networks < 0 || sp.min_wires > sp.max_wires)
      throw UsageError(std::string("sorting networks: bad ") + names[s] + " split (wires " + std::to_string(sp.min_wires) +
                       "-" + std::to_string(sp.max_wires) + ", " + std::to_string(sp.networks) + " networks)");
    if (sp.networks > 0) {
      check_wires(sp.min_wires);
      check_wires(sp.max_wires);
    }
    for (Index k = 0; k < sp.networks; ++k) tasks.push_back({s, k});
  }
  if (options.max_comparators < 1) throw UsageError("sorting networks: max_comparators must be positive");

  constexpr int kMaxAttempts = 1000;
  std::vector<std::vector<GraphExample>> produced(tasks.size());
  tbb::parallel_for(std::size_t{0}, tasks.size(), [&](std::size_t t) {
    const auto& sp = *splits[tasks[t].split];
    const int wires = sp.min_wires + static_cast<int>(tasks[t].k % (sp.max_wires - sp.min_wires + 1));
    std::optional<SortingNetwork> network;
    for (int attempt = 0; attempt < kMaxAttempts && !network; ++attempt)
      network = random_sorting_network(
          wires, derive_seed(options.seed, static_cast<std::uint64_t>(tasks[t].split), static_cast<std::uint64_t>(tasks[t].k),
                             static_cast<std::uint64_t>(attempt)),
          options.max_comparators);
    if (!network)
      throw UsageError("sorting networks: no " + std::to_string(wires) + "-wire network within " +
                       std::to_string(options.max_comparators) + " comparators after " + std::to_string(kMaxAttempts) +
                       " attempts; raise max_comparators");
    SortingNetwork negative = *network;
    negative.comparators.pop_back();
    auto example = [&](const SortingNetwork& net, std::int64_t label) {
      GraphExample e;
      e.graph = sorting_network_graph(net, options.wire_features);
      e.label = {label};
      return e;
    };
    produced[t].push_back(example(*network, 1));
    produced[t].push_back(example(negative, 0));
    if (tasks[t].split > 0) {
      const SortingNetwork rev = reversed_network(*network);
      produced[t].push_back(example(rev, sorts_all_binary_inputs(rev) ? 1 : 0));
    }
  });

  std::vector<GraphExample> examples;
  std::map<std::string, std::vector<Index>> split_ids;
  for (const char* name : names) split_ids[name];
  for (std::size_t t = 0; t < tasks.size(); ++t)
    for (auto& e : produced[t]) {
      e.index = static_cast<Index>(examples.size());
      split_ids[names[tasks[t].split]].push_back(e.index);
      examples.push_back(std::move(e));
    }
  return InMemoryDataset("sorting-networks", std::move(examples), std::move(split_ids));
}

}  // namespace graphtx
