#include "layers/gated_message_passing.hpp"

#include "graph/errors.hpp"
#include "layers/fused_rows.hpp"

namespace graphtx {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Column blocks of projected: A x, B x, D x, E x.
enum Block : int64_t { kA = 0, kB = 1, kD = 2, kE = 3 };

template <typename T>
void edges_forward(const fused::Rows<T>& p, const torch::Tensor& ce, const EdgeIncidence& inc, const torch::Tensor& e_hat,
                   int64_t d) {
  const fused::Rows<T> rc(ce), re(e_hat);
  const int64_t* source = inc.source.data_ptr<int64_t>();
  const int64_t* target = inc.target.data_ptr<int64_t>();
  fused::for_rows(inc.num_edges, d, [&](int64_t begin, int64_t end) {
    for (int64_t k = begin; k < end; ++k) {
      const T* __restrict dx = p[target[k]] + kD * d;
      const T* __restrict ex = p[source[k]] + kE * d;
      const T* __restrict c = rc[k];
      T* __restrict o = re[k];
      for (int64_t q = 0; q < d; ++q) o[q] = dx[q] + ex[q] + c[q];
    }
  });
}

// aggregated_i = Σ σ_k B x[j_k] / den_i, den_i = Σ σ_k + eps, h_i = A x_i + aggregated_i.
template <typename T>
void nodes_forward(const fused::Rows<T>& p, const torch::Tensor& sigma, const EdgeIncidence& inc, double eps,
                   const torch::Tensor& h, const torch::Tensor& aggregated, const torch::Tensor& den, int64_t d) {
  const fused::Rows<T> rs(sigma), rh(h), ra(aggregated), rd(den);
  const int64_t* source = inc.source.data_ptr<int64_t>();
  const int64_t* ptr = inc.in_ptr.data_ptr<int64_t>();
  const int64_t* edges = inc.in_edges.data_ptr<int64_t>();
  fused::for_rows(inc.num_nodes, d, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      T* __restrict agg = ra[i];
      T* __restrict w = rd[i];
      std::fill(agg, agg + d, T(0));
      std::fill(w, w + d, static_cast<T>(eps));
      for (int64_t e = ptr[i]; e < ptr[i + 1]; ++e) {
        const int64_t k = edges[e];
        const T* __restrict s = rs[k];
        const T* __restrict bx = p[source[k]] + kB * d;
        for (int64_t q = 0; q < d; ++q) {
          agg[q] += s[q] * bx[q];
          w[q] += s[q];
        }
      }
      const T* __restrict ax = p[i] + kA * d;
      T* __restrict out = rh[i];
      for (int64_t q = 0; q < d; ++q) {
        agg[q] /= w[q];
        out[q] = ax[q] + agg[q];
      }
    }
  });
}

// With w = g_h / den: gê_k = g_e,k + w_i ⊙ (B x[j_k] - aggregated_i) ⊙ σ_k (1 - σ_k) (also the
// gradient of ce), and the blocks of the projected gradient: A: g_h; B_j: Σ_{k from j} σ_k ⊙ w[i_k];
// D_i: Σ_{k into i} gê_k; E_j: Σ_{k from j} gê_k.
template <typename T>
void backward_rows(const fused::Rows<T>& p, const torch::Tensor& g_h, const torch::Tensor& g_e, const torch::Tensor& w,
                   const torch::Tensor& sigma, const torch::Tensor& aggregated, const EdgeIncidence& inc,
                   const torch::Tensor& g_hat, const torch::Tensor& g_projected, int64_t d) {
  const fused::Rows<T> rgh(g_h), rw(w), rs(sigma), ra(aggregated), rgp(g_projected), rgk(g_hat);
  const bool with_ge = g_e.defined();
  const fused::Rows<T> rge(with_ge ? g_e : g_hat);
  const int64_t* source = inc.source.data_ptr<int64_t>();
  const int64_t* target = inc.target.data_ptr<int64_t>();
  fused::for_rows(inc.num_edges, d, [&](int64_t begin, int64_t end) {
    for (int64_t k = begin; k < end; ++k) {
      const T* __restrict wi = rw[target[k]];
      const T* __restrict ai = ra[target[k]];
      const T* __restrict bx = p[source[k]] + kB * d;
      const T* __restrict s = rs[k];
      const T* __restrict ge = rge[k];
      T* __restrict r = rgk[k];
      for (int64_t q = 0; q < d; ++q) {
        const T through_h = wi[q] * (bx[q] - ai[q]) * s[q] * (T(1) - s[q]);
        r[q] = with_ge ? ge[q] + through_h : through_h;
      }
    }
  });
  const int64_t* in_ptr = inc.in_ptr.data_ptr<int64_t>();
  const int64_t* in_edges = inc.in_edges.data_ptr<int64_t>();
  const int64_t* out_ptr = inc.out_ptr.data_ptr<int64_t>();
  const int64_t* out_edges = inc.out_edges.data_ptr<int64_t>();
  fused::for_rows(inc.num_nodes, 4 * d, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      T* __restrict row = rgp[i];
      std::copy(rgh[i], rgh[i] + d, row + kA * d);
      std::fill(row + d, row + 4 * d, T(0));
      T* __restrict gb = row + kB * d;
      T* __restrict gd = row + kD * d;
      T* __restrict gx = row + kE * d;
      for (int64_t e = in_ptr[i]; e < in_ptr[i + 1]; ++e) {
        const T* __restrict r = rgk[in_edges[e]];
        for (int64_t q = 0; q < d; ++q) gd[q] += r[q];
      }
      for (int64_t e = out_ptr[i]; e < out_ptr[i + 1]; ++e) {
        const int64_t k = out_edges[e];
        const T* __restrict r = rgk[k];
        const T* __restrict s = rs[k];
        const T* __restrict wi = rw[target[k]];
        for (int64_t q = 0; q < d; ++q) {
          gb[q] += s[q] * wi[q];
          gx[q] += r[q];
        }
      }
    }
  });
}

