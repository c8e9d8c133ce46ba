// Every integrator against the brute-force reference, normwise error < 1e-10: paths (deep
// recursion), stars (one huge level), random trees; unit, integer, real and zero weights;
// every f family, f(0) != 0, forests; results independent of the thread count.
#include "ftfi_test_util.hpp"
#include "graph/errors.hpp"
#include "pe/ftfi/brute_force.hpp"
#include "pe/ftfi/cross_kernels.hpp"
#include "pe/ftfi/tree_field_integrator.hpp"
#include "pe/ftfi/two_pass.hpp"

#include <catch2/catch.hpp>

#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <random>

using namespace graphtx;
using namespace graphtx::ftfi;
using namespace graphtx::ftfi::testing;

namespace {

const Weights kAllWeights[] = {Weights::Unit, Weights::Integer, Weights::Real, Weights::WithZeros};

std::vector<ExpPolynomial> exp_polynomials() {
  return {ExpPolynomial::exponential(1.0, 0.7),
          ExpPolynomial::exponential(2.0, 1.5) + ExpPolynomial::polynomial({0.5}),
          ExpPolynomial::polynomial({1.0, -0.3, 0.05}),
          ExpPolynomial::cosine(1.0, 1.3, 0.2),
          ExpPolynomial({{{1.0, 0.0}, 2, {0.5, 0.0}}, {{-0.5, 0.0}, 1, {0.5, 0.0}}}),
          ExpPolynomial({{{0.3, -0.7}, 1, {0.4, 2.0}}})};
}

std::vector<FieldFunction> general_functions() {
  return {Rational{1.0, 2.0}, Gaussian{1.5}, FieldFunction([](double x) { return 1.0 / std::sqrt(1.0 + x); }, true, "rsqrt")};
}

Tree make_tree(int shape, Index n, Weights w, std::uint64_t seed) {
  if (shape == 0) return path_tree(n, w, seed);
  if (shape == 1) return star_tree(n, w, seed);
  return random_tree(n, w, seed);
}

IntegratorOptions separator(CrossKernel kernel, Index leaf) {
  IntegratorOptions o;
  o.method = IntegrationMethod::SeparatorTree;
  o.kernel = kernel;
  o.leaf_size = leaf;
  return o;
}

}  // namespace

TEST_CASE("two-pass is exact for exp-polynomials on paths, stars and random trees", "[ftfi]") {
  for (int shape = 0; shape < 3; ++shape) {
    for (Weights w : kAllWeights) {
      const Tree tree = make_tree(shape, 300, w, 11 + shape);
      const RealMatrix x = random_field(300, 3, 5);
      for (const ExpPolynomial& f : exp_polynomials()) {
        const RealMatrix reference = integrate_brute_force(tree, f, x);
        INFO("shape " << shape << " weights " << static_cast<int>(w) << " f(0) " << f(0.0));
        REQUIRE(normwise_error(integrate_two_pass(tree, f, x), reference) < 1e-10);
      }
    }
  }
}

TEST_CASE("separator tree matches brute force for every f family and kernel", "[ftfi]") {
  for (int shape = 0; shape < 3; ++shape) {
    for (Weights w : kAllWeights) {
      const Tree tree = make_tree(shape, 257, w, 23 + shape);
      const RealMatrix x = random_field(257, 2, 9);
      const TreeFieldIntegrator dense(tree, separator(CrossKernel::Dense, 8));
      const TreeFieldIntegrator automatic(tree, separator(CrossKernel::Auto, 8));
      const TreeFieldIntegrator low_rank(tree, separator(CrossKernel::LowRank, 5));
      INFO("shape " << shape << " weights " << static_cast<int>(w));
      for (const FieldFunction& f : general_functions()) {
        const RealMatrix reference = integrate_brute_force(tree, f, x);
        REQUIRE(normwise_error(dense.apply(f, x), reference) < 1e-10);
        REQUIRE(normwise_error(automatic.apply(f, x), reference) < 1e-10);
      }
      for (const ExpPolynomial& f : exp_polynomials()) {
        const RealMatrix reference = integrate_brute_force(tree, f, x);
        REQUIRE(normwise_error(dense.apply(f, x), reference) < 1e-10);
        REQUIRE(normwise_error(low_rank.apply(f, x), reference) < 1e-10);
      }
    }
  }
}

