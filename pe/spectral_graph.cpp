#include "pe/spectral_graph.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>

namespace graphtx {

std::vector<double> SymmetrizedGraph::degree(bool weighted) const {
  std::vector<double> d(static_cast<size_t>(n), 0.0);
  for (Index u = 0; u < n; ++u)
    for (Index p = offsets[u]; p < offsets[u + 1]; ++p) d[u] += weighted ? weight[p] : 1.0;
  return d;
}

SymmetrizedGraph symmetrize(const Graph& g) {
  SymmetrizedGraph s;
  s.n = g.num_nodes();
  s.offsets.assign(static_cast<size_t>(s.n) + 1, 0);
  s.neighbours.reserve(static_cast<size_t>(2 * g.num_edges()));
  // Per node: (neighbour, direction bit 1 = out, 2 = in, weight), then merged per neighbour.
  std::vector<std::tuple<Index, int, double>> row;
  for (Index u = 0; u < s.n; ++u) {
    row.clear();
    const Neighbours out = g.out(u);
    for (Index i = 0; i < out.size(); ++i) row.emplace_back(out.nodes[i], g.directed() ? 1 : 3, g.weight(out.edges[i]));
    if (g.directed()) {
      const Neighbours in = g.in(u);
      for (Index i = 0; i < in.size(); ++i) row.emplace_back(in.nodes[i], 2, g.weight(in.edges[i]));
    }
    std::sort(row.begin(), row.end());
    for (size_t i = 0; i < row.size();) {
      const Index v = std::get<0>(row[i]);
      int bits = 0;
      double w = 0;
      for (; i < row.size() && std::get<0>(row[i]) == v; ++i) {
        bits |= std::get<1>(row[i]);
        w = std::max(w, std::get<2>(row[i]));
      }
      const signed char dir = (v == u || bits == 3) ? 0 : (bits == 1 ? 1 : -1);
      s.neighbours.push_back(v);
      s.direction.push_back(dir);
      s.weight.push_back(w);
      if (dir == 1) ++s.one_way_pairs;  // counted once, from the source's row
    }
    s.offsets[u + 1] = static_cast<Index>(s.neighbours.size());
  }
  return s;
}

std::vector<std::vector<Index>> connected_components(const SymmetrizedGraph& s) {
  std::vector<Index> label(static_cast<size_t>(s.n), -1);
  std::vector<std::vector<Index>> components;
  std::vector<Index> stack;
  for (Index root = 0; root < s.n; ++root) {
    if (label[root] >= 0) continue;
    const Index id = static_cast<Index>(components.size());
    components.emplace_back();
    label[root] = id;
    stack.push_back(root);
    while (!stack.empty()) {
      const Index u = stack.back();
      stack.pop_back();
      components.back().push_back(u);
      for (Index p = s.offsets[u]; p < s.offsets[u + 1]; ++p) {
        const Index v = s.neighbours[p];
        if (label[v] < 0) {
          label[v] = id;
          stack.push_back(v);
        }
      }
    }
    std::sort(components.back().begin(), components.back().end());
  }
  return components;
}

namespace {

template <class V>
Index anchor_entry(const V& v) {
  const double largest = v.cwiseAbs().maxCoeff();
  for (Index i = 0; i < v.size(); ++i)
    if (std::abs(v[i]) >= largest * (1 - 1e-6)) return i;
  return 0;
}

}  // namespace

void canonicalize(Eigen::Ref<Eigen::VectorXd> v) {
  if (v.size() == 0) return;
  if (v[anchor_entry(v)] < 0) v = -v;
}

void canonicalize(Eigen::Ref<Eigen::VectorXcd> v) {
  if (v.size() == 0) return;
  const Index anchor = anchor_entry(v);
  const std::complex<double> a = v[anchor];
  if (std::abs(a) == 0) return;
  v *= std::conj(a) / std::abs(a);
  v[anchor] = std::abs(v[anchor]);  // exactly real after the rotation
}

template <class Scalar>
EncodingResult merge_components(Index n, Index k, const std::vector<ComponentPairs<Scalar>>& parts) {
  constexpr bool complex = !std::is_same_v<Scalar, double>;
  struct Slot {
    double value;
    Index part, column;
  };
  std::vector<Slot> slots;
  EncodingResult r;
  for (Index p = 0; p < static_cast<Index>(parts.size()); ++p) {
    const auto& pairs = parts[p].pairs;
    for (Index j = parts[p].first; j < pairs.values.size(); ++j) slots.push_back({pairs.values[j], p, j});
    r.max_residual = std::max(r.max_residual, pairs.max_residual);
    if (pairs.used_sparse) r.solver = EncodingResult::Solver::Sparse;
    if (pairs.used_tree && r.solver != EncodingResult::Solver::Sparse) r.solver = EncodingResult::Solver::Tree;
    r.dense_fallback = r.dense_fallback || pairs.dense_fallback;
  }
  if (r.solver == EncodingResult::Solver::None && !parts.empty()) r.solver = EncodingResult::Solver::Dense;
  std::stable_sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) { return a.value < b.value; });
  const Index used = std::min<Index>(k, static_cast<Index>(slots.size()));
  r.node = RealMatrix::Zero(n, complex ? 2 * k : k);
  r.node_dims = complex ? std::vector<Index>{k, 2} : std::vector<Index>{k};
  r.values = Eigen::VectorXd::Zero(k);
  r.mask.assign(static_cast<size_t>(k), false);
  for (Index j = 0; j < used; ++j) {
    const Slot& s = slots[j];
    const auto& nodes = *parts[s.part].nodes;
    Eigen::Matrix<Scalar, Eigen::Dynamic, 1> v = parts[s.part].pairs.vectors.col(s.column);
    canonicalize(v);
    for (Index i = 0; i < static_cast<Index>(nodes.size()); ++i) {
      if constexpr (complex) {
        r.node(nodes[i], 2 * j) = v[i].real();
        r.node(nodes[i], 2 * j + 1) = v[i].imag();
      } else {
        r.node(nodes[i], j) = v[i];
      }
    }
    r.values[j] = s.value;
    r.mask[j] = true;
  }
  return r;
}

template EncodingResult merge_components<double>(Index, Index, const std::vector<ComponentPairs<double>>&);
template EncodingResult merge_components<std::complex<double>>(Index, Index,
                                                               const std::vector<ComponentPairs<std::complex<double>>>&);

}  // namespace graphtx
