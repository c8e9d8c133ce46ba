#include "layers/grit_pair_scores.hpp"

#include "graph/errors.hpp"
#include "layers/fused_rows.hpp"
#include "layers/head_rows.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace graphtx {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Pairs per block of the backward: A's gradient is a sum of per-block partial sums in block order.
constexpr int64_t kBlock = 256;

template <typename T>
struct Inputs {
  Inputs(const torch::Tensor& q_, const torch::Tensor& k_, const torch::Tensor& wb_, const torch::Tensor& A_)
      : d(q_.size(1)), heads(A_.size(0)), q(q_), k(k_), wb(wb_), A(A_.contiguous()), a(A.data_ptr<T>()) {}
  int64_t d, heads;
  fused::Rows<T> q, k, wb;
  torch::Tensor A;
  const T* a;  // A row-major: column c of the pair belongs to head c / d_h and a[c] is its weight
};

// Row kernels (restrict-qualified: GCC vectorizes them without alias checks), d columns.
// out = ReLU(ρ((x + y) ⊙ w) + b) and p = out ⊙ a (the terms of the per-head scores).
template <typename T>
void pair_row(const T* __restrict x, const T* __restrict y, const T* __restrict w, const T* __restrict b,
              const T* __restrict a, T* __restrict out, T* __restrict p, int64_t d) {
  for (int64_t c = 0; c < d; ++c) {
    const T t = (x[c] + y[c]) * w[c];
    out[c] = std::max(std::copysign(std::sqrt(std::abs(t)), t) + b[c], T(0));
    p[c] = out[c] * a[c];
  }
}

template <typename T>
void pairs_forward(const Inputs<T>& in, T clamp, const EdgeIncidence& inc, const fused::Rows<T>& e_hat,
                   const fused::Rows<T>& raw, const fused::Rows<T>& scores) {
  const int64_t d = in.d, heads = in.heads, dh = d / heads;
  const int64_t* source = inc.source.data_ptr<int64_t>();
  const int64_t* target = inc.target.data_ptr<int64_t>();
  fused::for_rows(inc.num_edges, d, [&](int64_t begin, int64_t end) {
    std::vector<T> terms(static_cast<size_t>(d));
    for (int64_t e = begin; e < end; ++e) {
      pair_row(in.q[target[e]], in.k[source[e]], in.wb[e], in.wb[e] + d, in.a, e_hat[e], terms.data(), d);
      fused::head_sums(terms.data(), heads, dh, raw[e]);
      for (int64_t h = 0; h < heads; ++h) scores[e][h] = std::min(std::max(raw[e][h], -clamp), clamp);
    }
  });
}

// One pair's backward: x = q[i], y = k[j], w = its w row, out = ê, ge = ê's gradient, gs = the
// gradient of its head's score spread over the head's columns (0 where clamped) -> gw, gb, gqk
// (the gradient of x + y), and A's gradient accumulated into ga.
template <typename T>
void pair_backward(const T* __restrict x, const T* __restrict y, const T* __restrict w, const T* __restrict out,
                   const T* __restrict ge, const T* __restrict a, const T* __restrict gs, T* __restrict gw,
                   T* __restrict gb, T* __restrict gqk, T* __restrict ga, int64_t d) {
  for (int64_t c = 0; c < d; ++c) {
    const T qk = x[c] + y[c];
    const T t = qk * w[c];
    // Both sides of each select are computed: no branches in the loop.
    const T through = ge[c] + gs[c] * a[c];
    const T pre = out[c] > 0 ? through : T(0);
    const T slope = pre / (T(2) * std::sqrt(std::abs(t)));
    const T gt = t == 0 ? T(0) : slope;
    gb[c] = pre;
    gw[c] = gt * qk;
    gqk[c] = gt * w[c];
    ga[c] += gs[c] * out[c];
  }
}

// For the pairs [begin, end): g_wb = [g_w | g_b], g_qk and the partial sum of A's gradient over
// these pairs into g_a [d].
template <typename T>
void pairs_backward(const Inputs<T>& in, T clamp, const EdgeIncidence& inc, const fused::Rows<T>& g_e,
                    const fused::Rows<T>& g_s, const fused::Rows<T>& e_hat, const fused::Rows<T>& raw,
                    const fused::Rows<T>& g_wb, const fused::Rows<T>& g_qk, T* g_a, int64_t begin, int64_t end) {
  const int64_t d = in.d, heads = in.heads, dh = d / heads;
  const int64_t* source = inc.source.data_ptr<int64_t>();
  const int64_t* target = inc.target.data_ptr<int64_t>();
  std::vector<T> gs(static_cast<size_t>(heads)), spread(static_cast<size_t>(d));
  std::fill(g_a, g_a + d, T(0));
  for (int64_t e = begin; e < end; ++e) {
    for (int64_t h = 0; h < heads; ++h) gs[h] = raw[e][h] >= -clamp && raw[e][h] <= clamp ? g_s[e][h] : T(0);
    fused::spread_heads(gs.data(), heads, dh, spread.data());
    pair_backward(in.q[target[e]], in.k[source[e]], in.wb[e], e_hat[e], g_e[e], in.a, spread.data(), g_wb[e],
                  g_wb[e] + d, g_qk[e], g_a, d);
  }
}

