// Tree eigensolver: the m smallest eigenpairs of a real symmetric matrix whose off-diagonal
// pattern is a forest (Laplacians of trees: code2 ASTs; directed trees via the MagLapPE gauge).
// Eliminating leaves first creates no fill, so the inertia of H - x I (Sylvester: how many
// eigenvalues lie below x) costs O(n) and H - sigma I = L D L^T solves in O(n). Eigenvalues by
// bisection on those counts (every wanted interval refined in the same pass, 8 shifts per pass;
// multisection while fewer intervals than shifts),
// vectors by inverse iteration with Gram-Schmidt inside clusters (as LAPACK's dstebz + dstein,
// without the O(n^3) tridiagonalization). Cost O(n m log2(||H|| / tol)) + O(n m^2); memory
// O(n m). Sequential and deterministic. The caller verifies residuals and orthonormality.
#pragma once

#include "pe/eigensolver.hpp"

namespace graphtx {

// Fills values [m] (ascending, Rayleigh quotients), vectors [n, m] and max_residual (from the
// product H V the Rayleigh quotients already need) and returns true, or returns false without
// touching `out` if the off-diagonal pattern of h is not a forest, h is not square or compressed,
// or inverse iteration broke down. Orthonormality and flags are left to the caller.
bool tree_smallest_eigenpairs(const RealSparse& h, Index m, RealEigenpairs& out);

}  // namespace graphtx
