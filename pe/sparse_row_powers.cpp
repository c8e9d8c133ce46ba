#include "pe/sparse_row_powers.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

namespace graphtx {

SparseRowPowers::SparseRowPowers(const SparseRowMatrix& m)
    : m_(&m),
      value_(static_cast<size_t>(m.rows()), 0.0),
      next_value_(static_cast<size_t>(m.rows()), 0.0),
      in_next_(static_cast<size_t>(m.rows()), 0) {}

void SparseRowPowers::clear() {
  for (Index v : support_) value_[v] = 0.0;
  support_.clear();
}

void SparseRowPowers::start(Index u) {
  clear();
  value_[u] = 1.0;
  support_.push_back(u);
}

void SparseRowPowers::step() {
  const Index* outer = m_->outerIndexPtr();
  const Index* inner = m_->innerIndexPtr();
  const double* value = m_->valuePtr();
  next_support_.clear();
  for (Index w : support_) {
    const double c = value_[w];
    if (c == 0.0) continue;
    for (Index p = outer[w]; p < outer[w + 1]; ++p) {
      const Index v = inner[p];
      if (!in_next_[v]) {
        in_next_[v] = 1;
        next_support_.push_back(v);
      }
      next_value_[v] += c * value[p];
    }
  }
  clear();
  value_.swap(next_value_);
  support_.swap(next_support_);
  for (Index v : support_) in_next_[v] = 0;
}

void powers_on_pairs(const SparseRowMatrix& m, Index first_power, Index last_power, const PairSet& set,
                     RealMatrix& values, Index first_column) {
  const Index n = m.rows();
  tbb::enumerable_thread_specific<SparseRowPowers> workspaces([&m] { return SparseRowPowers(m); });
  tbb::parallel_for(tbb::blocked_range<Index>(0, n, 16), [&](const tbb::blocked_range<Index>& r) {
    SparseRowPowers& row = workspaces.local();
    for (Index u = r.begin(); u != r.end(); ++u) {
      const Index begin = set.offsets[u], end = set.offsets[u + 1];
      if (begin == end) continue;
      row.start(u);
      for (Index t = 0; t <= last_power; ++t) {
        if (t > 0) row.step();
        if (t < first_power) continue;
        for (Index i = begin; i < end; ++i) values(i, first_column + t - first_power) = row[set.pairs(i, 1)];
      }
    }
  });
}

}  // namespace graphtx
