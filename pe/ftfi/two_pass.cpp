#include "pe/ftfi/two_pass.hpp"

#include "pe/ftfi/brute_force.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <memory>
#include <vector>

namespace graphtx::ftfi {

namespace {

// The terms sharing one rate: f_g(x) = Re Σ coefficient_t x^{power_t} e^{−rate x}.
struct RateGroup {
  std::complex<double> rate;
  int max_power = 0;
  std::vector<ExpTerm> terms;
};

std::vector<RateGroup> group_by_rate(const ExpPolynomial& f) {
  std::vector<RateGroup> groups;
  for (const ExpTerm& t : f.terms()) {
    auto it = std::find_if(groups.begin(), groups.end(), [&](const RateGroup& g) { return g.rate == t.rate; });
    if (it == groups.end()) it = groups.insert(groups.end(), RateGroup{t.rate, 0, {}});
    it->max_power = std::max(it->max_power, t.power);
    it->terms.push_back(t);
  }
  return groups;
}

template <typename Scalar>
Scalar as_scalar(std::complex<double> z) {
  if constexpr (std::is_same_v<Scalar, double>) return z.real();
  else return z;
}

double real_part(double v) { return v; }
double real_part(std::complex<double> v) { return v.real(); }

// Adds Re Σ_t a_t x^{m_t} e^{−λx} integrated against xp (rows in breadth-first positions) to yp.
template <typename Scalar>
void integrate_group(const Tree& tree, const RateGroup& group, double scale, const RealMatrix& xp, RealMatrix& yp) {
  const Index n = tree.num_nodes(), d = xp.cols();
  const int moments = group.max_power + 1;
  const Index block = moments * d;  // one node's moments, moment-major
  const Scalar rate = as_scalar<Scalar>(group.rate * scale);
  const auto& order = tree.order();
  const auto& first = tree.first_child();
  const auto& count = tree.child_count();

  // Binomial coefficients C(j, i) for the shift (w + t)^j = Σ_i C(j, i) w^{j−i} t^i.
  std::vector<double> binom(static_cast<size_t>(moments * moments), 0.0);
  for (int j = 0; j < moments; ++j) {
    binom[j * moments] = 1.0;
    for (int i = 1; i <= j; ++i) binom[j * moments + i] = binom[(j - 1) * moments + i - 1] + (i < j ? binom[(j - 1) * moments + i] : 0.0);
  }
  std::vector<double> wpow(static_cast<size_t>(moments));
  // out = shift_w(in): moments about a node one edge of weight w further away.
  auto shift = [&](double w, const Scalar* in, Scalar* out) {
    const Scalar decay = std::exp(-rate * w);
    wpow[0] = 1.0;
    for (int k = 1; k < moments; ++k) wpow[k] = wpow[k - 1] * w;
    for (int j = moments - 1; j >= 0; --j) {
      Scalar* o = out + j * d;
      for (Index c = 0; c < d; ++c) o[c] = Scalar(0);
      for (int i = 0; i <= j; ++i) {
        const double coef = binom[j * moments + i] * wpow[j - i];
        const Scalar* src = in + i * d;
        for (Index c = 0; c < d; ++c) o[c] += coef * src[c];
      }
      for (Index c = 0; c < d; ++c) o[c] *= decay;
    }
  };

  // Y_i = Re Σ_t a_t (moment m_t of i's subtree + moment m_t of the rest), added in two parts.
  std::vector<Scalar> coefficient(group.terms.size());
  for (size_t t = 0; t < group.terms.size(); ++t)
    coefficient[t] = as_scalar<Scalar>(group.terms[t].coefficient * std::pow(scale, group.terms[t].power));
  auto add_moments = [&](Index i, const Scalar* moments) {
    for (size_t t = 0; t < group.terms.size(); ++t) {
      const Scalar* mt = moments + group.terms[t].power * d;
      for (Index c = 0; c < d; ++c) yp(i, c) += real_part(coefficient[t] * mt[c]);
    }
  };
  std::vector<Scalar> shifted(static_cast<size_t>(n * block)), outside(static_cast<size_t>(n * block)),
      tmp(static_cast<size_t>(block)), sum(static_cast<size_t>(block));
  auto weight_at = [&](Index pos) { return tree.parent_weight()[order[pos]] / scale; };

  for (Index i = n - 1; i >= 0; --i) {  // up pass: subtree moments, children before parents
    Scalar* u = sum.data();
    for (Index c = 0; c < d; ++c) u[c] = xp(i, c);
    for (Index k = d; k < block; ++k) u[k] = Scalar(0);
    for (Index ch = first[i]; ch < first[i] + count[i]; ++ch) {
      const Scalar* s = &shifted[ch * block];
      for (Index k = 0; k < block; ++k) u[k] += s[k];
    }
    add_moments(i, u);
    if (tree.parent()[order[i]] >= 0) shift(weight_at(i), u, &shifted[i * block]);
  }

  for (Index i = 0; i < n; ++i) {  // down pass: moments outside each child's subtree
    Scalar* out_i = &outside[i * block];
    if (tree.parent()[order[i]] < 0) std::fill(out_i, out_i + block, Scalar(0));  // a root
    add_moments(i, out_i);
    const Index b = first[i], k = count[i];
    if (k == 0) continue;
    Scalar* run = tmp.data();  // suffix sums of the siblings' shifted moments, stored in outside[child]
    std::fill(run, run + block, Scalar(0));
    for (Index ch = b + k - 1; ch >= b; --ch) {
      std::copy(run, run + block, &outside[ch * block]);
      const Scalar* s = &shifted[ch * block];
      for (Index q = 0; q < block; ++q) run[q] += s[q];
    }
    std::copy(out_i, out_i + block, run);  // prefix: everything outside i, i itself, earlier siblings
    for (Index c = 0; c < d; ++c) run[c] += xp(i, c);
    for (Index ch = b; ch < b + k; ++ch) {
      Scalar* o = &outside[ch * block];
      for (Index q = 0; q < block; ++q) sum[q] = run[q] + o[q];
      shift(weight_at(ch), sum.data(), o);
      const Scalar* s = &shifted[ch * block];
      for (Index q = 0; q < block; ++q) run[q] += s[q];
    }
  }
}

// The common case, one real rate and power 0 (f_g(x) = a e^{−λx}): one scalar moment per node.
// x is gathered once into breadth-first order, in column blocks of W (compile-time, so the row
// loops unroll into SIMD code); both passes then stream through memory, and y is scattered back
// once. e^{−λw} is evaluated once per edge. acc [n, W] holds the subtree sums S (up pass); in the
// down pass each child's row is replaced by its sum from outside its subtree once its row of yb
// (= a·(S + outside), breadth-first order) is written.
constexpr Index kBlock = 8;   // columns per block
constexpr Index kAhead = 32;  // prefetch distance (rows) for the random-order gather and scatter

struct ExponentialPlan {
  const Index* first;
  const Index* count;
  const double* decay;  // e^{−λ w(parent edge)} per position, < 0 for the roots
  Index n;
};

template <int W>
void exponential_block(const ExponentialPlan& plan, double a, const double* xb, double* yb, double* acc, double* suffix) {
  using Row = Eigen::Array<double, W, 1>;
  using RowMap = Eigen::Map<Row>;
  using ConstRowMap = Eigen::Map<const Row>;
  const Index n = plan.n;
  const Index* first = plan.first;
  const Index* count = plan.count;
  const double* decay = plan.decay;
  for (Index i = n - 1; i >= 0; --i) {  // up pass: S_i = X_i + Σ_children e_c S_c
    Row s = ConstRowMap(xb + i * W);
    for (Index ch = first[i]; ch < first[i] + count[i]; ++ch) s += decay[ch] * ConstRowMap(acc + ch * W);
    RowMap(acc + i * W) = s;
  }
  for (Index i = 0; i < n; ++i) {  // down pass, parents before children
    // run = outside_i + X_i + Σ e S over the children before the current one
    Row run = ConstRowMap(xb + i * W);
    if (decay[i] < 0) RowMap(yb + i * W) = a * ConstRowMap(acc + i * W);  // a root: outside = 0
    else run += ConstRowMap(acc + i * W);
    const Index b = first[i], k = count[i];
    if (k == 0) continue;
    RowMap(suffix + (k - 1) * W).setZero();  // row j: Σ e S over the children after child j
    for (Index j = k - 1; j > 0; --j)
      RowMap(suffix + (j - 1) * W) = ConstRowMap(suffix + j * W) + decay[b + j] * ConstRowMap(acc + (b + j) * W);
    for (Index j = 0; j < k; ++j) {
      const Index ch = b + j;
      const double e = decay[ch];
      RowMap sc(acc + ch * W);
      const Row subtree = sc, outside = e * (run + ConstRowMap(suffix + j * W));
      RowMap(yb + ch * W) = a * (subtree + outside);
      run += e * subtree;
      sc = outside;
    }
  }
}

// dst[0..w) = src[0..w), w <= kBlock, and lane[c] += 0·src[c] (NaN iff a copied value is NaN
// or Inf); the constant bound of the common case unrolls into SIMD code with independent lanes.
inline void copy_row(const double* src, Index w, double* dst, double* lane) {
  if (w == kBlock) {
    for (Index c = 0; c < kBlock; ++c) {
      dst[c] = src[c];
      lane[c] += 0.0 * src[c];
    }
  } else {
    for (Index c = 0; c < w; ++c) {
      dst[c] = src[c];
      lane[c] += 0.0 * src[c];
    }
  }
}

double lane_sum(const double* lane) {
  double sum = 0.0;
  for (Index c = 0; c < kBlock; ++c) sum += lane[c];
  return sum;
}

// Copies x's rows into breadth-first order, split into column blocks: block c0 is [n, w] at
// xb + c0 n. Reads x sequentially and writes at the rows' positions (random stores overlap, random
// loads would stall). Returns Σ 0·x, which is NaN exactly when x has a NaN or Inf.
double gather_blocks(const Index* position, const RealMatrix& x, double* xb) {
  const Index n = x.rows(), d = x.cols();
  const double* xd = x.data();
  double lane[kBlock] = {};
  for (Index v = 0; v < n; ++v) {
    if (v + kAhead < n)
      for (Index c0 = 0; c0 < d; c0 += kBlock) __builtin_prefetch(xb + c0 * n + position[v + kAhead] * std::min(kBlock, d - c0), 1);
    const double* row = xd + v * d;
    const Index i = position[v];
    for (Index c0 = 0; c0 < d; c0 += kBlock) {
      const Index w = std::min(kBlock, d - c0);
      copy_row(row + c0, w, xb + c0 * n + i * w, lane);
    }
  }
  return lane_sum(lane);
}

// The inverse of gather_blocks, assigning or adding into y; returns Σ 0·(written rows of y).
// Writes y sequentially and reads the breadth-first copy at the rows' positions (that copy is on
// huge pages and prefetched; y is the caller's memory, where random stores would miss the TLB).
double scatter_blocks(const Index* position, const double* yb, bool assign, RealMatrix& y) {
  const Index n = y.rows(), d = y.cols();
  double* yd = y.data();
  double lane[kBlock] = {};
  for (Index v = 0; v < n; ++v) {
    if (v + kAhead < n)
      for (Index c0 = 0; c0 < d; c0 += kBlock) __builtin_prefetch(yb + c0 * n + position[v + kAhead] * std::min(kBlock, d - c0));
    double* row = yd + v * d;
    const Index i = position[v];
    for (Index c0 = 0; c0 < d; c0 += kBlock) {
      const Index w = std::min(kBlock, d - c0);
      const double* src = yb + c0 * n + i * w;
      if (!assign)
        for (Index c = 0; c < w; ++c) row[c0 + c] += src[c];
      copy_row(assign ? src : row + c0, w, row + c0, lane);
    }
  }
  return lane_sum(lane);
}

bool is_simple(const RateGroup& g) {
  return g.max_power == 0 && g.rate.imag() == 0 &&
         std::all_of(g.terms.begin(), g.terms.end(), [](const ExpTerm& t) { return t.coefficient.imag() == 0; });
}

}  // namespace

struct TwoPassIntegrator::Exponential {
  double a = 0.0;
  std::vector<double> decay;  // e^{−λ w(parent edge)} per position, −1 for the roots
};

TwoPassIntegrator::TwoPassIntegrator(const Tree& tree, const ExpPolynomial& f) : tree_(&tree), f_(f) {
  const Index n = tree.num_nodes();
  const Index* order = tree.order().data();
  const Index* parent = tree.parent().data();
  const double* weight = tree.parent_weight().data();
  for (const Index c : tree.child_count()) widest_ = std::max(widest_, c);
  for (const RateGroup& g : group_by_rate(f)) {
    if (!is_simple(g)) {
      general_ = true;
      continue;
    }
    Exponential e;
    for (const ExpTerm& t : g.terms) e.a += t.coefficient.real();
    e.decay.resize(static_cast<size_t>(n));
    for (Index i = 0; i < n; ++i) {
      const Index v = order[i];
      e.decay[i] = parent[v] < 0 ? -1.0 : std::exp(-g.rate.real() * weight[v]);
    }
    exponentials_.push_back(std::move(e));
  }
}

TwoPassIntegrator::~TwoPassIntegrator() = default;
TwoPassIntegrator::TwoPassIntegrator(TwoPassIntegrator&&) noexcept = default;
TwoPassIntegrator& TwoPassIntegrator::operator=(TwoPassIntegrator&&) noexcept = default;

void TwoPassIntegrator::apply(const RealMatrix& x, RealMatrix& y) {
  const Tree& tree = *tree_;
  const Index n = tree.num_nodes(), d = x.cols();
  if (x.rows() != n || exponentials_.empty() || d == 0) check_field(tree, x, "integrate_two_pass");
  y.resize(n, d);
  if (exponentials_.empty()) y.setZero();
  double probe = 0.0;  // NaN iff x or the fast-path result has a NaN or Inf (checked once at the end)
  if (!exponentials_.empty() && n > 0 && d > 0) {
    const auto grow = [](auto& v, Index size) {
      if (static_cast<Index>(v.size()) < size) v.resize(static_cast<size_t>(size));
    };
    grow(xb_, n * d);
    grow(yb_, n * d);
    grow(acc_, n * kBlock);
    grow(suffix_, widest_ * kBlock);
    if (std::isnan(gather_blocks(tree.position().data(), x, xb_.data()))) check_field(tree, x, "integrate_two_pass");
    bool assign = true;  // the first group writes y, every later one adds
    for (const Exponential& e : exponentials_) {
      const ExponentialPlan plan{tree.first_child().data(), tree.child_count().data(), e.decay.data(), n};
      for (Index c0 = 0; c0 < d; c0 += kBlock) {
        const double* xc = xb_.data() + c0 * n;
        double* yc = yb_.data() + c0 * n;
        double* acc = acc_.data();
        double* suffix = suffix_.data();
        switch (std::min(kBlock, d - c0)) {
          case 8: exponential_block<8>(plan, e.a, xc, yc, acc, suffix); break;
          case 7: exponential_block<7>(plan, e.a, xc, yc, acc, suffix); break;
          case 6: exponential_block<6>(plan, e.a, xc, yc, acc, suffix); break;
          case 5: exponential_block<5>(plan, e.a, xc, yc, acc, suffix); break;
          case 4: exponential_block<4>(plan, e.a, xc, yc, acc, suffix); break;
          case 3: exponential_block<3>(plan, e.a, xc, yc, acc, suffix); break;
          case 2: exponential_block<2>(plan, e.a, xc, yc, acc, suffix); break;
          default: exponential_block<1>(plan, e.a, xc, yc, acc, suffix); break;
        }
      }
      probe = scatter_blocks(tree.position().data(), yb_.data(), assign, y);
      assign = false;
    }
  }
  if (general_) {
    add_general_groups(x, y);
    check_result(y, "integrate_two_pass");
  } else if (std::isnan(probe)) {
    check_result(y, "integrate_two_pass");
  }
}

void TwoPassIntegrator::add_general_groups(const RealMatrix& x, RealMatrix& y) const {
  const Tree& tree = *tree_;
  const Index n = tree.num_nodes(), d = x.cols();
  const auto& order = tree.order();
  RealMatrix xp(n, d), yp = RealMatrix::Zero(n, d);
  for (Index i = 0; i < n; ++i) xp.row(i) = x.row(order[i]);
  double scale = 0.0;  // >= every distance: twice the largest depth
  {
    std::vector<double> depth(static_cast<size_t>(n), 0.0);
    for (Index i = 0; i < n; ++i) {
      const Index v = order[i], p = tree.parent()[v];
      depth[i] = p < 0 ? 0.0 : depth[tree.position()[p]] + tree.parent_weight()[v];
      scale = std::max(scale, 2 * depth[i]);
    }
  }
  for (const RateGroup& g : group_by_rate(f_)) {
    if (is_simple(g)) continue;
    const double s = g.max_power > 0 && scale > 0 ? scale : 1.0;
    if (g.rate.imag() == 0 && std::all_of(g.terms.begin(), g.terms.end(), [](const ExpTerm& t) { return t.coefficient.imag() == 0; }))
      integrate_group<double>(tree, g, s, xp, yp);
    else
      integrate_group<std::complex<double>>(tree, g, s, xp, yp);
  }
  for (Index i = 0; i < n; ++i) y.row(order[i]) += yp.row(i);
}

RealMatrix integrate_two_pass(const Tree& tree, const ExpPolynomial& f, const RealMatrix& x) {
  RealMatrix y;
  TwoPassIntegrator(tree, f).apply(x, y);
  return y;
}

}  // namespace graphtx::ftfi
