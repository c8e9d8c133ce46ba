#include "layers/per_graph_attention.hpp"

#include "graph/errors.hpp"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace graphtx {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

#define GRAPHTX_INLINE inline __attribute__((always_inline))

// exp(x) for x <= 0, branch-free so that loops over it vectorize: 2^n e^r with n = round(x log2 e),
// |r| <= ln 2 / 2, Cephes' degree-6 polynomial (relative error < 2e-7); x below -87 gives e^-87.
GRAPHTX_INLINE float exp_nonpositive(float x) {
  x = x < -87.0f ? -87.0f : x;
  const float n = (x * 1.44269504f + 12582912.0f) - 12582912.0f;  // round to nearest
  const float r = (x - n * 0.693359375f) + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float e = p * r * r + r + 1.0f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return e * scale;
}
GRAPHTX_INLINE double exp_nonpositive(double x) { return std::exp(x); }

// s[j] = exp(s[j] - m) for j < n; returns Σ_j s[j] summed in eight interleaved lanes.
template <typename T>
GRAPHTX_INLINE T exp_shifted(T* __restrict s, T m, int64_t n) {
  for (int64_t j = 0; j < n; ++j) s[j] = exp_nonpositive(s[j] - m);
  T lanes[8] = {};
  int64_t j = 0;
  for (; j + 8 <= n; j += 8)
    for (int k = 0; k < 8; ++k) lanes[k] += s[j + k];
  T total = 0;
  for (; j < n; ++j) total += s[j];
  for (int k = 0; k < 8; ++k) total += lanes[k];
  return total;
}

// s[j] = Σ_c a[c] bt[c n + j]: a row times a transposed [d_h, n] block, vectorized over j.
template <typename T>
GRAPHTX_INLINE void row_times_transposed(const T* __restrict a, const T* __restrict bt, T* __restrict s, int64_t n,
                                         int64_t dh) {
  for (int64_t j = 0; j < n; ++j) s[j] = a[0] * bt[j];
  for (int64_t c = 1; c < dh; ++c) {
    const T ac = a[c];
    const T* __restrict col = bt + c * n;
    for (int64_t j = 0; j < n; ++j) s[j] += ac * col[j];
  }
}

// o[c] = scale Σ_j w[j] m[j d_h + c].
template <typename T>
GRAPHTX_INLINE void weights_times_rows_any(const T* __restrict w, const T* __restrict m, T* __restrict o, int64_t n,
                                           int64_t dh, T scale) {
  std::fill(o, o + dh, T(0));
  for (int64_t j = 0; j < n; ++j)
    for (int64_t c = 0; c < dh; ++c) o[c] += w[j] * m[j * dh + c];
  for (int64_t c = 0; c < dh; ++c) o[c] *= scale;
}

struct Layout {
  int64_t nodes, d, heads, dh, ld, graphs;
  const int64_t* ptr;
};

Layout layout_of(const torch::Tensor& qkv, const torch::Tensor& ptr, int64_t heads) {
  const int64_t d = qkv.size(1) / 3;
  return {qkv.size(0), d, heads, d / heads, qkv.size(1), ptr.size(0) - 1, ptr.data_ptr<int64_t>()};
}

// Per-task buffers, grown to the largest graph a task meets.
template <typename T>
struct Scratch {
  std::vector<T> k, kt, v, vt, dk, dv, p, ds, q, go;  // go: output-gradient rows
};

// The (graph, head) block's keys or values: rows [n, d_h] and/or their transpose [d_h, n].
template <typename T>
GRAPHTX_INLINE void load_block(const T* base, int64_t ld, int64_t n, int64_t dh, T* rows, T* transposed) {
  for (int64_t j = 0; j < n; ++j)
    for (int64_t c = 0; c < dh; ++c) {
      const T x = base[j * ld + c];
      if (rows != nullptr) rows[j * dh + c] = x;
      if (transposed != nullptr) transposed[c * n + j] = x;
    }
}

