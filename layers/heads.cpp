#include "layers/heads.hpp"

#include "graph/errors.hpp"
#include "layers/segment_ops.hpp"

#include <algorithm>
#include <vector>

namespace graphtx {

EdgeHeadImpl::EdgeHeadImpl(const EdgeHeadOptions& options_) : options(options_) { reset(); }

void EdgeHeadImpl::reset() {
  receiver = register_module("receiver", Linear(options.node_dim(), options.out_dim()));
  sender = register_module(
      "sender", Linear(torch::nn::LinearOptions(options.node_dim(), options.out_dim()).bias(false)));
  if (options.edge_dim() > 0)
    edge = register_module(
        "edge", Linear(torch::nn::LinearOptions(options.edge_dim(), options.out_dim()).bias(false)));
}

torch::Tensor EdgeHeadImpl::forward(const torch::Tensor& h, const torch::Tensor& pairs, const torch::Tensor& e) {
  torch::Tensor out = receiver(h).index_select(0, pairs[1]) + sender(h).index_select(0, pairs[0]);
  if (options.edge_dim() > 0) {
    if (!e.defined() || e.size(0) != pairs.size(1)) throw UsageError("EdgeHead: e needs one row per pair");
    out = out + edge(e);
  }
  return out;
}

torch::Tensor EdgeHeadImpl::forward_dense(const torch::Tensor& nodes, const torch::Tensor& edges) {
  torch::Tensor out = receiver(nodes).unsqueeze(2) + sender(nodes).unsqueeze(1);  // [B, N(i), N(j), out]
  if (options.edge_dim() > 0) {
    if (!edges.defined()) throw UsageError("EdgeHead: edges needed when edge_dim > 0");
    out = out + edge(edges);
  }
  return out;
}

GraphReadoutImpl::GraphReadoutImpl(const GraphReadoutOptions& options_) : options(options_) {}

torch::Tensor GraphReadoutImpl::forward(const torch::Tensor& h, const torch::Tensor& ptr) {
  const int64_t graphs = ptr.size(0) - 1;
  const torch::Tensor counts = ptr.slice(0, 1) - ptr.slice(0, 0, -1);
  if (options.pooling() == Pooling::kVirtualNode) {
    const torch::Tensor first = ptr.slice(0, 0, -1).clamp_max(std::max<int64_t>(h.size(0) - 1, 0));
    const torch::Tensor nonempty = (counts > 0).unsqueeze(1).to(h.scalar_type());
    return h.index_select(0, first) * nonempty;
  }
  const torch::Tensor batch = torch::repeat_interleave(torch::arange(graphs, ptr.options()), counts);
  switch (options.pooling()) {
    case Pooling::kSum: return segment_sum(h, batch, graphs);
    case Pooling::kMax: return segment_max(h, batch, graphs);
    default: return segment_mean(h, batch, graphs);
  }
}

Code2HeadImpl::Code2HeadImpl(const Code2HeadOptions& options_) : options(options_) { reset(); }

void Code2HeadImpl::reset() {
  classifiers = register_module("classifiers", torch::nn::ModuleList());
  for (int64_t p = 0; p < options.length(); ++p)
    classifiers->push_back(Linear(options.d_model(), options.vocab()));
}

torch::Tensor Code2HeadImpl::forward(const torch::Tensor& graph_states) {
  std::vector<torch::Tensor> logits;
  for (const auto& classifier : *classifiers) logits.push_back(classifier->as<Linear>()->forward(graph_states));
  return torch::stack(logits, 1);
}

}  // namespace graphtx