struct GatedMessagePassing : torch::autograd::Function<GatedMessagePassing> {
  static variable_list forward(AutogradContext* ctx, const torch::Tensor& projected, const torch::Tensor& ce,
                               const EdgeIncidence& inc, double eps) {
    const int64_t d = ce.size(1);
    torch::Tensor e_hat = torch::empty({inc.num_edges, d}, ce.options());
    torch::Tensor h = torch::empty({inc.num_nodes, d}, ce.options());
    torch::Tensor aggregated = torch::empty_like(h), den = torch::empty_like(h);
    torch::Tensor sigma;
    AT_DISPATCH_FLOATING_TYPES(ce.scalar_type(), "gated_message_passing", [&] {
      const fused::Rows<scalar_t> p(projected);
      edges_forward<scalar_t>(p, ce, inc, e_hat, d);
      sigma = torch::sigmoid(e_hat);
      nodes_forward<scalar_t>(p, sigma, inc, eps, h, aggregated, den, d);
    });
    fused::save_incidence(ctx, inc);
    ctx->save_for_backward({projected, sigma, aggregated, den});
    return {h, e_hat};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const EdgeIncidence inc = fused::load_incidence(ctx);
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor& projected = saved[0];
    const torch::Tensor& den = saved[3];
    const int64_t d = den.size(1);
    const torch::Tensor g_h = grads[0].defined() ? grads[0].contiguous() : torch::zeros_like(den);
    const torch::Tensor g_e = grads[1].defined() ? grads[1].contiguous() : torch::Tensor();
    const torch::Tensor w = g_h / den;
    torch::Tensor g_hat = torch::empty({inc.num_edges, d}, den.options());
    torch::Tensor g_projected = torch::empty({inc.num_nodes, 4 * d}, den.options());
    AT_DISPATCH_FLOATING_TYPES(den.scalar_type(), "gated_message_passing_backward", [&] {
      backward_rows<scalar_t>(fused::Rows<scalar_t>(projected), g_h, g_e, w, saved[1], saved[2], inc, g_hat,
                              g_projected, d);
    });
    return {g_projected, g_hat, torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

std::tuple<torch::Tensor, torch::Tensor> gated_message_passing(const torch::Tensor& projected, const torch::Tensor& ce,
                                                               const EdgeIncidence& incidence, double eps) {
  if (ce.dim() != 2 || ce.size(0) != incidence.num_edges)
    throw UsageError("gated_message_passing: ce must have shape [E, d]");
  const int64_t d = ce.size(1);
  if (projected.dim() != 2 || projected.size(0) != incidence.num_nodes || projected.size(1) != 4 * d)
    throw UsageError("gated_message_passing: projected must have shape [N, 4d] for the incidence's N nodes");
  if (projected.scalar_type() != ce.scalar_type())
    throw UsageError("gated_message_passing: projected and ce must have one floating type");
  const variable_list out = GatedMessagePassing::apply(projected, ce, incidence, eps);
  return {out[0], out[1]};
}

}  // namespace graphtx
