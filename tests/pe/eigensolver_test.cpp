// Eigensolver: dense vs Lanczos on real symmetric and complex Hermitian sparse matrices
// (eigenvalues, projectors, residuals, orthonormality), closed forms through the complex solver,
// repeated eigenvalues, tiny and empty inputs, and the option parser.
#include "graph/errors.hpp"
#include "pe/eigensolver.hpp"
#include "tests/pe/dense_sparse_agreement.hpp"

#include <catch2/catch.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <random>
#include <vector>

using namespace graphtx;

namespace {

using Complex = std::complex<double>;
const double kPi = std::acos(-1.0);

// Random sparse Laplacian-like PSD matrix: D - W with random weights, `per_row` entries per row.
template <class Scalar>
Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t> random_psd(Index n, Index per_row, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<Index> node(0, n - 1);
  std::uniform_real_distribution<double> unit(0.1, 1.0);
  std::vector<Eigen::Triplet<Scalar, std::int64_t>> t;
  std::vector<double> degree(static_cast<size_t>(n), 0.0);
  for (Index u = 0; u < n; ++u)
    for (Index e = 0; e < per_row / 2; ++e) {
      const Index v = node(rng);
      if (v == u) continue;
      const double w = unit(rng);
      Scalar a = w, a_conj = w;
      if constexpr (!std::is_same_v<Scalar, double>) {
        a = std::polar(w, 2 * kPi * unit(rng));
        a_conj = std::conj(a);
      }
      t.emplace_back(u, v, -a);
      t.emplace_back(v, u, -a_conj);
      degree[u] += w;
      degree[v] += w;
    }
  for (Index u = 0; u < n; ++u) t.emplace_back(u, u, Scalar(degree[u] + 0.01 * (u % 7)));
  Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t> h(n, n);
  h.setFromTriplets(t.begin(), t.end());
  return h;
}

template <class Scalar>
void check_agreement(const Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>& h, Index k) {
  EigensolverOptions sparse_options;
  sparse_options.solver = SolverChoice::Sparse;
  graphtx::test::check_dense_sparse_agreement(h, k, sparse_options, 1e-4);
}

}  // namespace

TEST_CASE("Eigensolver: dense and Lanczos agree on real symmetric matrices", "[pe]") {
  check_agreement(random_psd<double>(250, 6, 1), 16);
  check_agreement(random_psd<double>(1000, 6, 2), 16);
  check_agreement(random_psd<double>(500, 4, 3), 4);
}

TEST_CASE("Eigensolver: dense and complex Lanczos agree on Hermitian matrices", "[pe]") {
  check_agreement(random_psd<Complex>(200, 6, 4), 16);
  check_agreement(random_psd<Complex>(600, 6, 5), 15);
}

TEST_CASE("Eigensolver: directed cycle closed form through complex Lanczos", "[pe]") {
  // Magnetic Laplacian of the directed cycle C_n: eigenvalues 4 sin^2(pi (j/n + q)).
  const Index n = 600;
  const double q = 0.3 / n;
  std::vector<Eigen::Triplet<Complex, std::int64_t>> t;
  for (Index u = 0; u < n; ++u) {
    t.emplace_back(u, u, 2.0);
    t.emplace_back(u, (u + 1) % n, -std::polar(1.0, 2 * kPi * q));
    t.emplace_back((u + 1) % n, u, -std::polar(1.0, -2 * kPi * q));
  }
  ComplexSparse h(n, n);
  h.setFromTriplets(t.begin(), t.end());
  std::vector<double> expected;
  for (Index j = 0; j < n; ++j) expected.push_back(4 * std::pow(std::sin(kPi * (double(j) / n + q)), 2));
  std::sort(expected.begin(), expected.end());
  EigensolverOptions o;
  o.solver = SolverChoice::Sparse;
  const ComplexEigenpairs r = smallest_eigenpairs(h, 6, o);
  REQUIRE(r.values.size() == 6);
  CHECK(r.used_sparse);
  for (Index j = 0; j < 6; ++j) CHECK(r.values[j] == Approx(expected[j]).margin(1e-10));
  CHECK(r.max_residual <= 1e-8);
}

TEST_CASE("Eigensolver: tiny, empty and invalid inputs", "[pe]") {
  RealSparse empty(0, 0);
  const RealEigenpairs none = smallest_eigenpairs(empty, 4);
  CHECK(none.values.size() == 0);
  CHECK(none.vectors.rows() == 0);
  RealSparse one(1, 1);
  one.insert(0, 0) = 2.5;
  EigensolverOptions sparse;
  sparse.solver = SolverChoice::Sparse;  // too small for Lanczos: dense
  const RealEigenpairs r = smallest_eigenpairs(one, 3, sparse);
  REQUIRE(r.values.size() == 1);
  CHECK(r.values[0] == 2.5);
  CHECK_FALSE(r.used_sparse);
  CHECK_THROWS_AS(smallest_eigenpairs(one, -1), UsageError);
  CHECK_THROWS_AS(smallest_eigenpairs(RealSparse(2, 3), 1), UsageError);
  CHECK(parse_solver_choice("sparse") == SolverChoice::Sparse);
  CHECK(parse_solver_choice("auto") == SolverChoice::Auto);
  CHECK_THROWS_AS(parse_solver_choice("lanczos"), UsageError);
}
