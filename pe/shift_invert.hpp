// Shift-invert operator for the smallest eigenpairs of a sparse self-adjoint PSD matrix H (real
// symmetric or complex Hermitian): x -> (H + shift I)^-1 x through a sparse LDL^H factorization
// (AMD ordering, Eigen SimplicialLDLT). The smallest eigenvalues lambda of H become the largest,
// well separated, eigenvalues 1 / (lambda + shift) of the operator: Lanczos then converges in a
// few restarts even on trees and paths, whose tiny gaps near 0 stall plain Lanczos.
// Fill guard: before any numeric work, the AMD ordering and an elimination-tree row count
// (ldl_symbolic, stopped as soon as the count passes the budget, so O(min(nnz(L), budget)))
// give nnz(L); above the budget factor() returns nullptr and the caller uses another method
// (random expanders fill in to nearly dense). Before AMD, a peeling pre-filter rejects graphs
// whose 2-core holds more than half of the nodes at average degree >= 5 (O(nnz)). Cost: AMD ~ O(nnz(H) * small), factorization
// O(sum of squared column counts), each apply 4 nnz(L) + O(n) flops; memory nnz(L) entries.
// Also nullptr when the factorization shows H + shift I is not positive definite (H not PSD):
// the largest eigenvalues of the inverse would then not be the smallest of H.
#pragma once

#include "pe/eigensolver.hpp"
#include "pe/lanczos.hpp"

#include <memory>

namespace graphtx {

struct FillBudget {
  double max_ratio = 40;                // nnz(L) <= max_ratio * nnz(H) + n
  double max_bytes = 2.0 * (1ull << 30);  // factor storage (values + row indices) <= this
};

// nnz of the strict lower triangle of L after AMD, or -1 if it exceeds `limit` (early exit).
template <class Scalar>
std::int64_t factor_nonzeros(const Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>& h, std::int64_t limit);

template <class Scalar>
class ShiftInvertOperator final : public LanczosOperator<Scalar> {
 public:
  // nullptr when the factor exceeds the budget or H + shift I is not positive definite.
  static std::unique_ptr<ShiftInvertOperator> factor(const Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>& h,
                                                     double shift, const FillBudget& budget);
  ~ShiftInvertOperator() override;
  Index rows() const override;
  void apply(const Scalar* x, Scalar* y) const override;  // y = (H + shift I)^-1 x
  std::int64_t factor_nonzeros() const;

 private:
  struct Impl;
  explicit ShiftInvertOperator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

extern template class ShiftInvertOperator<double>;
extern template class ShiftInvertOperator<std::complex<double>>;

}  // namespace graphtx
