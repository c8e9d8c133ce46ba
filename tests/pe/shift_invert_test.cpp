// Sparse eigensolver, shift-invert mode (pe/shift_invert.hpp, pe/sparse_eigensolver.hpp): agreement
// with the dense solver through eigenvalues and spectral projectors (sign/phase free) on paths and
// trees of 1-3k nodes (real and magnetic), a disconnected matrix (exact multiplicities), the fill
// estimate (zero fill on trees, early exit), the fallback to sigma I - H when the fill is over
// budget, the refusal of a non-PSD matrix, and thread-count independence.
#include "graph/graph_builder.hpp"
#include "pe/eigensolver.hpp"
#include "tests/pe/dense_sparse_agreement.hpp"
#include "pe/laplacian_pe.hpp"
#include "pe/magnetic_laplacian_pe.hpp"
#include "pe/shift_invert.hpp"

#include <catch2/catch.hpp>
#include <tbb/global_control.h>

#include <Eigen/Dense>

#include <cmath>
#include <random>
#include <vector>

using namespace graphtx;

namespace {

const double kPi = std::acos(-1.0);

// Random recursive tree (parent -> child), like a code2 AST; `extra` forward edges on top.
Graph random_tree(Index n, Index extra, unsigned seed) {
  std::mt19937_64 rng(seed);
  GraphBuilder b(n, true);
  for (Index v = 1; v < n; ++v) b.add_edge(std::uniform_int_distribution<Index>(0, v - 1)(rng), v);
  for (Index e = 0; e < extra; ++e) {
    const Index u = std::uniform_int_distribution<Index>(0, n - 2)(rng);
    b.add_edge(u, std::uniform_int_distribution<Index>(u + 1, n - 1)(rng));
  }
  return b.build();
}

Graph path(Index n, bool directed) {
  GraphBuilder b(n, directed);
  for (Index v = 1; v < n; ++v) b.add_edge(v - 1, v);
  return b.build();
}

// Two disjoint paths of lengths a and b in one graph: eigenvalue 0 twice in one matrix.
Graph two_paths(Index a, Index b_len) {
  GraphBuilder b(a + b_len, false);
  for (Index v = 1; v < a; ++v) b.add_edge(v - 1, v);
  for (Index v = a + 1; v < a + b_len; ++v) b.add_edge(v - 1, v);
  return b.build();
}

Graph random_graph(Index n, Index edges, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<Index> node(0, n - 1);
  GraphBuilder b(n, false);
  for (Index e = 0; e < edges; ++e) {
    const Index u = node(rng), v = node(rng);
    if (u != v) b.add_edge(u, v);
  }
  return b.build();
}

// Sparse vs dense (tests/pe/dense_sparse_agreement.hpp), and whether shift-invert was used.
// Returns the sparse result.
template <class Scalar>
Eigenpairs<Scalar> check_against_dense(const Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>& h, Index k,
                                       const EigensolverOptions& sparse_options, bool expect_shift_invert) {
  const Eigenpairs<Scalar> sparse = graphtx::test::check_dense_sparse_agreement(h, k, sparse_options, 1e-6).second;
  CHECK(sparse.used_shift_invert == expect_shift_invert);
  return sparse;
}

EigensolverOptions sparse_solver() {
  EigensolverOptions o;
  o.solver = SolverChoice::Sparse;
  return o;
}

}  // namespace

TEST_CASE("Shift-invert: paths match the closed form and the dense solver", "[pe]") {
  // Symmetric path Laplacian: 1 - cos(pi j / (n - 1)); the gaps near 0 are ~2e-6 at n = 1500.
  const Index n = 1500;
  const RealSparse l = laplacian_matrix(path(n, false), LaplacianNorm::Symmetric);
  const RealEigenpairs r = check_against_dense(l, 16, sparse_solver(), true);
  for (Index j = 0; j <= 16; ++j) CHECK(r.values[j] == Approx(1 - std::cos(kPi * double(j) / double(n - 1))).margin(1e-11));
  // Combinatorial: 2 - 2 cos(pi j / n).
  const RealSparse c = laplacian_matrix(path(1000, false), LaplacianNorm::Combinatorial);
  const RealEigenpairs rc = check_against_dense(c, 8, sparse_solver(), true);
  for (Index j = 0; j <= 8; ++j) CHECK(rc.values[j] == Approx(2 - 2 * std::cos(kPi * double(j) / 1000.0)).margin(1e-11));
}

TEST_CASE("Shift-invert: trees and code2-like DAGs agree with dense (real and magnetic)", "[pe]") {
  check_against_dense(laplacian_matrix(random_tree(2000, 0, 1), LaplacianNorm::Symmetric), 16, sparse_solver(), true);
  check_against_dense(laplacian_matrix(random_tree(1200, 300, 2), LaplacianNorm::Combinatorial), 16, sparse_solver(), true);
  MagneticLaplacianPEOptions m;
  m.q = 0.25;
  check_against_dense(magnetic_laplacian_matrix(random_tree(1000, 0, 3), m), 15, sparse_solver(), true);
  check_against_dense(magnetic_laplacian_matrix(random_tree(800, 200, 4), m), 16, sparse_solver(), true);
  // Directed path: magnetic spectrum equals the real one (pe.md reference 2).
  const ComplexEigenpairs p = check_against_dense(magnetic_laplacian_matrix(path(1000, true), m), 6, sparse_solver(), true);
  for (Index j = 0; j <= 6; ++j) CHECK(p.values[j] == Approx(1 - std::cos(kPi * double(j) / 999.0)).margin(1e-11));
}

