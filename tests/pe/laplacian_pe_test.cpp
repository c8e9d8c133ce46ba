// LapPE: closed-form spectra, normalizations, trivial-vector dropping, padding, sign rule,
// symmetrization of directed input, and dense vs Lanczos agreement through projectors.
#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"
#include "pe/laplacian_pe.hpp"

#include <catch2/catch.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <random>
#include <utility>
#include <vector>

using namespace graphtx;

namespace {

const double kPi = std::acos(-1.0);

Graph make_graph(Index n, const std::vector<std::pair<Index, Index>>& edges, bool directed) {
  GraphBuilder b(n, directed);
  for (auto [u, v] : edges) b.add_edge(u, v);
  return b.build();
}

Graph path(Index n, bool directed) {
  std::vector<std::pair<Index, Index>> e;
  for (Index u = 0; u + 1 < n; ++u) e.emplace_back(u, u + 1);
  return make_graph(n, e, directed);
}

// Random graph with `n` nodes and about n * degree / 2 edges, one-way edge list.
Graph random_graph(Index n, double degree, unsigned seed, bool directed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<Index> node(0, n - 1);
  GraphBuilder b(n, directed);
  for (Index e = 0; e < static_cast<Index>(n * degree / 2); ++e) b.add_edge(node(rng), node(rng));
  return b.build();
}

Eigen::MatrixXd vectors(const EncodingResult& r) { return Eigen::MatrixXd(r.node); }

void check_eigenpairs(const Graph& g, const EncodingResult& r, LaplacianNorm norm) {
  const Eigen::MatrixXd l = Eigen::MatrixXd(laplacian_matrix(g, norm));
  const Eigen::MatrixXd v = vectors(r);
  for (Index j = 0; j < v.cols(); ++j) {
    if (!r.mask[j]) continue;
    CHECK((l * v.col(j) - r.values[j] * v.col(j)).norm() <= 1e-8);
    CHECK(v.col(j).norm() == Approx(1.0).epsilon(1e-12));
  }
  CHECK(r.max_residual <= 1e-8);
}

}  // namespace

TEST_CASE("LapPE: path spectra in closed form for comb and sym", "[pe]") {
  const Index n = 7;
  const Graph g = path(n, false);
  const EncodingResult comb = laplacian_pe(g, {n, LaplacianNorm::Combinatorial, false, SolverChoice::Dense});
  const EncodingResult sym = laplacian_pe(g, {n, LaplacianNorm::Symmetric, false, SolverChoice::Dense});
  for (Index j = 0; j < n; ++j) {
    CHECK(comb.values[j] == Approx(2 - 2 * std::cos(kPi * j / n)).margin(1e-12));
    CHECK(sym.values[j] == Approx(1 - std::cos(kPi * j / (n - 1))).margin(1e-12));
  }
  // Combinatorial path eigenvectors: cos(pi j (u + 1/2) / n), up to sign.
  for (Index j = 1; j < n; ++j) {
    Eigen::VectorXd expected(n);
    for (Index u = 0; u < n; ++u) expected[u] = std::cos(kPi * j * (u + 0.5) / n);
    expected.normalize();
    CHECK(std::abs(expected.dot(comb.node.col(j))) == Approx(1.0).epsilon(1e-10));
  }
  check_eigenpairs(g, comb, LaplacianNorm::Combinatorial);
  check_eigenpairs(g, sym, LaplacianNorm::Symmetric);
  CHECK(comb.node_dims == std::vector<Index>{n});
  CHECK(Eigen::MatrixXd(vectors(comb).transpose() * vectors(comb)).isIdentity(1e-10));
}

