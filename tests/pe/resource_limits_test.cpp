// Resource limits of the encodings: an all-pairs pair encoding of a code2-sized graph (36k nodes)
// beyond EncodingLimits::max_pair_bytes is a clear UsageError naming the sizes, raised before
// anything is allocated (peak RSS unchanged), and the limit is exact and configurable; the dense
// eigensolver never takes a matrix above EigensolverOptions::dense_fallback_max rows.
#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"
#include "pe/batch_encoder.hpp"
#include "pe/eigensolver.hpp"
#include "pe/laplacian_pe.hpp"
#include "pe/sparse_pair_set.hpp"

#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <random>

using namespace graphtx;
using Catch::Contains;

namespace {

// An AST-like directed tree (parent -> child): node v > 0 hangs below a recent node, so depth
// grows slowly and fan-out varies, as in code2 graphs.
Graph ast_like_tree(Index n, unsigned seed) {
  std::mt19937 rng(seed);
  GraphBuilder b(n, true);
  for (Index v = 1; v < n; ++v) {
    std::uniform_int_distribution<Index> back(1, std::min<Index>(v, 12));
    b.add_edge(v - back(rng), v);
  }
  return b.build();
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // kilobytes on Linux
}

std::vector<EncodingResult> encode_one(const Graph& g, const std::vector<std::string>& specs,
                                       std::uint64_t max_pair_bytes = kDefaultMaxPairBytes) {
  BatchEncodeOptions options;
  options.threads = 1;
  options.limits.max_pair_bytes = max_pair_bytes;
  return encode_graphs({g}, parse_encoding_specs(specs), options).front();
}

}  // namespace

TEST_CASE("Resource limits: all-pairs encodings beyond max_pair_bytes are refused with the sizes", "[pe][limits]") {
  const Graph g = ast_like_tree(36000, 3);
  for (const char* spec : {"spd:pairs=all", "rrwp:K=4,pairs=all", "drw:K=3,pairs=all"}) {
    INFO(spec);
    const double before = peak_rss_mib();
    CHECK_THROWS_AS(encode_one(g, {spec}), UsageError);
    CHECK_THROWS_WITH(encode_one(g, {spec}), Contains("pairs=all on a graph of 36000 nodes needs about"));
    CHECK(peak_rss_mib() - before < 64.0);  // refused before allocating the pairs
  }
  // The limit is configurable: a 30-node graph fits 30^2 * (2 + 1) * 8 = 21600 bytes, not one less.
  const Graph small = ast_like_tree(30, 5);
  CHECK(encode_one(small, {"spd:pairs=all"}, 21600).front().pairs.rows() == 900);
  CHECK_THROWS_AS(encode_one(small, {"spd:pairs=all"}, 21599), UsageError);
  CHECK_THROWS_WITH(encode_one(small, {"spd:pairs=all"}, 21599),
                    Contains("needs about 21600 bytes (30^2 pairs x 1 channels), above the pair memory limit of 21599 bytes"));
}

