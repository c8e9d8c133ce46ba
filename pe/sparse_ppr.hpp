// Personalized PageRank rows of a row-stochastic sparse X: PPR(X) = α (I − (1−α) X)^-1, read at a
// pair set: G y = e_u with G = I − (1−α) Xᵀ for each pair source u, PPR[u,v] = α y[v], sources in
// blocks of 64 (parallel, oneTBB). Up to 1,000 nodes one sparse LU (Eigen SparseLU, COLAMD);
// above, BiCGSTAB (diagonal preconditioner, relative residual 1e-12, NumericalError if not
// reached) since LU fill-in explodes on expander-like graphs: O(iterations · nnz) per source.
// Memory O(nnz(LU) + n · 64) per task; no dense inverse. G is invertible for 0 < α <= 1.
#pragma once

#include "pe/sparse_pair_set.hpp"
#include "pe/sparse_walk_matrix.hpp"

namespace graphtx {

// Writes PPR(X)[u,v] into column `column` of values [p, C] for every pair (u, v) of `set`.
void ppr_on_pairs(const SparseRowMatrix& x, double alpha, const PairSet& set, RealMatrix& values, Index column);

}  // namespace graphtx