TEST_CASE("LapPE: rw vectors are D^-1/2 v_sym normalized and solve L_rw", "[pe]") {
  // Star with a tail: unequal degrees, so rw and sym vectors differ.
  const Graph g = make_graph(6, {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {4, 5}}, false);
  const EncodingResult sym = laplacian_pe(g, {6, LaplacianNorm::Symmetric, false, SolverChoice::Dense});
  const EncodingResult rw = laplacian_pe(g, {6, LaplacianNorm::RandomWalk, false, SolverChoice::Dense});
  const std::vector<double> degree{4, 1, 1, 1, 2, 1};
  for (Index j = 0; j < 6; ++j) {
    CHECK(rw.values[j] == Approx(sym.values[j]).margin(1e-12));
    Eigen::VectorXd mapped(6);
    for (Index u = 0; u < 6; ++u) mapped[u] = sym.node(u, j) / std::sqrt(degree[u]);
    mapped.normalize();
    CHECK(std::abs(mapped.dot(rw.node.col(j))) == Approx(1.0).epsilon(1e-10));
  }
  const Eigen::MatrixXd l_rw = Eigen::MatrixXd(laplacian_matrix(g, LaplacianNorm::RandomWalk));
  CHECK(l_rw(0, 1) == Approx(-0.25));
  CHECK(l_rw(1, 0) == Approx(-1.0));
  check_eigenpairs(g, rw, LaplacianNorm::RandomWalk);
}

TEST_CASE("LapPE: disconnected graph, isolated node and drop_trivial", "[pe]") {
  // Two triangles and an isolated node: comb {0, 0, 0, 3, 3, 3, 3}; sym {0, 0, 1, 1.5 x 4}.
  const Graph g = make_graph(7, {{0, 1}, {1, 2}, {2, 0}, {3, 4}, {4, 5}, {5, 3}}, false);
  const EncodingResult comb = laplacian_pe(g, {7, LaplacianNorm::Combinatorial, false, SolverChoice::Auto});
  const std::vector<double> comb_values{0, 0, 0, 3, 3, 3, 3};
  for (Index j = 0; j < 7; ++j) CHECK(comb.values[j] == Approx(comb_values[j]).margin(1e-12));
  const EncodingResult sym = laplacian_pe(g, {7, LaplacianNorm::Symmetric, false, SolverChoice::Auto});
  const std::vector<double> sym_values{0, 0, 1, 1.5, 1.5, 1.5, 1.5};
  for (Index j = 0; j < 7; ++j) CHECK(sym.values[j] == Approx(sym_values[j]).margin(1e-12));
  CHECK(sym.node(6, 2) == Approx(1.0));  // the isolated node's indicator, eigenvalue 1

  // drop_trivial removes the smallest pair of each of the 3 components.
  const EncodingResult dropped = laplacian_pe(g, {6, LaplacianNorm::Combinatorial, true, SolverChoice::Auto});
  for (Index j = 0; j < 4; ++j) {
    CHECK(dropped.values[j] == Approx(3.0));
    CHECK(dropped.mask[j]);
  }
  CHECK_FALSE(dropped.mask[4]);
  CHECK_FALSE(dropped.mask[5]);
  CHECK(dropped.node.col(4).isZero(0));
  // No kept vector is constant on a component.
  for (Index j = 0; j < 4; ++j) {
    CHECK(std::abs(dropped.node.col(j).head(3).sum()) < 1e-12);
    CHECK(std::abs(dropped.node.col(j).segment(3, 3).sum()) < 1e-12);
  }
  const EncodingResult sym_dropped = laplacian_pe(g, {4, LaplacianNorm::Symmetric, true, SolverChoice::Auto});
  for (Index j = 0; j < 4; ++j) CHECK(sym_dropped.values[j] == Approx(1.5));
  check_eigenpairs(g, comb, LaplacianNorm::Combinatorial);
  check_eigenpairs(g, sym, LaplacianNorm::Symmetric);
}

