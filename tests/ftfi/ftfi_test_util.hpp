// Helpers for the tree-field integrator tests: small tree generators and the normwise error.
#pragma once

#include "pe/ftfi/tree.hpp"

#include <algorithm>
#include <random>
#include <vector>

namespace graphtx::ftfi::testing {

enum class Weights { Unit, Integer, Real, WithZeros };

inline double draw_weight(Weights kind, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  switch (kind) {
    case Weights::Unit: return 1.0;
    case Weights::Integer: return static_cast<double>(1 + static_cast<int>(u(rng) * 4));
    case Weights::Real: return 0.05 + u(rng);
    case Weights::WithZeros: return u(rng) < 0.3 ? 0.0 : 0.05 + u(rng);
  }
  return 1.0;
}

inline Tree path_tree(Index n, Weights kind, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<TreeEdge> e;
  for (Index i = 0; i + 1 < n; ++i) e.push_back({i, i + 1, draw_weight(kind, rng)});
  return Tree::from_edges(n, e);
}

inline Tree star_tree(Index n, Weights kind, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<TreeEdge> e;
  for (Index i = 1; i < n; ++i) e.push_back({0, i, draw_weight(kind, rng)});
  return Tree::from_edges(n, e);
}

// Random recursive tree on a shuffled labelling: node order[i] attaches to a random earlier node.
inline Tree random_tree(Index n, Weights kind, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Index> label(static_cast<size_t>(n));
  for (Index i = 0; i < n; ++i) label[i] = i;
  std::shuffle(label.begin(), label.end(), rng);
  std::vector<TreeEdge> e;
  for (Index i = 1; i < n; ++i) {
    const Index parent = std::uniform_int_distribution<Index>(0, i - 1)(rng);
    e.push_back({label[parent], label[i], draw_weight(kind, rng)});
  }
  return Tree::from_edges(n, e);
}

inline RealMatrix random_field(Index n, Index d, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g;
  RealMatrix x(n, d);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) x(i, j) = g(rng);
  return x;
}

inline double normwise_error(const RealMatrix& y, const RealMatrix& reference) {
  return (y - reference).norm() / reference.norm();
}

}  // namespace graphtx::ftfi::testing
