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

namespace {

constexpr int kWidth = static_cast<int>(kPowerBlock);
using Block = Eigen::Matrix<double, Eigen::Dynamic, kWidth, Eigen::RowMajor>;
// The rows of x a product reads are scattered (random graphs have no locality): prefetching the
// row needed kPrefetchAhead entries later hides most of the memory latency (about 2x at n = 1e4).
constexpr Index kPrefetchAhead = 16;
constexpr int kLineDoubles = 8;  // one 64-byte cache line

// GCC implements target_clones with an ifunc resolver that the dynamic loader runs while
// relocating the executable, before the ThreadSanitizer runtime is initialised; under
// -fsanitize=thread the resolver is instrumented and the binary crashes at load (SIGSEGV before
// main). TSan builds therefore compile only the default version (the same source).
#if defined(__SANITIZE_THREAD__)
#define GRAPHTX_AVX2_CLONES
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GRAPHTX_AVX2_CLONES
#endif
#endif
#ifndef GRAPHTX_AVX2_CLONES
#define GRAPHTX_AVX2_CLONES __attribute__((target_clones("avx2", "default")))
#endif

// y = M x on the rows listed in `rows` (all n rows when rows == nullptr) of [n, kWidth] blocks;
// with `cross`, also accumulates per column cross += x ⊙ y and square += y ⊙ y over those rows
// in order. Each column is computed by the same scalar operations whatever the vector width of
// the clone that runs (no FMA contraction), so results are identical on one machine.
GRAPHTX_AVX2_CLONES void block_product(const SparseRowMatrix& m, const Index* rows, Index count, const double* x,
                                       double* y, double* cross, double* square) {
  const Index* outer = m.outerIndexPtr();
  const Index* inner = m.innerIndexPtr();
  const double* value = m.valuePtr();
  const Index last = m.nonZeros() - kPrefetchAhead;
  for (Index r = 0; r < count; ++r) {
    const Index i = rows == nullptr ? r : rows[r];
    double acc[kWidth] = {};
    for (Index p = outer[i]; p < outer[i + 1]; ++p) {
      if (p < last) {
        const double* ahead = x + inner[p + kPrefetchAhead] * kWidth;
        for (int line = 0; line < kWidth; line += kLineDoubles) __builtin_prefetch(ahead + line);
      }
      const double v = value[p];
      const double* xr = x + inner[p] * kWidth;
      for (int j = 0; j < kWidth; ++j) acc[j] += v * xr[j];
    }
    double* yr = y + i * kWidth;
    for (int j = 0; j < kWidth; ++j) yr[j] = acc[j];
    if (cross != nullptr) {
      const double* xi = x + i * kWidth;
      for (int j = 0; j < kWidth; ++j) cross[j] += xi[j] * acc[j];
      for (int j = 0; j < kWidth; ++j) square[j] += acc[j] * acc[j];
    }
  }
}

// The rows that can be nonzero after each product, starting from the block's unit vectors:
// W_0 = starts, W_s = W_(s-1) ∪ {i : M[i,k] != 0, k ∈ W_(s-1)}, kept sorted. Early products of
// a walk only touch a neighbourhood of the starts; once W_s covers three quarters of the graph the
// products run over all rows. Skipped rows hold exact zeros, so sums are unchanged.
class ActiveRows {
 public:
  ActiveRows(const SparseRowMatrix& pattern_transpose, Index j0, Index b)
      : reach_(pattern_transpose), marked_(static_cast<size_t>(pattern_transpose.rows()), 0) {
    for (Index j = j0; j < j0 + b; ++j) add(j);
    frontier_ = rows_;
  }

  // Advances W_(s-1) to W_s.
  void expand() {
    if (full()) return;
    std::vector<Index> added;
    for (Index k : frontier_)
      for (SparseRowMatrix::InnerIterator it(reach_, k); it; ++it)
        if (!marked_[it.col()]) {
          marked_[it.col()] = 1;
          added.push_back(it.col());
        }
    std::sort(added.begin(), added.end());
    std::vector<Index> merged(rows_.size() + added.size());
    std::merge(rows_.begin(), rows_.end(), added.begin(), added.end(), merged.begin());
    rows_.swap(merged);
    frontier_.swap(added);
    if (4 * static_cast<Index>(rows_.size()) > 3 * reach_.rows()) full_ = true;
  }

  bool full() const { return full_; }
  const Index* rows() const { return full_ ? nullptr : rows_.data(); }
  Index count() const { return full_ ? reach_.rows() : static_cast<Index>(rows_.size()); }

 private:
  void add(Index i) {
    marked_[i] = 1;
    rows_.push_back(i);
  }