TEST_CASE("LapPE: directed and one-way edge lists are symmetrized (A OR A^T)", "[pe]") {
  const Graph directed = make_graph(5, {{0, 1}, {2, 1}, {2, 3}, {4, 3}, {0, 4}, {1, 0}, {0, 1}}, true);
  const Graph undirected = make_graph(5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 0}}, false);
  for (auto norm : {LaplacianNorm::Combinatorial, LaplacianNorm::Symmetric, LaplacianNorm::RandomWalk}) {
    const EncodingResult a = laplacian_pe(directed, {5, norm, false, SolverChoice::Dense});
    const EncodingResult b = laplacian_pe(undirected, {5, norm, false, SolverChoice::Dense});
    CHECK((a.values - b.values).norm() < 1e-12);
    CHECK(Eigen::MatrixXd(laplacian_matrix(directed, norm)).isApprox(Eigen::MatrixXd(laplacian_matrix(undirected, norm))));
  }
  // The 5-cycle: comb eigenvalues 2 - 2 cos(2 pi j / 5).
  const EncodingResult c = laplacian_pe(directed, {5, LaplacianNorm::Combinatorial, false, SolverChoice::Dense});
  CHECK(c.values[1] == Approx(2 - 2 * std::cos(2 * kPi / 5)));
  CHECK(c.values[4] == Approx(2 - 2 * std::cos(4 * kPi / 5)));
}

TEST_CASE("LapPE: self-loops count once in the degree", "[pe]") {
  const Graph looped = make_graph(3, {{0, 1}, {1, 2}, {0, 0}, {0, 0}}, false);
  const Eigen::MatrixXd comb = Eigen::MatrixXd(laplacian_matrix(looped, LaplacianNorm::Combinatorial));
  CHECK(comb.isApprox(Eigen::MatrixXd(laplacian_matrix(path(3, false), LaplacianNorm::Combinatorial))));
  const Eigen::MatrixXd sym = Eigen::MatrixXd(laplacian_matrix(looped, LaplacianNorm::Symmetric));
  CHECK(sym(0, 0) == Approx(0.5));  // 1 - 1/d_0 with d_0 = 2 (neighbour 1 and the loop)
  CHECK(sym(0, 1) == Approx(-0.5));
  const EncodingResult r = laplacian_pe(looped, {3, LaplacianNorm::Symmetric, false, SolverChoice::Dense});
  CHECK(r.values[0] == Approx(0.0).margin(1e-12));
  check_eigenpairs(looped, r, LaplacianNorm::Symmetric);
}

TEST_CASE("LapPE: padding and mask for n < k, n = 1, n = 0, k = 0", "[pe]") {
  const EncodingResult r = laplacian_pe(path(3, false), {8, LaplacianNorm::Combinatorial, false, SolverChoice::Auto});
  REQUIRE(r.node.rows() == 3);
  REQUIRE(r.node.cols() == 8);
  REQUIRE(r.values.size() == 8);
  for (Index j = 0; j < 8; ++j) CHECK(r.mask[j] == (j < 3));
  CHECK(r.node.rightCols(5).isZero(0));
  CHECK(r.values.tail(5).isZero(0));
  CHECK(r.values[2] == Approx(3.0));

  const EncodingResult one = laplacian_pe(make_graph(1, {}, false), {4, LaplacianNorm::Symmetric, false, SolverChoice::Auto});
  CHECK(one.values[0] == Approx(1.0));  // degree clipped to 1: L_sym = [1]
  CHECK(one.node(0, 0) == 1.0);
  CHECK(one.mask == std::vector<bool>{true, false, false, false});
  const EncodingResult one_dropped = laplacian_pe(make_graph(1, {}, false), {4, LaplacianNorm::Symmetric, true, SolverChoice::Auto});
  CHECK(one_dropped.mask == std::vector<bool>(4, false));

  const EncodingResult empty = laplacian_pe(Graph(), {4, LaplacianNorm::Symmetric, false, SolverChoice::Auto});
  CHECK(empty.node.rows() == 0);
  CHECK(empty.node.cols() == 4);
  CHECK(empty.mask == std::vector<bool>(4, false));
  const EncodingResult none = laplacian_pe(path(3, false), {0, LaplacianNorm::Symmetric, false, SolverChoice::Auto});
  CHECK(none.node.cols() == 0);
  CHECK_THROWS_AS(laplacian_pe(path(3, false), {-1, LaplacianNorm::Symmetric, false, SolverChoice::Auto}), UsageError);
  CHECK_THROWS_AS(parse_laplacian_norm("lap"), UsageError);
  CHECK(parse_laplacian_norm("rw") == LaplacianNorm::RandomWalk);
}

