// Tree eigensolver: closed forms (path, star with a 49-fold eigenvalue), random trees and
// forests against the dense solver (eigenvalues, projectors, residuals, orthonormality), generic
// symmetric tree matrices of mixed sign, patterns with a cycle refused, determinism, and the
// routing of smallest_eigenpairs (Auto takes forests, explicit solvers do not).
#include "pe/eigensolver.hpp"
#include "pe/tree_eigensolver.hpp"

#include <catch2/catch.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <random>
#include <vector>

using namespace graphtx;

namespace {

const double kPi = std::acos(-1.0);

// Symmetric matrix on the edges (u, v) with the given off-diagonal values and diagonal.
RealSparse tree_matrix(Index n, const std::vector<std::pair<Index, Index>>& edges, const std::vector<double>& off,
                       const std::vector<double>& diagonal) {
  std::vector<Eigen::Triplet<double, std::int64_t>> t;
  for (size_t e = 0; e < edges.size(); ++e) {
    t.emplace_back(edges[e].first, edges[e].second, off[e]);
    t.emplace_back(edges[e].second, edges[e].first, off[e]);
  }
  for (Index u = 0; u < n; ++u)
    if (diagonal[u] != 0) t.emplace_back(u, u, diagonal[u]);
  RealSparse h(n, n);
  h.setFromTriplets(t.begin(), t.end());
  return h;
}

// Combinatorial Laplacian D - A of an unweighted edge list.
RealSparse laplacian(Index n, const std::vector<std::pair<Index, Index>>& edges) {
  std::vector<double> degree(static_cast<size_t>(n), 0.0);
  for (auto [u, v] : edges) {
    ++degree[u];
    ++degree[v];
  }
  return tree_matrix(n, edges, std::vector<double>(edges.size(), -1.0), degree);
}

// Random recursive forest: node v > 0 hangs off a random earlier node unless it starts a new tree.
std::vector<std::pair<Index, Index>> random_forest(Index n, double new_tree, std::mt19937_64& rng) {
  std::vector<std::pair<Index, Index>> edges;
  std::uniform_real_distribution<double> unit(0, 1);
  for (Index v = 1; v < n; ++v)
    if (unit(rng) >= new_tree) edges.emplace_back(std::uniform_int_distribution<Index>(0, v - 1)(rng), v);
  return edges;
}

void check_against_dense(const RealSparse& h, Index k) {
  RealEigenpairs tree;
  REQUIRE(tree_smallest_eigenpairs(h, k, tree));
  const Index m = std::min(k, h.rows());
  REQUIRE(tree.values.size() == m);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> full{Eigen::MatrixXd(h)};
  const Eigen::VectorXd exact = full.eigenvalues().head(m);
  CHECK((tree.values - exact).cwiseAbs().maxCoeff() < 1e-10);
  for (Index j = 0; j < m; ++j) CHECK((h * tree.vectors.col(j) - tree.values[j] * tree.vectors.col(j)).norm() <= 1e-9);
  CHECK((tree.vectors.transpose() * tree.vectors - Eigen::MatrixXd::Identity(m, m)).cwiseAbs().maxCoeff() < 1e-10);
  // Projector onto the eigenvectors up to the last gap: basis-free comparison (none when all m lie
  // in one eigenspace, e.g. eigenvalue 0 of a forest with more than m trees: residuals cover it).
  Index gap = m;
  while (gap > 0 && gap < h.rows() && full.eigenvalues()[gap] - full.eigenvalues()[gap - 1] < 1e-6) --gap;
  if (gap == 0) return;
  const Eigen::MatrixXd vt = tree.vectors.leftCols(gap), vf = full.eigenvectors().leftCols(gap);
  CHECK((vt * vt.transpose() - vf * vf.transpose()).norm() < 1e-7);
}

}  // namespace

TEST_CASE("Tree eigensolver: path Laplacian, closed form 2 - 2 cos(pi j / n)", "[pe]") {
  for (Index n : {2, 17, 1000}) {
    std::vector<std::pair<Index, Index>> edges;
    for (Index u = 0; u + 1 < n; ++u) edges.emplace_back(u, u + 1);
    RealEigenpairs r;
    REQUIRE(tree_smallest_eigenpairs(laplacian(n, edges), 16, r));
    for (Index j = 0; j < std::min<Index>(16, n); ++j)
      CHECK(r.values[j] == Approx(2 - 2 * std::cos(kPi * double(j) / double(n))).margin(1e-12));
  }
}

