// SparseRowPowers: row u of M^t for t = 0, 1, 2, ... of a sparse M [n, n], one step at a time
// (row <- row · M) with a dense accumulator and the list of touched columns. Memory O(n) per
// instance (reuse one per thread); cost of a step = sum of the row lengths of M over the
// current support (at most nnz(M)). Summation order is fixed, so values are reproducible.
#pragma once

#include "pe/sparse_pair_set.hpp"
#include "pe/sparse_walk_matrix.hpp"

#include <vector>

namespace graphtx {

class SparseRowPowers {
 public:
  explicit SparseRowPowers(const SparseRowMatrix& m);

  // Row u of M^0 = e_u.
  void start(Index u);
  // Row <- row · M.
  void step();

  // Entry v of the current row (0 outside the support).
  double operator[](Index v) const { return value_[v]; }
  // Columns that may be nonzero, in the order they were first reached.
  const std::vector<Index>& support() const { return support_; }

 private:
  void clear();

  const SparseRowMatrix* m_;
  std::vector<double> value_, next_value_;
  std::vector<char> in_next_;
  std::vector<Index> support_, next_support_;
};

// values(i, first_column + t - first_power) = (M^t)[u_i, v_i] for every pair i = (u_i, v_i) of
// `set` and t = first_power..last_power (first_power = 0 gives the identity channel). Sources run
// in parallel (oneTBB), one SparseRowPowers per thread; every pair row is written by one source.
void powers_on_pairs(const SparseRowMatrix& m, Index first_power, Index last_power, const PairSet& set,
                     RealMatrix& values, Index first_column);

}  // namespace graphtx
