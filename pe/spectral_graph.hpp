// Shared pieces of the spectral encodings (LapPE, MagLapPE): the symmetrized support
// A_s = A OR A^T with one entry per node pair, its connected components, the deterministic
// sign / phase rule and the padded result layout. Cost O((n + m) log m) to build.
#pragma once

#include "graph/graph.hpp"
#include "pe/eigensolver.hpp"
#include "pe/encoding_result.hpp"

#include <vector>

namespace graphtx {

// CSR of A_s, rows sorted by neighbour, one entry per pair (self-loops as (u, u)).
struct SymmetrizedGraph {
  Index n = 0;
  std::vector<Index> offsets{0}, neighbours;
  std::vector<signed char> direction;  // +1 only u->v, -1 only v->u, 0 both ways or self-loop
  std::vector<double> weight;          // largest weight of the edges joining the pair (1 unweighted)
  Index one_way_pairs = 0;             // m_dir: unordered pairs joined in one direction only
  std::vector<double> degree(bool weighted) const;  // row sums of A_s (self-loop counts once)
};

SymmetrizedGraph symmetrize(const Graph& g);

// Connected components of A_s, each a sorted node list; ordered by their smallest node.
std::vector<std::vector<Index>> connected_components(const SymmetrizedGraph& s);

// Sign rule (real) / phase rule (complex): scale v so that its largest-magnitude entry is real
// positive; entries within a relative 1e-6 of the largest are ties, the lowest index wins.
void canonicalize(Eigen::Ref<Eigen::VectorXd> v);
void canonicalize(Eigen::Ref<Eigen::VectorXcd> v);

// Eigenpairs of one component (local rows) in global node ids.
template <class Scalar>
struct ComponentPairs {
  const std::vector<Index>* nodes;
  Eigenpairs<Scalar> pairs;
  Index first = 0;  // first pair used (1 drops the trivial one)
};

// Merges the per-component pairs into the k smallest (ascending; ties by component then pair),
// applies the sign / phase rule and pads to k with a mask. Real: node [n, k]; complex:
// node [n, 2k] with Re, Im interleaved. Sets values, mask, max_residual and solver statistics.
template <class Scalar>
EncodingResult merge_components(Index n, Index k, const std::vector<ComponentPairs<Scalar>>& parts);

}  // namespace graphtx