TEST_CASE("FFT-Hankel kernel on integer-multiple weights, normwise", "[ftfi]") {
  for (int shape = 0; shape < 3; ++shape) {
    for (Weights w : {Weights::Unit, Weights::Integer}) {
      const Tree tree = make_tree(shape, 400, w, 31 + shape);
      const RealMatrix x = random_field(400, 3, 2);
      const TreeFieldIntegrator fft(tree, separator(CrossKernel::Fft, 6));
      REQUIRE(fft.grid_step() == 1.0);
      for (const FieldFunction& f : general_functions()) {
        REQUIRE(normwise_error(fft.apply(f, x), integrate_brute_force(tree, f, x)) < 1e-10);
      }
    }
  }
  // Weights that are multiples of 0.25 use the step 0.25; real weights have no grid.
  const Tree quarter = Tree::from_edges(4, {{0, 1, 0.5}, {1, 2, 0.75}, {2, 3, 0.25}});
  REQUIRE(TreeFieldIntegrator(quarter, separator(CrossKernel::Fft, 2)).grid_step() == 0.25);
  const TreeFieldIntegrator real(path_tree(50, Weights::Real, 1), separator(CrossKernel::Fft, 4));
  REQUIRE(real.grid_step() == 0.0);
  REQUIRE_THROWS_AS(real.apply(Rational{1.0, 1.0}, random_field(50, 1, 1)), UsageError);
}

TEST_CASE("automatic kernels never use the FFT for fast-decaying f", "[ftfi]") {
  // A long unit path and X = e_0: Y_i = f(i) exactly. A Gaussian makes far entries tiny; the
  // automatic choice must keep every entry accurate, not just the norm.
  const Index n = 2000;
  const Tree tree = path_tree(n, Weights::Unit, 3);
  RealMatrix x = RealMatrix::Zero(n, 1);
  x(0, 0) = 1.0;
  const FieldFunction f = Gaussian{40.0};
  const RealMatrix automatic = TreeFieldIntegrator(tree, separator(CrossKernel::Auto, 16)).apply(f, x);
  const RealMatrix dense = TreeFieldIntegrator(tree, separator(CrossKernel::Dense, 16)).apply(f, x);
  REQUIRE(automatic == dense);
  for (Index i = 0; i < n; ++i) REQUIRE(std::abs(automatic(i, 0) - f(static_cast<double>(i))) <= 1e-12 * f(static_cast<double>(i)));
  REQUIRE(automatic(1000, 0) > 0.0);  // exp(-625): tiny but represented
  // A slowly decaying f on the same path is allowed the FFT and stays normwise exact.
  const FieldFunction slow = Rational{1.0, 2.0};
  REQUIRE(normwise_error(TreeFieldIntegrator(tree, separator(CrossKernel::Auto, 16)).apply(slow, x),
                         integrate_brute_force(tree, slow, x)) < 1e-12);
}

TEST_CASE("two-pass column blocks and mixed groups: any width, forests, simple and general terms", "[ftfi]") {
  // Widths 1..17 cover the 8/4/2/1-column blocks; f mixes single exponentials (block path) with
  // a power term and a constant (general path); the forest has several roots.
  std::vector<TreeEdge> edges;
  std::mt19937_64 rng(5);
  for (Index i = 1; i < 400; ++i)
    if (i % 97 != 0) edges.push_back({std::uniform_int_distribution<Index>(0, i - 1)(rng), i, draw_weight(Weights::WithZeros, rng)});
  const Tree forest = Tree::from_edges(400, edges);
  REQUIRE(forest.num_components() == 5);
  const ExpPolynomial f = ExpPolynomial::exponential(1.5, 0.7) + ExpPolynomial::exponential(-0.5, 0.2) +
                          ExpPolynomial({{{0.8, 0.0}, 1, {0.3, 0.0}}}) + ExpPolynomial::polynomial({0.25});
  for (Index d : {1, 2, 3, 5, 8, 13, 16, 17}) {
    const RealMatrix x = random_field(400, d, 40 + static_cast<std::uint64_t>(d));
    INFO("d = " << d);
    REQUIRE(normwise_error(integrate_two_pass(forest, f, x), integrate_brute_force(forest, f, x)) < 1e-12);
    const ExpPolynomial single = ExpPolynomial::exponential(2.0, 0.9);
    REQUIRE(normwise_error(integrate_two_pass(forest, single, x), integrate_brute_force(forest, single, x)) < 1e-12);
  }
}

