#include "pe/magnetic_laplacian_pe.hpp"

#include "graph/errors.hpp"
#include "pe/spectral_graph.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

namespace graphtx {

namespace {

using Complex = std::complex<double>;
constexpr double kTwoPi = 6.283185307179586476925286766559;

// Magnetic Laplacian of one component (local ids): comb D_s - A_s.exp(i T) or sym
// I - D_s^-1/2 A_s D_s^-1/2 .exp(i T); step = 2 pi q (0 gives the real Laplacian).
template <class Scalar>
Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t> component_laplacian(
    const SymmetrizedGraph& s, const std::vector<Index>& nodes, const std::vector<Index>& local,
    const std::vector<double>& degree, const MagneticLaplacianPEOptions& options, double step) {
  const bool comb = options.norm == LaplacianNorm::Combinatorial;
  const Complex forward = std::polar(1.0, step);
  std::vector<Eigen::Triplet<Scalar, std::int64_t>> t;
  for (Index i = 0; i < static_cast<Index>(nodes.size()); ++i) {
    const Index u = nodes[i];
    const double du = degree[u] > 0 ? degree[u] : 1.0;
    double diagonal = comb ? degree[u] : 1.0;
    for (Index p = s.offsets[u]; p < s.offsets[u + 1]; ++p) {
      const Index v = s.neighbours[p];
      const double dv = degree[v] > 0 ? degree[v] : 1.0;
      const double a = (options.weighted ? s.weight[p] : 1.0) * (comb ? 1.0 : 1.0 / std::sqrt(du * dv));
      if (v == u) {
        diagonal -= a;
      } else if constexpr (std::is_same_v<Scalar, double>) {
        t.emplace_back(i, local[v], -a);
      } else {
        const Complex phase = s.direction[p] == 0 ? Complex(1.0) : s.direction[p] > 0 ? forward : std::conj(forward);
        t.emplace_back(i, local[v], -a * phase);
      }
    }
    t.emplace_back(i, i, Scalar(diagonal));
  }
  const Index m = static_cast<Index>(nodes.size());
  Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t> l(m, m);
  l.setFromTriplets(t.begin(), t.end());
  return l;
}

// Gauge potentials: integers c (local ids) with c_v = c_u - d_uv on every pair of the component,
// d_uv = +1 for u->v only, -1 for v->u only, 0 both ways. They exist iff every cycle of A_s has
// as many one-way pairs along it as against it (always on forests: code2 ASTs, directed trees).
// Then L_q = G L_0 G^H with G = diag(exp(i step c)): same spectrum as the real Laplacian, vectors
// G x. Breadth-first from the component's first node, O(n_c + m_c).
std::optional<std::vector<Index>> gauge_potentials(const SymmetrizedGraph& s, const std::vector<Index>& nodes,
                                                   const std::vector<Index>& local) {
  constexpr Index kUnset = std::numeric_limits<Index>::min();
  std::vector<Index> c(nodes.size(), kUnset), queue{0};
  c[0] = 0;
  for (size_t head = 0; head < queue.size(); ++head) {
    const Index i = queue[head], u = nodes[i];
    for (Index p = s.offsets[u]; p < s.offsets[u + 1]; ++p) {
      const Index j = local[s.neighbours[p]];
      const Index expected = c[i] - s.direction[p];
      if (c[j] == kUnset) {
        c[j] = expected;
        queue.push_back(j);
      } else if (c[j] != expected) {
        return std::nullopt;
      }
    }
  }
  return c;
}

// The real eigenpairs x of L_0 rotated to those of L_q: v[i] = exp(i step c_i) x[i]. The angle is
// formed in long double (c step exact to ~1e-13 rad for |c| < 2^20) and reduced before polar().
ComplexEigenpairs gauge_rotated(RealEigenpairs real, const std::vector<Index>& c, double step) {
  ComplexEigenpairs out;
  out.vectors.resize(real.vectors.rows(), real.vectors.cols());
  const long double period = 2 * 3.141592653589793238462643383279502884L;
  for (Index i = 0; i < real.vectors.rows(); ++i) {
    const long double angle = std::fmod(static_cast<long double>(c[static_cast<size_t>(i)]) * step, period);
    out.vectors.row(i) = real.vectors.row(i).cast<Complex>() * std::polar(1.0, static_cast<double>(angle));
  }
  out.values = std::move(real.values);
  out.max_residual = real.max_residual;
  out.used_sparse = real.used_sparse;
  out.used_shift_invert = real.used_shift_invert;
  out.used_tree = real.used_tree;
  out.dense_fallback = real.dense_fallback;
  return out;
}

double potential(const SymmetrizedGraph& s, const MagneticLaplacianPEOptions& options) {
  if (!std::isfinite(options.q)) throw UsageError("maglap: q must be finite");
  if (!options.q_relative) return options.q;
  return options.q / static_cast<double>(std::max<Index>(1, std::min(s.one_way_pairs, s.n)));
}

// 2 pi q reduced to [0, 2 pi): q and q + 1 give the same matrix, an integer q has no phase.
double phase_step(double q) { return kTwoPi * (q - std::floor(q)); }

}  // namespace

double magnetic_potential(const Graph& g, const MagneticLaplacianPEOptions& options) {
  return potential(symmetrize(g), options);
}

ComplexSparse magnetic_laplacian_matrix(const Graph& g, const MagneticLaplacianPEOptions& options) {
  if (options.norm == LaplacianNorm::RandomWalk)
    throw UsageError("maglap: norm=rw is not defined for the magnetic Laplacian (valid: comb, sym)");
  const SymmetrizedGraph s = symmetrize(g);
  std::vector<Index> all(static_cast<size_t>(s.n));
  std::iota(all.begin(), all.end(), Index{0});
  return component_laplacian<Complex>(s, all, all, s.degree(options.weighted), options, phase_step(potential(s, options)));
}

EncodingResult magnetic_laplacian_pe(const Graph& g, const MagneticLaplacianPEOptions& options) {
  if (options.k < 0) throw UsageError("maglap: k must be >= 0");
  if (options.norm == LaplacianNorm::RandomWalk)
    throw UsageError("maglap: norm=rw is not defined for the magnetic Laplacian (valid: comb, sym)");
  const SymmetrizedGraph s = symmetrize(g);
  const double step = phase_step(potential(s, options));
  const std::vector<double> degree = s.degree(options.weighted);
  const auto components = connected_components(s);
  EigensolverOptions solver;
  solver.solver = options.solver;
  std::vector<Index> local(static_cast<size_t>(s.n), -1);
  std::vector<ComponentPairs<Complex>> parts;
  parts.reserve(components.size());
  for (const auto& nodes : components) {
    for (Index i = 0; i < static_cast<Index>(nodes.size()); ++i) local[nodes[i]] = i;
    // q = 0, two-way edges only, forests and balanced cycles: the real solver (see gauge_potentials).
    const auto gauge = step == 0 ? std::optional(std::vector<Index>(nodes.size(), 0)) : gauge_potentials(s, nodes, local);
    ComplexEigenpairs pairs =
        gauge ? gauge_rotated(smallest_eigenpairs(component_laplacian<double>(s, nodes, local, degree, options, 0.0),
                                                  options.k, solver),
                              *gauge, step)
              : smallest_eigenpairs(component_laplacian<Complex>(s, nodes, local, degree, options, step), options.k,
                                    solver);
    parts.push_back({&nodes, std::move(pairs), 0});
  }
  EncodingResult r = merge_components(s.n, options.k, parts);
  check_finite(r, "maglap");
  return r;
}

}  // namespace graphtx
