#include "layers/edge_dot_scores.hpp"

#include "graph/errors.hpp"
#include "layers/fused_rows.hpp"
#include "layers/head_rows.hpp"
#include "layers/row_prefetch.hpp"

#include <string>
#include <vector>

namespace graphtx {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Rows of q, k and c (c may be undefined: a factor 1), H heads of dh columns.
template <typename T>
struct Factors {
  Factors(const torch::Tensor& q_, const torch::Tensor& k_, const torch::Tensor& c_, int64_t heads_)
      : with_c(c_.defined()), heads(heads_), dh(q_.size(1) / heads_), q(q_), k(k_), c(with_c ? c_ : q_) {}
  bool with_c;
  int64_t heads, dh;
  fused::Rows<T> q, k, c;
};

// p = x ⊙ y ⊙ z · scale (z null: a factor 1); d columns.
template <typename T>
void product_row(const T* __restrict x, const T* __restrict y, const T* __restrict z, T scale, T* __restrict p,
                 int64_t d) {
  if (z == nullptr) {
    for (int64_t c = 0; c < d; ++c) p[c] = x[c] * y[c] * scale;
    return;
  }
  for (int64_t c = 0; c < d; ++c) p[c] = x[c] * y[c] * scale * z[c];
}

template <typename T>
void scores_forward(const Factors<T>& f, T scale, const EdgeIncidence& inc, const fused::Rows<T>& scores,
                    const fused::Rows<T>& pair) {
  const int64_t* source = inc.source.data_ptr<int64_t>();
  const int64_t* target = inc.target.data_ptr<int64_t>();
  const int64_t d = f.heads * f.dh;
  fused::for_rows(inc.num_edges, d, [&](int64_t begin, int64_t end) {
    std::vector<T> scratch(static_cast<size_t>(d));  // the products when they are not an output
    for (int64_t e = begin; e < end; ++e) {
      T* p = f.with_c ? pair[e] : scratch.data();
      product_row(f.q[target[e]], f.k[source[e]], f.with_c ? f.c[e] : nullptr, scale, p, d);
      fused::head_sums(p, f.heads, f.dh, scores[e]);
    }
  });
}

// One edge of a group, with t = scale (gp + gs) (gs spread over its head's columns; gp null: 0):
// o += t ⊙ y ⊙ z (z null: a factor 1) and, if ge is not null, ge = t ⊙ x ⊙ y.
template <typename T>
void edge_backward(T scale, const T* __restrict gs, const T* __restrict gp, const T* __restrict x,
                   const T* __restrict y, const T* __restrict z, T* __restrict o, T* __restrict ge, int64_t d) {
  if (z == nullptr) {
    for (int64_t c = 0; c < d; ++c) o[c] += scale * gs[c] * y[c];
    return;
  }
  if (ge == nullptr) {
    for (int64_t c = 0; c < d; ++c) o[c] += scale * (gp[c] + gs[c]) * y[c] * z[c];
    return;
  }
  for (int64_t c = 0; c < d; ++c) {
    const T t = scale * (gp[c] + gs[c]);
    o[c] += t * y[c] * z[c];
    ge[c] = t * x[c] * y[c];
  }
}

// With t_k = scale (g_pair_k + g_s_kh over head h's columns; g_s alone without c), for the groups of
// `ptr`/`edges` (row r, the edge's far end far_k): out_r = Σ_k t_k ⊙ other[far_k] ⊙ c_k and, if
// edge_out is defined, edge_out_k = t_k ⊙ own_r ⊙ other[far_k].
template <typename T>
void scores_backward(const Factors<T>& f, T scale, const fused::Rows<T>& g_s, const fused::Rows<T>& g_pair,
                     const fused::Rows<T>& own, const fused::Rows<T>& other, const int64_t* far, const int64_t* ptr,
                     const int64_t* edges, int64_t groups, const fused::Rows<T>& out, const torch::Tensor& edge_out) {
  const int64_t d = f.heads * f.dh;
  const bool write_edges = edge_out.defined();
  const fused::Rows<T> re(write_edges ? edge_out : out.tensor);
  fused::for_rows(groups, d, [&](int64_t begin, int64_t end) {
    std::vector<T> spread(static_cast<size_t>(d));
    const int64_t last = ptr[end];
    for (int64_t r = begin; r < end; ++r) {
      T* o = out[r];
      std::fill(o, o + d, T(0));
      for (int64_t p = ptr[r]; p < ptr[r + 1]; ++p) {
        if (p + fused::kAhead < last) {
          const int64_t a = edges[p + fused::kAhead];
          fused::prefetch_row(other[far[a]], d);
          fused::prefetch_row(g_s[a], f.heads);
          if (f.with_c) {
            fused::prefetch_row(g_pair[a], d);
            fused::prefetch_row(f.c[a], d);
          }
          if (write_edges) fused::prefetch_row(re[a], d);
        }
        const int64_t e = edges[p];
        fused::spread_heads(g_s[e], f.heads, f.dh, spread.data());
        edge_backward(scale, spread.data(), f.with_c ? g_pair[e] : nullptr, own[r], other[far[e]],
                      f.with_c ? f.c[e] : nullptr, o, write_edges ? re[e] : nullptr, d);
      }
    }
  });
}

struct EdgeDotScores : torch::autograd::Function<EdgeDotScores> {
  // c arrives as an optional: custom functions take no undefined tensor inputs.
  static variable_list forward(AutogradContext* ctx, const torch::Tensor& q, const torch::Tensor& k,
                               const c10::optional<torch::Tensor>& c_in, int64_t heads, double scale,
                               const EdgeIncidence& inc) {
    const torch::Tensor c = c_in.value_or(torch::Tensor());
    const torch::Tensor scores = torch::empty({inc.num_edges, heads}, q.options());
    const torch::Tensor pair = c.defined() ? torch::empty({inc.num_edges, q.size(1)}, q.options()) : torch::Tensor();
    AT_DISPATCH_FLOATING_TYPES(q.scalar_type(), "edge_dot_scores", [&] {
      scores_forward(Factors<scalar_t>(q, k, c, heads), static_cast<scalar_t>(scale), inc,
                     fused::Rows<scalar_t>(scores), fused::Rows<scalar_t>(c.defined() ? pair : scores));
    });
    fused::save_incidence(ctx, inc);
    ctx->saved_data["heads"] = heads;
    ctx->saved_data["scale"] = scale;
    ctx->save_for_backward({q, k, c});
    return c.defined() ? variable_list{scores, pair} : variable_list{scores};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const EdgeIncidence inc = fused::load_incidence(ctx);
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor &q = saved[0], &k = saved[1], &c = saved[2];
    const torch::Tensor g_s = grads[0].contiguous();
    const torch::Tensor g_pair = c.defined() ? grads[1].contiguous() : g_s;
    torch::Tensor gq = ctx->needs_input_grad(0) ? torch::empty({inc.num_nodes, q.size(1)}, q.options()) : torch::Tensor();
    torch::Tensor gk = ctx->needs_input_grad(1) ? torch::empty({inc.num_nodes, q.size(1)}, q.options()) : torch::Tensor();
    torch::Tensor gc = c.defined() && ctx->needs_input_grad(2) ? torch::empty({inc.num_edges, q.size(1)}, q.options())
                                                               : torch::Tensor();
    AT_DISPATCH_FLOATING_TYPES(q.scalar_type(), "edge_dot_scores_backward", [&] {
      using Rows = fused::Rows<scalar_t>;
      const Factors<scalar_t> f(q, k, c, ctx->saved_data["heads"].toInt());
      const auto scale = static_cast<scalar_t>(ctx->saved_data["scale"].toDouble());
      const Rows rs(g_s), rp(g_pair);
      if (gq.defined() || gc.defined()) {
        const torch::Tensor into = gq.defined() ? gq : torch::empty({inc.num_nodes, q.size(1)}, q.options());
        scores_backward(f, scale, rs, rp, f.q, f.k, inc.source.data_ptr<int64_t>(), inc.in_ptr.data_ptr<int64_t>(),
                        inc.in_edges.data_ptr<int64_t>(), inc.num_nodes, Rows(into), gc);
      }
      if (gk.defined())
        scores_backward(f, scale, rs, rp, f.k, f.q, inc.target.data_ptr<int64_t>(), inc.out_ptr.data_ptr<int64_t>(),
                        inc.out_edges.data_ptr<int64_t>(), inc.num_nodes, Rows(gk), torch::Tensor());
    });
    return {gq, gk, gc, torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

std::vector<torch::Tensor> edge_dot_scores(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& c,
                                           int64_t heads, double scale, const EdgeIncidence& incidence) {
  const int64_t n = incidence.num_nodes;
  if (q.dim() != 2 || k.dim() != 2 || q.size(0) != n || k.size(0) != n || q.size(1) != k.size(1))
    throw UsageError("edge_dot_scores: q and k must have shape [N, d] for the incidence's N nodes");
  if (heads < 1 || q.size(1) % heads != 0)
    throw UsageError("edge_dot_scores: d = " + std::to_string(q.size(1)) + " is not divisible by " +
                     std::to_string(heads) + " heads");
  if (c.defined() && (c.dim() != 2 || c.size(0) != incidence.num_edges || c.size(1) != q.size(1)))
    throw UsageError("edge_dot_scores: c must have shape [E, d]");
  if (k.scalar_type() != q.scalar_type() || (c.defined() && c.scalar_type() != q.scalar_type()))
    throw UsageError("edge_dot_scores: q, k and c must have one floating type");
  return EdgeDotScores::apply(q, k, c.defined() ? c10::make_optional(c) : c10::nullopt, heads, scale, incidence);
}

}  // namespace graphtx
