#include "layers/linear.hpp"

#include <oneapi/dnnl/dnnl.h>

#include <stdexcept>
#include <string>

namespace graphtx {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// C [M, N] = op(A) op(B) + beta C over row-major float matrices ('N' or 'T' for op).
void sgemm(char trans_a, char trans_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
           int64_t ldb, float beta, float* c) {
  const dnnl_status_t status = dnnl_sgemm(trans_a, trans_b, m, n, k, 1.0f, a, lda, b, ldb, beta, c, n);
  if (status != dnnl_success) throw std::runtime_error("Linear: oneDNN sgemm failed with status " + std::to_string(status));
}

// x [M, K] float contiguous, weight [N, K] contiguous, bias [N] or a 0-element placeholder.
struct LinearGemm : torch::autograd::Function<LinearGemm> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& weight,
                               const torch::Tensor& bias) {
    const int64_t m = x.size(0), k = x.size(1), n = weight.size(0);
    torch::Tensor y = torch::empty({m, n}, x.options());
    if (bias.numel() > 0) y.copy_(bias.expand({m, n}));  // a fresh C: expand(...).contiguous() aliases b when m == 1
    sgemm('N', 'T', m, n, k, x.data_ptr<float>(), k, weight.data_ptr<float>(), k, bias.numel() > 0 ? 1.0f : 0.0f,
          y.data_ptr<float>());
    ctx->save_for_backward({x, weight});
    return y;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor& x = saved[0];
    const torch::Tensor& weight = saved[1];
    const torch::Tensor g = grads[0].contiguous();
    const int64_t m = x.size(0), k = x.size(1), n = weight.size(0);
    torch::Tensor gx, gw, gb;
    if (ctx->needs_input_grad(0)) {
      gx = torch::empty({m, k}, x.options());
      sgemm('N', 'N', m, k, n, g.data_ptr<float>(), n, weight.data_ptr<float>(), k, 0.0f, gx.data_ptr<float>());
    }
    if (ctx->needs_input_grad(1)) {
      gw = torch::empty({n, k}, x.options());
      sgemm('T', 'N', n, k, m, g.data_ptr<float>(), n, x.data_ptr<float>(), k, 0.0f, gw.data_ptr<float>());
    }
    if (ctx->needs_input_grad(2)) gb = g.sum(0);
    return {gx, gw, gb};
  }
};

}  // namespace

torch::Tensor linear_gemm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
  const bool float_gemm = x.scalar_type() == torch::kFloat32 && weight.scalar_type() == torch::kFloat32 &&
                          (!bias.defined() || bias.scalar_type() == torch::kFloat32) && x.dim() >= 1 &&
                          weight.dim() == 2 && x.size(-1) == weight.size(1) && x.numel() > 0 && weight.numel() > 0 &&
                          (!bias.defined() || (bias.dim() == 1 && bias.size(0) == weight.size(0)));
  if (!float_gemm) return torch::linear(x, weight, bias);  // ATen checks the shapes and names what is wrong
  const int64_t k = weight.size(1);
  std::vector<int64_t> shape = x.sizes().vec();
  shape.back() = weight.size(0);
  // autograd::Function cannot take an undefined tensor: a 0-element placeholder stands for "no bias".
  const torch::Tensor y = LinearGemm::apply(x.reshape({-1, k}).contiguous(), weight.contiguous(),
                                            bias.defined() ? bias.contiguous() : torch::empty({0}, x.options()));
  return y.view(shape);
}

}  // namespace graphtx
