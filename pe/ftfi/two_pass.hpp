// Exact two-pass tree-field integration for exp-polynomial f (ftfi.md, algorithm 1):
// Y_i = Σ_j f(dist(i, j)) X_j with f(x) = Re Σ_t a_t x^{m_t} e^{−λ_t x}, x [n, d] in node order.
// Per distinct rate λ with largest power M, every node carries M + 1 distance moments
// Σ_u dist^k e^{−λ dist} X_u of its subtree (up pass) and of the rest of the tree (down pass,
// prefix/suffix sums over siblings: no subtraction, so no cancellation). Distances are rescaled
// to [0, 1] when M > 0. Cost O(n · rank · d) time and memory; sequential, so bitwise reproducible.
#pragma once

#include "graph/graph.hpp"
#include "pe/ftfi/field_function.hpp"
#include "pe/ftfi/tree.hpp"

namespace graphtx::ftfi {

RealMatrix integrate_two_pass(const Tree& tree, const ExpPolynomial& f, const RealMatrix& x);

}  // namespace graphtx::ftfi