struct GritPairScores : torch::autograd::Function<GritPairScores> {
  static variable_list forward(AutogradContext* ctx, const torch::Tensor& q, const torch::Tensor& k,
                               const torch::Tensor& wb, const torch::Tensor& A, double clamp,
                               const EdgeIncidence& inc) {
    const int64_t d = q.size(1);
    const torch::Tensor e_hat = torch::empty({inc.num_edges, d}, q.options());
    const torch::Tensor raw = torch::empty({inc.num_edges, A.size(0)}, q.options());
    const torch::Tensor scores = torch::empty_like(raw);
    AT_DISPATCH_FLOATING_TYPES(q.scalar_type(), "grit_pair_scores", [&] {
      using Rows = fused::Rows<scalar_t>;
      pairs_forward(Inputs<scalar_t>(q, k, wb, A), static_cast<scalar_t>(clamp), inc, Rows(e_hat), Rows(raw),
                    Rows(scores));
    });
    fused::save_incidence(ctx, inc);
    ctx->saved_data["clamp"] = clamp;
    ctx->save_for_backward({q, k, wb, A, e_hat, raw});
    return {e_hat, scores};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const EdgeIncidence inc = fused::load_incidence(ctx);
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor &q = saved[0], &A = saved[3];
    const int64_t d = q.size(1), blocks = (inc.num_edges + kBlock - 1) / kBlock;
    const torch::Tensor g_e = grads[0].contiguous(), g_s = grads[1].contiguous();
    const torch::Tensor g_wb = torch::empty({inc.num_edges, 2 * d}, q.options());
    const torch::Tensor g_qk = torch::empty({inc.num_edges, d}, q.options());
    const torch::Tensor partial = torch::empty({blocks, d}, q.options());
    torch::Tensor gq, gk, gA;
    AT_DISPATCH_FLOATING_TYPES(q.scalar_type(), "grit_pair_scores_backward", [&] {
      using Rows = fused::Rows<scalar_t>;
      const Inputs<scalar_t> in(q, saved[1], saved[2], A);
      const auto clamp = static_cast<scalar_t>(ctx->saved_data["clamp"].toDouble());
      const Rows rge(g_e), rgs(g_s), re(saved[4]), rr(saved[5]), rwb(g_wb), rqk(g_qk), rp(partial);
      at::parallel_for(0, blocks, 1, [&](int64_t first, int64_t last) {
        for (int64_t b = first; b < last; ++b)
          pairs_backward(in, clamp, inc, rge, rgs, re, rr, rwb, rqk, rp[b], b * kBlock,
                         std::min(inc.num_edges, (b + 1) * kBlock));
      });
      if (ctx->needs_input_grad(3)) {
        gA = torch::zeros(A.sizes(), q.options());
        scalar_t* __restrict ga = gA.data_ptr<scalar_t>();
        for (int64_t b = 0; b < blocks; ++b)
          for (int64_t c = 0; c < d; ++c) ga[c] += rp[b][c];
      }
      if (ctx->needs_input_grad(0)) {
        gq = torch::empty({inc.num_nodes, d}, q.options());
        fused::grouped_row_sum(rqk, inc.in_ptr.data_ptr<int64_t>(), inc.in_edges.data_ptr<int64_t>(), Rows(gq),
                               inc.num_nodes, d);
      }
      if (ctx->needs_input_grad(1)) {
        gk = torch::empty({inc.num_nodes, d}, q.options());
        fused::grouped_row_sum(rqk, inc.out_ptr.data_ptr<int64_t>(), inc.out_edges.data_ptr<int64_t>(), Rows(gk),
                               inc.num_nodes, d);
      }
    });
    return {gq, gk, ctx->needs_input_grad(2) ? g_wb : torch::Tensor(), gA, torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

std::vector<torch::Tensor> grit_pair_scores(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& wb,
                                            const torch::Tensor& A, double clamp, const EdgeIncidence& incidence) {
  const int64_t n = incidence.num_nodes;
  if (q.dim() != 2 || k.dim() != 2 || q.size(0) != n || k.size(0) != n || q.size(1) != k.size(1))
    throw UsageError("grit_pair_scores: q and k must have shape [N, d] for the incidence's N nodes");
  const int64_t d = q.size(1);
  if (wb.dim() != 2 || wb.size(0) != incidence.num_edges || wb.size(1) != 2 * d)
    throw UsageError("grit_pair_scores: wb must have shape [E, 2d]");
  if (A.dim() != 2 || A.size(0) < 1 || A.size(0) * A.size(1) != d)
    throw UsageError("grit_pair_scores: A must have shape [H, d / H]");
  if (k.scalar_type() != q.scalar_type() || wb.scalar_type() != q.scalar_type() || A.scalar_type() != q.scalar_type())
    throw UsageError("grit_pair_scores: q, k, wb and A must have one floating type");
  return GritPairScores::apply(q, k, wb, A, clamp, incidence);
}

}  // namespace graphtx
