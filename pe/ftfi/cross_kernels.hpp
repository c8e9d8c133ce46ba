// Cross terms of the separator tree (ftfi.md, algorithm 2): with levels l_a (left side) and
// r_b (right side) at distinct distances from the pivot and level sums S_L [La, d], S_R [Lb, d],
//   to_left  = C S_R  [La, d],   to_right = Cᵀ S_L  [Lb, d],   C[a, b] = f(l_a + r_b).
//   Dense:   evaluates C, O(La·Lb·d). Exact for every f.
//   LowRank: exp-polynomial f, C = Re(P G Qᵀ) with rank-r factors, O((La + Lb)·r·d). Exact.
//   Cauchy:  rational f = A/(1 + Bx): C[a, b] = (A/B)/(x_a + y_b), x_a = 1/B + l_a, y_b = r_b, a
//            Cauchy matrix. Greedy pivoted LU (cross approximation) with the Schur complements in
//            closed form (no subtraction): C = U Vᵀ + E with |E[a, b]| <= tol·C[a, b] proven
//            entrywise, rank k ~ log(range)·log(1/tol) (about 20), O((La + Lb)·k·d).
//   Fft:     levels on a grid l = g·h (integer g): C is Hankel in the grid, applied by FFT in
//            O(N log N · d), N ~ 2(Ga + Gb). Accurate normwise only (not for fast-decaying f).
#pragma once

#include "graph/graph.hpp"
#include "pe/ftfi/field_function.hpp"

#include <cstdint>
#include <vector>

namespace graphtx::ftfi {

struct CrossLevels {
  const std::vector<double>* left;               // l_a, ascending
  const std::vector<double>* right;              // r_b, ascending
  const std::vector<std::int64_t>* left_grid;    // g_a with l_a = g_a·step (Fft only)
  const std::vector<std::int64_t>* right_grid;
  double step = 0;                               // grid step h (> 0 when the levels are on a grid)
};

// Each computes to_left and to_right (resized by the callee).
void cross_dense(const FieldFunction& f, const CrossLevels& lv, const RealMatrix& sum_left, const RealMatrix& sum_right,
                 RealMatrix& to_left, RealMatrix& to_right);
void cross_low_rank(const ExpPolynomial& f, const CrossLevels& lv, const RealMatrix& sum_left, const RealMatrix& sum_right,
                    RealMatrix& to_left, RealMatrix& to_right);
// Returns the rank used (0 when B = 0: f is constant, applied as rank one).
Index cross_cauchy(const Rational& f, const CrossLevels& lv, const RealMatrix& sum_left, const RealMatrix& sum_right,
                   RealMatrix& to_left, RealMatrix& to_right);
void cross_fft(const FieldFunction& f, const CrossLevels& lv, const RealMatrix& sum_left, const RealMatrix& sum_right,
               RealMatrix& to_left, RealMatrix& to_right);

// Rough operation counts used to choose a kernel automatically.
double dense_cost(Index left_levels, Index right_levels, Index d);
double low_rank_cost(Index left_levels, Index right_levels, Index rank, Index d);
double cauchy_cost(Index left_levels, Index right_levels, Index d);
double fft_cost(std::int64_t left_grid_size, std::int64_t right_grid_size, Index d);

}  // namespace graphtx::ftfi
