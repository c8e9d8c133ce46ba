#include "layers/ftfi/tree_field_integration.hpp"

#include "graph/errors.hpp"
#include "pe/ftfi/two_pass.hpp"

#include <cmath>

namespace graphtx {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

struct IntegratorHolder : torch::CustomClassHolder {
  ftfi::TreeFieldIntegrator integrator;
  std::vector<int64_t> powers;
};

RealMatrix to_matrix(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().to(torch::kFloat64).contiguous();
  RealMatrix m(c.size(0), c.size(1));
  std::copy(c.data_ptr<double>(), c.data_ptr<double>() + c.numel(), m.data());
  return m;
}

torch::Tensor to_tensor(const RealMatrix& m, torch::ScalarType dtype) {
  return torch::from_blob(const_cast<double*>(m.data()), {m.rows(), m.cols()}, torch::kFloat64).clone().to(dtype);
}

ftfi::ExpPolynomial family(const std::vector<double>& a, const std::vector<double>& rate, const std::vector<int64_t>& powers,
                           int extra_power = 0) {
  std::vector<ftfi::ExpTerm> terms;
  for (size_t t = 0; t < a.size(); ++t)
    terms.push_back({{a[t], 0.0}, static_cast<int>(powers[t]) + extra_power, {rate[t], 0.0}});
  return ftfi::ExpPolynomial(std::move(terms));
}

std::vector<double> values(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().to(torch::kFloat64).contiguous();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

RealMatrix integrate(const ftfi::TreeFieldIntegrator& integ, const ftfi::ExpPolynomial& f, const RealMatrix& x) {
  return ftfi::integrate_two_pass(integ.tree(), f, x);
}

class IntegrateFunction : public torch::autograd::Function<IntegrateFunction> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& coefficients,
                               const torch::Tensor& rates, c10::intrusive_ptr<IntegratorHolder> holder) {
    ctx->save_for_backward({x, coefficients, rates});
    const RealMatrix y = integrate(holder->integrator, family(values(coefficients), values(rates), holder->powers), to_matrix(x));
    ctx->saved_data["holder"] = c10::IValue::make_capsule(holder);
    return to_tensor(y, x.scalar_type());
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor& x = saved[0];
    const auto holder = c10::static_intrusive_pointer_cast<IntegratorHolder>(ctx->saved_data["holder"].toCapsule());
    const std::vector<double> a = values(saved[1]), rate = values(saved[2]);
    const RealMatrix g = to_matrix(grad_outputs[0]);
    torch::Tensor grad_x, grad_a, grad_rate;
    if (ctx->needs_input_grad(0)) grad_x = to_tensor(integrate(holder->integrator, family(a, rate, holder->powers), g), x.scalar_type());
    const bool need_a = ctx->needs_input_grad(1), need_rate = ctx->needs_input_grad(2);
    if (need_a || need_rate) {
      const RealMatrix xm = to_matrix(x);
      std::vector<double> da(a.size(), 0.0), drate(a.size(), 0.0);
      for (size_t t = 0; t < a.size(); ++t) {
        const std::vector<double> unit{1.0}, r{rate[t]};
        const std::vector<int64_t> p{holder->powers[t]};
        if (need_a) da[t] = g.cwiseProduct(integrate(holder->integrator, family(unit, r, p), xm)).sum();
        if (need_rate) drate[t] = -a[t] * g.cwiseProduct(integrate(holder->integrator, family(unit, r, p, 1), xm)).sum();
      }
      auto as_tensor = [](const std::vector<double>& v, const torch::Tensor& like) {
        return torch::tensor(v, torch::kFloat64).to(like.scalar_type());
      };
      if (need_a) grad_a = as_tensor(da, saved[1]);
      if (need_rate) grad_rate = as_tensor(drate, saved[2]);
    }
    return {grad_x, grad_a, grad_rate, torch::Tensor()};
  }
};

}  // namespace

torch::Tensor integrate_tree_field(const ftfi::TreeFieldIntegrator& integrator, const torch::Tensor& x,
                                   const torch::Tensor& coefficients, const torch::Tensor& rates,
                                   const std::vector<int64_t>& powers) {
  if (x.dim() != 2 || x.size(0) != integrator.num_nodes())
    throw UsageError("integrate_tree_field: x must be [n, C] with n = " + std::to_string(integrator.num_nodes()) + " nodes");
  if (!x.device().is_cpu()) throw UsageError("integrate_tree_field: CPU tensors only");
  if (coefficients.dim() != 1 || rates.dim() != 1 || coefficients.size(0) != rates.size(0) ||
      coefficients.size(0) != static_cast<int64_t>(powers.size()))
    throw UsageError("integrate_tree_field: coefficients [T], rates [T] and T powers must agree");
  for (int64_t p : powers)
    if (p < 0) throw UsageError("integrate_tree_field: powers must be >= 0");
  auto holder = c10::make_intrusive<IntegratorHolder>();
  holder->integrator = integrator;
  holder->powers = powers;
  return IntegrateFunction::apply(x, coefficients, rates, holder);
}

torch::Tensor ExpMaskFamily::coefficients() const {
  const torch::Tensor p = torch::nn::functional::softplus(theta);
  return torch::stack({p[0], p[2]});
}

torch::Tensor ExpMaskFamily::rates() const {
  const torch::Tensor p = torch::nn::functional::softplus(theta);
  return torch::stack({p[1], torch::zeros({}, theta.options())});
}

torch::Tensor ExpMaskFamily::evaluate(const torch::Tensor& distances) const {
  const torch::Tensor p = torch::nn::functional::softplus(theta);
  const torch::Tensor finite = torch::isfinite(distances);
  const torch::Tensor d = torch::where(finite, distances, torch::zeros_like(distances));
  const torch::Tensor f = p[0] * torch::exp(-p[1] * d) + p[2];
  return torch::where(finite, f, torch::zeros_like(f));
}

torch::Tensor ExpMaskFamily::theta_for(double a, double lambda, double b) {
  if (!(a > 0 && lambda > 0 && b > 0)) throw UsageError("ExpMaskFamily: a, lambda and b must be > 0");
  auto inverse_softplus = [](double y) { return y > 30 ? y : std::log(std::expm1(y)); };
  return torch::tensor({inverse_softplus(a), inverse_softplus(lambda), inverse_softplus(b)}, torch::kFloat64);
}

}  // namespace graphtx
