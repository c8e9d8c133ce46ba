// LapPE (Dwivedi & Bresson 2020): the k smallest eigenpairs of the graph Laplacian, ascending.
// Output: node [n, k] eigenvectors (node_dims {k}), values [k], mask [k] (false = zero padding
// when fewer than k pairs exist), max_residual. Cost: dense O(n_c^3) per connected component up
// to EigensolverOptions::dense_max nodes, Lanczos above (shift-invert on trees and other low-fill
// graphs, else O(restarts * (m + n k) k); pe/sparse_eigensolver.hpp).
// Conventions (see docs/pe.md): the graph is symmetrized explicitly, A = (A OR A^T) with value 1
// (directed input, one-way edge lists, multi-edges collapse, weights ignored; a self-loop sets
// A[u,u] = 1 and adds 1 to the degree). Isolated nodes: degree clipped to 1 (sym/rw eigenvalue 1).
// rw: solved via sym, v_rw = D^-1/2 v_sym normalized to unit length (eigenvalues as sym).
// drop_trivial drops the smallest eigenpair of every connected component (its D^1/2 1 vector:
// all c zero eigenvalues of a c-component graph; an isolated node's indicator under sym/rw).
// Sign rule: each vector is flipped so that its largest-magnitude entry is positive; entries
// within a relative 1e-6 of the largest count as ties, and the lowest node index wins.
// Repeated eigenvalues keep the solver's basis (deterministic for a given graph and options).
// Spec keys: k, norm (comb | sym | rw), drop_trivial (0/1), solver (auto | dense | sparse).
#pragma once

#include "graph/graph.hpp"
#include "pe/eigensolver.hpp"
#include "pe/encoding_result.hpp"

#include <string>

namespace graphtx {

enum class LaplacianNorm { Combinatorial, Symmetric, RandomWalk };  // spec values comb | sym | rw

// Parses "comb" / "sym" / "rw"; throws UsageError otherwise.
LaplacianNorm parse_laplacian_norm(const std::string& name);

struct LaplacianPEOptions {
  Index k = 16;
  LaplacianNorm norm = LaplacianNorm::Symmetric;
  bool drop_trivial = false;
  SolverChoice solver = SolverChoice::Auto;
};

// The Laplacian LapPE decomposes, [n, n] (rw: I - D^-1 A, not symmetric). O(n + m log m).
RealSparse laplacian_matrix(const Graph& g, LaplacianNorm norm);

EncodingResult laplacian_pe(const Graph& g, const LaplacianPEOptions& options);

}  // namespace graphtx
