// Dense eigensolver (LAPACK dsyevr / zheevr above 64 rows, Eigen's full solver below): the m
// smallest eigenpairs against a full Eigen decomposition on both sides of the switch, a closed
// form with a 98-fold eigenvalue (star), orthonormality, and bitwise repeatability.
#include "pe/dense_eigensolver.hpp"

#include <catch2/catch.hpp>

#include <Eigen/Dense>

#include <random>
#include <vector>

using namespace graphtx;

namespace {

using Complex = std::complex<double>;

// Random connected Hermitian PSD matrix D - W (complex phases on W when Scalar is complex).
template <class Scalar>
Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t> random_laplacian(Index n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<Index> node(0, n - 1);
  std::uniform_real_distribution<double> unit(0.1, 1.0);
  std::vector<Eigen::Triplet<Scalar, std::int64_t>> t;
  std::vector<double> degree(static_cast<size_t>(n), 0.0);
  for (Index e = 0; e < 3 * n; ++e) {
    const Index u = e < n - 1 ? e : node(rng), v = e < n - 1 ? e + 1 : node(rng);  // a path keeps it connected
    if (u == v) continue;
    const double w = unit(rng);
    Scalar a = w, a_conj = w;
    if constexpr (!std::is_same_v<Scalar, double>) {
      a = std::polar(w, 6.0 * unit(rng));
      a_conj = std::conj(a);
    }
    t.emplace_back(u, v, -a);
    t.emplace_back(v, u, -a_conj);
    degree[u] += w;
    degree[v] += w;
  }
  for (Index u = 0; u < n; ++u) t.emplace_back(u, u, Scalar(degree[u]));
  Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t> h(n, n);
  h.setFromTriplets(t.begin(), t.end());
  return h;
}

template <class Scalar>
void check_against_full(Index n, Index m, unsigned seed) {
  using Dense = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  const auto h = random_laplacian<Scalar>(n, seed);
  Eigenpairs<Scalar> got;
  dense_smallest_eigenpairs(h, m, got);
  Eigen::SelfAdjointEigenSolver<Dense> full{Dense(h)};
  REQUIRE(got.values.size() == m);
  REQUIRE(got.vectors.rows() == n);
  REQUIRE(got.vectors.cols() == m);
  CHECK((got.values - full.eigenvalues().head(m)).cwiseAbs().maxCoeff() < 1e-10);
  CHECK((got.vectors.adjoint() * got.vectors - Dense::Identity(m, m)).cwiseAbs().maxCoeff() < 1e-10);
  const Dense hv = h * got.vectors;
  for (Index j = 0; j < m; ++j) CHECK((hv.col(j) - got.values[j] * got.vectors.col(j)).norm() < 1e-9);
  // The spectrum of these matrices is simple: projectors of each pair agree.
  for (Index j = 0; j < m; ++j) {
    const Dense p = got.vectors.col(j) * got.vectors.col(j).adjoint();
    const Dense q = full.eigenvectors().col(j) * full.eigenvectors().col(j).adjoint();
    CHECK((p - q).cwiseAbs().maxCoeff() < 1e-8);
  }
  Eigenpairs<Scalar> again;
  dense_smallest_eigenpairs(h, m, again);
  CHECK(again.values == got.values);
  CHECK(again.vectors == got.vectors);
}

}  // namespace

TEST_CASE("Dense eigensolver: k smallest pairs equal a full decomposition, real and complex", "[pe]") {
  for (Index n : {40, 65, 150, 300}) {
    INFO("n = " << n);
    check_against_full<double>(n, 17, 11);
    check_against_full<Complex>(n, 16, 12);
    check_against_full<double>(n, n, 13);  // m = n: all pairs
  }
}

TEST_CASE("Dense eigensolver: star graph, eigenvalue 1 with multiplicity 98", "[pe]") {
  // Combinatorial Laplacian of a star with 99 leaves: spectrum {0, 1 (x98), 100}.
  const Index n = 100;
  std::vector<Eigen::Triplet<double, std::int64_t>> t;
  t.emplace_back(0, 0, 99.0);
  for (Index leaf = 1; leaf < n; ++leaf) {
    t.emplace_back(0, leaf, -1.0);
    t.emplace_back(leaf, 0, -1.0);
    t.emplace_back(leaf, leaf, 1.0);
  }
  RealSparse h(n, n);
  h.setFromTriplets(t.begin(), t.end());
  RealEigenpairs got;
  dense_smallest_eigenpairs(h, 17, got);
  CHECK(got.values[0] == Approx(0.0).margin(1e-12));
  for (Index j = 1; j < 17; ++j) CHECK(got.values[j] == Approx(1.0).margin(1e-12));
  CHECK((got.vectors.transpose() * got.vectors - Eigen::MatrixXd::Identity(17, 17)).cwiseAbs().maxCoeff() < 1e-10);
  const Eigen::MatrixXd residual = h * got.vectors - got.vectors * got.values.asDiagonal();
  CHECK(residual.colwise().norm().maxCoeff() < 1e-9);
  // Eigenvalue-1 vectors of a star vanish on the centre and sum to zero over the leaves.
  for (Index j = 1; j < 17; ++j) {
    CHECK(std::abs(got.vectors(0, j)) < 1e-10);
    CHECK(std::abs(got.vectors.col(j).sum()) < 1e-10);
  }
}
