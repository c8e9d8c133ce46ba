// ftfi.md's worked examples A, B, C (12-digit brute-force values) through every integrator.
#include "pe/ftfi/brute_force.hpp"
#include "pe/ftfi/cross_kernels.hpp"
#include "pe/ftfi/tree_field_integrator.hpp"
#include "pe/ftfi/two_pass.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace graphtx;
using namespace graphtx::ftfi;

namespace {

// Brute force, two-pass and the separator tree (leaf sizes 2 and 3, so the pivots are used).
std::vector<RealMatrix> all_integrators(const Tree& tree, const ExpPolynomial& f, const RealMatrix& x) {
  std::vector<RealMatrix> out{integrate_brute_force(tree, f, x), integrate_two_pass(tree, f, x)};
  for (Index leaf : {2, 3}) {
    for (CrossKernel kernel : {CrossKernel::Dense, CrossKernel::LowRank, CrossKernel::Auto}) {
      IntegratorOptions o;
      o.method = IntegrationMethod::SeparatorTree;
      o.kernel = kernel;
      o.leaf_size = leaf;
      out.push_back(TreeFieldIntegrator(tree, o).apply(f, x));
    }
  }
  return out;
}

void require_close(const RealMatrix& y, const RealMatrix& expected, double tol) {
  REQUIRE(y.rows() == expected.rows());
  REQUIRE(y.cols() == expected.cols());
  for (Index i = 0; i < y.rows(); ++i)
    for (Index j = 0; j < y.cols(); ++j) REQUIRE(y(i, j) == Approx(expected(i, j)).margin(tol).epsilon(0));
}

}  // namespace

TEST_CASE("example A: weighted path 0-1-2-3, f = exp(-x)", "[ftfi]") {
  const Tree tree = Tree::from_edges(4, {{0, 1, 1.0}, {1, 2, 2.0}, {2, 3, 1.0}});
  RealMatrix x(4, 2);
  x << 1, 1, 2, -1, 3, 1, 4, -1;
  RealMatrix expected(4, 2);
  expected << 1.958382643001, 0.663591988308, 2.973033564353, -0.546572343960, 4.791975399527, 0.546572343960,
      5.221528099139, -0.663591988308;
  for (const RealMatrix& y : all_integrators(tree, ExpPolynomial::exponential(1.0, 1.0), x)) require_close(y, expected, 1e-12);
}

TEST_CASE("example B: star with weights (1, 1, 2, 3), f = exp(-x/2)", "[ftfi]") {
  const Tree tree = Tree::from_edges(5, {{0, 1, 1.0}, {0, 2, 1.0}, {0, 3, 2.0}, {0, 4, 3.0}});
  RealMatrix x(5, 1);
  x << 1, 2, 3, 4, 5;
  RealMatrix expected(5, 1);
  expected << 6.619821863991, 5.279366040004, 5.911486598832, 5.893955235033, 6.228146570827;
  for (const RealMatrix& y : all_integrators(tree, ExpPolynomial::exponential(1.0, 0.5), x)) require_close(y, expected, 1e-12);
}

TEST_CASE("example C: unit path P5, f = exp(-x), cross terms through pivot 2", "[ftfi]") {
  const Tree tree = Tree::from_edges(5, {{0, 1, 1.0}, {1, 2, 1.0}, {2, 3, 1.0}, {3, 4, 1.0}});
  RealMatrix x(5, 1);
  x << 1, 2, 3, 4, 5;
  RealMatrix expected(5, 1);
  expected << 2.432491199968, 4.261794239472, 6.019288346448, 7.263493164213, 6.995413390020;
  for (const RealMatrix& y : all_integrators(tree, ExpPolynomial::exponential(1.0, 1.0), x)) require_close(y, expected, 1e-12);

  // The cross step alone: levels {1, 2} on both sides, S_L = [2, 1], S_R = [4, 5].
  const std::vector<double> levels{1.0, 2.0};
  const std::vector<std::int64_t> grid{1, 2};
  const CrossLevels lv{&levels, &levels, &grid, &grid, 1.0};
  RealMatrix sum_left(2, 1), sum_right(2, 1);
  sum_left << 2, 1;
  sum_right << 4, 5;
  RealMatrix to_left_expected(2, 1), to_right_expected(2, 1);
  to_left_expected << 0.790276474786, 0.290726467915;
  to_right_expected << 0.320457634841, 0.117889775624;
  const ExpPolynomial f = ExpPolynomial::exponential(1.0, 1.0);
  RealMatrix to_left, to_right;
  cross_dense(f, lv, sum_left, sum_right, to_left, to_right);
  require_close(to_left, to_left_expected, 1e-12);
  require_close(to_right, to_right_expected, 1e-12);
  cross_low_rank(f, lv, sum_left, sum_right, to_left, to_right);
  require_close(to_left, to_left_expected, 1e-12);
  require_close(to_right, to_right_expected, 1e-12);
  cross_fft(f, lv, sum_left, sum_right, to_left, to_right);
  require_close(to_left, to_left_expected, 1e-12);
  require_close(to_right, to_right_expected, 1e-12);
  // The separator tree of P5 has one pivot (the centroid, node 2) above two leaves of 3 nodes.
  IntegratorOptions o;
  o.method = IntegrationMethod::SeparatorTree;
  o.leaf_size = 3;
  REQUIRE(TreeFieldIntegrator(tree, o).depth() == 1);
}

TEST_CASE("f(0) != 0 counts the pivot term once (the original code doubled it)", "[ftfi]") {
  // Star centre 0 with 4 unit leaves, f = 1 (constant): every Y_i is the sum of X.
  const Tree tree = Tree::from_edges(5, {{0, 1, 1.0}, {0, 2, 1.0}, {0, 3, 1.0}, {0, 4, 1.0}});
  RealMatrix x(5, 1);
  x << 1, 2, 3, 4, 5;
  IntegratorOptions o;
  o.method = IntegrationMethod::SeparatorTree;
  o.leaf_size = 2;
  const FieldFunction one([](double) { return 1.0; });
  const RealMatrix y = TreeFieldIntegrator(tree, o).apply(one, x);
  for (Index i = 0; i < 5; ++i) REQUIRE(y(i, 0) == Approx(15.0).epsilon(1e-15));
}
