#include "layers/gine_aggregate.hpp"

#include "graph/errors.hpp"
#include "layers/fused_rows.hpp"

#include <algorithm>
#include <vector>

namespace graphtx {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

template <typename T>
void aggregate_rows(const torch::Tensor& x, const torch::Tensor& e, T self_scale, const EdgeIncidence& inc,
                    const torch::Tensor& out) {
  const fused::Rows<T> rx(x), re(e), ro(out);
  const int64_t d = out.size(1);
  const int64_t* source = inc.source.data_ptr<int64_t>();
  const int64_t* ptr = inc.in_ptr.data_ptr<int64_t>();
  const int64_t* edges = inc.in_edges.data_ptr<int64_t>();
  fused::for_rows(inc.num_nodes, d, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      T* __restrict o = ro[i];
      const T* __restrict self = rx[i];
      for (int64_t q = 0; q < d; ++q) o[q] = self_scale * self[q];
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
      for (int64_t q = 0; q < d; ++q) {
        const T grad = gi[q];  // loaded unconditionally: the select vectorizes instead of branching
        r[q] = a[q] + b[q] > T(0) ? grad : T(0);
      }
    }
  });
}

// Σ g ⊙ x over all entries in double, over fixed 256-row chunks added in order.
template <typename T>
double inner_product(const torch::Tensor& g, const torch::Tensor& x, int64_t rows, int64_t d) {
  constexpr int64_t kChunk = 256;
  const int64_t chunks = (rows + kChunk - 1) / kChunk;
  std::vector<double> partial(static_cast<size_t>(chunks), 0.0);
  const fused::Rows<T> rg(g), rx(x);
  at::parallel_for(0, chunks, 1, [&](int64_t begin, int64_t end) {
    std::vector<double> columns(static_cast<size_t>(d));  // per-column sums: the row loop vectorizes
    for (int64_t ch = begin; ch < end; ++ch) {
      std::fill(columns.begin(), columns.end(), 0.0);
      double* __restrict acc = columns.data();
      for (int64_t r = ch * kChunk; r < std::min(rows, (ch + 1) * kChunk); ++r) {
        const T* __restrict a = rg[r];
        const T* __restrict b = rx[r];
        for (int64_t q = 0; q < d; ++q) acc[q] += static_cast<double>(a[q]) * static_cast<double>(b[q]);
      }
      double sum = 0;
      for (const double c : columns) sum += c;
      partial[static_cast<size_t>(ch)] = sum;
    }
  });
  double total = 0;
  for (const double p : partial) total += p;
  return total;
}

struct GineAggregate : torch::autograd::Function<GineAggregate> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& e,
                               const torch::Tensor& eps, const EdgeIncidence& inc) {
    torch::Tensor out = torch::empty({inc.num_nodes, x.size(1)}, x.options());
    const double self_scale = 1 + eps.item<double>();
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "gine_aggregate", [&] {
      aggregate_rows<scalar_t>(x, e, static_cast<scalar_t>(self_scale), inc, out);
    });
    fused::save_incidence(ctx, inc);
    ctx->saved_data["self_scale"] = self_scale;
    ctx->save_for_backward({x, e});
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const EdgeIncidence inc = fused::load_incidence(ctx);
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor g = grads[0].contiguous();
    const int64_t d = g.size(1);
    const double self_scale = ctx->saved_data["self_scale"].toDouble();
    // The messages' gradient only when x or e needs one (ε alone needs Σ g ⊙ x).
    const bool through_messages = ctx->needs_input_grad(0) || ctx->needs_input_grad(1);
    torch::Tensor ge = through_messages ? torch::empty({inc.num_edges, d}, g.options()) : torch::Tensor();
    torch::Tensor gx, g_eps;
    AT_DISPATCH_FLOATING_TYPES(g.scalar_type(), "gine_aggregate_backward", [&] {
      if (through_messages) message_grad_rows<scalar_t>(g, saved[0], saved[1], inc, ge);
      if (ctx->needs_input_grad(0)) {
        gx = torch::empty({inc.num_nodes, d}, g.options());
        const fused::Rows<scalar_t> rg(g), rge(ge), rgx(gx);
        const int64_t* ptr = inc.out_ptr.data_ptr<int64_t>();
        const int64_t* edges = inc.out_edges.data_ptr<int64_t>();
        const auto scale = static_cast<scalar_t>(self_scale);
        fused::for_rows(inc.num_nodes, d, [&](int64_t begin, int64_t end) {
          for (int64_t j = begin; j < end; ++j) {
            scalar_t* __restrict out = rgx[j];
            const scalar_t* __restrict self = rg[j];
            for (int64_t q = 0; q < d; ++q) out[q] = scale * self[q];
            for (int64_t p = ptr[j]; p < ptr[j + 1]; ++p) {
              const scalar_t* __restrict r = rge[edges[p]];
              for (int64_t q = 0; q < d; ++q) out[q] += r[q];
            }
          }
        });
      }
      if (ctx->needs_input_grad(2))
        g_eps = torch::full({}, inner_product<scalar_t>(g, saved[0], inc.num_nodes, d), g.options());
    });
    return {gx, ctx->needs_input_grad(1) ? ge : torch::Tensor(), g_eps, torch::Tensor()};
  }
};

}  // namespace

torch::Tensor gine_aggregate(const torch::Tensor& x, const torch::Tensor& e, const torch::Tensor& eps,
                             const EdgeIncidence& incidence) {
  if (x.dim() != 2 || x.size(0) != incidence.num_nodes)
    throw UsageError("gine_aggregate: x must have shape [N, d] for the incidence's N nodes");
  if (e.dim() != 2 || e.size(0) != incidence.num_edges || e.size(1) != x.size(1))
    throw UsageError("gine_aggregate: e must have shape [E, d]");
  if (e.scalar_type() != x.scalar_type()) throw UsageError("gine_aggregate: x and e must have one floating type");
  if (eps.dim() != 0) throw UsageError("gine_aggregate: eps must be a 0-d tensor");
  return GineAggregate::apply(x, e, eps, incidence);
}

}  // namespace graphtx
