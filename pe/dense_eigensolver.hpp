// Dense eigensolver for small self-adjoint matrices (real symmetric or complex Hermitian) stored
// sparse: the m smallest eigenpairs, ascending, of (h + h^H) / 2. Above 64 rows LAPACK dsyevr /
// zheevr with RANGE='I' (Householder tridiagonalization, 4/3 n^3 flops, then only m pairs of the
// tridiagonal matrix and an O(n^2 m) back-transformation); up to 64 rows Eigen's full solver
// (measured faster there). Per-thread workspace; LAPACK single-threaded (thread-count free).
#pragma once

#include "pe/eigensolver.hpp"

namespace graphtx {

// Fills values [m] and vectors [n, m] (orthonormal columns); leaves residual and flags to the
// caller. Throws NumericalError if LAPACK reports a failure, UsageError if n exceeds INT_MAX.
void dense_smallest_eigenpairs(const RealSparse& h, Index m, RealEigenpairs& out);
void dense_smallest_eigenpairs(const ComplexSparse& h, Index m, ComplexEigenpairs& out);

}  // namespace graphtx
