// Differentiable tree-field integration for LibTorch: Y [n, C] = f_θ(D) X with
//   f_θ(x) = Σ_t a_t · x^{m_t} · e^{−λ_t x}   (coefficients a [T], rates λ [T], fixed powers m_t),
// D the tree (forest) distances of a TreeFieldIntegrator; pairs in different components give 0.
// Gradients (M = f(D) is symmetric): dX = f(D) dY; da_t = ⟨dY, x^{m_t} e^{−λ_t x}(D) X⟩;
// dλ_t = −a_t ⟨dY, x^{m_t+1} e^{−λ_t x}(D) X⟩. Keep λ > 0 with λ = softplus(θ) before the call.
// Cost O(n · C · rank) forward (exact two-pass), about 2T + 1 such integrations backward.
// CPU tensors, float32 or float64 (computed in double, returned in x's dtype).
#pragma once

#include "pe/ftfi/tree_field_integrator.hpp"

#include <torch/torch.h>

#include <vector>

namespace graphtx {

torch::Tensor integrate_tree_field(const ftfi::TreeFieldIntegrator& integrator, const torch::Tensor& x,
                                   const torch::Tensor& coefficients, const torch::Tensor& rates,
                                   const std::vector<int64_t>& powers);

// The learnable 3-parameter mask family f(x) = a·e^{−λx} + b with a = softplus(θ0),
// λ = softplus(θ1), b = softplus(θ2) (all positive, so log f is defined for softmax biases).
struct ExpMaskFamily {
  torch::Tensor theta;  // [3]
  torch::Tensor coefficients() const;  // [2] = (a, b)
  torch::Tensor rates() const;         // [2] = (λ, 0)
  static std::vector<int64_t> powers() { return {0, 0}; }
  // f at distances (any shape, +inf -> 0: no interaction across components).
  torch::Tensor evaluate(const torch::Tensor& distances) const;
  // θ for given positive (a, λ, b).
  static torch::Tensor theta_for(double a, double lambda, double b);
};

}  // namespace graphtx
