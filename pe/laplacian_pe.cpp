#include "pe/laplacian_pe.hpp"

#include "graph/errors.hpp"
#include "pe/spectral_graph.hpp"

#include <cmath>
#include <numeric>

namespace graphtx {

namespace {

using Triplets = std::vector<Eigen::Triplet<double, std::int64_t>>;

// Laplacian of one component (local ids) for the requested normalization; RandomWalk gives
// L_rw = I - D^-1 A (not symmetric, used for residuals only).
RealSparse component_laplacian(const SymmetrizedGraph& s, const std::vector<Index>& nodes,
                               const std::vector<Index>& local, const std::vector<double>& degree, LaplacianNorm norm) {
  Triplets t;
  for (Index i = 0; i < static_cast<Index>(nodes.size()); ++i) {
    const Index u = nodes[i];
    const double du = degree[u] > 0 ? degree[u] : 1.0;
    double diagonal = norm == LaplacianNorm::Combinatorial ? degree[u] : 1.0;
    for (Index p = s.offsets[u]; p < s.offsets[u + 1]; ++p) {
      const Index v = s.neighbours[p];
      const double dv = degree[v] > 0 ? degree[v] : 1.0;
      const double a = norm == LaplacianNorm::Combinatorial ? 1.0
                       : norm == LaplacianNorm::Symmetric   ? 1.0 / std::sqrt(du * dv)
                                                            : 1.0 / du;
      if (v == u)
        diagonal -= a;
      else
        t.emplace_back(i, local[v], -a);
    }
    t.emplace_back(i, i, diagonal);
  }
  const Index m = static_cast<Index>(nodes.size());
  RealSparse l(m, m);
  l.setFromTriplets(t.begin(), t.end());
  return l;
}

// v_rw = D^-1/2 v_sym normalized; residuals recomputed with L_rw.
void to_random_walk(RealEigenpairs& pairs, const RealSparse& l_rw, const std::vector<Index>& nodes,
                    const std::vector<double>& degree) {
  for (Index j = 0; j < pairs.vectors.cols(); ++j) {
    for (Index i = 0; i < static_cast<Index>(nodes.size()); ++i) {
      const double d = degree[nodes[i]] > 0 ? degree[nodes[i]] : 1.0;
      pairs.vectors(i, j) /= std::sqrt(d);
    }
    pairs.vectors.col(j).normalize();
  }
  const Eigen::MatrixXd residual = l_rw * pairs.vectors - pairs.vectors * pairs.values.asDiagonal();
  pairs.max_residual = residual.size() ? residual.colwise().norm().maxCoeff() : 0.0;
}

}  // namespace

LaplacianNorm parse_laplacian_norm(const std::string& name) {
  if (name == "comb") return LaplacianNorm::Combinatorial;
  if (name == "sym") return LaplacianNorm::Symmetric;
  if (name == "rw") return LaplacianNorm::RandomWalk;
  throw UsageError("unknown Laplacian normalization '" + name + "' (valid: comb, sym, rw)");
}

RealSparse laplacian_matrix(const Graph& g, LaplacianNorm norm) {
  const SymmetrizedGraph s = symmetrize(g);
  std::vector<Index> all(static_cast<size_t>(s.n));
  std::iota(all.begin(), all.end(), Index{0});
  return component_laplacian(s, all, all, s.degree(false), norm);
}

EncodingResult laplacian_pe(const Graph& g, const LaplacianPEOptions& options) {
  if (options.k < 0) throw UsageError("lap: k must be >= 0");
  const SymmetrizedGraph s = symmetrize(g);
  const std::vector<double> degree = s.degree(false);
  const auto components = connected_components(s);
  const LaplacianNorm solved = options.norm == LaplacianNorm::Combinatorial ? LaplacianNorm::Combinatorial
                                                                            : LaplacianNorm::Symmetric;
  EigensolverOptions solver;
  solver.solver = options.solver;
  std::vector<Index> local(static_cast<size_t>(s.n), -1);
  std::vector<ComponentPairs<double>> parts;
  parts.reserve(components.size());
  const Index drop = options.drop_trivial ? 1 : 0;
  for (const auto& nodes : components) {
    for (Index i = 0; i < static_cast<Index>(nodes.size()); ++i) local[nodes[i]] = i;
    const RealSparse l = component_laplacian(s, nodes, local, degree, solved);
    RealEigenpairs pairs = smallest_eigenpairs(l, options.k + drop, solver);
    if (options.norm == LaplacianNorm::RandomWalk)
      to_random_walk(pairs, component_laplacian(s, nodes, local, degree, LaplacianNorm::RandomWalk), nodes, degree);
    parts.push_back({&nodes, std::move(pairs), drop});
  }
  EncodingResult r = merge_components(s.n, options.k, parts);
  check_finite(r, "lap");
  return r;
}

}  // namespace graphtx
