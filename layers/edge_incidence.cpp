#include "layers/edge_incidence.hpp"

#include "graph/errors.hpp"

#include <algorithm>
#include <vector>

namespace graphtx {

namespace {

// Counting sort of the edge ids by key: ptr [N + 1] and the ids grouped by key, increasing inside a group.
void group_by(const int64_t* key, int64_t num_edges, int64_t num_nodes, int64_t* ptr, int64_t* edges) {
  std::fill(ptr, ptr + num_nodes + 1, int64_t{0});
  for (int64_t k = 0; k < num_edges; ++k) ++ptr[key[k] + 1];
  for (int64_t i = 0; i < num_nodes; ++i) ptr[i + 1] += ptr[i];
  std::vector<int64_t> next(ptr, ptr + num_nodes);
  for (int64_t k = 0; k < num_edges; ++k) edges[next[static_cast<size_t>(key[k])]++] = k;
}

}  // namespace

EdgeIncidence EdgeIncidence::build(const torch::Tensor& edge_index, int64_t num_nodes, const std::string& layer) {
  if (!edge_index.defined() || edge_index.dim() != 2 || edge_index.size(0) != 2 ||
      edge_index.scalar_type() != torch::kInt64)
    throw UsageError(layer + ": edge_index must be an int64 tensor of shape [2, E]");
  EdgeIncidence inc;
  inc.num_nodes = num_nodes;
  inc.num_edges = edge_index.size(1);
  const torch::Tensor pairs = edge_index.to(torch::kCPU).contiguous();
  inc.source = pairs[0];
  inc.target = pairs[1];
  const int64_t* ids = pairs.data_ptr<int64_t>();
  for (int64_t k = 0; k < 2 * inc.num_edges; ++k)
    if (ids[k] < 0 || ids[k] >= num_nodes)
      throw UsageError(layer + ": edge_index refers to a node outside [0, " + std::to_string(num_nodes) + ")");
  const auto index = torch::TensorOptions().dtype(torch::kInt64);
  inc.in_ptr = torch::empty({num_nodes + 1}, index);
  inc.in_edges = torch::empty({inc.num_edges}, index);
  inc.out_ptr = torch::empty({num_nodes + 1}, index);
  inc.out_edges = torch::empty({inc.num_edges}, index);
  group_by(ids + inc.num_edges, inc.num_edges, num_nodes, inc.in_ptr.data_ptr<int64_t>(), inc.in_edges.data_ptr<int64_t>());
  group_by(ids, inc.num_edges, num_nodes, inc.out_ptr.data_ptr<int64_t>(), inc.out_edges.data_ptr<int64_t>());
  return inc;
}

}  // namespace graphtx
