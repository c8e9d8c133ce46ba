#include "layers/grit_attention.hpp"

#include "graph/errors.hpp"
#include "layers/edge_incidence.hpp"
#include "layers/graph_checks.hpp"
#include "layers/grit_pair_scores.hpp"
#include "layers/segment_attention.hpp"
#include "layers/segment_ops.hpp"

#include <cmath>
#include <string>
#include <vector>

namespace graphtx {

namespace {

// ρ as one elementwise pass forward (y = copysign(√|x|, x)) and one backward (dx = g / (2 |y|), 0
// where y = 0), instead of the eight tensor ops of the where/sign/abs formulation.
class SignedSqrt : public torch::autograd::Function<SignedSqrt> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x) {
    const torch::Tensor input = x.contiguous();
    torch::Tensor y = torch::empty_like(input);
    AT_DISPATCH_FLOATING_TYPES(input.scalar_type(), "signed_sqrt", [&] {
      const scalar_t* in = input.data_ptr<scalar_t>();
      scalar_t* out = y.data_ptr<scalar_t>();
      at::parallel_for(0, input.numel(), kGrain, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) out[i] = std::copysign(std::sqrt(std::abs(in[i])), in[i]);
      });
    });
    ctx->save_for_backward({y});
    return y;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const torch::Tensor y = ctx->get_saved_variables()[0];
    const torch::Tensor grad = grads[0].contiguous();
    torch::Tensor dx = torch::empty_like(y);
    AT_DISPATCH_FLOATING_TYPES(y.scalar_type(), "signed_sqrt_backward", [&] {
      const scalar_t* root = y.data_ptr<scalar_t>();
      const scalar_t* g = grad.data_ptr<scalar_t>();
      scalar_t* out = dx.data_ptr<scalar_t>();
      at::parallel_for(0, y.numel(), kGrain, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
          out[i] = root[i] == 0 ? scalar_t(0) : g[i] / (scalar_t(2) * std::abs(root[i]));
      });
    });
    return {dx};
  }

 private:
  static constexpr int64_t kGrain = 1 << 15;
};

}  // namespace

torch::Tensor signed_sqrt(const torch::Tensor& x) { return SignedSqrt::apply(x); }

GRITAttentionImpl::GRITAttentionImpl(const GRITAttentionOptions& options_) : options(options_) { reset(); }

void GRITAttentionImpl::reset() {
  const int64_t d = options.dim();
  const int64_t heads = options.heads();
  if (heads < 1 || d % heads != 0)
    throw UsageError("GRITAttention: dim " + std::to_string(d) + " is not divisible by heads " + std::to_string(heads));
  const int64_t dh = d / heads;
  Q = register_module("Q", Linear(d, d));
  K = register_module("K", Linear(d, d));
  V = register_module("V", Linear(d, d));
  E = register_module("E", Linear(d, 2 * d));
  A = register_parameter("A", torch::empty({heads, dh}));
  Ev = register_parameter("Ev", torch::empty({heads, dh, dh}));
  torch::NoGradGuard no_grad;
  A.normal_(0.0, std::sqrt(2.0 / static_cast<double>(dh + 1)));
  Ev.normal_(0.0, std::sqrt(1.0 / static_cast<double>(dh)));
}

torch::Tensor GRITAttentionImpl::pair_update(const torch::Tensor& qk, const torch::Tensor& projected_pairs) const {
  const auto parts = projected_pairs.chunk(2, -1);  // each [.., d]
  std::vector<int64_t> head_shape(qk.sizes().begin(), qk.sizes().end());
  const torch::Tensor weight = parts[0].reshape(head_shape);
  const torch::Tensor shift = parts[1].reshape(head_shape);
  return torch::relu(signed_sqrt(qk * weight) + shift);
}

std::tuple<torch::Tensor, torch::Tensor> GRITAttentionImpl::forward(const torch::Tensor& x,
                                                                    const torch::Tensor& pair_index,
                                                                    const torch::Tensor& pairs) {
  const int64_t d = options.dim();
  const int64_t heads = options.heads();
  const int64_t dh = d / heads;
  check_node_features(x, d, "GRITAttention");
  check_edge_index(pair_index, x.size(0), "GRITAttention");
  check_edge_features(pairs, pair_index.size(1), d, "GRITAttention");
  const int64_t n = x.size(0);
  const EdgeIncidence incidence = EdgeIncidence::build(pair_index, n, "GRITAttention");
  const std::vector<torch::Tensor> scored =
      grit_pair_scores(Q(x), K(x), E(pairs), A, options.clamp(), incidence);  // {ê [P, d], scores [P, H]}
  const torch::Tensor keep = is_training() && options.dropout() > 0
                                 ? torch::dropout(torch::ones_like(scored[1]), options.dropout(), true)
                                 : torch::Tensor();
  const std::vector<torch::Tensor> sums = segment_attention(scored[1], V(x), scored[0], keep, incidence);
  const torch::Tensor pair_part = torch::einsum("nhd,hdc->nhc", {sums[1].view({n, heads, dh}), Ev});
  return {sums[0] + pair_part.reshape({n, d}), scored[0]};
}

std::tuple<torch::Tensor, torch::Tensor> GRITAttentionImpl::forward_dense(const torch::Tensor& x,
                                                                          const torch::Tensor& pairs,
                                                                          const torch::Tensor& mask) {
  const int64_t d = options.dim();
  const int64_t heads = options.heads();
  const int64_t dh = d / heads;
  if (x.dim() != 3 || x.size(2) != d) throw UsageError("GRITAttention: x must have shape [B, N, " + std::to_string(d) + "]");
  const int64_t b = x.size(0);
  const int64_t n = x.size(1);
  if (pairs.sizes() != torch::IntArrayRef({b, n, n, d}))
    throw UsageError("GRITAttention: dense pairs must have shape [B, N, N, d]");
  if (mask.sizes() != torch::IntArrayRef({b, n}) || mask.scalar_type() != torch::kBool)
    throw UsageError("GRITAttention: mask must be a bool tensor of shape [B, N]");

  const torch::Tensor qk = (Q(x).view({b, n, 1, heads, dh}) + K(x).view({b, 1, n, heads, dh}));
  const torch::Tensor pair_mask = (mask.unsqueeze(2) & mask.unsqueeze(1)).view({b, n, n, 1, 1});
  const torch::Tensor updated = pair_update(qk, E(pairs)) * pair_mask.to(x.scalar_type());  // [B, N, N, H, dh]
  const torch::Tensor scores = (updated * A).sum(-1).clamp(-options.clamp(), options.clamp());  // [B, N, N, H]
  torch::Tensor alpha = masked_softmax(scores, pair_mask.view({b, n, n, 1}), 2);
  alpha = torch::dropout(alpha, options.dropout(), is_training());
  const torch::Tensor node_part = torch::einsum("bijh,bjhd->bihd", {alpha, V(x).view({b, n, heads, dh})});
  const torch::Tensor pair_sum = torch::einsum("bijh,bijhd->bihd", {alpha, updated});
  const torch::Tensor pair_part = torch::einsum("bihd,hdc->bihc", {pair_sum, Ev});
  return {(node_part + pair_part).reshape({b, n, d}), updated.reshape({b, n, n, d})};
}

}  // namespace graphtx