template <typename T>
void forward_block(const Layout& L, int64_t t, const T* qkv, T* out, T* lse, Scratch<T>& w) {
  const int64_t dh = L.dh;
  const T scale = static_cast<T>(1.0 / std::sqrt(static_cast<double>(dh)));
  const int64_t g = t / L.heads, h = t % L.heads, r0 = L.ptr[g], n = L.ptr[g + 1] - r0;
  if (n == 0) return;
  const auto block = static_cast<size_t>(n * dh);
  w.kt.resize(block);
  w.v.resize(block);
  w.p.resize(static_cast<size_t>(n));
  w.q.resize(static_cast<size_t>(dh));
  const T* rows = qkv + r0 * L.ld + h * dh;
  load_block(rows + L.d, L.ld, n, dh, static_cast<T*>(nullptr), w.kt.data());
  load_block(rows + 2 * L.d, L.ld, n, dh, w.v.data(), static_cast<T*>(nullptr));
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t c = 0; c < dh; ++c) w.q[static_cast<size_t>(c)] = rows[i * L.ld + c] * scale;
    T* s = w.p.data();
    row_times_transposed(w.q.data(), w.kt.data(), s, n, dh);
    const T m = *std::max_element(s, s + n);
    const T l = exp_shifted(s, m, n);  // >= 1: the maximum contributes e^0
    T* o = out + (r0 + i) * L.d + h * dh;
    weights_times_rows_any(s, w.v.data(), o, n, dh, T(1) / l);
    lse[(r0 + i) * L.heads + h] = m + std::log(l);
  }
}

template <typename T>
void backward_block(const Layout& L, int64_t t, const T* qkv, const T* out, const T* lse, const T* grad,
                                   T* grad_qkv, Scratch<T>& w) {
  const int64_t dh = L.dh;
  const T scale = static_cast<T>(1.0 / std::sqrt(static_cast<double>(dh)));
  const int64_t g = t / L.heads, h = t % L.heads, r0 = L.ptr[g], n = L.ptr[g + 1] - r0;
  if (n == 0) return;
  const auto block = static_cast<size_t>(n * dh);
  w.k.resize(block);
  w.kt.resize(block);
  w.vt.resize(block);
  w.dk.assign(block, T(0));
  w.dv.assign(block, T(0));
  w.p.resize(static_cast<size_t>(n));
  w.ds.resize(static_cast<size_t>(n));
  w.q.resize(static_cast<size_t>(dh));
  const T* rows = qkv + r0 * L.ld + h * dh;
  load_block(rows + L.d, L.ld, n, dh, w.k.data(), w.kt.data());
  load_block(rows + 2 * L.d, L.ld, n, dh, static_cast<T*>(nullptr), w.vt.data());
  T* grad_rows = grad_qkv + r0 * L.ld + h * dh;
  T* __restrict p = w.p.data();
  T* __restrict ds = w.ds.data();
  for (int64_t i = 0; i < n; ++i) {
    const T* __restrict go = grad + (r0 + i) * L.d + h * dh;
    const T* __restrict o = out + (r0 + i) * L.d + h * dh;
    const T* __restrict qi = rows + i * L.ld;
    for (int64_t c = 0; c < dh; ++c) w.q[static_cast<size_t>(c)] = qi[c] * scale;
    // p_j recomputed from the saved log-sum-exp; ds_j = p_j (go · v_j - go · o_i) times the scale.
    row_times_transposed(w.q.data(), w.kt.data(), p, n, dh);
    exp_shifted(p, lse[(r0 + i) * L.heads + h], n);
    row_times_transposed(go, w.vt.data(), ds, n, dh);
    T go_o = 0;
    for (int64_t c = 0; c < dh; ++c) go_o += go[c] * o[c];
    for (int64_t j = 0; j < n; ++j) ds[j] = p[j] * (ds[j] - go_o);
    weights_times_rows_any(ds, w.k.data(), grad_rows + i * L.ld, n, dh, scale);
    for (int64_t j = 0; j < n; ++j) {
      const T dsj = ds[j] * scale, pj = p[j];
      T* __restrict dkj = w.dk.data() + j * dh;
      T* __restrict dvj = w.dv.data() + j * dh;
      for (int64_t c = 0; c < dh; ++c) {
        dkj[c] += dsj * qi[c];
        dvj[c] += pj * go[c];
      }
    }
  }
  for (int64_t j = 0; j < n; ++j) {
    std::copy_n(w.dk.data() + j * dh, dh, grad_rows + j * L.ld + L.d);
    std::copy_n(w.dv.data() + j * dh, dh, grad_rows + j * L.ld + 2 * L.d);
  }
}

