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
// Columns go in blocks of W (compile-time, so the row loops unroll into SIMD code), one traversal
// per block over precomputed arrays; e^{−λw} is evaluated once per edge. acc [n, W] holds the
// subtree sums S (up pass); in the down pass each child's row is replaced by its sum from outside
// its subtree as soon as its row of y is written. y[:, col..col+W) = (or +=) a·(S + outside).
struct ExponentialPlan {
  const Index* order;
  const Index* first;
  const Index* count;
  const double* decay;  // e^{−λ w(parent edge)} per position
  Index n;
  Index widest;  // largest number of children
};

template <int W>
void exponential_block(const ExponentialPlan& plan, double a, const RealMatrix& x, Index col, bool assign, RealMatrix& y,
                       double* acc, double* suffix) {
  using Row = Eigen::Array<double, W, 1>;  // fixed size: Eigen emits unrolled SIMD code
  using RowMap = Eigen::Map<Row>;
  using ConstRowMap = Eigen::Map<const Row>;
  const Index n = plan.n, d = x.cols();
  const Index* order = plan.order;
  const Index* first = plan.first;
  const Index* count = plan.count;
  const double* decay = plan.decay;
  const double* xd = x.data() + col;
  double* yd = y.data() + col;
  for (Index i = n - 1; i >= 0; --i) {  // up pass: S_i = X_i + Σ_children e_c S_c
    Row s = ConstRowMap(xd + order[i] * d);
    for (Index ch = first[i]; ch < first[i] + count[i]; ++ch) s += decay[ch] * ConstRowMap(acc + ch * W);
    RowMap(acc + i * W) = s;
  }
  for (Index i = 0; i < n; ++i) {  // down pass, parents before children
    const bool root = decay[i] < 0;  // decay < 0 marks the roots
    // run = outside_i + X_i + Σ e S over the children before the current one
    Row run = ConstRowMap(xd + order[i] * d);
    if (root) {  // outside_root = 0; acc keeps S_root
      RowMap yi(yd + order[i] * d);
      if (assign) yi = a * ConstRowMap(acc + i * W);
      else yi += a * ConstRowMap(acc + i * W);
    } else {
      run += ConstRowMap(acc + i * W);
    }
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
      RowMap yc(yd + order[ch] * d);
      if (assign) yc = a * (subtree + outside);
      else yc += a * (subtree + outside);
      run += e * subtree;
      sc = outside;
    }
  }
}

void integrate_exponential(const Tree& tree, double rate, double a, const RealMatrix& x, bool assign, RealMatrix& y) {
  const Index n = tree.num_nodes(), d = x.cols();
  std::vector<double> decay(static_cast<size_t>(n));
  ExponentialPlan plan{tree.order().data(), tree.first_child().data(), tree.child_count().data(), decay.data(), n, 0};
  const Index* parent = tree.parent().data();
  const double* weight = tree.parent_weight().data();
  for (Index i = 0; i < n; ++i) {
    const Index v = plan.order[i];
    decay[i] = parent[v] < 0 ? -1.0 : std::exp(-rate * weight[v]);
    plan.widest = std::max(plan.widest, plan.count[i]);
  }
  constexpr Index kBlock = 8;
  const std::unique_ptr<double[]> acc(new double[static_cast<size_t>(n * kBlock)]),  // uninitialised on purpose
      suffix(new double[static_cast<size_t>(std::max<Index>(plan.widest, 1) * kBlock)]);
  Index col = 0;
  for (; col + kBlock <= d; col += kBlock) exponential_block<kBlock>(plan, a, x, col, assign, y, acc.get(), suffix.get());
  if (col + 4 <= d) {
    exponential_block<4>(plan, a, x, col, assign, y, acc.get(), suffix.get());
    col += 4;
  }
  if (col + 2 <= d) {
    exponential_block<2>(plan, a, x, col, assign, y, acc.get(), suffix.get());
    col += 2;
  }
  if (col < d) exponential_block<1>(plan, a, x, col, assign, y, acc.get(), suffix.get());
}

}  // namespace

RealMatrix integrate_two_pass(const Tree& tree, const ExpPolynomial& f, const RealMatrix& x) {
  check_field(tree, x, "integrate_two_pass");
  const Index n = tree.num_nodes(), d = x.cols();
  const auto& order = tree.order();
  const std::vector<RateGroup> groups = group_by_rate(f);
  auto simple = [](const RateGroup& g) {
    return g.max_power == 0 && g.rate.imag() == 0 &&
           std::all_of(g.terms.begin(), g.terms.end(), [](const ExpTerm& t) { return t.coefficient.imag() == 0; });
  };
  RealMatrix y(n, d);
  bool assign = true;  // the first simple group writes y, every later one adds
  for (const RateGroup& g : groups) {
    if (!simple(g)) continue;
    double a = 0.0;
    for (const ExpTerm& t : g.terms) a += t.coefficient.real();
    integrate_exponential(tree, g.rate.real(), a, x, assign, y);
    assign = false;
  }
  if (assign) y.setZero();
  if (std::all_of(groups.begin(), groups.end(), simple)) {
    check_result(y, "integrate_two_pass");
    return y;
  }
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
  for (const RateGroup& g : groups) {
    if (simple(g)) continue;
    const double s = g.max_power > 0 && scale > 0 ? scale : 1.0;
    if (g.rate.imag() == 0 && std::all_of(g.terms.begin(), g.terms.end(), [](const ExpTerm& t) { return t.coefficient.imag() == 0; }))
      integrate_group<double>(tree, g, s, xp, yp);
    else
      integrate_group<std::complex<double>>(tree, g, s, xp, yp);
  }
  for (Index i = 0; i < n; ++i) y.row(order[i]) += yp.row(i);
  check_result(y, "integrate_two_pass");
  return y;
}

}  // namespace graphtx::ftfi