TEST_CASE("Cauchy kernel for rational f: every cross entry to 1e-14 relative, small rank", "[ftfi]") {
  // Unit fields S = I expose the whole cross matrix C[a, b] = f(l_a + r_b), compared entrywise with
  // direct evaluation; levels with a zero, and b from slow (0.01) to steep (1e4) decay.
  std::mt19937_64 rng(3);
  for (double b : {0.0, 0.01, 2.0, 1e4}) {
    for (double range : {1.0, 1000.0}) {
      std::uniform_real_distribution<double> u(0.0, range);
      std::vector<double> l(300), r(200);
      for (double& v : l) v = u(rng);
      for (double& v : r) v = u(rng);
      l[0] = r[0] = 0.0;
      std::sort(l.begin(), l.end());
      std::sort(r.begin(), r.end());
      const CrossLevels levels{&l, &r, nullptr, nullptr, 0.0};
      const Rational f{1.5, b};
      RealMatrix to_left, to_right;
      const Index rank = cross_cauchy(f, levels, RealMatrix::Identity(300, 300), RealMatrix::Identity(200, 200), to_left, to_right);
      INFO("b = " << b << " range " << range << " rank " << rank);
      REQUIRE(rank <= 40);
      double worst = 0.0;
      for (Index a = 0; a < 300; ++a)
        for (Index c = 0; c < 200; ++c) {
          const double exact = f(l[a] + r[c]);
          worst = std::max({worst, std::abs(to_left(a, c) - exact) / exact, std::abs(to_right(c, a) - exact) / exact});
        }
      REQUIRE(worst < 1e-13);
    }
  }
}

TEST_CASE("rational f on real weights: the Cauchy kernel is chosen and exact to 1e-12", "[ftfi]") {
  for (Weights w : {Weights::Real, Weights::WithZeros}) {
    const Tree tree = random_tree(4000, w, 77);
    const RealMatrix x = random_field(4000, 3, 21);
    for (const Rational& f : {Rational{1.0, 2.0}, Rational{-2.0, 0.05}, Rational{1.0, 300.0}}) {
      const RealMatrix reference = integrate_brute_force(tree, f, x);
      REQUIRE(normwise_error(TreeFieldIntegrator(tree, separator(CrossKernel::Auto, 32)).apply(f, x), reference) < 1e-12);
      REQUIRE(normwise_error(TreeFieldIntegrator(tree, separator(CrossKernel::LowRank, 32)).apply(f, x), reference) < 1e-12);
    }
  }
}

