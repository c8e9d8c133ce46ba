#include "pe/sparse_walk_matrix.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace graphtx {

namespace {

using Triplet = Eigen::Triplet<double, Index>;

SparseRowMatrix from_triplets(Index n, const std::vector<Triplet>& entries) {
  SparseRowMatrix m(n, n);
  m.setFromTriplets(entries.begin(), entries.end());  // sums duplicates in insertion order
  m.makeCompressed();
  return m;
}

std::vector<double> row_sums(const SparseRowMatrix& a) {
  std::vector<double> d(static_cast<size_t>(a.rows()), 0.0);
  for (Index i = 0; i < a.rows(); ++i)
    for (SparseRowMatrix::InnerIterator it(a, i); it; ++it) d[i] += it.value();
  return d;
}

Index block_count(Index n, Index block) { return (n + block - 1) / block; }

// Unit start vectors e_{j0}, ..., e_{j0+b-1} as a dense [n, b] block.
RealMatrix unit_block(Index n, Index j0, Index b) {
  RealMatrix x = RealMatrix::Zero(n, b);
  for (Index j = 0; j < b; ++j) x(j0 + j, j) = 1.0;
  return x;
}

}  // namespace

SparseRowMatrix walk_adjacency(const Graph& g, bool reverse) {
  const Index n = g.num_nodes();
  std::vector<Triplet> entries;
  entries.reserve(static_cast<size_t>(g.out_offsets().back()));
  for (Index u = 0; u < n; ++u) {
    const Neighbours nb = reverse ? g.in(u) : g.out(u);
    for (Index i = 0; i < nb.size(); ++i) entries.emplace_back(u, nb.nodes[i], g.weight(nb.edges[i]));
  }
  return from_triplets(n, entries);
}

SparseRowMatrix transition_matrix(const Graph& g, SinkRule sinks, bool reverse) {
  SparseRowMatrix a = walk_adjacency(g, reverse);
  const std::vector<double> d = row_sums(a);
  std::vector<Triplet> entries;
  entries.reserve(static_cast<size_t>(a.nonZeros() + a.rows()));
  for (Index u = 0; u < a.rows(); ++u) {
    if (d[u] > 0) {
      for (SparseRowMatrix::InnerIterator it(a, u); it; ++it) entries.emplace_back(u, it.col(), it.value() / d[u]);
    } else if (sinks == SinkRule::Absorbing) {
      entries.emplace_back(u, u, 1.0);
    }
  }
  return from_triplets(a.rows(), entries);
}

SparseRowMatrix symmetric_normalized_adjacency(const Graph& g) {
  SparseRowMatrix a = walk_adjacency(g);
  const std::vector<double> d = row_sums(a);
  std::vector<double> inv_sqrt(d.size(), 0.0);
  for (size_t u = 0; u < d.size(); ++u)
    if (d[u] > 0) inv_sqrt[u] = 1.0 / std::sqrt(d[u]);
  for (Index u = 0; u < a.rows(); ++u)
    for (SparseRowMatrix::InnerIterator it(a, u); it; ++it) it.valueRef() *= inv_sqrt[u] * inv_sqrt[it.col()];
  a.prune(0.0);
  return a;
}

void multiply_block(const SparseRowMatrix& m, const RealMatrix& x, RealMatrix& y) {
  y.resize(m.rows(), x.cols());
  const Index* outer = m.outerIndexPtr();
  const Index* inner = m.innerIndexPtr();
  const double* value = m.valuePtr();
  for (Index i = 0; i < m.rows(); ++i) {
    auto yi = y.row(i);
    yi.setZero();
    for (Index p = outer[i]; p < outer[i + 1]; ++p) yi.noalias() += value[p] * x.row(inner[p]);
  }
}

RealMatrix power_diagonals(const SparseRowMatrix& m, Index num_powers, Index block) {
  const Index n = m.rows();
  RealMatrix out = RealMatrix::Zero(n, num_powers);
  if (n == 0 || num_powers == 0) return out;
  block = std::max<Index>(1, std::min(block, n));
  tbb::parallel_for(tbb::blocked_range<Index>(0, block_count(n, block), 1), [&](const tbb::blocked_range<Index>& r) {
    RealMatrix y;
    for (Index blk = r.begin(); blk != r.end(); ++blk) {
      const Index j0 = blk * block, b = std::min(block, n - j0);
      RealMatrix x = unit_block(n, j0, b);
      for (Index t = 1; t <= num_powers; ++t) {
        multiply_block(m, x, y);
        for (Index j = 0; j < b; ++j) out(j0 + j, t - 1) = y(j0 + j, j);
        x.swap(y);
      }
    }
  });
  return out;
}

RealMatrix symmetric_power_diagonals(const SparseRowMatrix& s, Index num_powers, Index block) {
  const Index n = s.rows();
  RealMatrix out = RealMatrix::Zero(n, num_powers);
  if (n == 0 || num_powers == 0) return out;
  block = std::max<Index>(1, std::min(block, n));
  const Index* outer = s.outerIndexPtr();
  const Index* inner = s.innerIndexPtr();
  const double* value = s.valuePtr();
  tbb::parallel_for(tbb::blocked_range<Index>(0, block_count(n, block), 1), [&](const tbb::blocked_range<Index>& r) {
    for (Index blk = r.begin(); blk != r.end(); ++blk) {
      const Index j0 = blk * block, b = std::min(block, n - j0);
      RealMatrix z0 = unit_block(n, j0, b), z1(n, b);
      Eigen::RowVectorXd cross(b), square(b);
      for (Index half = 1; 2 * half - 1 <= num_powers; ++half) {
        // z1 = S z0, fused with the column products <z0, z1> and <z1, z1>, summed in row order.
        cross.setZero();
        square.setZero();
        for (Index i = 0; i < n; ++i) {
          auto zi = z1.row(i);
          zi.setZero();
          for (Index p = outer[i]; p < outer[i + 1]; ++p) zi.noalias() += value[p] * z0.row(inner[p]);
          cross += z0.row(i).cwiseProduct(zi);
          square += zi.cwiseAbs2();
        }
        for (Index j = 0; j < b; ++j) {
          out(j0 + j, 2 * half - 2) = cross(j);
          if (2 * half <= num_powers) out(j0 + j, 2 * half - 1) = square(j);
        }
        z0.swap(z1);
      }
    }
  });
  return out;
}

}  // namespace graphtx