// Float blocks with d_h = 16 (the common 128 / 8): GCC vector code (8 floats per vector), with an
// AVX2 + FMA clone (x86-64-v3) chosen at load time. Keys and values are padded to a multiple of 8
// with zeros; padded scores are masked out before the sums.
namespace f16 {

typedef float v8 __attribute__((vector_size(32), aligned(4), may_alias));
typedef int32_t v8i __attribute__((vector_size(32)));
constexpr int64_t kDh = 16;

GRAPHTX_INLINE v8 load(const float* p) { return *reinterpret_cast<const v8*>(p); }
GRAPHTX_INLINE void store(float* p, v8 x) { *reinterpret_cast<v8*>(p) = x; }
GRAPHTX_INLINE v8 splat(float x) { return v8{x, x, x, x, x, x, x, x}; }

// exp_nonpositive on 8 lanes.
GRAPHTX_INLINE v8 exp8(v8 x) {
  x = x < splat(-87.0f) ? splat(-87.0f) : x;
  const v8 n = (x * 1.44269504f + 12582912.0f) - 12582912.0f;
  const v8 r = (x - n * 0.693359375f) + n * 2.12194440e-4f;
  v8 p = splat(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const v8 e = p * r * r + r + 1.0f;
  const v8i bits = (__builtin_convertvector(n, v8i) + 127) << 23;
  return e * reinterpret_cast<const v8&>(bits);
}

// s[j] = Σ_c a[c] bt[c np + j] for j < np (np a multiple of 8), four vectors of j at a time.
GRAPHTX_INLINE void scores(const float* __restrict a, const float* __restrict bt, float* __restrict s, int64_t np) {
  int64_t j = 0;
  for (; j + 32 <= np; j += 32) {
    v8 s0 = splat(0), s1 = splat(0), s2 = splat(0), s3 = splat(0);
    for (int64_t c = 0; c < kDh; ++c) {
      const v8 ac = splat(a[c]);
      const float* col = bt + c * np + j;
      s0 += ac * load(col);
      s1 += ac * load(col + 8);
      s2 += ac * load(col + 16);
      s3 += ac * load(col + 24);
    }
    store(s + j, s0);
    store(s + j + 8, s1);
    store(s + j + 16, s2);
    store(s + j + 24, s3);
  }
  for (; j < np; j += 8) {
    v8 s0 = splat(0);
    for (int64_t c = 0; c < kDh; ++c) s0 += splat(a[c]) * load(bt + c * np + j);
    store(s + j, s0);
  }
}

// o[0..16) = scale Σ_j w[j] m[j 16 ..], eight accumulators over j mod 4.
GRAPHTX_INLINE void weighted_rows(const float* __restrict w, const float* __restrict m, float* __restrict o, int64_t n,
                                  float scale) {
  v8 lo0 = splat(0), lo1 = splat(0), lo2 = splat(0), lo3 = splat(0);
  v8 hi0 = splat(0), hi1 = splat(0), hi2 = splat(0), hi3 = splat(0);
  int64_t j = 0;
  for (; j + 4 <= n; j += 4) {
    const float* r = m + j * kDh;
    lo0 += splat(w[j]) * load(r);
    hi0 += splat(w[j]) * load(r + 8);
    lo1 += splat(w[j + 1]) * load(r + 16);
    hi1 += splat(w[j + 1]) * load(r + 24);
    lo2 += splat(w[j + 2]) * load(r + 32);
    hi2 += splat(w[j + 2]) * load(r + 40);
    lo3 += splat(w[j + 3]) * load(r + 48);
    hi3 += splat(w[j + 3]) * load(r + 56);
  }
  for (; j < n; ++j) {
    lo0 += splat(w[j]) * load(m + j * kDh);
    hi0 += splat(w[j]) * load(m + j * kDh + 8);
  }
  store(o, ((lo0 + lo1) + (lo2 + lo3)) * scale);
  store(o + 8, ((hi0 + hi1) + (hi2 + hi3)) * scale);
}

// p[j] = exp(p[j] - m) for j < n, 0 for n <= j < np; returns Σ_j p[j].
GRAPHTX_INLINE float exp_masked(float* __restrict p, float m, int64_t n, int64_t np) {
  v8 sum = splat(0);
  for (int64_t j = 0; j < np; j += 8) {
    const v8i lane = v8i{0, 1, 2, 3, 4, 5, 6, 7} + static_cast<int32_t>(j);
    const v8 e = lane < static_cast<int32_t>(n) ? exp8(load(p + j) - m) : splat(0);
    store(p + j, e);
    sum += e;
  }
  float total = 0;
  for (int k = 0; k < 8; ++k) total += sum[k];
  return total;
}

// rows [np, 16] (zero padded) and/or transposed [16, np] of a key or value block.
GRAPHTX_INLINE void gather(const float* base, int64_t ld, int64_t n, int64_t np, float* rows, float* transposed) {
  if (rows != nullptr) {
    for (int64_t j = 0; j < n; ++j) std::copy_n(base + j * ld, kDh, rows + j * kDh);
    std::fill(rows + n * kDh, rows + np * kDh, 0.0f);
  }
  if (transposed != nullptr) {
    for (int64_t c = 0; c < kDh; ++c) {
      float* t = transposed + c * np;
      for (int64_t j = 0; j < n; ++j) t[j] = base[j * ld + c];
      std::fill(t + n, t + np, 0.0f);
    }
  }
}

__attribute__((target_clones("arch=x86-64-v3", "default"))) void forward_block(const Layout& L, int64_t t,
                                                                              const float* qkv, float* out,
                                                                              float* lse, Scratch<float>& w) {
  const float scale = 0.25f;  // 1 / sqrt(16)
  const int64_t g = t / L.heads, h = t % L.heads, r0 = L.ptr[g], n = L.ptr[g + 1] - r0, np = (n + 7) / 8 * 8;
  if (n == 0) return;
  w.kt.resize(static_cast<size_t>(np * kDh));
  w.v.resize(static_cast<size_t>(np * kDh));
  w.p.resize(static_cast<size_t>(np));
  const float* rows = qkv + r0 * L.ld + h * kDh;
  gather(rows + L.d, L.ld, n, np, nullptr, w.kt.data());
  gather(rows + 2 * L.d, L.ld, n, np, w.v.data(), nullptr);
  alignas(32) float q[kDh];
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t c = 0; c < kDh; ++c) q[c] = rows[i * L.ld + c] * scale;
    float* s = w.p.data();
    scores(q, w.kt.data(), s, np);
    const float m = *std::max_element(s, s + n);
    const float l = exp_masked(s, m, n, np);  // >= 1: the maximum contributes e^0
    weighted_rows(s, w.v.data(), out + (r0 + i) * L.d + h * kDh, n, 1.0f / l);
    lse[(r0 + i) * L.heads + h] = m + std::log(l);
  }
}