TEST_CASE("Shift-invert: two components in one matrix (eigenvalue 0 twice) are both found", "[pe]") {
  // Single-vector Lanczos sees one direction per eigenspace; the verification restart adds the
  // second zero vector and the interleaved spectra of both paths.
  const RealSparse l = laplacian_matrix(two_paths(700, 900), LaplacianNorm::Symmetric);
  const RealEigenpairs r = check_against_dense(l, 10, sparse_solver(), true);
  CHECK(std::abs(r.values[0]) < 1e-10);
  CHECK(std::abs(r.values[1]) < 1e-10);
  const RealSparse same = laplacian_matrix(two_paths(800, 800), LaplacianNorm::Symmetric);  // every eigenvalue twice
  const RealEigenpairs twice = smallest_eigenpairs(same, 8, sparse_solver());
  EigensolverOptions dense;
  dense.solver = SolverChoice::Dense;
  CHECK((twice.values - smallest_eigenpairs(same, 8, dense).values).cwiseAbs().maxCoeff() < 1e-9);
  CHECK(twice.max_residual <= 1e-8);
}

TEST_CASE("Shift-invert: fill estimate, budget fallback and non-PSD refusal", "[pe]") {
  const RealSparse tree = laplacian_matrix(random_tree(2000, 0, 5), LaplacianNorm::Symmetric);
  const std::int64_t tree_fill = factor_nonzeros(tree, 1 << 30);
  CHECK(tree_fill >= 1999);  // at least one entry per edge; approximate minimum degree adds little
  CHECK(tree_fill <= 2400);
  CHECK(factor_nonzeros(tree, 1000) == -1);  // early exit past the limit
  const RealSparse expander = laplacian_matrix(random_graph(2000, 6000, 6), LaplacianNorm::Symmetric);
  const std::int64_t fill = factor_nonzeros(expander, std::int64_t{1} << 40);
  CHECK(fill > 10 * expander.nonZeros());  // random graphs fill in towards dense
  FillBudget budget;
  CHECK(ShiftInvertOperator<double>::factor(expander, 1e-9, budget) == nullptr);
  SECTION("expander: sigma I - H, same answer") {
    check_against_dense(expander, 12, sparse_solver(), false);
  }
  SECTION("a budget below the tree's fill forces sigma I - H") {
    EigensolverOptions o = sparse_solver();
    o.max_factor_bytes = 1000 * 12;  // 1000 entries of double + int < the tree's >= 1999
    CHECK_FALSE(smallest_eigenpairs(tree, 4, o).used_shift_invert);
    const RealSparse small = laplacian_matrix(random_tree(600, 0, 7), LaplacianNorm::Symmetric);
    o.max_factor_bytes = 100 * 12;
    check_against_dense(small, 6, o, false);
    o.shift_invert = false;
    check_against_dense(small, 4, o, false);
  }
  SECTION("indefinite matrix: no factor") {
    RealSparse neg = tree * -1.0;
    CHECK(ShiftInvertOperator<double>::factor(neg, 1e-9, budget) == nullptr);
  }
  SECTION("operator solves (H + shift I) y = x") {
    auto op = ShiftInvertOperator<double>::factor(tree, 0.5, budget);
    REQUIRE(op);
    CHECK(op->factor_nonzeros() == tree_fill);
    Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(2000, -1.0, 1.0), y(2000);
    op->apply(x.data(), y.data());
    const Eigen::VectorXd back = tree * y + 0.5 * y;
    CHECK((back - x).norm() < 1e-10 * x.norm());
  }
}

TEST_CASE("Sparse eigensolver: results are bitwise independent of the thread count", "[pe]") {
  // Above 20,000 rows the sparse products split rows over oneTBB tasks (each row still summed
  // sequentially) and the Lanczos kernels split fixed row blocks (partial sums added in order).
  const RealSparse expander = laplacian_matrix(random_graph(25000, 75000, 8), LaplacianNorm::Symmetric);
  MagneticLaplacianPEOptions m;
  const ComplexSparse tree = magnetic_laplacian_matrix(random_tree(25000, 0, 9), m);
  auto solve = [&](int threads) {
    tbb::global_control cap(tbb::global_control::max_allowed_parallelism, threads);
    return std::make_pair(smallest_eigenpairs(expander, 4, sparse_solver()), smallest_eigenpairs(tree, 4, sparse_solver()));
  };
  const auto one = solve(1), two = solve(2);
  CHECK_FALSE(one.first.used_shift_invert);
  CHECK(one.second.used_shift_invert);
  CHECK(one.first.values == two.first.values);
  CHECK(one.first.vectors == two.first.vectors);
  CHECK(one.second.values == two.second.values);
  CHECK(one.second.vectors == two.second.vectors);
  CHECK(one.first.max_residual <= 1e-8);
  CHECK(one.second.max_residual <= 1e-8);
}
