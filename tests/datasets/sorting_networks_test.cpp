#include "datasets/sorting_networks.hpp"
#include "graph/errors.hpp"

#include <catch2/catch.hpp>
#include <tbb/global_control.h>

#include <algorithm>
#include <random>

using namespace graphtx;

namespace {

// Brute force: apply the network to every integer vector in {0..2}^w and check it is sorted.
bool sorts_ternary_inputs(const SortingNetwork& net) {
  std::vector<int> x(static_cast<size_t>(net.wires));
  std::int64_t total = 1;
  for (int k = 0; k < net.wires; ++k) total *= 3;
  for (std::int64_t code = 0; code < total; ++code) {
    std::int64_t c = code;
    for (auto& v : x) {
      v = static_cast<int>(c % 3);
      c /= 3;
    }
    for (const auto& [i, j] : net.comparators)
      if (x[static_cast<size_t>(i)] > x[static_cast<size_t>(j)]) std::swap(x[static_cast<size_t>(i)], x[static_cast<size_t>(j)]);
    if (!std::is_sorted(x.begin(), x.end())) return false;
  }
  return true;
}

SortingNetwork network_of(const Graph& g) {
  SortingNetwork net;
  const IntMatrix& f = g.node_features().ints;
  for (Index t = 0; t < f.rows(); ++t) {
    net.comparators.emplace_back(static_cast<int>(f(t, 0)), static_cast<int>(f(t, 1)));
    net.wires = std::max(net.wires, static_cast<int>(f(t, 1)) + 1);
  }
  return net;
}

SortingNetworkOptions small_options() {
  SortingNetworkOptions o;
  o.seed = 7;
  o.train = {5, 7, 12};
  o.valid = {8, 8, 4};
  o.test = {9, 10, 4};
  return o;
}

bool identical(const InMemoryDataset& a, const InMemoryDataset& b) {
  if (a.size() != b.size() || a.splits() != b.splits()) return false;
  for (Index i = 0; i < a.size(); ++i) {
    const GraphExample x = a.get(i), y = b.get(i);
    if (x.label != y.label || x.graph.sources() != y.graph.sources() || x.graph.targets() != y.graph.targets() ||
        x.graph.node_features().ints != y.graph.node_features().ints)
      return false;
  }
  return true;
}

}  // namespace

TEST_CASE("0-1 test: a known 4-wire network sorts, without its last comparator it does not", "[datasets]") {
  SortingNetwork net{4, {{0, 1}, {2, 3}, {0, 2}, {1, 3}, {1, 2}}};
  CHECK(sorts_all_binary_inputs(net));
  net.comparators.pop_back();
  CHECK_FALSE(sorts_all_binary_inputs(net));
  CHECK_THROWS_AS(sorts_all_binary_inputs(SortingNetwork{4, {{2, 1}}}), UsageError);
}

TEST_CASE("0-1 test agrees with brute force over ternary inputs on random networks", "[datasets]") {
  std::mt19937 rng(3);
  int agree_true = 0, agree_false = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const int w = 3 + trial % 5;  // 3..7 wires (6 and 7 cross the 64-bit word boundary)
    SortingNetwork net{w, {}};
    const int size = static_cast<int>(rng() % 40);
    for (int c = 0; c < size; ++c) {
      int i = static_cast<int>(rng() % static_cast<unsigned>(w)), j = static_cast<int>(rng() % static_cast<unsigned>(w));
      if (i == j) continue;
      net.comparators.emplace_back(std::min(i, j), std::max(i, j));
    }
    const bool fast = sorts_all_binary_inputs(net);
    REQUIRE(fast == sorts_ternary_inputs(net));
    (fast ? agree_true : agree_false)++;
  }
  CHECK(agree_true > 10);
  CHECK(agree_false > 10);
}