TEST_CASE("Tree eigensolver: star with 50 leaves, eigenvalue 1 of multiplicity 49", "[pe]") {
  std::vector<std::pair<Index, Index>> edges;
  for (Index leaf = 1; leaf <= 50; ++leaf) edges.emplace_back(0, leaf);
  const RealSparse l = laplacian(51, edges);
  RealEigenpairs r;
  REQUIRE(tree_smallest_eigenpairs(l, 16, r));
  CHECK(r.values[0] == Approx(0).margin(1e-12));
  for (Index j = 1; j < 16; ++j) CHECK(r.values[j] == Approx(1).margin(1e-12));
  CHECK((r.vectors.transpose() * r.vectors - Eigen::MatrixXd::Identity(16, 16)).cwiseAbs().maxCoeff() < 1e-10);
  CHECK(((l * r.vectors) - r.vectors * r.values.asDiagonal()).colwise().norm().maxCoeff() < 1e-10);
  RealEigenpairs all;
  REQUIRE(tree_smallest_eigenpairs(l, 51, all));
  CHECK(all.values[50] == Approx(51).margin(1e-10));  // the largest: n
}

TEST_CASE("Tree eigensolver: random trees and forests agree with the dense solver", "[pe]") {
  std::mt19937_64 rng(7);
  for (Index n : {1, 5, 40, 300, 800})
    for (double new_tree : {0.0, 0.05}) {
      INFO("n = " << n << ", new tree probability " << new_tree);
      const auto edges = random_forest(n, new_tree, rng);
      check_against_dense(laplacian(n, edges), 16);
      // Symmetric normalization I - D^-1/2 A D^-1/2 (isolated nodes: 1 on the diagonal).
      std::vector<double> degree(static_cast<size_t>(n), 0.0), off;
      for (auto [u, v] : edges) {
        ++degree[u];
        ++degree[v];
      }
      for (auto [u, v] : edges) off.push_back(-1.0 / std::sqrt(degree[u] * degree[v]));
      check_against_dense(tree_matrix(n, edges, off, std::vector<double>(static_cast<size_t>(n), 1.0)), 17);
    }
}

TEST_CASE("Tree eigensolver: generic symmetric tree matrices (mixed signs, indefinite)", "[pe]") {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> value(-3, 3);
  for (Index n : {30, 500}) {
    const auto edges = random_forest(n, 0.0, rng);
    std::vector<double> off, diagonal;
    for (size_t e = 0; e < edges.size(); ++e) off.push_back(value(rng));
    for (Index u = 0; u < n; ++u) diagonal.push_back(value(rng));
    check_against_dense(tree_matrix(n, edges, off, diagonal), 12);
  }
}

TEST_CASE("Tree eigensolver: a cycle is refused, results are deterministic, routing", "[pe]") {
  const RealSparse cycle = laplacian(4, {{0, 1}, {1, 2}, {2, 3}, {3, 0}});
  RealEigenpairs r;
  CHECK_FALSE(tree_smallest_eigenpairs(cycle, 2, r));
  CHECK(r.values.size() == 0);  // untouched
  CHECK_FALSE(smallest_eigenpairs(cycle, 2).used_tree);

  std::mt19937_64 rng(3);
  const RealSparse l = laplacian(700, random_forest(700, 0.0, rng));
  const RealEigenpairs a = smallest_eigenpairs(l, 16), b = smallest_eigenpairs(l, 16);
  CHECK(a.used_tree);
  CHECK_FALSE(a.used_sparse);
  CHECK(a.max_residual <= 1e-8);
  CHECK(a.values == b.values);
  CHECK(a.vectors == b.vectors);
  EigensolverOptions o;
  o.solver = SolverChoice::Sparse;
  CHECK_FALSE(smallest_eigenpairs(l, 16, o).used_tree);
  o.solver = SolverChoice::Dense;
  CHECK_FALSE(smallest_eigenpairs(l, 16, o).used_tree);
  o.solver = SolverChoice::Auto;
  o.tree_solver = false;
  CHECK_FALSE(smallest_eigenpairs(l, 16, o).used_tree);
}
