#include "layers/per_graph_attention.hpp"

#include "graph/errors.hpp"
#include "layers/dnnl_gemm.hpp"

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
GRAPHTX_INLINE void weights_times_rows(const T* __restrict w, const T* __restrict m, T* __restrict o, int64_t n,
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
  std::vector<T> k, kt, v, vt, dk, dv, p, ds, q;
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
    weights_times_rows(s, w.v.data(), o, n, dh, T(1) / l);
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
    weights_times_rows(ds, w.k.data(), grad_rows + i * L.ld, n, dh, scale);
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

// Float blocks: the five products of a (graph, head) block are oneDNN GEMMs straight on the strided
// head columns of qkv, out and the gradients; only the [n, n] probabilities and score gradients are
// scratch. The row passes between them have AVX-512 and AVX2 clones chosen at load time.
namespace gemm {

// Rows of s [n, n] (scaled scores) become probabilities; lse[i stride] = log Σ_j exp(s_ij).
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) void softmax_rows(
    float* s, int64_t n, float* lse, int64_t stride) {
  for (int64_t i = 0; i < n; ++i) {
    float* __restrict row = s + i * n;
    float lanes[8];
    std::fill(lanes, lanes + 8, row[0]);
    int64_t j = 0;
    for (; j + 8 <= n; j += 8)
      for (int k = 0; k < 8; ++k) lanes[k] = lanes[k] < row[j + k] ? row[j + k] : lanes[k];
    float m = *std::max_element(lanes, lanes + 8);
    for (; j < n; ++j) m = m < row[j] ? row[j] : m;
    const float l = exp_shifted(row, m, n);  // >= 1: the maximum contributes e^0
    const float inv = 1.0f / l;
    for (j = 0; j < n; ++j) row[j] *= inv;
    lse[i * stride] = m + std::log(l);
  }
}

// p_ij = exp(s_ij - lse_i) in place; ds_ij = p_ij (dp_ij - Σ_c dO_ic O_ic) in place of dp.
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) void softmax_backward_rows(
    float* p, float* dp, int64_t n, const float* lse, int64_t stride, const float* go, const float* o, int64_t ld_o,
    int64_t dh) {
  for (int64_t i = 0; i < n; ++i) {
    float* __restrict pi = p + i * n;
    float* __restrict di = dp + i * n;
    const float* __restrict gi = go + i * ld_o;
    const float* __restrict oi = o + i * ld_o;
    float go_o = 0;
    for (int64_t c = 0; c < dh; ++c) go_o += gi[c] * oi[c];
    const float shift = lse[i * stride];
    for (int64_t j = 0; j < n; ++j) {
      pi[j] = exp_nonpositive(pi[j] - shift);
      di[j] = pi[j] * (di[j] - go_o);
    }
  }
}

struct Block {
  int64_t r0, n, h;
};

Block block_of(const Layout& L, int64_t t) {
  const int64_t g = t / L.heads, r0 = L.ptr[g];
  return {r0, L.ptr[g + 1] - r0, t % L.heads};
}

// S = scale Q Kᵀ, P = softmax rows, O = P V.
void forward_block(const Layout& L, int64_t t, const float* qkv, float* out, float* lse, Scratch<float>& w) {
  const Block b = block_of(L, t);
  if (b.n == 0) return;
  const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(L.dh)));
  w.p.resize(static_cast<size_t>(b.n * b.n));
  const float* q = qkv + b.r0 * L.ld + b.h * L.dh;
  sgemm('N', 'T', b.n, b.n, L.dh, scale, q, L.ld, q + L.d, L.ld, 0.0f, w.p.data(), b.n);
  softmax_rows(w.p.data(), b.n, lse + b.r0 * L.heads + b.h, L.heads);
  sgemm('N', 'N', b.n, L.dh, b.n, 1.0f, w.p.data(), b.n, q + 2 * L.d, L.ld, 0.0f, out + b.r0 * L.d + b.h * L.dh, L.d);
}

// P again from the log-sum-exp, dP = dO Vᵀ, dS = P ⊙ (dP - rowdot(dO, O)); dQ = scale dS K,
// dK = scale dSᵀ Q, dV = Pᵀ dO.
void backward_block(const Layout& L, int64_t t, const float* qkv, const float* out, const float* lse,
                    const float* grad, float* grad_qkv, Scratch<float>& w) {
  const Block b = block_of(L, t);
  if (b.n == 0) return;
  const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(L.dh)));
  const auto block = static_cast<size_t>(b.n * b.n);
  w.p.resize(block);
  w.ds.resize(block);
  const float* q = qkv + b.r0 * L.ld + b.h * L.dh;
  const float* go = grad + b.r0 * L.d + b.h * L.dh;
  float* gq = grad_qkv + b.r0 * L.ld + b.h * L.dh;
  sgemm('N', 'T', b.n, b.n, L.dh, scale, q, L.ld, q + L.d, L.ld, 0.0f, w.p.data(), b.n);
  sgemm('N', 'T', b.n, b.n, L.dh, 1.0f, go, L.d, q + 2 * L.d, L.ld, 0.0f, w.ds.data(), b.n);
  softmax_backward_rows(w.p.data(), w.ds.data(), b.n, lse + b.r0 * L.heads + b.h, L.heads, go,
                        out + b.r0 * L.d + b.h * L.dh, L.d, L.dh);
  sgemm('N', 'N', b.n, L.dh, b.n, scale, w.ds.data(), b.n, q + L.d, L.ld, 0.0f, gq, L.ld);
  sgemm('T', 'N', b.n, L.dh, b.n, scale, w.ds.data(), b.n, q, L.ld, 0.0f, gq + L.d, L.ld);
  sgemm('T', 'N', b.n, L.dh, b.n, 1.0f, w.p.data(), b.n, go, L.d, 0.0f, gq + 2 * L.d, L.ld);
}

}  // namespace gemm

template <typename T>
void attention_forward(const Layout& L, const T* qkv, T* out, T* lse) {
  at::parallel_for(0, L.graphs * L.heads, 1, [&](int64_t begin, int64_t end) {
    Scratch<T> w;
    for (int64_t t = begin; t < end; ++t) {
      if constexpr (std::is_same_v<T, float>)
        gemm::forward_block(L, t, qkv, out, lse, w);
      else
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
        gemm::backward_block(L, t, qkv, out, lse, grad, grad_qkv, w);
      else
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
