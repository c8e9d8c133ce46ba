#include "layers/segment_attention.hpp"

#include "graph/errors.hpp"
#include "layers/fused_rows.hpp"

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

// out_i (and out_u_i) for the receivers [begin, end); writes α of their edges.
template <typename T>
void attend(const fused::Rows<T>& scores, const Operands<T>& op, const EdgeIncidence& inc, double eps,
            const fused::Rows<T>& out, const fused::Rows<T>& out_u, int64_t begin, int64_t end) {
  const int64_t heads = op.heads, dh = op.dh, d = heads * dh;
  const int64_t* source = inc.source.data_ptr<int64_t>();
  const int64_t* ptr = inc.in_ptr.data_ptr<int64_t>();
  const int64_t* edges = inc.in_edges.data_ptr<int64_t>();
  std::vector<T> top(static_cast<size_t>(heads)), total(static_cast<size_t>(heads));
  for (int64_t i = begin; i < end; ++i) {
    T* __restrict o = out[i];
    std::fill(o, o + d, T(0));
    if (op.with_u) std::fill(out_u[i], out_u[i] + d, T(0));
    if (ptr[i] == ptr[i + 1]) continue;
    std::copy(scores[edges[ptr[i]]], scores[edges[ptr[i]]] + heads, top.begin());
    for (int64_t p = ptr[i] + 1; p < ptr[i + 1]; ++p)
      for (int64_t h = 0; h < heads; ++h) top[h] = std::max(top[h], scores[edges[p]][h]);
    std::fill(total.begin(), total.end(), T(0));
    for (int64_t p = ptr[i]; p < ptr[i + 1]; ++p) {
      T* a = op.alpha[edges[p]];
      for (int64_t h = 0; h < heads; ++h) total[h] += a[h] = std::exp(scores[edges[p]][h] - top[h]);
    }
    for (int64_t p = ptr[i]; p < ptr[i + 1]; ++p) {
      const int64_t k = edges[p];
      T* a = op.alpha[k];
      for (int64_t h = 0; h < heads; ++h) a[h] /= total[h] + static_cast<T>(eps);
      for (int64_t h = 0; h < heads; ++h) {
        const T w = op.weight(k, h);
        const T* __restrict x = op.v[source[k]] + h * dh;
        T* __restrict oh = o + h * dh;
        for (int64_t c = 0; c < dh; ++c) oh[c] += w * x[c];
        if (!op.with_u) continue;
        const T* __restrict y = op.u[k] + h * dh;
        T* __restrict uh = out_u[i] + h * dh;
        for (int64_t c = 0; c < dh; ++c) uh[c] += w * y[c];
      }
    }
  }
}

// Per receiver i: gα_kh = keep_kh (<g_i, v[j_k]>_h + <gu_i, u_k>_h), then gs_kh = α_kh (gα_kh − Σ_k' α_k'h gα_k'h)
// into gs (if defined), and the gradient of u, w_kh gu_i, into g_u_in (if defined).
template <typename T>
void receivers_backward(const fused::Rows<T>& g, const fused::Rows<T>& gu, const Operands<T>& op,
                        const EdgeIncidence& inc, const torch::Tensor& gs, const torch::Tensor& g_u_in) {
  const int64_t heads = op.heads, dh = op.dh;
  const int64_t* source = inc.source.data_ptr<int64_t>();
  const int64_t* ptr = inc.in_ptr.data_ptr<int64_t>();
  const int64_t* edges = inc.in_edges.data_ptr<int64_t>();
  const fused::Rows<T> rs(gs.defined() ? gs : op.alpha.tensor), ru(g_u_in.defined() ? g_u_in : g.tensor);
  fused::for_rows(inc.num_nodes, heads * dh, [&](int64_t begin, int64_t end) {
    std::vector<T> dot(static_cast<size_t>(heads));
    for (int64_t i = begin; i < end; ++i) {
      for (int64_t p = ptr[i]; p < ptr[i + 1]; ++p) {
        const int64_t k = edges[p];
        for (int64_t h = 0; h < heads; ++h) {
          const T* __restrict gi = g[i] + h * dh;
          const T* __restrict x = op.v[source[k]] + h * dh;
          T s = 0;
          for (int64_t c = 0; c < dh; ++c) s += gi[c] * x[c];
          if (op.with_u) {
            const T* __restrict gui = gu[i] + h * dh;
            const T* __restrict y = op.u[k] + h * dh;
            for (int64_t c = 0; c < dh; ++c) s += gui[c] * y[c];
            if (g_u_in.defined()) {
              const T w = op.weight(k, h);
              T* __restrict r = ru[k] + h * dh;
              for (int64_t c = 0; c < dh; ++c) r[c] = w * gui[c];
            }
          }
          if (gs.defined()) rs[k][h] = op.with_keep ? s * op.keep[k][h] : s;
        }
      }
      if (!gs.defined()) continue;
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
  const int64_t heads = op.heads, dh = op.dh;
  const int64_t* target = inc.target.data_ptr<int64_t>();
  const int64_t* ptr = inc.out_ptr.data_ptr<int64_t>();
  const int64_t* edges = inc.out_edges.data_ptr<int64_t>();
  fused::for_rows(inc.num_nodes, heads * dh, [&](int64_t begin, int64_t end) {
    for (int64_t j = begin; j < end; ++j) {
      T* __restrict r = gv[j];
      std::fill(r, r + heads * dh, T(0));
      for (int64_t p = ptr[j]; p < ptr[j + 1]; ++p) {
        const int64_t k = edges[p];
        for (int64_t h = 0; h < heads; ++h) {
          const T w = op.weight(k, h);
          const T* __restrict gi = g[target[k]] + h * dh;
          T* __restrict rh = r + h * dh;
          for (int64_t c = 0; c < dh; ++c) rh[c] += w * gi[c];
        }
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
