// MagLapPE (Geisler et al., ICML 2023): the k smallest eigenpairs of the magnetic Laplacian.
// Output: node [n, 2k] with node_dims {k, 2} (Re v_j[u], Im v_j[u] interleaved per eigenvector),
// values [k] ascending, mask [k] (false = zero padding), max_residual. Cost: dense complex
// O(n_c^3) per connected component of A_s up to dense_max nodes, complex Lanczos above
// (pe/sparse_eigensolver.hpp: native on C^n, shift-invert when the factor's fill is small).
// Conventions of docs/pe.md: A = 1 where some edge u->v (multi-edges collapse), A_s = A OR A^T,
// d_s = row sums of A_s (a self-loop adds 1), phase 2 pi q (A - A^T); comb L = D_s - A_s.exp(i T),
// sym L = I - D_s^-1/2 A_s D_s^-1/2 .exp(i T) with degrees clipped to >= 1 (rw: UsageError).
// q_relative: q = q' / max(1, min(m_dir, n)), m_dir = pairs joined in one direction only.
// Real solver where the phases are a gauge (q = 0, no one-way pair, forests such as code2 ASTs,
// cycles with as many one-way pairs each way): L_q = G L_0 G^H, G = diag(exp(i 2 pi q c)) for
// integer potentials c, so the vectors are G times L_0's (exact; ~4x cheaper than complex).
// Undirected graphs: all edges two-way.
// Extension weighted = true: |A_s[u,v]| = the largest weight of the edges joining u and v in
// either direction (phase still from the direction pattern); with unit weights this is the original.
// Phase rule: each vector is rotated so that its largest-magnitude entry is real positive (ties
// within a relative 1e-6: the lowest node index).
// Spec keys: k, q, qrel (0/1), norm (comb | sym), weighted (0/1), solver (auto | dense | sparse).
#pragma once

#include "graph/graph.hpp"
#include "pe/eigensolver.hpp"
#include "pe/encoding_result.hpp"
#include "pe/laplacian_pe.hpp"

namespace graphtx {

struct MagneticLaplacianPEOptions {
  Index k = 16;
  double q = 0.25;
  bool q_relative = true;
  LaplacianNorm norm = LaplacianNorm::Symmetric;
  bool weighted = false;
  SolverChoice solver = SolverChoice::Auto;
};

// The absolute potential used for g: q itself, or q / max(1, min(m_dir, n)) when q_relative.
double magnetic_potential(const Graph& g, const MagneticLaplacianPEOptions& options);

// The magnetic Laplacian MagLapPE decomposes, [n, n] Hermitian (k and solver unused).
ComplexSparse magnetic_laplacian_matrix(const Graph& g, const MagneticLaplacianPEOptions& options);

EncodingResult magnetic_laplacian_pe(const Graph& g, const MagneticLaplacianPEOptions& options);

}  // namespace graphtx