TEST_CASE("random_sorting_network: sorts, is minimal at its end and gives up at the cap", "[datasets]") {
  for (int w = 2; w <= 12; ++w) {
    const auto net = random_sorting_network(w, 100 + static_cast<std::uint64_t>(w));
    REQUIRE(net);
    CHECK(net->wires == w);
    CHECK(sorts_all_binary_inputs(*net));
    SortingNetwork shorter = *net;
    shorter.comparators.pop_back();
    CHECK_FALSE(sorts_all_binary_inputs(shorter));
    CHECK(net->comparators.size() <= 512);
  }
  CHECK_FALSE(random_sorting_network(16, 1, 20));  // 16 wires need at least 60 comparators
}

// Wires that hold a wrong value for some binary input after the given comparators (brute force).
std::vector<int> unsorted_wires_after(int wires, const std::vector<std::pair<int, int>>& comparators) {
  std::vector<bool> wrong(static_cast<size_t>(wires), false);
  for (std::uint32_t x = 0; x < (1U << wires); ++x) {
    std::vector<int> v(static_cast<size_t>(wires));
    for (int k = 0; k < wires; ++k) v[static_cast<size_t>(k)] = (x >> k) & 1U;
    for (const auto& [i, j] : comparators)
      if (v[static_cast<size_t>(i)] > v[static_cast<size_t>(j)]) std::swap(v[static_cast<size_t>(i)], v[static_cast<size_t>(j)]);
    std::vector<int> s = v;
    std::sort(s.begin(), s.end());
    for (int k = 0; k < wires; ++k)
      if (s[static_cast<size_t>(k)] != v[static_cast<size_t>(k)]) wrong[static_cast<size_t>(k)] = true;
  }
  std::vector<int> out;
  for (int k = 0; k < wires; ++k)
    if (wrong[static_cast<size_t>(k)]) out.push_back(k);
  return out;
}

TEST_CASE("random_sorting_network: like the reference generator, comparators only join wires still out of place, "
          "never the previous comparator again", "[datasets]") {
  // Uniform pairs (the former rule) gave 7-wire networks of ~72 comparators and 9-wire ones of ~130;
  // drawing among unsorted wires gives ~37 and ~68. The comparators of every prefix are checked.
  double total7 = 0;
  for (int trial = 0; trial < 20; ++trial) {
    const int w = 5 + trial % 5;
    const auto net = random_sorting_network(w, 500 + static_cast<std::uint64_t>(trial));
    REQUIRE(net);
    if (w == 7) total7 += static_cast<double>(net->comparators.size());
    std::vector<std::pair<int, int>> prefix;
    for (const auto& c : net->comparators) {
      const std::vector<int> open = unsorted_wires_after(w, prefix);
      REQUIRE(std::count(open.begin(), open.end(), c.first) == 1);
      REQUIRE(std::count(open.begin(), open.end(), c.second) == 1);
      if (!prefix.empty()) REQUIRE(prefix.back() != c);
      prefix.push_back(c);
    }
    CHECK(unsorted_wires_after(w, prefix).empty());
  }
  CHECK(total7 / 4 < 55);
}

TEST_CASE("sorting_network_graph: node per comparator, edges from the previous comparator per wire", "[datasets]") {
  const SortingNetwork net{4, {{0, 1}, {2, 3}, {0, 2}, {1, 3}, {1, 2}, {1, 2}}};
  const Graph g = sorting_network_graph(net);
  CHECK(g.num_nodes() == 6);
  CHECK(g.directed());
  CHECK(g.sources() == std::vector<Index>{0, 1, 0, 1, 3, 2, 4});  // per comparator: wire i, then wire j
  CHECK(g.targets() == std::vector<Index>{2, 2, 3, 3, 4, 4, 5});  // 4 -> 5 once (both wires)
  CHECK(g.node_features().ints(4, 0) == 1);
  CHECK(g.node_features().ints(4, 1) == 2);
  CHECK(sorting_network_graph(net, false).node_features().empty());
}

