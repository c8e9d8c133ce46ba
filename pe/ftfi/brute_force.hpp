// Brute-force tree-field integration, the reference for tests and small inputs:
//   tree_distances(T)          D [n, n], D_ij = dist_T(i, j), +inf across components. O(n²) time and memory.
//   integrate_brute_force(...) Y [n, d] = f(D) X with f(inf) := 0, computed in blocks of rows
//                              (O(n²) distance work and f evaluations, O(n² d) flops, O(n·block) memory).
// X rows follow the node ids. Rows are independent, split over oneTBB workers.
#pragma once

#include "graph/graph.hpp"
#include "pe/ftfi/field_function.hpp"
#include "pe/ftfi/tree.hpp"

namespace graphtx::ftfi {

RealMatrix tree_distances(const Tree& tree);

RealMatrix integrate_brute_force(const Tree& tree, const FieldFunction& f, const RealMatrix& x);

// Throws UsageError unless x has one row per node; NumericalError if x has a NaN or Inf.
void check_field(const Tree& tree, const RealMatrix& x, const char* who);
// Throws NumericalError if y has a NaN or Inf (an f that overflows, for instance).
void check_result(const RealMatrix& y, const char* who);

}  // namespace graphtx::ftfi
