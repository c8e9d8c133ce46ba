#include "graph/graph_builder.hpp"

#include "graph/errors.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>

namespace graphtx {

DuplicatePolicy parse_duplicate_policy(const std::string& name) {
  if (name == "keep") return DuplicatePolicy::Keep;
  if (name == "sum") return DuplicatePolicy::SumWeights;
  if (name == "collapse") return DuplicatePolicy::Collapse;
  throw UsageError("unknown duplicate policy '" + name + "' (valid: keep, sum, collapse)");
}

GraphBuilder::GraphBuilder(Index num_nodes, bool directed) : n_(num_nodes), directed_(directed) {
  if (num_nodes < 0) throw UsageError("GraphBuilder: negative node count " + std::to_string(num_nodes));
}

Index GraphBuilder::add_nodes(Index k) {
  if (k < 0) throw UsageError("GraphBuilder::add_nodes: negative count " + std::to_string(k));
  const Index first = n_;
  n_ += k;
  return first;
}

GraphBuilder& GraphBuilder::reserve_edges(Index m) {
  src_.reserve(static_cast<size_t>(m));
  dst_.reserve(static_cast<size_t>(m));
  return *this;
}

GraphBuilder& GraphBuilder::duplicate_policy(DuplicatePolicy policy) {
  policy_ = policy;
  return *this;
}

GraphBuilder& GraphBuilder::add_edge(Index u, Index v) {
  src_.push_back(u);
  dst_.push_back(v);
  if (weighted_) weight_.push_back(1.0);
  return *this;
}

GraphBuilder& GraphBuilder::add_edge(Index u, Index v, double weight) {
  if (!weighted_) {
    weighted_ = true;
    weight_.assign(src_.size(), 1.0);
  }
  src_.push_back(u);
  dst_.push_back(v);
  weight_.push_back(weight);
  return *this;
}

GraphBuilder& GraphBuilder::node_features(Features features) {
  node_features_ = std::move(features);
  return *this;
}

GraphBuilder& GraphBuilder::edge_features(Features features) {
  edge_features_ = std::move(features);
  return *this;
}

namespace {

void check_feature_rows(const Features& f, Index rows, const char* what) {
  auto check = [&](Index have, const char* kind) {
    if (have != rows)
      throw InputError(std::string(what) + " " + kind + " features have " + std::to_string(have) +
                       " rows, expected " + std::to_string(rows));
  };
  if (f.ints.cols() > 0 || f.ints.rows() > 0) check(f.ints.rows(), "integer");
  if (f.reals.cols() > 0 || f.reals.rows() > 0) check(f.reals.rows(), "real");
  for (Index i = 0; i < f.reals.size(); ++i) {
    if (!std::isfinite(f.reals.data()[i]))
      throw InputError(std::string(what) + " real feature at row " + std::to_string(i / f.reals.cols()) +
                       ", column " + std::to_string(i % f.reals.cols()) + " is not finite");
  }
}

template <class M>
M select_rows(const M& m, const std::vector<Index>& rows) {
  if (m.rows() == 0) return m;
  M out(static_cast<Index>(rows.size()), m.cols());
  for (size_t i = 0; i < rows.size(); ++i) out.row(static_cast<Index>(i)) = m.row(rows[i]);
  return out;
}

// Fills one adjacency (offsets, neighbours, edge ids) from (owner, neighbour, edge) triples,
// sorted by owner, then neighbour, then edge id.
void fill_adjacency(Index n, std::vector<std::pair<Index, std::pair<Index, Index>>>& entries,
                    std::vector<Index>& ptr, std::vector<Index>& nbr, std::vector<Index>& eid) {
  std::sort(entries.begin(), entries.end());
  ptr.assign(static_cast<size_t>(n) + 1, 0);
  nbr.resize(entries.size());
  eid.resize(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    ++ptr[static_cast<size_t>(entries[i].first) + 1];
    nbr[i] = entries[i].second.first;
    eid[i] = entries[i].second.second;
  }
  std::partial_sum(ptr.begin(), ptr.end(), ptr.begin());
}

}  // namespace

Graph GraphBuilder::build() {
  const Index m = static_cast<Index>(src_.size());
  for (Index e = 0; e < m; ++e) {
    const Index u = src_[e], v = dst_[e];
    if (u < 0 || v < 0 || u >= n_ || v >= n_) {
      const Index bad = (u < 0 || u >= n_) ? u : v;
      throw InputError("edge " + std::to_string(e) + " (" + std::to_string(u) + " -> " + std::to_string(v) +
                       "): node id " + std::to_string(bad) + " is out of range [0, " + std::to_string(n_) + ")");
    }
    if (weighted_) {
      const double w = weight_[e];
      if (!std::isfinite(w)) throw InputError("edge " + std::to_string(e) + " has a non-finite weight");
      if (w < 0) throw InputError("edge " + std::to_string(e) + " has a negative weight " + std::to_string(w));
    }
  }
  check_feature_rows(node_features_, n_, "node");
  check_feature_rows(edge_features_, m, "edge");

  // Duplicate policy: keep the first occurrence of every endpoint pair, in the given order.
  std::vector<Index> keep(static_cast<size_t>(m));
  std::iota(keep.begin(), keep.end(), Index{0});
  std::vector<double> merged_weight = weight_;
  if (policy_ != DuplicatePolicy::Keep && m > 0) {
    auto key = [&](Index e) {
      Index a = src_[e], b = dst_[e];
      if (!directed_ && a > b) std::swap(a, b);
      return std::make_pair(a, b);
    };
    std::vector<Index> order = keep;
    std::stable_sort(order.begin(), order.end(), [&](Index x, Index y) { return key(x) < key(y); });
    std::vector<char> survives(static_cast<size_t>(m), 0);
    for (size_t i = 0; i < order.size();) {
      size_t j = i;
      const Index first = order[i];
      survives[first] = 1;
      double sum = 0;
      while (j < order.size() && key(order[j]) == key(first)) {
        if (weighted_) sum += weight_[order[j]];
        ++j;
      }
      if (weighted_ && policy_ == DuplicatePolicy::SumWeights) merged_weight[first] = sum;
      i = j;
    }
    keep.clear();
    for (Index e = 0; e < m; ++e)
      if (survives[e]) keep.push_back(e);
  }

  Graph g;
  g.n_ = n_;
  g.directed_ = directed_;
  g.src_.reserve(keep.size());
  g.dst_.reserve(keep.size());
  for (Index e : keep) {
    g.src_.push_back(src_[e]);
    g.dst_.push_back(dst_[e]);
    if (weighted_) g.weight_.push_back(merged_weight[e]);
  }
  g.node_features_ = std::move(node_features_);
  g.edge_features_.ints = select_rows(edge_features_.ints, keep);
  g.edge_features_.reals = select_rows(edge_features_.reals, keep);

  const Index mk = g.num_edges();
  std::vector<std::pair<Index, std::pair<Index, Index>>> out, in;
  out.reserve(static_cast<size_t>(directed_ ? mk : 2 * mk));
  for (Index e = 0; e < mk; ++e) {
    const Index u = g.src_[e], v = g.dst_[e];
    out.push_back({u, {v, e}});
    if (directed_) in.push_back({v, {u, e}});
    else if (u != v) out.push_back({v, {u, e}});
  }
  fill_adjacency(n_, out, g.out_ptr_, g.out_nbr_, g.out_eid_);
  if (directed_) {
    fill_adjacency(n_, in, g.in_ptr_, g.in_nbr_, g.in_eid_);
  } else {
    g.in_ptr_ = g.out_ptr_;
    g.in_nbr_ = g.out_nbr_;
    g.in_eid_ = g.out_eid_;
  }

  *this = GraphBuilder(0, directed_);
  return g;
}

}  // namespace graphtx
