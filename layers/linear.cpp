#include "layers/linear.hpp"

#include "layers/dnnl_gemm.hpp"

#include <algorithm>
#include <vector>

namespace graphtx {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// out[r] = y[r] > 0 ? g[r] : 0 over [M, N] float rows.
torch::Tensor relu_mask(const torch::Tensor& g, const torch::Tensor& y) {
  torch::Tensor out = torch::empty_like(g);
  const float* gp = g.data_ptr<float>();
  const float* yp = y.data_ptr<float>();
  float* op = out.data_ptr<float>();
  const int64_t n = g.size(1);
  at::parallel_for(0, g.size(0), std::max<int64_t>(1, 32768 / n), [&](int64_t begin, int64_t end) {
    // Restrict copies of the captured pointers and an unconditional load: else GCC keeps this loop
    // scalar with a branch per element (10 % of a GPS step).
    const float* __restrict gr = gp;
    const float* __restrict yr = yp;
    float* __restrict o = op;
    for (int64_t i = begin * n; i < end * n; ++i) {
      const float gi = gr[i];
      o[i] = yr[i] > 0.0f ? gi : 0.0f;
    }
  });
  return out;
}

// x [M, K] float contiguous, weight [N, K] contiguous, bias [N] or a 0-element placeholder -> y of
// shape out_shape (M N elements), ReLU'd when relu. y is a fresh tensor, not a view: an in-place op on
// it stays cheap (on a view, autograd would route the gradient through CopySlices: a clone per step).
struct LinearGemm : torch::autograd::Function<LinearGemm> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& weight,
                               const torch::Tensor& bias, const std::vector<int64_t>& out_shape, bool relu) {
    const int64_t m = x.size(0), k = x.size(1), n = weight.size(0);
    torch::Tensor y = torch::empty(out_shape, x.options());
    if (bias.numel() > 0) y.view({m, n}).copy_(bias.expand({m, n}));
    sgemm('N', 'T', m, n, k, 1.0f, x.data_ptr<float>(), k, weight.data_ptr<float>(), k,
          bias.numel() > 0 ? 1.0f : 0.0f, y.data_ptr<float>(), n);
    if (relu) y.clamp_min_(0.0);
    ctx->saved_data["relu"] = relu;
    ctx->save_for_backward(relu ? variable_list{x, weight, y} : variable_list{x, weight});
    return y;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor& x = saved[0];
    const torch::Tensor& weight = saved[1];
    const int64_t m = x.size(0), k = x.size(1), n = weight.size(0);
    torch::Tensor g = grads[0].reshape({m, n}).contiguous();
    if (ctx->saved_data["relu"].toBool()) g = relu_mask(g, saved[2].view({m, n}));
    torch::Tensor gx, gw, gb;
    if (ctx->needs_input_grad(0)) {
      gx = torch::empty({m, k}, x.options());
      sgemm('N', 'N', m, k, n, 1.0f, g.data_ptr<float>(), n, weight.data_ptr<float>(), k, 0.0f, gx.data_ptr<float>(), k);
    }
    if (ctx->needs_input_grad(1)) {
      gw = torch::empty({n, k}, x.options());
      sgemm('T', 'N', n, k, m, 1.0f, g.data_ptr<float>(), n, x.data_ptr<float>(), k, 0.0f, gw.data_ptr<float>(), k);
    }
    if (ctx->needs_input_grad(2)) gb = g.sum(0);
    return {gx, gw, gb, torch::Tensor(), torch::Tensor()};
  }
};

torch::Tensor linear_op(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias, bool relu) {
  const bool float_gemm = x.scalar_type() == torch::kFloat32 && weight.scalar_type() == torch::kFloat32 &&
                          (!bias.defined() || bias.scalar_type() == torch::kFloat32) && x.dim() >= 1 &&
                          weight.dim() == 2 && x.size(-1) == weight.size(1) && x.numel() > 0 && weight.numel() > 0 &&
                          (!bias.defined() || (bias.dim() == 1 && bias.size(0) == weight.size(0)));
  if (!float_gemm) {  // ATen checks the shapes and names what is wrong
    const torch::Tensor y = torch::linear(x, weight, bias);
    return relu ? torch::relu(y) : y;
  }
  const int64_t k = weight.size(1);
  std::vector<int64_t> shape = x.sizes().vec();
  shape.back() = weight.size(0);
  // autograd::Function cannot take an undefined tensor: a 0-element placeholder stands for "no bias".
  return LinearGemm::apply(x.reshape({-1, k}).contiguous(), weight.contiguous(),
                           bias.defined() ? bias.contiguous() : torch::empty({0}, x.options()), shape, relu);
}

}  // namespace

torch::Tensor linear_gemm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
  return linear_op(x, weight, bias, false);
}

torch::Tensor linear_relu(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
  return linear_op(x, weight, bias, true);
}

}  // namespace graphtx