  const SparseRowMatrix& reach_;
  std::vector<char> marked_;
  std::vector<Index> rows_, frontier_;
  bool full_ = false;
};

// Unit start vectors e_{j0}, ..., e_{j0+b-1} in the first b columns of a zero block.
Block unit_block(Index n, Index j0, Index b) {
  Block x = Block::Zero(n, kWidth);
  for (Index j = 0; j < b; ++j) x(j0 + j, j) = 1.0;
  return x;
}

template <class Body>
void for_each_block(Index n, const Body& body) {
  const Index count = (n + kPowerBlock - 1) / kPowerBlock;
  tbb::parallel_for(tbb::blocked_range<Index>(0, count, 1), [&](const tbb::blocked_range<Index>& r) {
    for (Index blk = r.begin(); blk != r.end(); ++blk) {
      const Index j0 = blk * kPowerBlock;
      body(j0, std::min(kPowerBlock, n - j0));
    }
  });
}

// Breadth-first order of the nodes over the pattern of m (restarting at the lowest unvisited
// node): position[u] = new index of u. Consecutive start vectors then share neighbourhoods, so
// fewer rows are active early on and the rows a product reads lie closer together in memory.
std::vector<Index> breadth_first_positions(const SparseRowMatrix& m) {
  const Index n = m.rows();
  std::vector<Index> position(static_cast<size_t>(n), -1), queue;
  queue.reserve(static_cast<size_t>(n));
  for (Index root = 0; root < n; ++root) {
    if (position[root] >= 0) continue;
    position[root] = static_cast<Index>(queue.size());
    queue.push_back(root);
    for (size_t head = queue.size() - 1; head < queue.size(); ++head)
      for (SparseRowMatrix::InnerIterator it(m, queue[head]); it; ++it)
        if (position[it.col()] < 0) {
          position[it.col()] = static_cast<Index>(queue.size());
          queue.push_back(it.col());
        }
  }
  return position;
}

// P M Pᵀ for the permutation u -> position[u].
SparseRowMatrix permuted(const SparseRowMatrix& m, const std::vector<Index>& position) {
  std::vector<Eigen::Triplet<double, Index>> entries;
  entries.reserve(static_cast<size_t>(m.nonZeros()));
  for (Index u = 0; u < m.rows(); ++u)
    for (SparseRowMatrix::InnerIterator it(m, u); it; ++it) entries.emplace_back(position[u], position[it.col()], it.value());
  SparseRowMatrix out(m.rows(), m.cols());
  out.setFromTriplets(entries.begin(), entries.end());
  out.makeCompressed();
  return out;
}

// Rows of `reordered` back in the original node order.
RealMatrix original_order(const RealMatrix& reordered, const std::vector<Index>& position) {
  RealMatrix out(reordered.rows(), reordered.cols());
  for (Index u = 0; u < reordered.rows(); ++u) out.row(u) = reordered.row(position[u]);
  return out;
}

}  // namespace

RealMatrix power_diagonals(const SparseRowMatrix& original, Index num_powers) {
  const Index n = original.rows();
  RealMatrix out = RealMatrix::Zero(n, num_powers);
  if (n == 0 || num_powers == 0) return out;
  const std::vector<Index> position = breadth_first_positions(original);
  const SparseRowMatrix m = permuted(original, position);
  const SparseRowMatrix mt = m.transpose();
  for_each_block(n, [&](Index j0, Index b) {
    Block x = unit_block(n, j0, b), y = Block::Zero(n, kWidth);
    ActiveRows active(mt, j0, b);
    for (Index t = 1; t <= num_powers; ++t) {
      active.expand();
      block_product(m, active.rows(), active.count(), x.data(), y.data(), nullptr, nullptr);
      for (Index j = 0; j < b; ++j) out(j0 + j, t - 1) = y(j0 + j, j);
      x.swap(y);
    }
  });
  return original_order(out, position);
}

RealMatrix symmetric_power_diagonals(const SparseRowMatrix& original, Index num_powers) {
  const Index n = original.rows();
  RealMatrix out = RealMatrix::Zero(n, num_powers);
  if (n == 0 || num_powers == 0) return out;
  const std::vector<Index> position = breadth_first_positions(original);
  const SparseRowMatrix s = permuted(original, position);
  for_each_block(n, [&](Index j0, Index b) {
    Block z0 = unit_block(n, j0, b), z1 = Block::Zero(n, kWidth);
    ActiveRows active(s, j0, b);  // S is symmetric: its pattern is its own transpose
    for (Index half = 1; 2 * half - 1 <= num_powers; ++half) {
      double cross[kWidth] = {}, square[kWidth] = {};
      active.expand();
      block_product(s, active.rows(), active.count(), z0.data(), z1.data(), cross, square);
      for (Index j = 0; j < b; ++j) {
        out(j0 + j, 2 * half - 2) = cross[j];
        if (2 * half <= num_powers) out(j0 + j, 2 * half - 1) = square[j];
      }
      z0.swap(z1);
    }
  });
  return original_order(out, position);
}

}  // namespace graphtx
