#include "pe/ftfi/cross_kernels.hpp"

#include <unsupported/Eigen/FFT>

#include <algorithm>
#include <cmath>
#include <complex>

namespace graphtx::ftfi {

namespace {

using ComplexMatrix = Eigen::Matrix<std::complex<double>, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::int64_t fft_size(std::int64_t needed) {
  std::int64_t n = 1;
  while (n < needed) n *= 2;
  return n;
}

// out[k_out] = Σ_k g[k_out + k] in[k] for k_out < out_size, by one FFT convolution per column.
// spectrum_g is the FFT of g zero-padded to N; in has rows at grid indices `grid`.
void hankel_apply(Eigen::FFT<double>& fft, const std::vector<std::complex<double>>& spectrum_g, std::int64_t n_fft,
                  const std::vector<std::int64_t>& in_grid, std::int64_t in_size, const RealMatrix& in,
                  const std::vector<std::int64_t>& out_grid, RealMatrix& out) {
  const Index d = in.cols();
  out.resize(static_cast<Index>(out_grid.size()), d);
  std::vector<std::complex<double>> column(static_cast<size_t>(n_fft)), spectrum, result;
  for (Index c = 0; c < d; ++c) {
    std::fill(column.begin(), column.end(), std::complex<double>(0.0));
    // reversed input: column[in_size - 1 - k] = in[k]
    for (size_t b = 0; b < in_grid.size(); ++b) column[static_cast<size_t>(in_size - 1 - in_grid[b])] += in(static_cast<Index>(b), c);
    fft.fwd(spectrum, column);
    for (size_t q = 0; q < spectrum.size(); ++q) spectrum[q] *= spectrum_g[q];
    fft.inv(result, spectrum);
    for (size_t a = 0; a < out_grid.size(); ++a) out(static_cast<Index>(a), c) = result[static_cast<size_t>(out_grid[a] + in_size - 1)].real();
  }
}

// Entrywise relative truncation error of the Cauchy kernel, and the rank assumed when choosing kernels.
constexpr double kCauchyTolerance = 1e-14;
constexpr Index kCauchyRankEstimate = 24;

}  // namespace

double dense_cost(Index left_levels, Index right_levels, Index d) {
  return static_cast<double>(left_levels) * static_cast<double>(right_levels) * static_cast<double>(4 * d + 20);
}

double low_rank_cost(Index left_levels, Index right_levels, Index rank, Index d) {
  return static_cast<double>(left_levels + right_levels) * static_cast<double>(rank) * static_cast<double>(16 * d + 60);
}

double cauchy_cost(Index left_levels, Index right_levels, Index d) {
  const Index k = std::min({left_levels, right_levels, kCauchyRankEstimate});
  return static_cast<double>(left_levels + right_levels) * static_cast<double>(k) * static_cast<double>(4 * d + 30);
}

double fft_cost(std::int64_t left_grid_size, std::int64_t right_grid_size, Index d) {
  const double n = static_cast<double>(fft_size(2 * (left_grid_size + right_grid_size)));
  return n * std::log2(n) * static_cast<double>(2 * d + 1) * 12.0;
}

void cross_dense(const FieldFunction& f, const CrossLevels& lv, const RealMatrix& sum_left, const RealMatrix& sum_right,
                 RealMatrix& to_left, RealMatrix& to_right) {
  const auto& l = *lv.left;
  const auto& r = *lv.right;
  RealMatrix c(static_cast<Index>(l.size()), static_cast<Index>(r.size()));
  for (size_t a = 0; a < l.size(); ++a)
    for (size_t b = 0; b < r.size(); ++b) c(static_cast<Index>(a), static_cast<Index>(b)) = f(l[a] + r[b]);
  to_left.noalias() = c * sum_right;
  to_right.noalias() = c.transpose() * sum_left;
}

void cross_low_rank(const ExpPolynomial& f, const CrossLevels& lv, const RealMatrix& sum_left, const RealMatrix& sum_right,
                    RealMatrix& to_left, RealMatrix& to_right) {
  const auto& l = *lv.left;
  const auto& r = *lv.right;
  const Index la = static_cast<Index>(l.size()), lb = static_cast<Index>(r.size()), d = sum_left.cols();
  to_left = RealMatrix::Zero(la, d);
  to_right = RealMatrix::Zero(lb, d);
  const double scale = std::max(l.back() + r.back(), 1e-300);  // (l/s)^j keeps the factors bounded
  std::vector<bool> done(f.terms().size(), false);
  for (size_t t0 = 0; t0 < f.terms().size(); ++t0) {
    if (done[t0]) continue;
    const std::complex<double> rate = f.terms()[t0].rate;
    int m = 0;
    for (size_t t = t0; t < f.terms().size(); ++t)
      if (f.terms()[t].rate == rate) m = std::max(m, f.terms()[t].power);
    ComplexMatrix g = ComplexMatrix::Zero(m + 1, m + 1);  // G[j, k] = Σ_{m_t = j + k} a_t C(m_t, j) s^{m_t}
    for (size_t t = t0; t < f.terms().size(); ++t) {
      const ExpTerm& term = f.terms()[t];
      if (term.rate != rate) continue;
      done[t] = true;
      double binom = 1.0;
      for (int j = 0; j <= term.power; ++j) {
        g(j, term.power - j) += term.coefficient * binom * std::pow(scale, term.power);
        binom = binom * (term.power - j) / (j + 1);
      }
    }
    auto factor = [&](const std::vector<double>& levels) {
      ComplexMatrix p(static_cast<Index>(levels.size()), m + 1);
      for (size_t a = 0; a < levels.size(); ++a) {
        const std::complex<double> e = std::exp(-rate * levels[a]);
        double power = 1.0;
        for (int j = 0; j <= m; ++j, power *= levels[a] / scale) p(static_cast<Index>(a), j) = power * e;
      }
      return p;
    };
    const ComplexMatrix p = factor(l), q = factor(r);
    to_left += (p * (g * (q.transpose() * sum_right.cast<std::complex<double>>()))).real();
    to_right += (q * (g.transpose() * (p.transpose() * sum_left.cast<std::complex<double>>()))).real();
  }
}

Index cross_cauchy(const Rational& f, const CrossLevels& lv, const RealMatrix& sum_left, const RealMatrix& sum_right,
                   RealMatrix& to_left, RealMatrix& to_right) {
  const auto& l = *lv.left;
  const auto& r = *lv.right;
  const Index la = static_cast<Index>(l.size()), lb = static_cast<Index>(r.size());
  if (f.b == 0) {  // f = a: every entry equal
    to_left = RealMatrix::Ones(la, 1) * (f.a * sum_right.colwise().sum());
    to_right = RealMatrix::Ones(lb, 1) * (f.a * sum_left.colwise().sum());
    return 1;
  }
  // C[a, b] = scale / (x_a + y_b). After pivots (i_1, j_1) .. (i_m, j_m) the Schur complement is
  // S_m[a, b] = C[a, b] gx_m(a) gy_m(b) with gx_m(a) = Π (x_a − x_i)/(x_a + y_j) and
  // gy_m(b) = Π (y_b − y_j)/(x_i + y_b); the pivot's rank-one term S_{m−1}[:, j] S_{m−1}[i, :] / S_{m−1}[i, j]
  // is u vᵀ with u_a = gx(a)/(x_a + y_j) and v_b = scale (x_i + y_j) gy(b)/(x_i + y_b).
  // The greedy pivots (largest |gx|, largest |gy|) drive max|gx|·max|gy| below the tolerance.
  const double scale = f.a / f.b, shift = 1.0 / f.b;
  std::vector<double> x(static_cast<size_t>(la)), gx(static_cast<size_t>(la), 1.0), gy(static_cast<size_t>(lb), 1.0), u_cols, v_cols;
  for (Index a = 0; a < la; ++a) x[a] = shift + l[a];
  u_cols.reserve(static_cast<size_t>(std::min({la, lb, 2 * kCauchyRankEstimate}) * la));
  v_cols.reserve(static_cast<size_t>(std::min({la, lb, 2 * kCauchyRankEstimate}) * lb));
  Index k = 0, i = 0, j = 0;
  double max_x = 1.0, max_y = 1.0;
  while (max_x * max_y > kCauchyTolerance) {
    const double xi = x[i], yj = r[j];
    u_cols.resize(static_cast<size_t>((k + 1) * la));
    v_cols.resize(static_cast<size_t>((k + 1) * lb));
    double* u = &u_cols[k * la];
    double* v = &v_cols[k * lb];
    Index next_i = 0, next_j = 0;
    max_x = max_y = 0.0;
    for (Index a = 0; a < la; ++a) {
      const double inv = 1.0 / (x[a] + yj);
      u[a] = gx[a] * inv;
      gx[a] *= (x[a] - xi) * inv;
      if (std::abs(gx[a]) > max_x) {
        max_x = std::abs(gx[a]);
        next_i = a;
      }
    }
    const double pivot = scale * (xi + yj);
    for (Index b = 0; b < lb; ++b) {
      const double inv = 1.0 / (xi + r[b]);
      v[b] = pivot * gy[b] * inv;
      gy[b] *= (r[b] - yj) * inv;
      if (std::abs(gy[b]) > max_y) {
        max_y = std::abs(gy[b]);
        next_j = b;
      }
    }
    i = next_i;
    j = next_j;
    ++k;
  }
  const Eigen::Map<const Eigen::MatrixXd> u(u_cols.data(), la, k), v(v_cols.data(), lb, k);
  to_left.noalias() = u * (v.transpose() * sum_right);
  to_right.noalias() = v * (u.transpose() * sum_left);
  return k;
}

void cross_fft(const FieldFunction& f, const CrossLevels& lv, const RealMatrix& sum_left, const RealMatrix& sum_right,
               RealMatrix& to_left, RealMatrix& to_right) {
  const auto& gl = *lv.left_grid;
  const auto& gr = *lv.right_grid;
  const std::int64_t size_l = gl.back() + 1, size_r = gr.back() + 1;
  const std::int64_t kernel_len = size_l + size_r - 1;
  const std::int64_t n_fft = fft_size(kernel_len + std::max(size_l, size_r) - 1);
  std::vector<std::complex<double>> g(static_cast<size_t>(n_fft), 0.0), spectrum_g;
  for (std::int64_t q = 0; q < kernel_len; ++q) g[static_cast<size_t>(q)] = f(static_cast<double>(q) * lv.step);
  Eigen::FFT<double> fft;
  fft.fwd(spectrum_g, g);
  hankel_apply(fft, spectrum_g, n_fft, gr, size_r, sum_right, gl, to_left);
  hankel_apply(fft, spectrum_g, n_fft, gl, size_l, sum_left, gr, to_right);
}

}  // namespace graphtx::ftfi
