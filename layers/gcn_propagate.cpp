#include "layers/gcn_propagate.hpp"

#include "graph/errors.hpp"
#include "layers/fused_rows.hpp"

namespace graphtx {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// out_r = b + c_r v_r + Σ_{p in group r} w_{members[p]} v_{ends[members[p]]}: the forward along the
// receiver order (v = h) and the backward along the sender order (v = g).
template <typename T>
void weighted_group_rows(const torch::Tensor& v, const torch::Tensor& self_weight, const torch::Tensor& edge_weight,
                         const torch::Tensor& bias, const int64_t* ptr, const int64_t* members, const int64_t* ends,
                         const torch::Tensor& out) {
  const fused::Rows<T> rv(v), ro(out);
  const int64_t rows = out.size(0), d = out.size(1);
  const T* s = self_weight.data_ptr<T>();
  const T* w = edge_weight.data_ptr<T>();
  const T* b = bias.numel() > 0 ? bias.data_ptr<T>() : nullptr;
  fused::for_rows(rows, d, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      T* __restrict o = ro[r];
      const T* __restrict self = rv[r];
      const T c = s[r];
      if (b != nullptr) {
        for (int64_t q = 0; q < d; ++q) o[q] = b[q] + c * self[q];
      } else {
        for (int64_t q = 0; q < d; ++q) o[q] = c * self[q];
      }
      for (int64_t p = ptr[r]; p < ptr[r + 1]; ++p) {
        const int64_t k = members[p];
        const T wk = w[k];
        const T* __restrict a = rv[ends[k]];
        for (int64_t q = 0; q < d; ++q) o[q] += wk * a[q];
      }
    }
  });
}

// out_r = <g_{left[r]}, h_{right[r]}> summed in double, for r in [0, rows); left/right null = identity.
template <typename T>
void row_inner_products(const torch::Tensor& g, const torch::Tensor& h, const int64_t* left, const int64_t* right,
                        const torch::Tensor& out) {
  const fused::Rows<T> rg(g), rh(h);
  const int64_t rows = out.size(0), d = g.size(1);
  T* o = out.data_ptr<T>();
  fused::for_rows(rows, d, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const T* __restrict a = rg[left != nullptr ? left[r] : r];
      const T* __restrict b = rh[right != nullptr ? right[r] : r];
      double sum = 0;
      for (int64_t q = 0; q < d; ++q) sum += static_cast<double>(a[q]) * static_cast<double>(b[q]);
      o[r] = static_cast<T>(sum);
    }
  });
}

struct GcnPropagate : torch::autograd::Function<GcnPropagate> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& h, const torch::Tensor& self_weight,
                               const torch::Tensor& edge_weight, const torch::Tensor& bias, const EdgeIncidence& inc) {
    torch::Tensor out = torch::empty({inc.num_nodes, h.size(1)}, h.options());
    AT_DISPATCH_FLOATING_TYPES(h.scalar_type(), "gcn_propagate", [&] {
      weighted_group_rows<scalar_t>(h, self_weight, edge_weight, bias, inc.in_ptr.data_ptr<int64_t>(),
                                    inc.in_edges.data_ptr<int64_t>(), inc.source.data_ptr<int64_t>(), out);
    });
    fused::save_incidence(ctx, inc);
    ctx->save_for_backward({h, self_weight, edge_weight});
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const EdgeIncidence inc = fused::load_incidence(ctx);
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor& h = saved[0];
    const torch::Tensor g = grads[0].contiguous();
    torch::Tensor gh, gs, gw, gb;
    AT_DISPATCH_FLOATING_TYPES(g.scalar_type(), "gcn_propagate_backward", [&] {
      if (ctx->needs_input_grad(0)) {
        gh = torch::empty_like(g);
        weighted_group_rows<scalar_t>(g, saved[1], saved[2], torch::Tensor(), inc.out_ptr.data_ptr<int64_t>(),
                                      inc.out_edges.data_ptr<int64_t>(), inc.target.data_ptr<int64_t>(), gh);
      }
      if (ctx->needs_input_grad(1)) {
        gs = torch::empty({inc.num_nodes}, g.options());
        row_inner_products<scalar_t>(g, h, nullptr, nullptr, gs);
      }
      if (ctx->needs_input_grad(2)) {
        gw = torch::empty({inc.num_edges}, g.options());
        row_inner_products<scalar_t>(g, h, inc.target.data_ptr<int64_t>(), inc.source.data_ptr<int64_t>(), gw);
      }
    });
    if (ctx->needs_input_grad(3)) gb = g.sum(0);
    return {gh, gs, gw, gb, torch::Tensor()};
  }
};

}  // namespace

torch::Tensor gcn_propagate(const torch::Tensor& h, const torch::Tensor& self_weight, const torch::Tensor& edge_weight,
                            const torch::Tensor& bias, const EdgeIncidence& incidence) {
  const int64_t n = incidence.num_nodes;
  if (h.dim() != 2 || h.size(0) != n)
    throw UsageError("gcn_propagate: h must have shape [N, d] for the incidence's N nodes");
  if (self_weight.dim() != 1 || self_weight.size(0) != n)
    throw UsageError("gcn_propagate: self_weight must have shape [N]");
  if (edge_weight.dim() != 1 || edge_weight.size(0) != incidence.num_edges)
    throw UsageError("gcn_propagate: edge_weight must have shape [E]");
  if (bias.defined() && (bias.dim() != 1 || bias.size(0) != h.size(1)))
    throw UsageError("gcn_propagate: bias must have shape [d]");
  const auto type = h.scalar_type();
  if (self_weight.scalar_type() != type || edge_weight.scalar_type() != type ||
      (bias.defined() && bias.scalar_type() != type))
    throw UsageError("gcn_propagate: h, the weights and the bias must have one floating type");
  // autograd::Function cannot take an undefined tensor: a 0-element placeholder stands for "no bias".
  return GcnPropagate::apply(h, self_weight.contiguous(), edge_weight.contiguous(),
                             bias.defined() ? bias.contiguous() : torch::empty({0}, h.options()), incidence);
}

}  // namespace graphtx
