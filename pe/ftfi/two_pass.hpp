// Exact two-pass tree-field integration for exp-polynomial f (ftfi.md, algorithm 1):
// Y_i = Σ_j f(dist(i, j)) X_j with f(x) = Re Σ_t a_t x^{m_t} e^{−λ_t x}, x [n, d] in node order.
// Per distinct rate λ with largest power M, every node carries M + 1 distance moments
// Σ_u dist^k e^{−λ dist} X_u of its subtree (up pass) and of the rest of the tree (down pass,
// prefix/suffix sums over siblings: no subtraction, so no cancellation). Distances are rescaled
// to [0, 1] when M > 0. Cost O(n · rank · d) time and memory; sequential, so bitwise reproducible.
#pragma once

#include "graph/graph.hpp"
#include "pe/ftfi/field_function.hpp"
#include "pe/ftfi/huge_page_allocator.hpp"
#include "pe/ftfi/tree.hpp"

#include <vector>

namespace graphtx::ftfi {

// One-shot form: builds a TwoPassIntegrator and applies it once.
RealMatrix integrate_two_pass(const Tree& tree, const ExpPolynomial& f, const RealMatrix& x);

// Reusable form for many fields on one tree (a layer's forward, a benchmark): the per-edge decays
// e^{−λw} are computed once, and apply() keeps its scratch (2 n d + 8 n doubles) between calls,
// so repeated calls allocate nothing beyond resizing y. Terms a·e^{−λx} with real a, λ take the
// fast path: x gathered into breadth-first order once, both passes streamed in 8-column blocks,
// y scattered back once. Keeps a pointer to tree, which must outlive it. Not thread-safe per object.
class TwoPassIntegrator {
 public:
  TwoPassIntegrator(const Tree& tree, const ExpPolynomial& f);
  ~TwoPassIntegrator();
  TwoPassIntegrator(TwoPassIntegrator&&) noexcept;
  TwoPassIntegrator& operator=(TwoPassIntegrator&&) noexcept;

  // y [n, d] = Σ_j f(dist(i, j)) x_j; throws UsageError unless x has one row per node,
  // NumericalError if x or the result has a NaN or Inf.
  void apply(const RealMatrix& x, RealMatrix& y);

 private:
  struct Exponential;
  void add_general_groups(const RealMatrix& x, RealMatrix& y) const;

  const Tree* tree_;
  ExpPolynomial f_;
  std::vector<Exponential> exponentials_;  // the real single-rate, power-0 groups
  bool general_ = false;                   // some group needs the moment recursion
  Index widest_ = 1;                       // most children of one node
  std::vector<double, HugePageAllocator<double>> xb_, yb_, acc_;  // random-order stores: huge pages
  std::vector<double> suffix_;
};

}  // namespace graphtx::ftfi
