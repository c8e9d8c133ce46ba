// Helpers of the layers tests: random directed graph batches, node permutations within graphs,
// and a central-difference gradient check in double.
#pragma once

#include "graph/errors.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace graphtx::testing {

struct RandomBatch {
  torch::Tensor x;           // [N, d]
  torch::Tensor edge_index;  // [2, E]
  torch::Tensor edge_attr;   // [E, de]
  torch::Tensor ptr;         // [B + 1]
  torch::Tensor batch;       // [N]
};

// Graphs of the given sizes; each ordered pair (j -> i, j != i) is an edge with probability p.
inline RandomBatch random_batch(const std::vector<int64_t>& sizes, double p, int64_t d, int64_t de,
                                torch::ScalarType dtype = torch::kFloat32) {
  std::vector<int64_t> ptr{0}, batch, src, dst;
  for (size_t g = 0; g < sizes.size(); ++g) {
    const int64_t start = ptr.back();
    for (int64_t i = 0; i < sizes[g]; ++i) batch.push_back(static_cast<int64_t>(g));
    for (int64_t i = 0; i < sizes[g]; ++i)
      for (int64_t j = 0; j < sizes[g]; ++j)
        if (i != j && torch::rand({1}).item<double>() < p) {
          src.push_back(start + j);
          dst.push_back(start + i);
        }
    ptr.push_back(start + sizes[g]);
  }
  const auto opts = torch::TensorOptions().dtype(dtype);
  const int64_t n = ptr.back(), e = static_cast<int64_t>(src.size());
  return {torch::randn({n, d}, opts),
          torch::stack({torch::tensor(src, torch::kInt64), torch::tensor(dst, torch::kInt64)}).view({2, e}),
          torch::randn({e, de}, opts), torch::tensor(ptr, torch::kInt64), torch::tensor(batch, torch::kInt64)};
}

// A random permutation of the nodes inside each graph: perm[new] = old.
inline torch::Tensor permutation_within_graphs(const torch::Tensor& ptr) {
  std::vector<torch::Tensor> parts;
  for (int64_t g = 0; g + 1 < ptr.size(0); ++g) {
    const int64_t start = ptr[g].item<int64_t>(), size = ptr[g + 1].item<int64_t>() - start;
    parts.push_back(torch::randperm(size, torch::kInt64) + start);
  }
  return torch::cat(parts);
}

// The batch with node new = perm[new]; the edge order is shuffled too (edge_perm[new] = old).
struct PermutedBatch {
  RandomBatch graph;
  torch::Tensor perm, edge_perm;
};

inline PermutedBatch permute(const RandomBatch& b) {
  const torch::Tensor perm = permutation_within_graphs(b.ptr);
  const torch::Tensor inverse = torch::empty_like(perm).index_put_({perm}, torch::arange(perm.size(0)));
  const torch::Tensor edge_perm = torch::randperm(b.edge_index.size(1), torch::kInt64);
  RandomBatch out{b.x.index_select(0, perm), inverse.index({b.edge_index}).index_select(1, edge_perm),
                  b.edge_attr.index_select(0, edge_perm), b.ptr, b.batch};
  return {out, perm, edge_perm};
}

inline torch::Tensor reversed_edges(const torch::Tensor& edge_index) { return edge_index.flip({0}); }

// Every ordered pair (j, i) of nodes of the same graph, self-pairs included, as [2, P].
inline torch::Tensor all_pairs(const torch::Tensor& ptr) {
  std::vector<int64_t> src, dst;
  for (int64_t g = 0; g + 1 < ptr.size(0); ++g)
    for (int64_t i = ptr[g].item<int64_t>(); i < ptr[g + 1].item<int64_t>(); ++i)
      for (int64_t j = ptr[g].item<int64_t>(); j < ptr[g + 1].item<int64_t>(); ++j) {
        src.push_back(j);
        dst.push_back(i);
      }
  return torch::stack({torch::tensor(src, torch::kInt64), torch::tensor(dst, torch::kInt64)});
}

// Largest |autograd - central difference| / (1 + |central difference|) of d loss / d input over
// every entry of input (double, requires_grad set by the caller). loss must be deterministic.
inline double gradient_error(const std::function<torch::Tensor()>& loss, torch::Tensor input, double step = 1e-6) {
  if (input.grad().defined()) input.mutable_grad().zero_();
  loss().backward();
  const torch::Tensor analytic = input.grad().clone().reshape({-1});
  double worst = 0;
  torch::NoGradGuard no_grad;
  torch::Tensor flat = input.view({-1});
  for (int64_t idx = 0; idx < flat.size(0); ++idx) {
    const double saved = flat[idx].item<double>();
    flat[idx].fill_(saved + step);
    const double up = loss().item<double>();
    flat[idx].fill_(saved - step);
    const double down = loss().item<double>();
    flat[idx].fill_(saved);
    const double numeric = (up - down) / (2 * step);
    worst = std::max(worst, std::abs(analytic[idx].item<double>() - numeric) / (1 + std::abs(numeric)));
  }
  return worst;
}

// Names of the parameters whose gradient is missing or exactly zero after backward.
inline std::vector<std::string> parameters_without_gradient(const torch::nn::Module& module) {
  std::vector<std::string> missing;
  for (const auto& item : module.named_parameters())
    if (!item.value().grad().defined() || item.value().grad().abs().sum().item<double>() == 0)
      missing.push_back(item.key());
  return missing;
}

}  // namespace graphtx::testing
