// Sorting-network classification (Geisler et al. 2023): does a comparator network sort? Random
// comparators (i < j) are appended until the network sorts all 2^w binary inputs (bit-parallel
// 0-1 test, O(2^w / 64 · (w + c))), giving up at max_comparators. As in the reference generator,
// both wires of each new comparator are drawn among the wires still out of place for some binary
// input, and the previous comparator is never repeated at once (about half the comparators of
// uniformly random pairs: 7 wires ~37, 9 ~68, 11 ~110, 16 ~280). Graph: a node per comparator, an
// edge from the previous comparator on each of its wires (DAG, in-degree <= 2), node features =
// wire indices only. Datasets are deterministic by seed and identical for any thread count.
#pragma once

#include "datasets/dataset.hpp"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace graphtx {

struct SortingNetwork {
  int wires = 0;
  std::vector<std::pair<int, int>> comparators;  // (i, j), i < j: min goes to wire i, max to wire j
};

// True iff the network sorts every one of the 2^wires binary inputs (hence every input).
bool sorts_all_binary_inputs(const SortingNetwork& network);

// Random network grown from `seed` until it sorts (comparators on wires still out of place, no
// immediate repeat); nullopt if it needs more than max_comparators.
std::optional<SortingNetwork> random_sorting_network(int wires, std::uint64_t seed, int max_comparators = 512);

SortingNetwork reversed_network(const SortingNetwork& network);
Graph sorting_network_graph(const SortingNetwork& network, bool wire_features = true);

struct SortingNetworkSplit {
  int min_wires = 0, max_wires = 0;  // network k has min_wires + k mod (max - min + 1) wires
  Index networks = 0;                 // generated networks (2 or 3 graphs each)
};

struct SortingNetworkOptions {
  std::uint64_t seed = 0;
  SortingNetworkSplit train{7, 11, 400};
  SortingNetworkSplit valid{12, 12, 50};
  SortingNetworkSplit test{13, 16, 50};
  int max_comparators = 512;
  bool wire_features = true;
};

// Graphs ordered train, valid, test; per network: positive = the generated network (label 1),
// negative = it minus its last comparator (label 0, unsorted by construction), and for valid/test
// the reversed network (label 1 iff it sorts, by the 0-1 test). Splits "train", "valid", "test".
// A network needing more than max_comparators is regenerated from the next derived seed.
InMemoryDataset make_sorting_network_dataset(const SortingNetworkOptions& options = {});

}  // namespace graphtx