// The dense eigensolver is O(n^2) memory and O(n^3) time: it never takes a matrix above
// EigensolverOptions::dense_fallback_max rows. With solver=auto a large matrix goes to Lanczos and a
// Lanczos failure above the limit is a NumericalError (no dense retry); an explicit solver=dense
// (or a k too large for a Krylov basis) above the limit is a UsageError naming the limit.
// (The tree eigensolver, which would take this tree first, is off: these are the general paths.)
TEST_CASE("Resource limits: no dense eigensolve above dense_fallback_max", "[pe][limits]") {
  const Graph tree = ast_like_tree(400, 7);
  const RealSparse l = laplacian_matrix(tree, LaplacianNorm::Symmetric);
  EigensolverOptions options;
  options.tree_solver = false;
  options.dense_max = 50;
  options.dense_fallback_max = 300;
  SECTION("auto above dense_max: Lanczos, no dense fallback") {
    const RealEigenpairs r = smallest_eigenpairs(l, 4, options);
    CHECK(r.used_sparse);
    CHECK_FALSE(r.dense_fallback);
  }
  SECTION("auto, Lanczos fails above the limit: NumericalError, not dense") {
    // Plain Lanczos without restarts does not converge on this tree (dense does).
    options.shift_invert = false;
    options.max_iterations = 0;
    CHECK_THROWS_AS(smallest_eigenpairs(l, 4, options), NumericalError);
    CHECK_THROWS_WITH(smallest_eigenpairs(l, 4, options), Contains("too large for the dense fallback (> 300 rows)"));
    options.dense_fallback_max = 400;  // at the limit the dense retry is allowed (and flagged)
    const RealEigenpairs r = smallest_eigenpairs(l, 4, options);
    CHECK(r.dense_fallback);
    CHECK_FALSE(r.used_sparse);
  }
  SECTION("auto with k too large for Lanczos above the limit: UsageError") {
    CHECK_THROWS_AS(smallest_eigenpairs(l, 390, options), UsageError);
    CHECK_THROWS_WITH(smallest_eigenpairs(l, 390, options), Contains("dense limit of 300 rows"));
  }
  SECTION("solver=dense above the limit: UsageError; at the limit: dense") {
    options.solver = SolverChoice::Dense;
    CHECK_THROWS_AS(smallest_eigenpairs(l, 4, options), UsageError);
    CHECK_THROWS_WITH(smallest_eigenpairs(l, 4, options),
                      Contains("400 rows exceed the dense limit of 300 rows") && Contains("solver=auto"));
    options.dense_fallback_max = 400;
    const RealEigenpairs r = smallest_eigenpairs(l, 4, options);
    CHECK_FALSE(r.used_sparse);
    CHECK_FALSE(r.dense_fallback);
    CHECK(r.values.size() == 4);
  }
}

TEST_CASE("Resource limits: lap/maglap solver=dense on a 36k-node graph is refused before allocating", "[pe][limits]") {
  const Graph g = ast_like_tree(36000, 3);  // one component: the dense matrix would be 36000^2 (10 GiB)
  for (const char* spec : {"lap:k=4,solver=dense", "maglap:k=4,solver=dense", "maglap:k=4,q=0,solver=dense"}) {
    INFO(spec);
    const double before = peak_rss_mib();
    CHECK_THROWS_AS(encode_one(g, {spec}), UsageError);
    CHECK_THROWS_WITH(encode_one(g, {spec}), Contains("36000 rows exceed the dense limit of 3000 rows"));
    CHECK(peak_rss_mib() - before < 256.0);
  }
}

TEST_CASE("Resource limits: a 36k-node code2-like AST goes through the tree and sparse paths in bounded memory", "[pe][limits]") {
  // The largest code2 graphs have ~36k nodes. Dense would need 10 GiB (real) / 20 GiB (complex).
  // Auto takes the tree eigensolver (MagLapPE through its gauge); solver=sparse forces Lanczos
  // (the tree's Laplacians factor without fill: shift-invert). Both agree on the eigenvalues.
  const Graph g = ast_like_tree(36000, 5);
  const double before = peak_rss_mib();
  const std::vector<EncodingResult> r = encode_one(g, {"lap:k=16", "maglap:k=16,q=0.1,qrel=1",
                                                       "lap_sparse=lap:k=16,solver=sparse",
                                                       "maglap_sparse=maglap:k=16,q=0.1,qrel=1,solver=sparse"});
  REQUIRE(r.size() == 4);
  for (size_t i = 0; i < r.size(); ++i) {
    const EncodingResult& e = r[i];
    CHECK(e.solver == (i < 2 ? EncodingResult::Solver::Tree : EncodingResult::Solver::Sparse));
    CHECK_FALSE(e.dense_fallback);
    CHECK(e.max_residual <= 1e-8);
    CHECK(e.node.rows() == 36000);
    CHECK(e.values.size() == 16);
    CHECK(e.node.allFinite());
  }
  CHECK((r[0].values - r[2].values).cwiseAbs().maxCoeff() < 1e-9);
  CHECK((r[1].values - r[3].values).cwiseAbs().maxCoeff() < 1e-9);
  CHECK(r[0].values[0] >= -1e-10);                 // smallest nontrivial eigenvalues of a PSD matrix
  CHECK(r[0].values[0] <= r[0].values[15]);        // ascending
  CHECK(peak_rss_mib() - before < 512.0);          // the dense path would need > 10 GiB
}
