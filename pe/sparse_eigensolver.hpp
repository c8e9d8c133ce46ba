// Sparse path of smallest_eigenpairs (pe/eigensolver.hpp): the m smallest eigenpairs of a sparse
// self-adjoint PSD matrix H, real symmetric or complex Hermitian (natively on C^n, nev = m),
// by thick-restart Lanczos (pe/lanczos.hpp) on
//   1. (H + eps I)^-1, eps = 1e-9 max(1, ||H||_Gershgorin), when the AMD-ordered LDL^H factor
//      fits the fill budget (pe/shift_invert.hpp): a few restarts, also on trees and paths;
//   2. otherwise (or if 1 misses the residual) sigma I - H, sigma the Gershgorin bound:
//      O(restarts * (nnz + n ncv) ncv) flops, memory n (ncv + 1) scalars.
// Basis size ncv = min(n, max(2m + 1, m + 24) * scale). Eigenvalues are Rayleigh quotients on H,
// ascending; residuals ||H v - lambda v|| are computed on H. Deterministic and independent of
// the thread count (fixed start vector, row-parallel products summed per row).
#pragma once

#include "pe/eigensolver.hpp"

namespace graphtx {

// Basis size for nev wanted pairs on `rows` rows (scale 1, 2 on retry).
Index lanczos_basis_size(Index nev, Index rows, Index scale);

// Fills out (values, vectors, max_residual, used_sparse, used_shift_invert); true if every pair
// meets options.max_residual. Requires 0 < m and lanczos_basis_size(m, n, scale) < n.
template <class Scalar>
bool sparse_smallest_eigenpairs(const Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>& h, Index m,
                                Index scale, const EigensolverOptions& options, Eigenpairs<Scalar>& out);

extern template bool sparse_smallest_eigenpairs(const RealSparse&, Index, Index, const EigensolverOptions&,
                                                RealEigenpairs&);
extern template bool sparse_smallest_eigenpairs(const ComplexSparse&, Index, Index, const EigensolverOptions&,
                                                ComplexEigenpairs&);

}  // namespace graphtx
