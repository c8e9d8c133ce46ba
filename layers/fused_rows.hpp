// Internal to the fused message-passing ops (gather_sum, gated_message_passing, gine_aggregate, ...): row
// access to [R, d] tensors with unit column stride, the grouped row sum they share, the parallel
// loop they all use, and how an EdgeIncidence travels through an autograd context.
// Every output row is written by one task, in the order of its group: thread-count independent.
#pragma once

#include "layers/edge_incidence.hpp"

#include <ATen/Parallel.h>
#include <torch/torch.h>

namespace graphtx::fused {

// Rows of a 2-d tensor whose columns are contiguous (a view such as a column block of a wider
// matrix is fine); other layouts are copied once.
template <typename T>
struct Rows {
  explicit Rows(const torch::Tensor& t)
      : tensor(t.stride(1) == 1 || t.size(1) <= 1 ? t : t.contiguous()),
        data(tensor.data_ptr<T>()),
        stride(tensor.size(0) > 1 ? tensor.stride(0) : tensor.size(1)) {}
  T* operator[](int64_t r) const { return data + r * stride; }
  torch::Tensor tensor;
  T* data;
  int64_t stride;
};

// Runs body(begin, end) over [0, rows) in chunks of about 32k elements of width d.
template <typename Body>
void for_rows(int64_t rows, int64_t d, const Body& body) {
  at::parallel_for(0, rows, std::max<int64_t>(1, 32768 / std::max<int64_t>(d, 1)), body);
}

// out[i] = Σ_{k in group i} g[members[k]] for the groups ptr[i] .. ptr[i+1] (0 for empty groups).
template <typename T>
void grouped_row_sum(const Rows<T>& g, const int64_t* ptr, const int64_t* members, const Rows<T>& out,
                     int64_t groups, int64_t d) {
  for_rows(groups, d, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      T* __restrict o = out[i];
      std::fill(o, o + d, T(0));
      for (int64_t p = ptr[i]; p < ptr[i + 1]; ++p) {
        const T* __restrict r = g[members[p]];
        for (int64_t c = 0; c < d; ++c) o[c] += r[c];
      }
    }
  });
}

inline void save_incidence(torch::autograd::AutogradContext* ctx, const EdgeIncidence& inc) {
  ctx->saved_data["num_nodes"] = inc.num_nodes;
  ctx->saved_data["source"] = inc.source;
  ctx->saved_data["target"] = inc.target;
  ctx->saved_data["in_ptr"] = inc.in_ptr;
  ctx->saved_data["in_edges"] = inc.in_edges;
  ctx->saved_data["out_ptr"] = inc.out_ptr;
  ctx->saved_data["out_edges"] = inc.out_edges;
}

inline EdgeIncidence load_incidence(torch::autograd::AutogradContext* ctx) {
  EdgeIncidence inc;
  inc.num_nodes = ctx->saved_data["num_nodes"].toInt();
  inc.source = ctx->saved_data["source"].toTensor();
  inc.target = ctx->saved_data["target"].toTensor();
  inc.in_ptr = ctx->saved_data["in_ptr"].toTensor();
  inc.in_edges = ctx->saved_data["in_edges"].toTensor();
  inc.out_ptr = ctx->saved_data["out_ptr"].toTensor();
  inc.out_edges = ctx->saved_data["out_edges"].toTensor();
  inc.num_edges = inc.source.size(0);
  return inc;
}

}  // namespace graphtx::fused