TEST_CASE("deep path (n = 10,000): separator depth O(log n), exact against brute force", "[ftfi]") {
  // Brute force on every 25th row (distances summed outward from the row, as integrate_brute_force
  // does on a path) keeps the reference exact at a fraction of the n² cost.
  const Index n = 10000;
  for (Weights w : {Weights::Unit, Weights::Real, Weights::WithZeros}) {
    const Tree tree = path_tree(n, w, 7);
    const std::vector<TreeEdge> edges = tree.edges();
    std::vector<double> weight(static_cast<size_t>(n - 1));  // weight[i]: edge (i, i + 1)
    for (const TreeEdge& e : edges) weight[std::min(e.u, e.v)] = e.weight;
    const RealMatrix x = random_field(n, 2, 4);
    auto sampled_brute_force = [&](const FieldFunction& f, RealMatrix& reference, RealMatrix& rows_of, const RealMatrix& y) {
      reference = RealMatrix::Zero(n / 25, 2);
      rows_of.resize(n / 25, 2);
      for (Index r = 0; r < n / 25; ++r) {
        const Index i = 25 * r;
        std::vector<double> dist(static_cast<size_t>(n));
        dist[i] = 0.0;
        for (Index j = i + 1; j < n; ++j) dist[j] = dist[j - 1] + weight[j - 1];
        for (Index j = i - 1; j >= 0; --j) dist[j] = dist[j + 1] + weight[j];
        for (Index j = 0; j < n; ++j) reference.row(r) += f(dist[j]) * x.row(j);
        rows_of.row(r) = y.row(i);
      }
    };
    const TreeFieldIntegrator integrator(tree, separator(CrossKernel::Auto, 32));
    REQUIRE(integrator.depth() <= 2 * static_cast<Index>(std::log2(n)));
    RealMatrix reference, got;
    const FieldFunction rational = Rational{1.0, 2.0};
    sampled_brute_force(rational, reference, got, integrator.apply(rational, x));
    REQUIRE(normwise_error(got, reference) < 1e-10);
    const ExpPolynomial e = ExpPolynomial::exponential(1.0, 0.05) + ExpPolynomial::polynomial({0.0, 1e-3});
    sampled_brute_force(e, reference, got, integrate_two_pass(tree, e, x));
    REQUIRE(normwise_error(got, reference) < 1e-10);
  }
}

TEST_CASE("star (n = 5000): one huge level", "[ftfi]") {
  const Index n = 5000;
  const Tree tree = star_tree(n, Weights::Unit, 1);
  const RealMatrix x = random_field(n, 2, 8);
  const TreeFieldIntegrator integrator(tree, separator(CrossKernel::Auto, 64));
  const FieldFunction rational = Rational{2.0, 0.5};
  REQUIRE(normwise_error(integrator.apply(rational, x), integrate_brute_force(tree, rational, x)) < 1e-10);
  const ExpPolynomial e = ExpPolynomial::exponential(3.0, 0.5);
  REQUIRE(normwise_error(integrate_two_pass(tree, e, x), integrate_brute_force(tree, e, x)) < 1e-10);
}

TEST_CASE("zero-weight edges are exact (a zero-weight path is one point)", "[ftfi]") {
  const Index n = 40;
  std::vector<TreeEdge> edges;
  for (Index i = 0; i + 1 < n; ++i) edges.push_back({i, i + 1, 0.0});
  const Tree tree = Tree::from_edges(n, edges);
  const RealMatrix x = random_field(n, 2, 6);
  const FieldFunction f = Rational{3.0, 1.0};  // f(0) = 3
  const RealMatrix expected = RealMatrix::Ones(n, 1) * (3.0 * x.colwise().sum());
  for (Index leaf : {2, 4, 64}) {
    const RealMatrix y = TreeFieldIntegrator(tree, separator(CrossKernel::Auto, leaf)).apply(f, x);
    REQUIRE(normwise_error(y, expected) < 1e-14);
  }
  REQUIRE(normwise_error(integrate_two_pass(tree, ExpPolynomial::exponential(3.0, 1.0), x), expected) < 1e-14);
}

TEST_CASE("forests: components never interact", "[ftfi]") {
  std::vector<TreeEdge> edges{{0, 1, 1.0}, {1, 2, 0.5}, {4, 5, 2.0}, {5, 6, 0.0}, {6, 7, 1.0}};
  const Tree tree = Tree::from_edges(9, edges);  // components {0,1,2}, {3}, {4,5,6,7}, {8}
  REQUIRE(tree.num_components() == 4);
  const RealMatrix x = random_field(9, 3, 10);
  const FieldFunction f = Rational{1.0, 1.0};
  const RealMatrix reference = integrate_brute_force(tree, f, x);
  REQUIRE(reference.row(3).isApprox(x.row(3)));  // an isolated node sees only itself (f(0) = 1)
  REQUIRE(normwise_error(TreeFieldIntegrator(tree, separator(CrossKernel::Auto, 2)).apply(f, x), reference) < 1e-14);
  const ExpPolynomial e = ExpPolynomial::exponential(1.0, 1.0);
  REQUIRE(normwise_error(integrate_two_pass(tree, e, x), integrate_brute_force(tree, e, x)) < 1e-14);
}

