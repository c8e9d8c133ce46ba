// MagLapPE: every reference value of docs/pe.md (directed cycles, paths, diamond DAG, the
// self-loop matrix), the q-invariances, q = 0 through the real solver, weights, padding, the
// phase rule, and dense vs Lanczos agreement through projectors on directed graphs.
#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"
#include "graph/transforms.hpp"
#include "pe/magnetic_laplacian_pe.hpp"

#include <catch2/catch.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <map>
#include <fstream>
#include <random>
#include <sstream>
#include <utility>
#include <vector>

using namespace graphtx;

namespace {

using Complex = std::complex<double>;
const double kPi = std::acos(-1.0);

Graph make_graph(Index n, const std::vector<std::pair<Index, Index>>& edges, bool directed = true) {
  GraphBuilder b(n, directed);
  for (auto [u, v] : edges) b.add_edge(u, v);
  return b.build();
}

Graph directed_cycle(Index n) {
  std::vector<std::pair<Index, Index>> e;
  for (Index u = 0; u < n; ++u) e.emplace_back(u, (u + 1) % n);
  return make_graph(n, e);
}

Graph directed_path(Index n) {
  std::vector<std::pair<Index, Index>> e;
  for (Index u = 0; u + 1 < n; ++u) e.emplace_back(u, u + 1);
  return make_graph(n, e);
}

Graph random_digraph(Index n, double degree, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<Index> node(0, n - 1);
  GraphBuilder b(n, true);
  for (Index e = 0; e < static_cast<Index>(n * degree / 2); ++e) b.add_edge(node(rng), node(rng));
  return b.build();
}

MagneticLaplacianPEOptions options(Index k, double q, bool relative, LaplacianNorm norm,
                                   SolverChoice solver = SolverChoice::Auto) {
  MagneticLaplacianPEOptions o;
  o.k = k;
  o.q = q;
  o.q_relative = relative;
  o.norm = norm;
  o.solver = solver;
  return o;
}

// Column j of the result as a complex vector.
Eigen::VectorXcd vec(const EncodingResult& r, Index j) {
  Eigen::VectorXcd v(r.node.rows());
  for (Index u = 0; u < r.node.rows(); ++u) v[u] = Complex(r.node(u, 2 * j), r.node(u, 2 * j + 1));
  return v;
}

Eigen::MatrixXcd vecs(const EncodingResult& r, Index m) {
  Eigen::MatrixXcd v(r.node.rows(), m);
  for (Index j = 0; j < m; ++j) v.col(j) = vec(r, j);
  return v;
}

void check_values(const EncodingResult& r, const std::vector<double>& expected, double tol = 1e-6) {
  REQUIRE(r.values.size() >= static_cast<Index>(expected.size()));
  for (size_t j = 0; j < expected.size(); ++j) CHECK(r.values[j] == Approx(expected[j]).margin(tol));
}

void check_eigenpairs(const Graph& g, const MagneticLaplacianPEOptions& o, const EncodingResult& r) {
  const Eigen::MatrixXcd l = Eigen::MatrixXcd(magnetic_laplacian_matrix(g, o));
  Index m = 0;
  while (m < static_cast<Index>(r.mask.size()) && r.mask[m]) ++m;
  const Eigen::MatrixXcd v = vecs(r, m);
  for (Index j = 0; j < m; ++j) CHECK((l * v.col(j) - r.values[j] * v.col(j)).norm() <= 1e-8);
  CHECK((v.adjoint() * v - Eigen::MatrixXcd::Identity(m, m)).norm() < 1e-9);
  CHECK(r.max_residual <= 1e-8);
}

std::vector<double> sorted(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST_CASE("MagLapPE: directed cycles, reference values of pe.md", "[pe]") {
  const auto comb = LaplacianNorm::Combinatorial;
  const double s3 = std::sqrt(3.0);
  check_values(magnetic_laplacian_pe(directed_cycle(3), options(3, 0.25, false, comb)), {2 - s3, 2, 2 + s3}, 1e-12);
  check_values(magnetic_laplacian_pe(directed_cycle(3), options(3, 1.0 / 3, false, comb)), {0, 3, 3}, 1e-12);
  check_values(magnetic_laplacian_pe(directed_cycle(4), options(4, 1.0 / 16, false, comb)),
               {0.152241, 1.234633, 2.765367, 3.847759});
  const EncodingResult c6 = magnetic_laplacian_pe(directed_cycle(6), options(6, 0.25, true, comb));
  check_values(c6, {0.068148, 0.585786, 1.482362, 2.517638, 3.414214, 3.931852});
  CHECK(magnetic_potential(directed_cycle(6), options(6, 0.25, true, comb)) == Approx(1.0 / 24));
  check_values(magnetic_laplacian_pe(directed_cycle(6), options(6, 0.0, false, comb)), {0, 1, 1, 3, 3, 4}, 1e-12);
  // General closed form 4 sin^2(pi (j/n + q)); symmetric = half.
  for (Index n : {5, 8, 11})
    for (double q : {0.05, 0.2, 0.37}) {
      std::vector<double> expected;
      for (Index j = 0; j < n; ++j) expected.push_back(4 * std::pow(std::sin(kPi * (double(j) / n + q)), 2));
      const auto o = options(n, q, false, comb);
      const EncodingResult r = magnetic_laplacian_pe(directed_cycle(n), o);
      check_values(r, sorted(expected), 1e-12);
      check_eigenpairs(directed_cycle(n), o, r);
      std::vector<double> half;
      for (double x : sorted(expected)) half.push_back(x / 2);
      check_values(magnetic_laplacian_pe(directed_cycle(n), options(n, q, false, LaplacianNorm::Symmetric)), half, 1e-12);
    }
}

TEST_CASE("MagLapPE: directed path spectrum and first-eigenvector ratio", "[pe]") {
  const Index n = 6;
  for (double q : {0.0, 0.1, 0.25, 0.4}) {
    const auto oc = options(n, q, false, LaplacianNorm::Combinatorial);
    const EncodingResult c = magnetic_laplacian_pe(directed_path(n), oc);
    const EncodingResult s = magnetic_laplacian_pe(directed_path(n), options(n, q, false, LaplacianNorm::Symmetric));
    for (Index j = 0; j < n; ++j) {
      CHECK(c.values[j] == Approx(2 - 2 * std::cos(kPi * j / n)).margin(1e-12));
      CHECK(s.values[j] == Approx(1 - std::cos(kPi * j / (n - 1))).margin(1e-12));
    }
    const Eigen::VectorXcd v = vec(c, 0);
    for (Index u = 0; u + 1 < n; ++u) {
      const Complex ratio = v[u + 1] / v[u];
      CHECK(std::abs(ratio - std::polar(1.0, -2 * kPi * q)) < 1e-10);
    }
    check_eigenpairs(directed_path(n), oc, c);
  }
}

TEST_CASE("MagLapPE: diamond DAG has spectrum {0, 2, 2, 4} for every q", "[pe]") {
  const Graph diamond = make_graph(4, {{0, 1}, {0, 2}, {1, 3}, {2, 3}});
  for (double q : {0.0, 0.1, 0.25, 0.5, 0.9}) {
    const auto o = options(4, q, false, LaplacianNorm::Combinatorial);
    const EncodingResult r = magnetic_laplacian_pe(diamond, o);
    check_values(r, {0, 2, 2, 4}, 1e-12);
    check_eigenpairs(diamond, o, r);
  }
}

TEST_CASE("MagLapPE: path with a self-loop, q = 1/4, combinatorial matrix", "[pe]") {
  const Graph g = make_graph(3, {{0, 1}, {1, 2}, {0, 0}});
  const Eigen::MatrixXcd l = Eigen::MatrixXcd(magnetic_laplacian_matrix(g, options(3, 0.25, false, LaplacianNorm::Combinatorial)));
  const Complex i(0, 1);
  Eigen::MatrixXcd expected(3, 3);
  expected << 1.0, -i, 0.0, i, 2.0, -i, 0.0, i, 1.0;
  CHECK((l - expected).norm() < 1e-15);
  const Eigen::MatrixXcd s = Eigen::MatrixXcd(magnetic_laplacian_matrix(g, options(3, 0.25, false, LaplacianNorm::Symmetric)));
  CHECK(std::abs(s(0, 0) - 0.5) < 1e-15);  // 1 - 1/d_0, d_0 = 2
  CHECK(std::abs(s(0, 1) - (-i / 2.0)) < 1e-15);
  CHECK(std::abs(s(2, 1) - i / std::sqrt(2.0)) < 1e-15);  // -e^{-i pi/2} / sqrt(d_2 d_1), d_2 = 1
}

TEST_CASE("MagLapPE: reversal and q -> 1 - q conjugate, q -> q + 1 is identical", "[pe]") {
  const Graph g = random_digraph(40, 3, 11);
  const auto o = options(8, 0.1, false, LaplacianNorm::Symmetric);
  const EncodingResult base = magnetic_laplacian_pe(g, o);
  const EncodingResult rev = magnetic_laplacian_pe(reversed(g), o);
  const EncodingResult mirrored = magnetic_laplacian_pe(g, options(8, 0.9, false, LaplacianNorm::Symmetric));
  const EncodingResult shifted = magnetic_laplacian_pe(g, options(8, 1.1, false, LaplacianNorm::Symmetric));
  CHECK(Eigen::MatrixXcd(magnetic_laplacian_matrix(reversed(g), o)).isApprox(Eigen::MatrixXcd(magnetic_laplacian_matrix(g, o)).conjugate()));
  for (const EncodingResult* other : {&rev, &mirrored}) {
    CHECK((other->values - base.values).cwiseAbs().maxCoeff() < 1e-12);
    // The phase rule is conjugation-equivariant: Re equal, Im negated (distinct eigenvalues).
    for (Index j = 0; j < 8; ++j)
      CHECK((vec(*other, j) - vec(base, j).conjugate()).norm() < 1e-8);
  }
  CHECK((shifted.values - base.values).cwiseAbs().maxCoeff() < 1e-12);
  CHECK((shifted.node - base.node).cwiseAbs().maxCoeff() < 1e-8);
}

TEST_CASE("MagLapPE: graphs with only two-way edges do not depend on q", "[pe]") {
  const Graph undirected = to_undirected(random_digraph(30, 3, 5));
  const Graph bidirected = make_graph(4, {{0, 1}, {1, 0}, {1, 2}, {2, 1}, {2, 3}, {3, 2}, {3, 0}, {0, 3}});
  for (const Graph* g : {&undirected, &bidirected}) {
    const EncodingResult a = magnetic_laplacian_pe(*g, options(4, 0.0, false, LaplacianNorm::Symmetric));
    for (double q : {0.1, 0.3}) {
      const EncodingResult b = magnetic_laplacian_pe(*g, options(4, q, false, LaplacianNorm::Symmetric));
      CHECK(a.values == b.values);
      CHECK(a.node == b.node);
    }
  }
  CHECK(magnetic_potential(bidirected, options(4, 0.25, true, LaplacianNorm::Symmetric)) == 0.25);
}

TEST_CASE("MagLapPE: q = 0 is the real Laplacian of A OR A^T", "[pe]") {
  const Graph g = random_digraph(50, 4, 9);
  const EncodingResult mag = magnetic_laplacian_pe(g, options(10, 0.0, false, LaplacianNorm::Symmetric));
  const EncodingResult lap = laplacian_pe(g, {10, LaplacianNorm::Symmetric, false, SolverChoice::Auto});
  CHECK((mag.values - lap.values).cwiseAbs().maxCoeff() < 1e-12);
  for (Index j = 0; j < 10; ++j) CHECK(mag.node.col(2 * j + 1).isZero(0));  // imaginary parts exactly 0
}

TEST_CASE("MagLapPE: relative potential uses m_dir one-way pairs", "[pe]") {
  // 0->1 and 1->0 two-way; 1->2, 2->3, 3->1 one-way; multi-edge 1->2 twice: m_dir = 3.
  const Graph g = make_graph(5, {{0, 1}, {1, 0}, {1, 2}, {1, 2}, {2, 3}, {3, 1}});
  CHECK(magnetic_potential(g, options(4, 0.3, true, LaplacianNorm::Symmetric)) == Approx(0.1));
  CHECK(magnetic_potential(g, options(4, 0.3, false, LaplacianNorm::Symmetric)) == 0.3);
  // min(m_dir, n): a 3-node graph with 3 one-way pairs and n = 3.
  CHECK(magnetic_potential(directed_cycle(3), options(3, 0.3, true, LaplacianNorm::Symmetric)) == Approx(0.1));
}

TEST_CASE("MagLapPE: weights extension reduces to the original with unit weights", "[pe]") {
  GraphBuilder unit(4, true), doubled(4, true);
  for (auto [u, v] : std::vector<std::pair<Index, Index>>{{0, 1}, {1, 2}, {2, 3}, {3, 0}, {0, 2}}) {
    unit.add_edge(u, v, 1.0);
    doubled.add_edge(u, v, 2.0);
  }
  const Graph gu = unit.build(), gd = doubled.build();
  auto o = options(4, 0.2, false, LaplacianNorm::Combinatorial);
  const EncodingResult plain = magnetic_laplacian_pe(gu, o);
  o.weighted = true;
  const EncodingResult weighted_unit = magnetic_laplacian_pe(gu, o);
  const EncodingResult weighted_double = magnetic_laplacian_pe(gd, o);
  CHECK((plain.values - weighted_unit.values).cwiseAbs().maxCoeff() < 1e-12);
  CHECK((2 * plain.values - weighted_double.values).cwiseAbs().maxCoeff() < 1e-12);
  o.norm = LaplacianNorm::Symmetric;  // scale-free: sym ignores a common factor
  CHECK((magnetic_laplacian_pe(gd, o).values - magnetic_laplacian_pe(gu, o).values).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("MagLapPE: padding, mask, tiny and empty graphs, rw rejected", "[pe]") {
  const EncodingResult r = magnetic_laplacian_pe(directed_path(3), options(5, 0.25, false, LaplacianNorm::Combinatorial));
  REQUIRE(r.node.cols() == 10);
  CHECK(r.node_dims == std::vector<Index>{5, 2});
  CHECK(r.mask == std::vector<bool>{true, true, true, false, false});
  CHECK(r.node.rightCols(4).isZero(0));
  CHECK(r.values.tail(2).isZero(0));
  const EncodingResult one = magnetic_laplacian_pe(make_graph(1, {{0, 0}}), options(2, 0.25, false, LaplacianNorm::Symmetric));
  CHECK(one.values[0] == Approx(0.0).margin(1e-15));  // self-loop: d = 1, L = 1 - 1
  CHECK(one.node(0, 0) == 1.0);
  const EncodingResult empty = magnetic_laplacian_pe(Graph(), options(3, 0.25, true, LaplacianNorm::Symmetric));
  CHECK(empty.node.rows() == 0);
  CHECK(empty.node.cols() == 6);
  CHECK(empty.mask == std::vector<bool>(3, false));
  CHECK_THROWS_AS(magnetic_laplacian_pe(directed_path(3), options(3, 0.25, false, LaplacianNorm::RandomWalk)), UsageError);
  CHECK_THROWS_AS(magnetic_laplacian_pe(directed_path(3), options(3, std::nan(""), false, LaplacianNorm::Symmetric)), UsageError);
}

TEST_CASE("MagLapPE: phase rule makes the largest entry real positive, deterministically", "[pe]") {
  const Graph g = random_digraph(80, 4, 21);
  const auto o = options(12, 0.25, true, LaplacianNorm::Symmetric);
  const EncodingResult a = magnetic_laplacian_pe(g, o);
  for (Index j = 0; j < 12; ++j) {
    const Eigen::VectorXcd v = vec(a, j);
    Index largest = 0;
    v.cwiseAbs().maxCoeff(&largest);
    CHECK(v[largest].imag() == 0.0);
    CHECK(v[largest].real() > 0);
  }
  const EncodingResult b = magnetic_laplacian_pe(g, o);
  CHECK(a.node == b.node);
  // Directed cycle: all |v_u| equal, so node 0 is the anchor of every vector.
  const EncodingResult c = magnetic_laplacian_pe(directed_cycle(7), options(7, 0.1, false, LaplacianNorm::Symmetric));
  for (Index j = 0; j < 7; ++j) {
    CHECK(c.node(0, 2 * j) == Approx(1 / std::sqrt(7.0)));
    CHECK(c.node(0, 2 * j + 1) == 0.0);
  }
}

TEST_CASE("MagLapPE: dense and Lanczos agree on directed graphs and C. elegans", "[pe]") {
  std::vector<Graph> graphs;
  graphs.push_back(random_digraph(300, 6, 31));
  graphs.push_back(random_digraph(600, 6, 32));
  {
    // Disconnected: two random directed parts.
    GraphBuilder b(700, true);
    std::mt19937_64 rng(33);
    std::uniform_int_distribution<Index> left(0, 299), right(300, 699);
    for (int e = 0; e < 900; ++e) b.add_edge(left(rng), left(rng));
    for (int e = 0; e < 1200; ++e) b.add_edge(right(rng), right(rng));
    graphs.push_back(b.build());
  }
  {
    // SNAP C. elegans frontal (131 nodes, 764 directed edges), ids remapped in order of appearance.
    std::ifstream in(std::string(GRAPHTX_DATA_DIR) + "/snap/C-elegans-frontal.txt");
    REQUIRE(in);
    std::vector<std::pair<long, long>> edges;
    std::map<long, Index> ids;
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::istringstream fields(line);
      long u = 0, v = 0;
      fields >> u >> v;
      edges.emplace_back(u, v);
      ids.emplace(u, static_cast<Index>(ids.size()));
      ids.emplace(v, static_cast<Index>(ids.size()));
    }
    GraphBuilder b(static_cast<Index>(ids.size()), true);
    for (auto [u, v] : edges) b.add_edge(ids[u], ids[v]);
    graphs.push_back(b.build());
    CHECK(graphs.back().num_nodes() == 131);
    CHECK(graphs.back().num_edges() == 764);
  }
  for (const Graph& g : graphs) {
    const Index k = 16;
    auto o = options(k + 1, 0.25, true, LaplacianNorm::Symmetric, SolverChoice::Dense);
    const EncodingResult dense = magnetic_laplacian_pe(g, o);
    o.solver = SolverChoice::Sparse;
    const EncodingResult sparse = magnetic_laplacian_pe(g, o);
    CHECK(sparse.solver == EncodingResult::Solver::Sparse);
    CHECK(sparse.max_residual <= 1e-8);
    CHECK((dense.values - sparse.values).cwiseAbs().maxCoeff() < 1e-9);
    check_eigenpairs(g, o, sparse);
    Index m = k;
    while (m > 0 && dense.values[m] - dense.values[m - 1] < 1e-4) --m;
    REQUIRE(m > 0);
    const Eigen::MatrixXcd vd = vecs(dense, m), vs = vecs(sparse, m);
    CHECK((vd * vd.adjoint() - vs * vs.adjoint()).norm() < 1e-6);
  }
}

TEST_CASE("MagLapPE: gauge-trivial graphs (directed trees, balanced cycles) solve the complex problem exactly", "[pe]") {
  // Solved through the real Laplacian and rotated (L_q = G L_0 G^H); checked against the
  // complex matrix itself: residuals, eigenvalues of a dense complex solve, spectral projectors.
  std::mt19937_64 rng(41);
  std::vector<Graph> graphs;
  for (Index n : {40, 120, 400}) {  // dense real, dense real above the complex crossover, Lanczos
    GraphBuilder b(n, true);
    for (Index v = 1; v < n; ++v) {
      const Index parent = std::uniform_int_distribution<Index>(0, v - 1)(rng);
      if (rng() % 2) b.add_edge(parent, v);
      else b.add_edge(v, parent);
    }
    graphs.push_back(b.build());
  }
  // A balanced cycle (0->1->3, 0->2->3) hung off a directed path, plus a two-way edge.
  graphs.push_back(make_graph(7, {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {3, 4}, {5, 4}, {5, 6}, {6, 5}}));
  for (const Graph& g : graphs)
    for (const auto& o : {options(16, 0.25, true, LaplacianNorm::Symmetric), options(16, 0.1, false, LaplacianNorm::Combinatorial)}) {
      const EncodingResult r = magnetic_laplacian_pe(g, o);
      check_eigenpairs(g, o, r);
      Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> full(Eigen::MatrixXcd(magnetic_laplacian_matrix(g, o)));
      const Index m = std::min<Index>(16, g.num_nodes());
      CHECK((r.values.head(m) - full.eigenvalues().head(m)).cwiseAbs().maxCoeff() < 1e-9);
      Index gap = m - 1;
      while (gap > 0 && full.eigenvalues()[gap] - full.eigenvalues()[gap - 1] < 1e-4) --gap;
      REQUIRE(gap > 0);
      const Eigen::MatrixXcd vr = vecs(r, gap), vf = full.eigenvectors().leftCols(gap);
      CHECK((vr * vr.adjoint() - vf * vf.adjoint()).norm() < 1e-6);
      CHECK(vr.imag().cwiseAbs().maxCoeff() > 1e-3);  // the phases are there, not dropped
    }
}
