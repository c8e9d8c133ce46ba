#include "layers/segment_attention.hpp"

#include "graph/errors.hpp"
#include "layers/fused_rows.hpp"
#include "layers/head_rows.hpp"
#include "layers/row_prefetch.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace graphtx {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// The tensors of one call as rows; u and keep may be undefined (with_u, with_keep false).
template <typename T>
struct Operands {
  Operands(const torch::Tensor& alpha_, const torch::Tensor& v_, const torch::Tensor& u_, const torch::Tensor& keep_)
      : with_u(u_.defined()), with_keep(keep_.defined()), heads(alpha_.size(1)), dh(v_.size(1) / heads),
        alpha(alpha_), v(v_), u(with_u ? u_ : v_), keep(with_keep ? keep_ : alpha_) {}
  bool with_u, with_keep;
  int64_t heads, dh;
  fused::Rows<T> alpha, v, u, keep;

  T weight(int64_t k, int64_t h) const { return with_keep ? alpha[k][h] * keep[k][h] : alpha[k][h]; }
};

// Row kernels (restrict-qualified: GCC vectorizes them without alias checks), d columns.
// o += w ⊙ x
template <typename T>
void add_weighted(const T* __restrict w, const T* __restrict x, T* __restrict o, int64_t d) {
  for (int64_t c = 0; c < d; ++c) o[c] += w[c] * x[c];
}
// p = a ⊙ b (+ e ⊙ f when e is not null)
template <typename T>
void products(const T* __restrict a, const T* __restrict b, const T* __restrict e, const T* __restrict f,
              T* __restrict p, int64_t d) {
  if (e == nullptr) {
    for (int64_t c = 0; c < d; ++c) p[c] = a[c] * b[c];
    return;
  }
  for (int64_t c = 0; c < d; ++c) p[c] = a[c] * b[c] + e[c] * f[c];
}
// o = w ⊙ x
template <typename T>
void weighted(const T* __restrict w, const T* __restrict x, T* __restrict o, int64_t d) {
  for (int64_t c = 0; c < d; ++c) o[c] = w[c] * x[c];
}

// α of the edges into receiver i from their scores: max-subtracted exponentials over eps-guarded sums.
template <typename T>
void softmax_group(const fused::Rows<T>& scores, const fused::Rows<T>& alpha, const int64_t* edges, int64_t first,
                   int64_t last, int64_t heads, T eps, T* top, T* total) {
  std::copy(scores[edges[first]], scores[edges[first]] + heads, top);
  for (int64_t p = first + 1; p < last; ++p)
    for (int64_t h = 0; h < heads; ++h) top[h] = std::max(top[h], scores[edges[p]][h]);
  std::fill(total, total + heads, T(0));
  for (int64_t p = first; p < last; ++p) {
    T* a = alpha[edges[p]];
    for (int64_t h = 0; h < heads; ++h) total[h] += a[h] = std::exp(scores[edges[p]][h] - top[h]);
  }
  for (int64_t p = first; p < last; ++p)
    for (int64_t h = 0; h < heads; ++h) alpha[edges[p]][h] /= total[h] + eps;
}

// out_i (and out_u_i) for the receivers [begin, end); writes α of their edges.
template <typename T>
void attend(const fused::Rows<T>& scores, const Operands<T>& op, const EdgeIncidence& inc, double eps,
            const fused::Rows<T>& out, const fused::Rows<T>& out_u, int64_t begin, int64_t end) {
  const int64_t heads = op.heads, dh = op.dh, d = heads * dh;
  const int64_t* source = inc.source.data_ptr<int64_t>();
  const int64_t* ptr = inc.in_ptr.data_ptr<int64_t>();
  const int64_t* edges = inc.in_edges.data_ptr<int64_t>();
  std::vector<T> top(static_cast<size_t>(heads)), total(static_cast<size_t>(heads)), w(static_cast<size_t>(heads));
  std::vector<T> spread(static_cast<size_t>(d));
  for (int64_t i = begin; i < end; ++i) {
    std::fill(out[i], out[i] + d, T(0));
    if (op.with_u) std::fill(out_u[i], out_u[i] + d, T(0));
    if (ptr[i] == ptr[i + 1]) continue;
    softmax_group(scores, op.alpha, edges, ptr[i], ptr[i + 1], heads, static_cast<T>(eps), top.data(), total.data());
    for (int64_t p = ptr[i]; p < ptr[i + 1]; ++p) {
      if (p + fused::kAhead < ptr[end]) {
        const int64_t a = edges[p + fused::kAhead];
        fused::prefetch_row(op.v[source[a]], d);
        if (op.with_u) fused::prefetch_row(op.u[a], d);
      }
      const int64_t k = edges[p];
      for (int64_t h = 0; h < heads; ++h) w[h] = op.weight(k, h);
      fused::spread_heads(w.data(), heads, dh, spread.data());
      add_weighted(spread.data(), op.v[source[k]], out[i], d);
      if (op.with_u) add_weighted(spread.data(), op.u[k], out_u[i], d);
    }
  }
}

