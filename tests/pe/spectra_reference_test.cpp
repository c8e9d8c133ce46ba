// Spectra as an independent reference for the sparse path. The library's Lanczos replaced
// Spectra (1.0.1 has no complex Hermitian solver, and the real 2n embedding of docs/pe.md doubles
// every eigenvalue, so it needs 2k pairs of a 2n matrix); these tests run Spectra's shift-invert
// solver on the same matrices — the complex ones through that embedding [[A, -B], [B, A]] for
// H = A + iB — and check the eigenvalues (each doubled in the embedding) against ours.
#include "graph/graph_builder.hpp"
#include "pe/eigensolver.hpp"
#include "pe/laplacian_pe.hpp"
#include "pe/magnetic_laplacian_pe.hpp"

#include <Spectra/MatOp/SparseSymShiftSolve.h>
#include <Spectra/SymEigsShiftSolver.h>
#include <catch2/catch.hpp>

#include <Eigen/SparseCore>

#include <algorithm>
#include <random>
#include <vector>

using namespace graphtx;

namespace {

Graph random_graph(Index n, Index edges, bool directed, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<Index> node(0, n - 1);
  GraphBuilder b(n, directed);
  for (Index u = 1; u < n; ++u) b.add_edge(node(rng) % u, u);  // connected: a random tree first
  for (Index e = n - 1; e < edges; ++e) b.add_edge(node(rng), node(rng));
  return b.build();
}

// The nev eigenvalues of the symmetric h nearest sigma (below its spectrum: the smallest), ascending.
Eigen::VectorXd spectra_smallest(const Eigen::SparseMatrix<double>& h, Index nev) {
  Spectra::SparseSymShiftSolve<double> op(h);
  Spectra::SymEigsShiftSolver<Spectra::SparseSymShiftSolve<double>> eigs(op, nev, std::min<Index>(h.rows(), 3 * nev + 10),
                                                                          -1e-2);
  eigs.init();
  eigs.compute(Spectra::SortRule::LargestMagn, 1000, 1e-12);
  REQUIRE(eigs.info() == Spectra::CompInfo::Successful);
  Eigen::VectorXd values = eigs.eigenvalues();
  std::sort(values.data(), values.data() + values.size());
  return values;
}

}  // namespace

TEST_CASE("Spectra reference: real Laplacian, Lanczos eigenvalues equal Spectra's", "[pe]") {
  const RealSparse l = laplacian_matrix(random_graph(800, 2400, false, 5), LaplacianNorm::Symmetric);
  EigensolverOptions sparse;
  sparse.solver = SolverChoice::Sparse;
  const RealEigenpairs ours = smallest_eigenpairs(l, 16, sparse);
  REQUIRE(ours.used_sparse);
  const Eigen::VectorXd reference = spectra_smallest(Eigen::SparseMatrix<double>(l), 16);
  CHECK((ours.values - reference).cwiseAbs().maxCoeff() < 1e-9);
}

TEST_CASE("Spectra reference: magnetic Laplacian through the real 2n embedding of pe.md", "[pe]") {
  MagneticLaplacianPEOptions o;  // q = 0.25 relative, symmetric normalization
  const ComplexSparse h = magnetic_laplacian_matrix(random_graph(600, 1800, true, 6), o);
  const Index n = h.rows(), k = 8;
  std::vector<Eigen::Triplet<double>> t;
  for (Index r = 0; r < n; ++r)
    for (ComplexSparse::InnerIterator it(h, r); it; ++it) {
      const Index c = it.col();
      const double a = it.value().real(), b = it.value().imag();
      t.emplace_back(r, c, a);
      t.emplace_back(r + n, c + n, a);
      if (b != 0) {
        t.emplace_back(r, c + n, -b);
        t.emplace_back(r + n, c, b);
      }
    }
  Eigen::SparseMatrix<double> embedded(2 * n, 2 * n);
  embedded.setFromTriplets(t.begin(), t.end());
  const Eigen::VectorXd reference = spectra_smallest(embedded, 2 * k);
  EigensolverOptions sparse;
  sparse.solver = SolverChoice::Sparse;
  const ComplexEigenpairs ours = smallest_eigenpairs(h, k, sparse);
  REQUIRE(ours.used_sparse);
  REQUIRE(ours.values.size() == k);
  CHECK(ours.values.maxCoeff() > ours.values.minCoeff() + 1e-3);  // a real spread, not one cluster
  for (Index j = 0; j < k; ++j) {
    CHECK(std::abs(reference[2 * j] - ours.values[j]) < 1e-9);      // every eigenvalue of H ...
    CHECK(std::abs(reference[2 * j + 1] - ours.values[j]) < 1e-9);  // ... appears twice in the embedding
  }
}
