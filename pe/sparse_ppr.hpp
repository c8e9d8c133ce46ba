// Personalized PageRank rows of a row-stochastic sparse X: PPR(X) = α (I − (1−α) X)^-1, read at a
// pair set. One sparse LU (Eigen SparseLU, COLAMD) of G = I − (1−α) Xᵀ, then G y = e_u for each
// pair source u in blocks of 64 right-hand sides (parallel, oneTBB); PPR[u,v] = α y[v].
// Memory O(nnz(LU) + n · 64) per task; no dense inverse. G is invertible for 0 < α <= 1.
#pragma once

#include "pe/sparse_pair_set.hpp"
#include "pe/sparse_walk_matrix.hpp"

namespace graphtx {

// Writes PPR(X)[u,v] into column `column` of values [p, C] for every pair (u, v) of `set`.
void ppr_on_pairs(const SparseRowMatrix& x, double alpha, const PairSet& set, RealMatrix& values, Index column);

}  // namespace graphtx