// Per receiver i: gα_kh = keep_kh (<g_i, v[j_k]>_h + <gu_i, u_k>_h), then gs_kh = α_kh (gα_kh − Σ_k' α_k'h gα_k'h)
// into gs (if defined), and the gradient of u, w_kh gu_i, into g_u_in (if defined).
template <typename T>
void receivers_backward(const fused::Rows<T>& g, const fused::Rows<T>& gu, const Operands<T>& op,
                        const EdgeIncidence& inc, const torch::Tensor& gs, const torch::Tensor& g_u_in) {
  const int64_t heads = op.heads, dh = op.dh, d = heads * dh;
  const int64_t* source = inc.source.data_ptr<int64_t>();
  const int64_t* ptr = inc.in_ptr.data_ptr<int64_t>();
  const int64_t* edges = inc.in_edges.data_ptr<int64_t>();
  const bool scores = gs.defined(), to_u = g_u_in.defined();
  const fused::Rows<T> rs(scores ? gs : op.alpha.tensor), ru(to_u ? g_u_in : g.tensor);
  fused::for_rows(inc.num_nodes, d, [&](int64_t begin, int64_t end) {
    std::vector<T> dot(static_cast<size_t>(heads)), w(static_cast<size_t>(heads));
    std::vector<T> row(static_cast<size_t>(d));
    for (int64_t i = begin; i < end; ++i) {
      for (int64_t p = ptr[i]; p < ptr[i + 1]; ++p) {
        if (p + fused::kAhead < ptr[end]) {
          const int64_t a = edges[p + fused::kAhead];
          if (scores) fused::prefetch_row(op.v[source[a]], d);
          if (op.with_u) fused::prefetch_row(op.u[a], d);
          if (to_u) fused::prefetch_row(ru[a], d);
        }
        const int64_t k = edges[p];
        if (scores) {
          products(g[i], op.v[source[k]], op.with_u ? gu[i] : nullptr, op.with_u ? op.u[k] : nullptr, row.data(), d);
          fused::head_sums(row.data(), heads, dh, rs[k]);
          if (op.with_keep)
            for (int64_t h = 0; h < heads; ++h) rs[k][h] *= op.keep[k][h];
        }
        if (to_u) {
          for (int64_t h = 0; h < heads; ++h) w[h] = op.weight(k, h);
          fused::spread_heads(w.data(), heads, dh, row.data());
          weighted(row.data(), gu[i], ru[k], d);
        }
      }
      if (!scores) continue;
      std::fill(dot.begin(), dot.end(), T(0));
      for (int64_t p = ptr[i]; p < ptr[i + 1]; ++p)
        for (int64_t h = 0; h < heads; ++h) dot[h] += op.alpha[edges[p]][h] * rs[edges[p]][h];
      for (int64_t p = ptr[i]; p < ptr[i + 1]; ++p)
        for (int64_t h = 0; h < heads; ++h) rs[edges[p]][h] = op.alpha[edges[p]][h] * (rs[edges[p]][h] - dot[h]);
    }
  });
}

// gv_j = Σ_{k from j} w_kh g[i_k] (head h's columns).
template <typename T>
void senders_backward(const fused::Rows<T>& g, const Operands<T>& op, const EdgeIncidence& inc,
                      const fused::Rows<T>& gv) {
  const int64_t heads = op.heads, dh = op.dh, d = heads * dh;
  const int64_t* target = inc.target.data_ptr<int64_t>();
  const int64_t* ptr = inc.out_ptr.data_ptr<int64_t>();
  const int64_t* edges = inc.out_edges.data_ptr<int64_t>();
  fused::for_rows(inc.num_nodes, d, [&](int64_t begin, int64_t end) {
    std::vector<T> w(static_cast<size_t>(heads)), spread(static_cast<size_t>(d));
    for (int64_t j = begin; j < end; ++j) {
      std::fill(gv[j], gv[j] + d, T(0));
      for (int64_t p = ptr[j]; p < ptr[j + 1]; ++p) {
        if (p + fused::kAhead < ptr[end]) fused::prefetch_row(g[target[edges[p + fused::kAhead]]], d);
        const int64_t k = edges[p];
        for (int64_t h = 0; h < heads; ++h) w[h] = op.weight(k, h);
        fused::spread_heads(w.data(), heads, dh, spread.data());
        add_weighted(spread.data(), g[target[k]], gv[j], d);
      }
    }
  });
}

