#include "layers/batched_graph.hpp"

#include <algorithm>
#include <vector>

namespace graphtx {

int64_t BatchedGraph::max_nodes() const {
  if (num_graphs() == 0) return 0;
  return (ptr.slice(0, 1) - ptr.slice(0, 0, -1)).max().item<int64_t>();
}

namespace {

torch::Tensor feature_tensor(const Features& f, Index rows) {
  const Index cols = f.ints.cols() + f.reals.cols();
  std::vector<float> data(static_cast<size_t>(rows * cols));
  for (Index r = 0; r < rows; ++r) {
    for (Index c = 0; c < f.ints.cols(); ++c) data[r * cols + c] = static_cast<float>(f.ints(r, c));
    for (Index c = 0; c < f.reals.cols(); ++c) data[r * cols + f.ints.cols() + c] = static_cast<float>(f.reals(r, c));
  }
  return torch::from_blob(data.data(), {rows, cols}, torch::kFloat32).clone();
}

torch::Tensor index_tensor(const std::vector<Index>& v) {
  return torch::from_blob(const_cast<Index*>(v.data()), {static_cast<int64_t>(v.size())}, torch::kInt64).clone();
}

}  // namespace

BatchedGraph to_tensors(const GraphBatch& batch) {
  const Graph& g = batch.graph();
  BatchedGraph out;
  out.x = feature_tensor(g.node_features(), g.num_nodes());
  out.edge_index = torch::stack({index_tensor(g.sources()), index_tensor(g.targets())});
  out.edge_attr = feature_tensor(g.edge_features(), g.num_edges());
  out.ptr = index_tensor(batch.node_ptr());
  out.batch = index_tensor(batch.node_graph_ids());
  return out;
}

std::pair<torch::Tensor, torch::Tensor> to_dense(const torch::Tensor& values, const torch::Tensor& ptr,
                                                 int64_t max_nodes) {
  const int64_t graphs = ptr.size(0) - 1;
  const torch::Tensor counts = ptr.slice(0, 1) - ptr.slice(0, 0, -1);
  const int64_t largest = graphs > 0 ? counts.max().item<int64_t>() : 0;
  const int64_t nmax = std::max(largest, max_nodes);
  const torch::Tensor batch = torch::repeat_interleave(torch::arange(graphs, ptr.options()), counts);
  const torch::Tensor pos = torch::arange(values.size(0), ptr.options()) - ptr.index_select(0, batch);
  std::vector<int64_t> shape{graphs, nmax};
  for (int64_t d = 1; d < values.dim(); ++d) shape.push_back(values.size(d));
  torch::Tensor dense = torch::zeros(shape, values.options());
  torch::Tensor mask = torch::zeros({graphs, nmax}, torch::TensorOptions().dtype(torch::kBool).device(values.device()));
  dense.index_put_({batch, pos}, values);
  mask.index_put_({batch, pos}, true);
  return {dense, mask};
}

torch::Tensor from_dense(const torch::Tensor& dense, const torch::Tensor& mask) { return dense.index({mask}); }

namespace {

struct LocalPairs {
  torch::Tensor graph, receiver, sender;  // [E] each
};

LocalPairs local_pairs(const torch::Tensor& edge_index, const torch::Tensor& ptr) {
  const torch::Tensor target = edge_index[1];
  const torch::Tensor source = edge_index[0];
  const torch::Tensor graph = torch::searchsorted(ptr, target, /*out_int32=*/false, /*right=*/true) - 1;
  const torch::Tensor start = ptr.index_select(0, graph);
  return {graph, target - start, source - start};
}

}  // namespace

std::pair<torch::Tensor, torch::Tensor> to_dense_pairs(const torch::Tensor& edge_values,
                                                       const torch::Tensor& edge_index, const torch::Tensor& ptr,
                                                       int64_t max_nodes) {
  const int64_t graphs = ptr.size(0) - 1;
  const int64_t largest = graphs > 0 ? (ptr.slice(0, 1) - ptr.slice(0, 0, -1)).max().item<int64_t>() : 0;
  const int64_t nmax = std::max(largest, max_nodes);
  const LocalPairs p = local_pairs(edge_index, ptr);
  std::vector<int64_t> shape{graphs, nmax, nmax};
  for (int64_t d = 1; d < edge_values.dim(); ++d) shape.push_back(edge_values.size(d));
  const torch::Tensor pairs =
      torch::zeros(shape, edge_values.options()).index_put({p.graph, p.receiver, p.sender}, edge_values, true);
  torch::Tensor present = torch::zeros({graphs, nmax, nmax}, torch::TensorOptions().dtype(torch::kBool));
  present.index_put_({p.graph, p.receiver, p.sender}, true);
  return {pairs, present.to(edge_values.device())};
}

torch::Tensor from_dense_pairs(const torch::Tensor& pairs, const torch::Tensor& edge_index, const torch::Tensor& ptr) {
  const LocalPairs p = local_pairs(edge_index, ptr);
  return pairs.index({p.graph, p.receiver, p.sender});
}

BatchedGraph with_virtual_nodes(const BatchedGraph& graph) {
  const int64_t graphs = graph.num_graphs(), n = graph.num_nodes();
  const torch::Tensor counts = graph.ptr.slice(0, 1) - graph.ptr.slice(0, 0, -1);
  const torch::Tensor batch = torch::repeat_interleave(torch::arange(graphs, graph.ptr.options()), counts);
  const torch::Tensor shifted = torch::arange(n, graph.ptr.options()) + batch + 1;  // old node -> new id
  BatchedGraph out;
  out.ptr = graph.ptr + torch::arange(graphs + 1, graph.ptr.options());
  const torch::Tensor virtual_ids = out.ptr.slice(0, 0, -1).index_select(0, batch);  // per old node
  out.x = torch::zeros({n + graphs, graph.x.size(1)}, graph.x.options()).index_put({shifted}, graph.x);
  out.edge_index = torch::cat({shifted.index({graph.edge_index}), torch::stack({virtual_ids, shifted}),
                               torch::stack({shifted, virtual_ids})},
                              1);
  out.edge_attr = torch::cat({graph.edge_attr, torch::zeros({2 * n, graph.edge_attr.size(1)}, graph.edge_attr.options())});
  out.batch = torch::repeat_interleave(torch::arange(graphs, graph.ptr.options()), counts + 1);
  return out;
}

}  // namespace graphtx
