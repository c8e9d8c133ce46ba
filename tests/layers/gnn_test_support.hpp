// Helpers for the layer tests: edge lists as tensors, node relabelling, gradient checks
// (every parameter gets a gradient; central differences against autograd in double).
#pragma once

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <utility>
#include <vector>

namespace graphtx::testing {

using Edges = std::vector<std::pair<int64_t, int64_t>>;

inline torch::Tensor make_edge_index(const Edges& edges) {
  std::vector<int64_t> flat;
  for (const auto& [s, t] : edges) flat.push_back(s);
  for (const auto& [s, t] : edges) flat.push_back(t);
  return torch::tensor(flat, torch::kInt64).view({2, static_cast<int64_t>(edges.size())});
}

// Relabels nodes: new node p is old node perm[p]; edges keep their order.
inline torch::Tensor relabel(const torch::Tensor& edge_index, const torch::Tensor& perm) {
  const torch::Tensor inverse = torch::empty_like(perm);
  inverse.index_put_({perm}, torch::arange(perm.size(0), perm.options()));
  return inverse.index({edge_index});
}

inline void check_all_parameters_get_gradients(torch::nn::Module& module) {
  for (const auto& item : module.named_parameters()) {
    INFO(item.key());
    REQUIRE(item.value().grad().defined());
    CHECK(torch::isfinite(item.value().grad()).all().item<bool>());
    CHECK(item.value().grad().abs().sum().item<double>() > 0);
  }
}

// Central differences against autograd for every entry of every tensor in `inputs` (double).
inline void check_finite_differences(const std::function<torch::Tensor()>& loss, const std::vector<torch::Tensor>& inputs) {
  for (const auto& t : inputs) {
    if (t.grad().defined()) t.grad().zero_();
  }
  loss().backward();
  const double step = 1e-6;
  for (const auto& t : inputs) {
    REQUIRE(t.scalar_type() == torch::kFloat64);
    REQUIRE(t.is_contiguous());
    const torch::Tensor analytic = t.grad().clone();
    double* data = t.data_ptr<double>();
    for (int64_t k = 0; k < t.numel(); ++k) {
      const double saved = data[k];
      data[k] = saved + step;
      const double up = loss().item<double>();
      data[k] = saved - step;
      const double down = loss().item<double>();
      data[k] = saved;
      const double numeric = (up - down) / (2 * step);
      const double exact = analytic.view(-1)[k].item<double>();
      INFO("entry " << k << " of a tensor of shape " << t.sizes());
      CHECK(std::abs(numeric - exact) <= 1e-5 * std::max(1.0, std::abs(exact)));
    }
  }
}

inline std::vector<torch::Tensor> parameters_and(torch::nn::Module& module, const torch::Tensor& x) {
  std::vector<torch::Tensor> all = module.parameters();
  all.push_back(x);
  return all;
}

}  // namespace graphtx::testing