// Per block: for each query row, p (recomputed from the log-sum-exp) and ds = p ⊙ (dO_i · v_j -
// dO_i · o_i) are kept in [n, np] buffers; dq row by row, then dK = dSᵀ Q scale and dV = Pᵀ dO by
// columns of those buffers.
__attribute__((target_clones("arch=x86-64-v3", "default"))) void backward_block(
    const Layout& L, int64_t t, const float* qkv, const float* out, const float* lse, const float* grad,
    float* grad_qkv, Scratch<float>& w) {
  const float scale = 0.25f;
  const int64_t g = t / L.heads, h = t % L.heads, r0 = L.ptr[g], n = L.ptr[g + 1] - r0, np = (n + 7) / 8 * 8;
  if (n == 0) return;
  w.k.resize(static_cast<size_t>(np * kDh));
  w.kt.resize(static_cast<size_t>(np * kDh));
  w.vt.resize(static_cast<size_t>(np * kDh));
  w.q.resize(static_cast<size_t>(n * kDh));
  w.go.resize(static_cast<size_t>(n * kDh));
  w.p.resize(static_cast<size_t>(n * np));
  w.ds.resize(static_cast<size_t>(n * np));
  const float* rows = qkv + r0 * L.ld + h * kDh;
  gather(rows + L.d, L.ld, n, np, w.k.data(), w.kt.data());
  gather(rows + 2 * L.d, L.ld, n, np, nullptr, w.vt.data());
  float* grad_rows = grad_qkv + r0 * L.ld + h * kDh;
  for (int64_t i = 0; i < n; ++i) {
    float* qi = w.q.data() + i * kDh;
    float* go = w.go.data() + i * kDh;
    const float* o = out + (r0 + i) * L.d + h * kDh;
    float go_o = 0;
    for (int64_t c = 0; c < kDh; ++c) {
      qi[c] = rows[i * L.ld + c] * scale;
      go[c] = grad[(r0 + i) * L.d + h * kDh + c];
      go_o += go[c] * o[c];
    }
    float* p = w.p.data() + i * np;
    float* ds = w.ds.data() + i * np;
    scores(qi, w.kt.data(), p, np);
    exp_masked(p, lse[(r0 + i) * L.heads + h], n, np);
    scores(go, w.vt.data(), ds, np);
    for (int64_t j = 0; j < np; j += 8) store(ds + j, load(p + j) * (load(ds + j) - go_o));
    weighted_rows(ds, w.k.data(), grad_rows + i * L.ld, n, scale);
  }
  // dK_j = Σ_i ds_ij (q_i scale), dV_j = Σ_i p_ij dO_i: columns j of the buffers, rows i in order.
  for (int64_t j = 0; j < n; ++j) {
    v8 k_lo = splat(0), k_hi = splat(0), v_lo = splat(0), v_hi = splat(0);
    for (int64_t i = 0; i < n; ++i) {
      const v8 dsij = splat(w.ds[static_cast<size_t>(i * np + j)]);
      const v8 pij = splat(w.p[static_cast<size_t>(i * np + j)]);
      k_lo += dsij * load(w.q.data() + i * kDh);
      k_hi += dsij * load(w.q.data() + i * kDh + 8);
      v_lo += pij * load(w.go.data() + i * kDh);
      v_hi += pij * load(w.go.data() + i * kDh + 8);
    }
    float* gk = grad_rows + j * L.ld + L.d;
    float* gv = grad_rows + j * L.ld + 2 * L.d;
    store(gk, k_lo);
    store(gk + 8, k_hi);
    store(gv, v_lo);
    store(gv + 8, v_hi);
  }
}

}  // namespace f16