TEST_CASE("LapPE: sign rule makes the largest entry positive, lowest index on ties", "[pe]") {
  // P2: the vector of eigenvalue 2 is (1, -1)/sqrt2: a tie, so node 0 is positive.
  const EncodingResult p2 = laplacian_pe(path(2, false), {2, LaplacianNorm::Combinatorial, false, SolverChoice::Dense});
  CHECK(p2.node(0, 1) == Approx(std::sqrt(0.5)));
  CHECK(p2.node(1, 1) == Approx(-std::sqrt(0.5)));
  const Graph g = random_graph(60, 4, 7, false);
  const LaplacianPEOptions options{10, LaplacianNorm::Symmetric, true, SolverChoice::Dense};
  const EncodingResult a = laplacian_pe(g, options);
  for (Index j = 0; j < 10; ++j) {
    Index largest = 0;
    a.node.col(j).cwiseAbs().maxCoeff(&largest);
    CHECK(a.node(largest, j) > 0);
  }
  // Same graph, same options: bitwise the same result; a negated input basis gives it too.
  const EncodingResult b = laplacian_pe(g, options);
  CHECK(a.node == b.node);
  CHECK(a.values == b.values);
  const EncodingResult sparse = laplacian_pe(g, {10, LaplacianNorm::Symmetric, true, SolverChoice::Sparse});
  CHECK((sparse.node - a.node).cwiseAbs().maxCoeff() < 1e-6);  // distinct eigenvalues: same signs
}

TEST_CASE("LapPE: dense and Lanczos agree through projectors on 200-1000 node graphs", "[pe]") {
  struct Case {
    Graph g;
    LaplacianNorm norm;
  };
  // A disconnected graph: two random parts and isolated nodes (component pairs are merged).
  GraphBuilder b(900, false);
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<Index> left(0, 399), right(400, 889);
  for (int e = 0; e < 1200; ++e) b.add_edge(left(rng), left(rng));
  for (int e = 0; e < 1500; ++e) b.add_edge(right(rng), right(rng));
  std::vector<Case> cases;
  cases.push_back({random_graph(200, 5, 1, false), LaplacianNorm::Symmetric});
  cases.push_back({random_graph(700, 6, 2, true), LaplacianNorm::Combinatorial});
  cases.push_back({b.build(), LaplacianNorm::Symmetric});
  cases.push_back({random_graph(1000, 6, 4, false), LaplacianNorm::RandomWalk});
  for (const Case& c : cases) {
    const Index k = 16;
    const EncodingResult dense = laplacian_pe(c.g, {k + 1, c.norm, false, SolverChoice::Dense});
    const EncodingResult sparse = laplacian_pe(c.g, {k + 1, c.norm, false, SolverChoice::Sparse});
    CHECK(sparse.solver == EncodingResult::Solver::Sparse);
    CHECK(sparse.max_residual <= 1e-8);
    CHECK((dense.values - sparse.values).cwiseAbs().maxCoeff() < 1e-9);
    // Compare the projector onto the first m vectors, m the largest m <= k at a spectral gap.
    Index m = k;
    while (m > 0 && dense.values[m] - dense.values[m - 1] < 1e-4) --m;
    REQUIRE(m > 0);
    const Eigen::MatrixXd vd = vectors(dense).leftCols(m), vs = vectors(sparse).leftCols(m);
    const Eigen::MatrixXd pd = vd * (vd.transpose() * vd).inverse() * vd.transpose();
    const Eigen::MatrixXd ps = vs * (vs.transpose() * vs).inverse() * vs.transpose();
    CHECK((pd - ps).norm() < 1e-6);
  }
}