TEST_CASE("results are bitwise independent of the thread count", "[ftfi]") {
  const Tree tree = random_tree(3000, Weights::Real, 17);
  const RealMatrix x = random_field(3000, 4, 12);
  IntegratorOptions o = separator(CrossKernel::Auto, 16);
  o.parallel_threshold = 64;
  const FieldFunction f = Rational{1.0, 1.0};
  RealMatrix one, two;
  tbb::task_arena(1).execute([&] { one = TreeFieldIntegrator(tree, o).apply(f, x); });
  tbb::task_arena(2).execute([&] { two = TreeFieldIntegrator(tree, o).apply(f, x); });
  REQUIRE(one == two);
}

TEST_CASE("a reused TwoPassIntegrator equals fresh one-shot calls, any width, in any order", "[ftfi]") {
  // Scratch sized by one call must not leak into the next: widths grow and shrink, y arrives
  // with a wrong shape and with stale values, and non-finite fields are still refused.
  const Tree tree = random_tree(500, Weights::Real, 3);
  const ExpPolynomial f = ExpPolynomial::exponential(1.0, 0.4) + ExpPolynomial::exponential(0.5, 1.1);
  TwoPassIntegrator integrator(tree, f);
  RealMatrix y = RealMatrix::Constant(7, 2, 123.0);
  for (Index d : {16, 3, 17, 1, 16}) {
    const RealMatrix x = random_field(500, d, 90 + static_cast<std::uint64_t>(d));
    integrator.apply(x, y);
    INFO("d = " << d);
    REQUIRE(y.rows() == 500);
    REQUIRE(y.cols() == d);
    REQUIRE(normwise_error(y, integrate_brute_force(tree, f, x)) < 1e-12);
  }
  RealMatrix bad = random_field(500, 16, 1);
  bad(250, 9) = std::numeric_limits<double>::infinity();
  REQUIRE_THROWS_AS(integrator.apply(bad, y), NumericalError);
  REQUIRE_THROWS_AS(integrator.apply(RealMatrix::Zero(499, 4), y), UsageError);
  const ExpPolynomial growing = ExpPolynomial::exponential(1.0, -800.0);  // e^{+800 x} overflows
  TwoPassIntegrator overflow(tree, growing);
  REQUIRE_THROWS_AS(overflow.apply(RealMatrix::Ones(500, 8), y), NumericalError);
}

TEST_CASE("bad fields and options are reported", "[ftfi]") {
  const Tree tree = path_tree(10, Weights::Unit, 1);
  const TreeFieldIntegrator integrator(tree);
  REQUIRE_THROWS_AS(integrator.apply(Rational{}, RealMatrix::Zero(9, 1)), UsageError);
  RealMatrix bad = RealMatrix::Zero(10, 1);
  bad(3, 0) = std::nan("");
  REQUIRE_THROWS_AS(integrator.apply(Rational{}, bad), NumericalError);
  const FieldFunction overflowing([](double x) { return std::exp(1000.0 * x); });
  REQUIRE_THROWS_AS(integrator.apply(overflowing, RealMatrix::Ones(10, 1)), NumericalError);
  IntegratorOptions o;
  o.leaf_size = 1;
  REQUIRE_THROWS_AS(TreeFieldIntegrator(tree, o), UsageError);
  o = IntegratorOptions{};
  o.method = IntegrationMethod::TwoPass;
  REQUIRE_THROWS_AS(TreeFieldIntegrator(tree, o).apply(Gaussian{1.0}, RealMatrix::Ones(10, 1)), UsageError);
}
