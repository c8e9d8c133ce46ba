#include "layers/gather_sum.hpp"

#include "graph/errors.hpp"
#include "layers/fused_rows.hpp"

namespace graphtx {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

template <typename T>
void gather_sum_rows(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& c,
                     const EdgeIncidence& inc, const torch::Tensor& out) {
  const fused::Rows<T> ra(a), rb(b), ro(out);
  const int64_t d = out.size(1);
  const int64_t* source = inc.source.data_ptr<int64_t>();
  const int64_t* target = inc.target.data_ptr<int64_t>();
  const bool with_c = c.dim() == 2;  // an empty 1-d placeholder stands for no edge term
  const fused::Rows<T> rc(with_c ? c : out);
  fused::for_rows(inc.num_edges, d, [&](int64_t begin, int64_t end) {
    for (int64_t k = begin; k < end; ++k) {
      const T* __restrict x = ra[target[k]];
      const T* __restrict y = rb[source[k]];
      T* __restrict o = ro[k];
      if (with_c) {
        const T* __restrict z = rc[k];
        for (int64_t q = 0; q < d; ++q) o[q] = x[q] + y[q] + z[q];
      } else {
        for (int64_t q = 0; q < d; ++q) o[q] = x[q] + y[q];
      }
    }
  });
}

struct GatherSum : torch::autograd::Function<GatherSum> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& a, const torch::Tensor& b,
                               const torch::Tensor& c, const EdgeIncidence& inc) {
    fused::save_incidence(ctx, inc);
    torch::Tensor out = torch::empty({inc.num_edges, a.size(1)}, a.options());
    AT_DISPATCH_FLOATING_TYPES(a.scalar_type(), "gather_sum", [&] { gather_sum_rows<scalar_t>(a, b, c, inc, out); });
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const EdgeIncidence inc = fused::load_incidence(ctx);
    const torch::Tensor g = grads[0].contiguous();
    const int64_t d = g.size(1);
    torch::Tensor ga, gb;
    AT_DISPATCH_FLOATING_TYPES(g.scalar_type(), "gather_sum_backward", [&] {
      const fused::Rows<scalar_t> rg(g);
      if (ctx->needs_input_grad(0)) {
        ga = torch::empty({inc.num_nodes, d}, g.options());
        fused::grouped_row_sum(rg, inc.in_ptr.data_ptr<int64_t>(), inc.in_edges.data_ptr<int64_t>(),
                               fused::Rows<scalar_t>(ga), inc.num_nodes, d);
      }
      if (ctx->needs_input_grad(1)) {
        gb = torch::empty({inc.num_nodes, d}, g.options());
        fused::grouped_row_sum(rg, inc.out_ptr.data_ptr<int64_t>(), inc.out_edges.data_ptr<int64_t>(),
                               fused::Rows<scalar_t>(gb), inc.num_nodes, d);
      }
    });
    return {ga, gb, ctx->needs_input_grad(2) ? g : torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor gather_sum(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& c,
                         const EdgeIncidence& incidence) {
  const int64_t n = incidence.num_nodes;
  if (a.dim() != 2 || b.dim() != 2 || a.size(0) != n || b.size(0) != n || a.size(1) != b.size(1))
    throw UsageError("gather_sum: a and b must have shape [N, d] for the incidence's N nodes");
  if (c.defined() && (c.dim() != 2 || c.size(0) != incidence.num_edges || c.size(1) != a.size(1)))
    throw UsageError("gather_sum: c must have shape [E, d]");
  if (b.scalar_type() != a.scalar_type() || (c.defined() && c.scalar_type() != a.scalar_type()))
    throw UsageError("gather_sum: a, b and c must have one floating type");
  // autograd::Function cannot take an undefined tensor: a 0-element placeholder stands for "no c".
  return GatherSum::apply(a, b, c.defined() ? c : torch::empty({0}, a.options()), incidence);
}

}  // namespace graphtx
