// Sparse random-walk matrices of a graph and the block kernels the walk encodings share.
//   adjacency A [n, n] CSR: A[u,v] = sum of the weights of the edges u->v (1 per edge when
//     unweighted, so multi-edges count with multiplicity); undirected edges in both directions,
//     an undirected self-loop once. Degrees d_u = row sums of A.
//   transition D^-1 A with a sink rule: rows of degree 0 stay 0 (RWSE, RRWP) or get
//     M[u,u] = 1 (directional walks, absorbing sinks). Reverse walks use Aᵀ.
// Cost: O(n + m log m) to build; power_diagonals O(n · nnz · K) time, O(n · 16) memory per task.
#pragma once

#include "graph/graph.hpp"

#include <Eigen/SparseCore>

namespace graphtx {

using SparseRowMatrix = Eigen::SparseMatrix<double, Eigen::RowMajor, Index>;

enum class SinkRule { ZeroRow, Absorbing };

// A (forward) or Aᵀ (reverse) as defined above.
SparseRowMatrix walk_adjacency(const Graph& g, bool reverse = false);

// D^-1 A of walk_adjacency(g, reverse), rows of zero degree handled by `sinks`.
SparseRowMatrix transition_matrix(const Graph& g, SinkRule sinks, bool reverse = false);

// S = D^-1/2 A D^-1/2 for an undirected graph (rows and columns of isolated nodes are 0).
SparseRowMatrix symmetric_normalized_adjacency(const Graph& g);

// Start vectors are processed kPowerBlock at a time (sparse × dense-block products with a
// fixed-width, vectorized kernel, nodes in breadth-first order; early products only on the rows
// the walks can have reached);
// blocks run in parallel (oneTBB) and each writes only its own rows, so the result does not
// depend on the number of threads.
constexpr Index kPowerBlock = 16;  // measured: 16 columns amortize index loads best at n = 1e4

// [n, K]: column t-1 is diag(M^t), t = 1..K. K products per block.
RealMatrix power_diagonals(const SparseRowMatrix& m, Index num_powers);

// The same for a symmetric S using the half-step identity:
// (S^2s)[i,i] = ||S^s e_i||², (S^(2s-1))[i,i] = <S^(s-1) e_i, S^s e_i>: ceil(K/2) products.
RealMatrix symmetric_power_diagonals(const SparseRowMatrix& s, Index num_powers);

}  // namespace graphtx