TEST_CASE("sorting-network dataset: labels are exact 0-1 outcomes, graphs are DAGs with in-degree <= 2", "[datasets]") {
  const SortingNetworkOptions options = small_options();
  const InMemoryDataset ds = make_sorting_network_dataset(options);
  REQUIRE(ds.size() == 12 * 2 + 4 * 3 + 4 * 3);
  CHECK(ds.split("train").size() == 24);
  CHECK(ds.split("valid").size() == 12);
  CHECK(ds.split("test").size() == 12);
  Index positives = 0, negatives = 0;
  for (Index i = 0; i < ds.size(); ++i) {
    const GraphExample e = ds.get(i);
    const SortingNetwork net = network_of(e.graph);
    REQUIRE(e.label.size() == 1);
    REQUIRE((e.label[0] == 1) == sorts_all_binary_inputs(net));
    (e.label[0] == 1 ? positives : negatives)++;
    for (Index k = 0; k < e.graph.num_edges(); ++k) REQUIRE(e.graph.source(k) < e.graph.target(k));  // DAG
    for (Index v = 0; v < e.graph.num_nodes(); ++v) REQUIRE(e.graph.in_degree(v) <= 2);
  }
  CHECK(positives >= 20);  // every generated network (+ any sorting reversal)
  CHECK(negatives >= 20);  // every truncated one
  // wire counts follow the configured ranges: train 5..7, valid 8, test 9..10
  auto wires = [&](Index i) { return network_of(ds.get(i).graph).wires; };
  for (Index i : ds.split("train")) REQUIRE((wires(i) >= 4 && wires(i) <= 7));
  CHECK(wires(ds.split("valid")[0]) == 8);
  CHECK(wires(ds.split("test")[0]) == 9);
  CHECK(wires(ds.split("test")[3]) == 10);
  // train: positive then negative per network
  CHECK(ds.get(0).label[0] == 1);
  CHECK(ds.get(1).label[0] == 0);
  CHECK(ds.get(1).graph.num_nodes() == ds.get(0).graph.num_nodes() - 1);
}

TEST_CASE("sorting-network dataset: same seed gives identical data for any thread count", "[datasets]") {
  const SortingNetworkOptions options = small_options();
  const InMemoryDataset reference = make_sorting_network_dataset(options);
  {
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    CHECK(identical(make_sorting_network_dataset(options), reference));
  }
  {
    tbb::global_control four(tbb::global_control::max_allowed_parallelism, 4);
    CHECK(identical(make_sorting_network_dataset(options), reference));
  }
  SortingNetworkOptions other = options;
  other.seed = 8;
  CHECK_FALSE(identical(make_sorting_network_dataset(other), reference));
  SortingNetworkOptions bad = options;
  bad.valid = {12, 11, 3};
  CHECK_THROWS_AS(make_sorting_network_dataset(bad), UsageError);
}

TEST_CASE("sorting-network dataset: CPU-scale defaults (train 7-11, valid 12, test 13-16 wires)", "[datasets]") {
  const SortingNetworkOptions defaults;
  CHECK(defaults.train.min_wires == 7);
  CHECK(defaults.train.max_wires == 11);
  CHECK(defaults.valid.min_wires == 12);
  CHECK(defaults.test.max_wires == 16);
  const InMemoryDataset ds = make_sorting_network_dataset(defaults);
  CHECK(ds.split("train").size() == 2 * 400);
  CHECK(ds.split("valid").size() == 3 * 50);
  CHECK(ds.split("test").size() == 3 * 50);
  Index test_nodes = 0;
  for (Index i : ds.split("test")) {
    const GraphExample e = ds.get(i);
    test_nodes += e.graph.num_nodes();
    REQUIRE(e.graph.num_nodes() <= 512);
  }
  CHECK(test_nodes > 150 * 200);  // 13-16 wires need a few hundred random comparators
}
