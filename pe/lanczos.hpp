// Thick-restart Lanczos (Wu & Simon 2000) for the largest eigenpairs of a self-adjoint operator
// A on R^n or C^n (real symmetric or complex Hermitian; no real 2n embedding, nev = k).
// Contract: op.apply is linear and self-adjoint; the caller maps its problem to "largest"
// (shift-invert: A = (H + eps I)^-1; shifted: A = sigma I - H).
// Basis of ncv columns; full reorthogonalization (classical Gram-Schmidt against the whole
// basis plus a second DGKS pass only when the first one cancelled much). Restart keeps the
// nev + (ncv - nev) / 3 best Ritz vectors (thick restart, exact Rayleigh quotient kept).
// When all nev pairs have converged, one verification cycle restarts from a fresh random vector
// orthogonal to them: a copy of a repeated eigenvalue that single-vector Lanczos missed shows up
// as a new leading Ritz value and the iteration goes on.
// Cost per cycle: (ncv - kept) products + O(n ncv^2) flops (reorthogonalization and restart);
// memory n (ncv + 1) scalars. Deterministic: fixed-seed start vector; dense kernels over fixed
// row blocks (oneTBB tasks from kParallelRows rows, partial sums added in block order), so the
// result depends on op.apply only (thread-count independent if op.apply is).
#pragma once

#include "graph/graph.hpp"

#include <Eigen/Core>

#include <complex>

namespace graphtx {

template <class Scalar>
class LanczosOperator {
 public:
  virtual ~LanczosOperator() = default;
  virtual Index rows() const = 0;
  virtual void apply(const Scalar* x, Scalar* y) const = 0;  // y = A x (x, y: rows() entries)
};

struct LanczosOptions {
  Index nev = 1;             // wanted pairs
  Index ncv = 0;             // basis size (nev < ncv <= n)
  Index max_restarts = 5000;
  double abs_tol = 1e-10;    // pair converged if ||A y - theta y|| <= abs_tol + rel_tol |theta|
  double rel_tol = 0;
  std::uint64_t seed = 0x6a09e667f3bcc908ULL;
  bool verify = true;        // verification cycle after convergence (see above)
};

template <class Scalar>
struct LanczosResult {
  Eigen::VectorXd values;                                         // [nev] Ritz values, descending
  Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> vectors;  // [n, nev] orthonormal Ritz vectors
  bool converged = false;
  Index restarts = 0, products = 0;
};

template <class Scalar>
LanczosResult<Scalar> largest_eigenpairs(const LanczosOperator<Scalar>& op, const LanczosOptions& options);

extern template LanczosResult<double> largest_eigenpairs(const LanczosOperator<double>&, const LanczosOptions&);
extern template LanczosResult<std::complex<double>> largest_eigenpairs(const LanczosOperator<std::complex<double>>&,
                                                                       const LanczosOptions&);

}  // namespace graphtx
