// EncodingResult: what one encoding computes for one graph, as dense double blocks.
//   node        [n, prod(node_dims)]  per-node values; node_dims gives their shape, e.g. {k}
//                                     (LapPE vectors, RWSE) or {k, 2} (MagLapPE Re, Im).
//   values/mask [k]                   per-graph eigenvalues and the mask of real (unpadded) slots.
//   pairs       [p, 2] local ids      pair set (COO) and pair_values [p, C] (DRW, RRWP, SPD).
// check_finite() is called before any result leaves pe/: NaN/Inf become a NumericalError.
#pragma once

#include "graph/graph.hpp"

#include <string>
#include <vector>

namespace graphtx {

struct EncodingResult {
  RealMatrix node;
  std::vector<Index> node_dims;
  Eigen::VectorXd values;
  std::vector<bool> mask;
  Eigen::Matrix<Index, Eigen::Dynamic, 2, Eigen::RowMajor> pairs;
  RealMatrix pair_values;
  double max_residual = 0;  // largest ||L v - lambda v|| of the eigenpairs used (spectral only)
  // Solver statistics (spectral only): which solver produced the result (Sparse if any component
  // used Lanczos, else Tree if any used the tree eigensolver), and whether a dense fallback ran.
  enum class Solver { None, Dense, Sparse, Tree } solver = Solver::None;
  bool dense_fallback = false;
};

// Throws NumericalError naming `what` and the first offending block if any entry is NaN or Inf.
void check_finite(const EncodingResult& r, const std::string& what);

}  // namespace graphtx