template <typename T>
void attention_forward(const Layout& L, const T* qkv, T* out, T* lse) {
  at::parallel_for(0, L.graphs * L.heads, 1, [&](int64_t begin, int64_t end) {
    Scratch<T> w;
    for (int64_t t = begin; t < end; ++t) {
      if constexpr (std::is_same_v<T, float>)
        if (L.dh == 16) {
          f16::forward_block(L, t, qkv, out, lse, w);
          continue;
        }
      forward_block<T>(L, t, qkv, out, lse, w);
    }
  });
}

template <typename T>
void attention_backward(const Layout& L, const T* qkv, const T* out, const T* lse, const T* grad, T* grad_qkv) {
  at::parallel_for(0, L.graphs * L.heads, 1, [&](int64_t begin, int64_t end) {
    Scratch<T> w;
    for (int64_t t = begin; t < end; ++t) {
      if constexpr (std::is_same_v<T, float>)
        if (L.dh == 16) {
          f16::backward_block(L, t, qkv, out, lse, grad, grad_qkv, w);
          continue;
        }
      backward_block<T>(L, t, qkv, out, lse, grad, grad_qkv, w);
    }
  });
}

struct PerGraphAttention : torch::autograd::Function<PerGraphAttention> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& qkv_in, const torch::Tensor& ptr,
                               int64_t heads) {
    const torch::Tensor qkv = qkv_in.contiguous();
    const Layout L = layout_of(qkv, ptr, heads);
    torch::Tensor out = torch::empty({L.nodes, L.d}, qkv.options());
    torch::Tensor lse = torch::empty({L.nodes, heads}, qkv.options());
    AT_DISPATCH_FLOATING_TYPES(qkv.scalar_type(), "per_graph_attention", [&] {
      attention_forward<scalar_t>(L, qkv.data_ptr<scalar_t>(), out.data_ptr<scalar_t>(), lse.data_ptr<scalar_t>());
    });
    ctx->saved_data["heads"] = heads;
    ctx->saved_data["ptr"] = ptr;
    ctx->save_for_backward({qkv, out, lse});
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor &qkv = saved[0], &out = saved[1], &lse = saved[2];
    const torch::Tensor ptr = ctx->saved_data["ptr"].toTensor();
    const Layout L = layout_of(qkv, ptr, ctx->saved_data["heads"].toInt());
    const torch::Tensor grad = grads[0].contiguous();
    torch::Tensor grad_qkv = torch::empty_like(qkv);
    AT_DISPATCH_FLOATING_TYPES(qkv.scalar_type(), "per_graph_attention_backward", [&] {
      attention_backward<scalar_t>(L, qkv.data_ptr<scalar_t>(), out.data_ptr<scalar_t>(), lse.data_ptr<scalar_t>(),
                                   grad.data_ptr<scalar_t>(), grad_qkv.data_ptr<scalar_t>());
    });
    return {grad_qkv, torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor per_graph_attention(const torch::Tensor& qkv, const torch::Tensor& ptr, int64_t heads) {
  if (qkv.dim() != 2 || qkv.size(1) % 3 != 0 || heads < 1 || (qkv.size(1) / 3) % heads != 0)
    throw UsageError("per_graph_attention: qkv must have shape [N, 3d] with d divisible by heads " +
                     std::to_string(heads));
  if (!qkv.is_floating_point()) throw UsageError("per_graph_attention: qkv must be float or double");
  if (ptr.dim() != 1 || ptr.size(0) < 1 || ptr.scalar_type() != torch::kInt64)
    throw UsageError("per_graph_attention: ptr must be an int64 tensor [B + 1]");
  const torch::Tensor offsets = ptr.contiguous();
  const int64_t* p = offsets.data_ptr<int64_t>();
  if (p[0] != 0 || p[offsets.size(0) - 1] != qkv.size(0))
    throw UsageError("per_graph_attention: ptr must run from 0 to N = " + std::to_string(qkv.size(0)));
  for (int64_t b = 0; b + 1 < offsets.size(0); ++b)
    if (p[b + 1] < p[b]) throw UsageError("per_graph_attention: ptr must be non-decreasing");
  return PerGraphAttention::apply(qkv, offsets, heads);
}

}  // namespace graphtx
