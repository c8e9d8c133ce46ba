#include "pe/ftfi/tree_field_integrator.hpp"

#include "graph/errors.hpp"
#include "pe/ftfi/brute_force.hpp"
#include "pe/ftfi/cross_kernels.hpp"
#include "pe/ftfi/two_pass.hpp"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_invoke.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

namespace graphtx::ftfi {

namespace {

// A connected subtree with local ids 0..size-1: CSR adjacency (only used while building).
struct LocalTree {
  std::vector<Index> ptr{0}, nbr;
  std::vector<double> w;
  Index size() const { return static_cast<Index>(ptr.size()) - 1; }
};

// Distances from `source` within a local tree (explicit stack: paths may be long).
void local_distances(const LocalTree& t, Index source, double* out, std::vector<Index>& stack) {
  std::fill(out, out + t.size(), -1.0);
  out[source] = 0.0;
  stack.assign(1, source);
  while (!stack.empty()) {
    const Index v = stack.back();
    stack.pop_back();
    for (Index k = t.ptr[v]; k < t.ptr[v + 1]; ++k) {
      if (out[t.nbr[k]] < 0) {
        out[t.nbr[k]] = out[v] + t.w[k];
        stack.push_back(t.nbr[k]);
      }
    }
  }
}

// The subtree induced by `members` (local ids of `t`, listed in the new local order).
LocalTree induced(const LocalTree& t, const std::vector<Index>& members) {
  std::vector<Index> local(static_cast<size_t>(t.size()), -1);
  for (size_t i = 0; i < members.size(); ++i) local[members[i]] = static_cast<Index>(i);
  LocalTree out;
  for (Index v : members) {
    for (Index k = t.ptr[v]; k < t.ptr[v + 1]; ++k) {
      if (local[t.nbr[k]] >= 0) {
        out.nbr.push_back(local[t.nbr[k]]);
        out.w.push_back(t.w[k]);
      }
    }
    out.ptr.push_back(static_cast<Index>(out.nbr.size()));
  }
  return out;
}

// A node whose removal leaves components of at most size/2 nodes.
Index centroid(const LocalTree& t) {
  const Index n = t.size();
  std::vector<Index> order{0}, parent(static_cast<size_t>(n), -1), sub(static_cast<size_t>(n), 1);
  order.reserve(static_cast<size_t>(n));
  for (size_t h = 0; h < order.size(); ++h) {
    const Index v = order[h];
    for (Index k = t.ptr[v]; k < t.ptr[v + 1]; ++k)
      if (t.nbr[k] != parent[v]) {
        parent[t.nbr[k]] = v;
        order.push_back(t.nbr[k]);
      }
  }
  for (Index h = n - 1; h > 0; --h) sub[parent[order[h]]] += sub[order[h]];
  for (Index v : order) {  // first node in BFS order whose heaviest part is <= n/2
    Index heaviest = n - sub[v];
    for (Index k = t.ptr[v]; k < t.ptr[v + 1]; ++k)
      if (t.nbr[k] != parent[v]) heaviest = std::max(heaviest, sub[t.nbr[k]]);
    if (2 * heaviest <= n) return v;
  }
  return order.front();
}

}  // namespace

struct SeparatorNode {
  Index size = 0;
  std::vector<double> distances;  // leaves: size × size
  Index pivot = -1;
  std::vector<Index> left_members, right_members;  // child-local order -> parent-local id
  std::vector<std::int8_t> side;                    // 0 pivot, 1 left group, 2 right group
  std::vector<Index> level;                         // level index on the node's side
  std::vector<double> left_levels, right_levels;    // distinct distances to the pivot, ascending
  std::vector<std::int64_t> left_grid, right_grid;  // levels / step when on the grid
  std::unique_ptr<SeparatorNode> left, right;
  bool is_leaf() const { return !left; }
};

struct TreeFieldIntegrator::State {
  Tree tree;
  IntegratorOptions options;
  double step = 0;
  std::vector<std::vector<Index>> component_nodes;  // global ids, local order of the root node
  std::vector<std::unique_ptr<SeparatorNode>> roots;
  Index depth = 0;
};

namespace {

using State = TreeFieldIntegrator::State;

// Distinct values of `dist` over `members`, ascending; level[v] = index of dist[v] among them.
void bucket_levels(const std::vector<Index>& members, const std::vector<double>& dist, std::vector<double>& levels,
                   std::vector<Index>& level, double step, std::vector<std::int64_t>& grid) {
  levels.clear();
  for (Index v : members) levels.push_back(dist[v]);
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  for (Index v : members) level[v] = std::lower_bound(levels.begin(), levels.end(), dist[v]) - levels.begin();
  grid.clear();
  if (step > 0)
    for (double l : levels) grid.push_back(std::llround(l / step));
}

std::unique_ptr<SeparatorNode> build_node(const LocalTree& t, const State& st, Index depth, Index& max_depth) {
  auto node = std::make_unique<SeparatorNode>();
  const Index n = t.size();
  node->size = n;
  max_depth = std::max(max_depth, depth);
  if (n <= st.options.leaf_size) {
    node->distances.resize(static_cast<size_t>(n * n));
    std::vector<Index> stack;
    for (Index i = 0; i < n; ++i) local_distances(t, i, &node->distances[i * n], stack);
    return node;
  }
  const Index p = centroid(t);
  node->pivot = p;
  std::vector<double> dist(static_cast<size_t>(n));
  std::vector<Index> stack, comp(static_cast<size_t>(n), -1);
  local_distances(t, p, dist.data(), stack);
  // Components of S − p: one per pivot neighbour; label every node by a walk from it.
  std::vector<Index> comp_size;
  for (Index k = t.ptr[p]; k < t.ptr[p + 1]; ++k) {
    const Index c = static_cast<Index>(comp_size.size());
    comp_size.push_back(0);
    stack.assign(1, t.nbr[k]);
    comp[t.nbr[k]] = c;
    while (!stack.empty()) {
      const Index v = stack.back();
      stack.pop_back();
      ++comp_size[c];
      for (Index q = t.ptr[v]; q < t.ptr[v + 1]; ++q)
        if (t.nbr[q] != p && comp[t.nbr[q]] < 0) {
          comp[t.nbr[q]] = c;
          stack.push_back(t.nbr[q]);
        }
    }
  }
  // Greedy balanced split, largest components first (stable: ties by neighbour order).
  std::vector<Index> by_size(comp_size.size());
  std::iota(by_size.begin(), by_size.end(), Index{0});
  std::stable_sort(by_size.begin(), by_size.end(), [&](Index a, Index b) { return comp_size[a] > comp_size[b]; });
  std::vector<std::int8_t> group_of(comp_size.size());
  Index weight_left = 0, weight_right = 0;
  for (Index c : by_size) {
    const bool to_left = weight_left <= weight_right;
    group_of[c] = to_left ? 1 : 2;
    (to_left ? weight_left : weight_right) += comp_size[c];
  }
  node->side.assign(static_cast<size_t>(n), 0);
  node->left_members.assign(1, p);
  node->right_members.assign(1, p);
  std::vector<Index> left_group, right_group;
  for (Index v = 0; v < n; ++v) {
    if (v == p) continue;
    node->side[v] = group_of[comp[v]];
    (node->side[v] == 1 ? node->left_members : node->right_members).push_back(v);
    (node->side[v] == 1 ? left_group : right_group).push_back(v);
  }
  node->level.assign(static_cast<size_t>(n), -1);
  bucket_levels(left_group, dist, node->left_levels, node->level, st.step, node->left_grid);
  bucket_levels(right_group, dist, node->right_levels, node->level, st.step, node->right_grid);

  const LocalTree lt = induced(t, node->left_members), rt = induced(t, node->right_members);
  Index depth_left = 0, depth_right = 0;
  auto build_left = [&] { node->left = build_node(lt, st, depth + 1, depth_left); };
  auto build_right = [&] { node->right = build_node(rt, st, depth + 1, depth_right); };
  if (n >= st.options.parallel_threshold) tbb::parallel_invoke(build_left, build_right);
  else {
    build_left();
    build_right();
  }
  max_depth = std::max({max_depth, depth_left, depth_right});
  return node;
}

// All weights integer multiples of one step h (min positive weight, or the gcd of integer weights).
double find_grid_step(const Tree& tree) {
  const auto& w = tree.parent_weight();
  double smallest = std::numeric_limits<double>::infinity();
  for (double x : w)
    if (x > 0) smallest = std::min(smallest, x);
  if (!std::isfinite(smallest)) return 1.0;  // all weights zero: every level is grid index 0
  auto multiple_of = [&](double h) {
    return std::all_of(w.begin(), w.end(), [h](double x) {
      const double q = x / h;
      return q < 1e12 && std::abs(q - std::round(q)) <= 1e-12 * std::max(1.0, q);
    });
  };
  if (multiple_of(smallest)) return smallest;
  if (std::all_of(w.begin(), w.end(), [](double x) { return x == std::round(x) && x < 1e12; })) {
    std::int64_t g = 0;
    for (double x : w) g = std::gcd(g, static_cast<std::int64_t>(x));
    return static_cast<double>(g);
  }
  return 0.0;
}

CrossKernel choose_kernel(const SeparatorNode& node, const FieldFunction& f, const State& st, Index d) {
  const Index la = static_cast<Index>(node.left_levels.size()), lb = static_cast<Index>(node.right_levels.size());
  const CrossKernel forced = st.options.kernel;
  if (forced == CrossKernel::Dense) return CrossKernel::Dense;
  if (forced == CrossKernel::LowRank) {
    if (!f.exp_polynomial() && !f.rational())
      throw UsageError("TreeFieldIntegrator: the low-rank kernel needs an exp-polynomial or rational f");
    return CrossKernel::LowRank;
  }
  if (forced == CrossKernel::Fft) {
    if (st.step <= 0) throw UsageError("TreeFieldIntegrator: the FFT kernel needs weights that are integer multiples of one step");
    return CrossKernel::Fft;
  }
  CrossKernel best = CrossKernel::Dense;
  double cost = dense_cost(la, lb, d);
  if (const ExpPolynomial* e = f.exp_polynomial()) {
    const double c = low_rank_cost(la, lb, e->rank(), d);
    if (c < cost) {
      best = CrossKernel::LowRank;
      cost = c;
    }
  }
  if (f.rational()) {
    const double c = cauchy_cost(la, lb, d);
    if (c < cost) {
      best = CrossKernel::LowRank;
      cost = c;
    }
  }
  if (f.fft_allowed() && st.step > 0 && fft_cost(node.left_grid.back() + 1, node.right_grid.back() + 1, d) < cost)
    best = CrossKernel::Fft;
  return best;
}

RealMatrix apply_node(const SeparatorNode& node, const State& st, const FieldFunction& f, const RealMatrix& x) {
  const Index n = node.size, d = x.cols();
  if (node.is_leaf()) {
    RealMatrix m(n, n);
    for (Index i = 0; i < n; ++i)
      for (Index j = 0; j < n; ++j) m(i, j) = f(node.distances[i * n + j]);
    return m * x;
  }
  auto gather = [&](const std::vector<Index>& rows) {
    RealMatrix out(static_cast<Index>(rows.size()), d);
    for (size_t i = 0; i < rows.size(); ++i) out.row(static_cast<Index>(i)) = x.row(rows[i]);
    return out;
  };
  RealMatrix y_left, y_right;
  auto run_left = [&] { y_left = apply_node(*node.left, st, f, gather(node.left_members)); };
  auto run_right = [&] { y_right = apply_node(*node.right, st, f, gather(node.right_members)); };
  if (n >= st.options.parallel_threshold) tbb::parallel_invoke(run_left, run_right);
  else {
    run_left();
    run_right();
  }
  RealMatrix y = RealMatrix::Zero(n, d);
  for (size_t i = 0; i < node.left_members.size(); ++i) y.row(node.left_members[i]) += y_left.row(static_cast<Index>(i));
  for (size_t i = 0; i < node.right_members.size(); ++i) y.row(node.right_members[i]) += y_right.row(static_cast<Index>(i));
  y.row(node.pivot) -= f(0.0) * x.row(node.pivot);  // both children counted the pivot's own term

  const Index la = static_cast<Index>(node.left_levels.size()), lb = static_cast<Index>(node.right_levels.size());
  RealMatrix sum_left = RealMatrix::Zero(la, d), sum_right = RealMatrix::Zero(lb, d);
  for (Index v = 0; v < n; ++v) {
    if (node.side[v] == 1) sum_left.row(node.level[v]) += x.row(v);
    else if (node.side[v] == 2) sum_right.row(node.level[v]) += x.row(v);
  }
  const CrossLevels levels{&node.left_levels, &node.right_levels, &node.left_grid, &node.right_grid, st.step};
  RealMatrix to_left, to_right;
  switch (choose_kernel(node, f, st, d)) {
    case CrossKernel::LowRank:
      if (f.rational()) cross_cauchy(*f.rational(), levels, sum_left, sum_right, to_left, to_right);
      else cross_low_rank(*f.exp_polynomial(), levels, sum_left, sum_right, to_left, to_right);
      break;
    case CrossKernel::Fft: cross_fft(f, levels, sum_left, sum_right, to_left, to_right); break;
    default: cross_dense(f, levels, sum_left, sum_right, to_left, to_right); break;
  }
  for (Index v = 0; v < n; ++v) {
    if (node.side[v] == 1) y.row(v) += to_left.row(node.level[v]);
    else if (node.side[v] == 2) y.row(v) += to_right.row(node.level[v]);
  }
  return y;
}

}  // namespace

TreeFieldIntegrator::TreeFieldIntegrator(Tree tree, IntegratorOptions options) {
  if (options.leaf_size < 2) throw UsageError("TreeFieldIntegrator: leaf_size must be >= 2");
  if (options.parallel_threshold < 2) throw UsageError("TreeFieldIntegrator: parallel_threshold must be >= 2");
  auto st = std::make_shared<State>();
  st->tree = std::move(tree);
  st->options = options;
  st->step = find_grid_step(st->tree);
  const Tree& t = st->tree;
  // Components in breadth-first order: positions of component c are contiguous.
  std::vector<Index> local(static_cast<size_t>(t.num_nodes()), -1);
  st->component_nodes.resize(static_cast<size_t>(t.num_components()));
  for (Index v : t.order()) {
    auto& members = st->component_nodes[t.component()[v]];
    local[v] = static_cast<Index>(members.size());
    members.push_back(v);
  }
  st->roots.resize(st->component_nodes.size());
  std::vector<Index> depths(st->component_nodes.size(), 0);
  const bool skip = options.method == IntegrationMethod::TwoPass;  // no separator tree needed
  tbb::parallel_for(size_t{0}, st->component_nodes.size(), [&](size_t c) {
    if (skip) return;
    LocalTree lt;
    for (Index v : st->component_nodes[c]) {
      for (Index k = t.adjacency_offsets()[v]; k < t.adjacency_offsets()[v + 1]; ++k) {
        lt.nbr.push_back(local[t.adjacency_nodes()[k]]);
        lt.w.push_back(t.adjacency_weights()[k]);
      }
      lt.ptr.push_back(static_cast<Index>(lt.nbr.size()));
    }
    st->roots[c] = build_node(lt, *st, 0, depths[c]);
  });
  for (Index dpt : depths) st->depth = std::max(st->depth, dpt);
  state_ = std::move(st);
}

const Tree& TreeFieldIntegrator::tree() const { return state_->tree; }
const IntegratorOptions& TreeFieldIntegrator::options() const { return state_->options; }
Index TreeFieldIntegrator::num_nodes() const { return state_ ? state_->tree.num_nodes() : 0; }
Index TreeFieldIntegrator::depth() const { return state_->depth; }
double TreeFieldIntegrator::grid_step() const { return state_->step; }

RealMatrix TreeFieldIntegrator::apply(const FieldFunction& f, const RealMatrix& x) const {
  if (!state_) throw UsageError("TreeFieldIntegrator: default-constructed integrator has no tree");
  const State& st = *state_;
  check_field(st.tree, x, "TreeFieldIntegrator::apply");
  const IntegrationMethod method = st.options.method;
  if (method == IntegrationMethod::TwoPass && !f.exp_polynomial())
    throw UsageError("TreeFieldIntegrator: the two-pass method needs an exp-polynomial f, got " + f.description());
  if (method == IntegrationMethod::TwoPass || (method == IntegrationMethod::Auto && f.exp_polynomial()))
    return integrate_two_pass(st.tree, *f.exp_polynomial(), x);
  RealMatrix y(x.rows(), x.cols());
  tbb::parallel_for(size_t{0}, st.roots.size(), [&](size_t c) {
    const auto& members = st.component_nodes[c];
    RealMatrix xc(static_cast<Index>(members.size()), x.cols());
    for (size_t i = 0; i < members.size(); ++i) xc.row(static_cast<Index>(i)) = x.row(members[i]);
    const RealMatrix yc = apply_node(*st.roots[c], st, f, xc);
    for (size_t i = 0; i < members.size(); ++i) y.row(members[i]) = yc.row(static_cast<Index>(i));
  });
  check_result(y, "TreeFieldIntegrator::apply");
  return y;
}

RealMatrix integrate_averaged(const std::vector<TreeFieldIntegrator>& integrators, const FieldFunction& f,
                              const RealMatrix& x) {
  if (integrators.empty()) throw UsageError("integrate_averaged: no integrators");
  RealMatrix sum = RealMatrix::Zero(x.rows(), x.cols());
  for (const TreeFieldIntegrator& integrator : integrators) {
    if (integrator.num_nodes() != integrators.front().num_nodes()) throw UsageError("integrate_averaged: trees differ in size");
    sum += integrator.apply(f, x);
  }
  return sum / static_cast<double>(integrators.size());
}

}  // namespace graphtx::ftfi
