#include "layers/relu_message_sum.hpp"

#include "graph/errors.hpp"
#include "layers/fused_rows.hpp"

namespace graphtx {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

template <typename T>
void message_sum_rows(const torch::Tensor& x, const torch::Tensor& e, const EdgeIncidence& inc,
                      const torch::Tensor& out) {
  const fused::Rows<T> rx(x), re(e), ro(out);
  const int64_t d = out.size(1);
  const int64_t* source = inc.source.data_ptr<int64_t>();
  const int64_t* ptr = inc.in_ptr.data_ptr<int64_t>();
  const int64_t* edges = inc.in_edges.data_ptr<int64_t>();
  fused::for_rows(inc.num_nodes, d, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      T* __restrict o = ro[i];
      std::fill(o, o + d, T(0));
      for (int64_t p = ptr[i]; p < ptr[i + 1]; ++p) {
        const int64_t k = edges[p];
        const T* __restrict a = rx[source[k]];
        const T* __restrict b = re[k];
        for (int64_t q = 0; q < d; ++q) o[q] += std::max(a[q] + b[q], T(0));
      }
    }
  });
}

// ge_k = g[i_k] where x[j_k] + e_k > 0, else 0.
template <typename T>
void message_grad_rows(const torch::Tensor& g, const torch::Tensor& x, const torch::Tensor& e,
                       const EdgeIncidence& inc, const torch::Tensor& ge) {
  const fused::Rows<T> rg(g), rx(x), re(e), rge(ge);
  const int64_t d = g.size(1);
  const int64_t* source = inc.source.data_ptr<int64_t>();
  const int64_t* target = inc.target.data_ptr<int64_t>();
  fused::for_rows(inc.num_edges, d, [&](int64_t begin, int64_t end) {
    for (int64_t k = begin; k < end; ++k) {
      const T* __restrict gi = rg[target[k]];
      const T* __restrict a = rx[source[k]];
      const T* __restrict b = re[k];
      T* __restrict r = rge[k];
      for (int64_t q = 0; q < d; ++q) r[q] = a[q] + b[q] > T(0) ? gi[q] : T(0);
    }
  });
}

struct ReluMessageSum : torch::autograd::Function<ReluMessageSum> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& e,
                               const EdgeIncidence& inc) {
    torch::Tensor out = torch::empty({inc.num_nodes, x.size(1)}, x.options());
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "relu_message_sum", [&] { message_sum_rows<scalar_t>(x, e, inc, out); });
    fused::save_incidence(ctx, inc);
    ctx->save_for_backward({x, e});
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const EdgeIncidence inc = fused::load_incidence(ctx);
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor g = grads[0].contiguous();
    torch::Tensor ge = torch::empty({inc.num_edges, g.size(1)}, g.options());
    torch::Tensor gx;
    AT_DISPATCH_FLOATING_TYPES(g.scalar_type(), "relu_message_sum_backward", [&] {
      message_grad_rows<scalar_t>(g, saved[0], saved[1], inc, ge);
      if (ctx->needs_input_grad(0)) {
        gx = torch::empty({inc.num_nodes, g.size(1)}, g.options());
        fused::grouped_row_sum(fused::Rows<scalar_t>(ge), inc.out_ptr.data_ptr<int64_t>(),
                               inc.out_edges.data_ptr<int64_t>(), fused::Rows<scalar_t>(gx), inc.num_nodes,
                               g.size(1));
      }
    });
    return {gx, ctx->needs_input_grad(1) ? ge : torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor relu_message_sum(const torch::Tensor& x, const torch::Tensor& e, const EdgeIncidence& incidence) {
  if (x.dim() != 2 || x.size(0) != incidence.num_nodes)
    throw UsageError("relu_message_sum: x must have shape [N, d] for the incidence's N nodes");
  if (e.dim() != 2 || e.size(0) != incidence.num_edges || e.size(1) != x.size(1))
    throw UsageError("relu_message_sum: e must have shape [E, d]");
  if (e.scalar_type() != x.scalar_type()) throw UsageError("relu_message_sum: x and e must have one floating type");
  return ReluMessageSum::apply(x, e, incidence);
}

}  // namespace graphtx
