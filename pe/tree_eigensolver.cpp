#include "pe/tree_eigensolver.hpp"

#include "pe/sparse_product.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <random>
#include <vector>

namespace graphtx {

namespace {

constexpr Index kUnvisited = -2;
constexpr Index kBatch = 8;                // shifts per inertia pass (vectorized across shifts)
// Bisection stops at intervals of kBisectionTol ||H||; each inverse iteration then shrinks the
// other eigenvectors' share by tol / gap, so a vector's residual ends near gap (tol / gap)^4 (the
// Rayleigh quotient is returned). Eigenvalues closer than kClusterGap ||H|| form a cluster whose
// vectors are orthogonalized against each other (as LAPACK's dstein).
constexpr double kBisectionTol = 1e-10;
constexpr double kClusterGap = 1e-3;
constexpr int kInverseIterations = 4;
constexpr double kEps = std::numeric_limits<double>::epsilon();

// A forest pattern with its leaves-first elimination order (every node after its children).
struct Forest {
  std::vector<Index> order;        // reversed breadth-first order of each tree
  std::vector<Index> parent;       // -1 for roots
  std::vector<double> coupling;    // (H(v, parent) + H(parent, v)) / 2; 0 for roots
  std::vector<double> coupling2;   // coupling^2
  std::vector<double> diagonal;
  double lower = 0, upper = 0;     // Gershgorin interval of the spectrum
  double scale = 0;                // max(|lower|, |upper|): ||H|| bound
};

std::optional<Forest> forest_of(const RealSparse& h) {
  const Index n = h.rows();
  const auto* outer = h.outerIndexPtr();
  const auto* inner = h.innerIndexPtr();
  const double* value = h.valuePtr();
  Forest f;
  f.parent.assign(static_cast<size_t>(n), kUnvisited);
  f.coupling.assign(static_cast<size_t>(n), 0.0);
  f.diagonal.assign(static_cast<size_t>(n), 0.0);
  f.lower = std::numeric_limits<double>::infinity();
  f.upper = -f.lower;
  std::vector<Index> bfs;
  bfs.reserve(static_cast<size_t>(n));
  for (Index root = 0; root < n; ++root) {
    if (f.parent[root] != kUnvisited) continue;
    f.parent[root] = -1;
    bfs.push_back(root);
    for (size_t head = bfs.size() - 1; head < bfs.size(); ++head) {
      const Index u = bfs[head];
      double radius = 0;
      for (auto p = outer[u]; p < outer[u + 1]; ++p) {
        const Index v = inner[p];
        if (v == u) {
          f.diagonal[u] += value[p];
          continue;
        }
        radius += std::abs(value[p]);
        if (v == f.parent[u]) {
          f.coupling[u] += 0.5 * value[p];
        } else if (f.parent[v] != kUnvisited) {
          return std::nullopt;  // v reached a second time: the pattern has a cycle
        } else {
          f.parent[v] = u;
          f.coupling[v] += 0.5 * value[p];
          bfs.push_back(v);
        }
      }
      f.lower = std::min(f.lower, f.diagonal[u] - radius);
      f.upper = std::max(f.upper, f.diagonal[u] + radius);
    }
  }
  f.order.assign(bfs.rbegin(), bfs.rend());
  f.coupling2.resize(f.coupling.size());
  for (size_t v = 0; v < f.coupling.size(); ++v) f.coupling2[v] = f.coupling[v] * f.coupling[v];
  f.scale = std::max(std::abs(f.lower), std::abs(f.upper));
  if (!std::isfinite(f.scale)) return std::nullopt;
  if (f.scale == 0) f.scale = 1;  // the zero matrix (n = 1 without a self-loop): any scale works
  return f;
}

// below[s] = the number of eigenvalues of H below x[s] for kBatch shifts at once: Sylvester's
// inertia of the leaves-first H - x I = L D L^T (negative pivots; a pivot under pivmin in
// magnitude counts as -pivmin, as in LAPACK's dstebz). pivots: scratch of n * kBatch.
void count_below(const Forest& f, const double* x, double pivmin, std::vector<double>& pivots, Index* below) {
  using Batch = Eigen::Array<double, kBatch, 1>;  // one SIMD-friendly lane per shift
  const Index n = static_cast<Index>(f.order.size());
  pivots.resize(static_cast<size_t>(n * kBatch));
  const Eigen::Map<const Batch> shifts(x);
  for (Index v = 0; v < n; ++v) {
    Eigen::Map<Batch> d(&pivots[static_cast<size_t>(v * kBatch)]);
    d = f.diagonal[v] - shifts;
  }
  Batch negative = Batch::Zero();
  for (Index v : f.order) {
    const Eigen::Map<const Batch> d(&pivots[static_cast<size_t>(v * kBatch)]);
    const Batch pivot = (d.abs() < pivmin).select(Batch::Constant(-pivmin), d);
    negative += (pivot < 0).cast<double>();
    const Index p = f.parent[v];
    if (p < 0) continue;
    Eigen::Map<Batch> parent(&pivots[static_cast<size_t>(p * kBatch)]);
    parent -= f.coupling2[v] / pivot;
  }
  for (Index s = 0; s < kBatch; ++s) below[s] = static_cast<Index>(negative[s]);
}

// The m smallest eigenvalues by bisection: each interval [a, b) holds the eigenvalues with
// indices below_a .. below_b - 1; all intervals that still hold a wanted index and are wider
// than the tolerance are halved in the same passes over the tree.
std::vector<double> bisect(const Forest& f, Index m) {
  struct Interval {
    double a, b;
    Index below_a, below_b;
  };
  const Index n = static_cast<Index>(f.order.size());
  const double tol = kBisectionTol * f.scale;
  double max_c2 = 1;
  for (double c2 : f.coupling2) max_c2 = std::max(max_c2, c2);
  const double pivmin = std::numeric_limits<double>::min() * max_c2;
  const double margin = 2 * tol + 4 * kEps * f.scale;
  std::vector<double> values(static_cast<size_t>(m), 0.0), pivots;
  std::vector<Interval> live{{f.lower - margin, f.upper + margin, 0, n}}, next;
  std::vector<double> points;
  std::vector<Index> counts;
  while (!live.empty()) {
    // Fewer intervals than lanes (the first rounds): split each at several points per pass.
    const size_t per = live.size() >= kBatch ? 1 : kBatch / live.size();
    points.clear();
    for (const Interval& i : live)
      for (size_t q = 1; q <= per; ++q) points.push_back(i.a + (i.b - i.a) * double(q) / double(per + 1));
    counts.resize(points.size());
    for (size_t first = 0; first < points.size(); first += kBatch) {
      double x[kBatch];
      Index below[kBatch];
      for (size_t s = 0; s < kBatch; ++s) x[s] = points[std::min(first + s, points.size() - 1)];
      count_below(f, x, pivmin, pivots, below);
      for (size_t s = 0; s < kBatch && first + s < points.size(); ++s) counts[first + s] = below[s];
    }
    next.clear();
    for (size_t k = 0; k < live.size(); ++k) {
      const Interval& i = live[k];
      Interval piece{i.a, i.a, i.below_a, i.below_a};
      for (size_t q = 0; q <= per; ++q) {
        piece.b = q < per ? points[k * per + q] : i.b;
        piece.below_b = q < per ? std::clamp(counts[k * per + q], piece.below_a, i.below_b) : i.below_b;
        if (piece.below_b > piece.below_a && piece.below_a < m) {
          if (piece.b - piece.a > tol) {
            next.push_back(piece);
          } else {
            for (Index j = piece.below_a; j < std::min(piece.below_b, m); ++j) values[j] = 0.5 * (piece.a + piece.b);
          }
        }
        piece.a = piece.b;
        piece.below_a = piece.below_b;
      }
    }
    live.swap(next);
  }
  return values;
}

// H - sigma I = L D L^T in leaves-first order: pivot d_v and multiplier l_v = L(parent, v).
// Pivots below pivmin in magnitude are replaced by +-pivmin (the shift sits on an eigenvalue).
void factor(const Forest& f, double sigma, double pivmin, std::vector<double>& d, std::vector<double>& l) {
  const size_t n = f.order.size();
  d.resize(n);
  l.resize(n);
  for (size_t v = 0; v < n; ++v) d[v] = f.diagonal[v] - sigma;
  for (Index v : f.order) {
    double t = d[v];
    if (std::abs(t) < pivmin) t = t < 0 ? -pivmin : pivmin;
    d[v] = t;
    l[v] = f.coupling[v] / t;
    if (f.parent[v] >= 0) d[f.parent[v]] -= f.coupling[v] * l[v];
  }
}

// y <- (L D L^T)^-1 y: forward (children before parents), diagonal, backward (parents first).
void solve(const Forest& f, const std::vector<double>& d, const std::vector<double>& l, Eigen::Ref<Eigen::VectorXd> y) {
  for (Index v : f.order)
    if (f.parent[v] >= 0) y[f.parent[v]] -= l[v] * y[v];
  for (Index v = 0; v < y.size(); ++v) y[v] /= d[v];
  for (auto it = f.order.rbegin(); it != f.order.rend(); ++it)
    if (f.parent[*it] >= 0) y[*it] -= l[*it] * y[f.parent[*it]];
}

}  // namespace

bool tree_smallest_eigenpairs(const RealSparse& h, Index m, RealEigenpairs& out) {
  if (h.rows() != h.cols() || !h.isCompressed()) return false;
  const std::optional<Forest> forest = forest_of(h);
  if (!forest) return false;
  const Forest& f = *forest;
  const Index n = h.rows();
  m = std::min(m, n);
  std::vector<double> values = bisect(f, m), d, l;
  Eigen::MatrixXd vectors(n, m);
  std::mt19937_64 rng(0x243f6a8885a308d3ULL);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  const double pivmin = kEps * f.scale;
  Index cluster = 0;  // first column of the current cluster of close eigenvalues
  for (Index j = 0; j < m; ++j) {
    if (j > 0 && values[j] - values[j - 1] > kClusterGap * f.scale) cluster = j;
    factor(f, values[j], pivmin, d, l);
    auto x = vectors.col(j);
    for (Index i = 0; i < n; ++i) x[i] = uniform(rng);
    for (int iteration = 0; iteration < kInverseIterations; ++iteration) {
      solve(f, d, l, x);
      for (int pass = 0; pass < 2 && j > cluster; ++pass) {
        const auto previous = vectors.middleCols(cluster, j - cluster);
        const Eigen::VectorXd overlap = previous.transpose() * x;
        x.noalias() -= previous * overlap;
      }
      const double norm = x.norm();
      if (!(norm > 0) || !std::isfinite(norm)) return false;
      x /= norm;
    }
  }
  Eigen::MatrixXd hv(n, m);
  sparse_product(h, vectors, hv);
  Eigen::VectorXd rayleigh(m);
  for (Index j = 0; j < m; ++j) rayleigh[j] = vectors.col(j).dot(hv.col(j));
  std::vector<Index> rank(static_cast<size_t>(m));
  std::iota(rank.begin(), rank.end(), Index{0});
  std::stable_sort(rank.begin(), rank.end(), [&](Index a, Index b) { return rayleigh[a] < rayleigh[b]; });
  out.values.resize(m);
  out.vectors.resize(n, m);
  out.max_residual = 0;
  for (Index j = 0; j < m; ++j) {
    out.values[j] = rayleigh[rank[j]];
    out.vectors.col(j) = vectors.col(rank[j]);
    out.max_residual = std::max(out.max_residual, (hv.col(rank[j]) - rayleigh[rank[j]] * vectors.col(rank[j])).norm());
  }
  if (!std::isfinite(out.max_residual)) out.max_residual = std::numeric_limits<double>::infinity();
  return true;
}

}  // namespace graphtx