struct SegmentAttention : torch::autograd::Function<SegmentAttention> {
  // u and keep arrive as optionals: custom functions take no undefined tensor inputs.
  static variable_list forward(AutogradContext* ctx, const torch::Tensor& scores, const torch::Tensor& v,
                               const c10::optional<torch::Tensor>& u_in, const c10::optional<torch::Tensor>& keep_in,
                               const EdgeIncidence& inc, double eps) {
    const torch::Tensor u = u_in.value_or(torch::Tensor()), keep = keep_in.value_or(torch::Tensor());
    const torch::Tensor alpha = torch::empty_like(scores, torch::MemoryFormat::Contiguous);
    const torch::Tensor out = torch::empty({inc.num_nodes, v.size(1)}, v.options());
    const torch::Tensor out_u = u.defined() ? torch::empty_like(out) : torch::Tensor();
    AT_DISPATCH_FLOATING_TYPES(v.scalar_type(), "segment_attention", [&] {
      const Operands<scalar_t> op(alpha, v, u, keep);
      const fused::Rows<scalar_t> rs(scores), ro(out), rou(u.defined() ? out_u : out);
      fused::for_rows(inc.num_nodes, v.size(1),
                      [&](int64_t begin, int64_t end) { attend(rs, op, inc, eps, ro, rou, begin, end); });
    });
    fused::save_incidence(ctx, inc);
    ctx->save_for_backward({alpha, v, u, keep});
    return u.defined() ? variable_list{out, out_u} : variable_list{out};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const EdgeIncidence inc = fused::load_incidence(ctx);
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor& alpha = saved[0];
    const torch::Tensor& v = saved[1];
    const torch::Tensor& u = saved[2];
    const torch::Tensor g = grads[0].contiguous();
    const torch::Tensor g_u = u.defined() ? grads[1].contiguous() : g;
    torch::Tensor gs = ctx->needs_input_grad(0) ? torch::empty_like(alpha) : torch::Tensor();
    torch::Tensor gv = ctx->needs_input_grad(1) ? torch::empty_like(v, torch::MemoryFormat::Contiguous) : torch::Tensor();
    torch::Tensor gu = u.defined() && ctx->needs_input_grad(2) ? torch::empty_like(u, torch::MemoryFormat::Contiguous)
                                                               : torch::Tensor();
    AT_DISPATCH_FLOATING_TYPES(v.scalar_type(), "segment_attention_backward", [&] {
      const Operands<scalar_t> op(alpha, v, u, saved[3]);
      const fused::Rows<scalar_t> rg(g), rgu(g_u);
      if (gs.defined() || gu.defined()) receivers_backward(rg, rgu, op, inc, gs, gu);
      if (gv.defined()) senders_backward(rg, op, inc, fused::Rows<scalar_t>(gv));
    });
    return {gs, gv, gu, torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

std::vector<torch::Tensor> segment_attention(const torch::Tensor& scores, const torch::Tensor& v,
                                             const torch::Tensor& u, const torch::Tensor& keep,
                                             const EdgeIncidence& incidence, double eps) {
  const int64_t m = incidence.num_edges;
  if (scores.dim() != 2 || scores.size(0) != m || scores.size(1) < 1)
    throw UsageError("segment_attention: scores must have shape [E, H] for the incidence's E edges");
  const int64_t heads = scores.size(1);
  if (v.dim() != 2 || v.size(0) != incidence.num_nodes || v.size(1) % heads != 0)
    throw UsageError("segment_attention: v must have shape [N, d] with d divisible by the " + std::to_string(heads) +
                     " heads");
  if (u.defined() && (u.dim() != 2 || u.size(0) != m || u.size(1) != v.size(1)))
    throw UsageError("segment_attention: u must have shape [E, d]");
  if (keep.defined() && keep.sizes() != scores.sizes())
    throw UsageError("segment_attention: keep must have the shape of scores [E, H]");
  for (const torch::Tensor& t : {v, u, keep})
    if (t.defined() && t.scalar_type() != scores.scalar_type())
      throw UsageError("segment_attention: scores, v, u and keep must have one floating type");
  const auto optional = [](const torch::Tensor& t) { return t.defined() ? c10::make_optional(t) : c10::nullopt; };
  return SegmentAttention::apply(scores, v, optional(u), optional(keep), incidence, eps);
}

}  // namespace graphtx
