#include "layers/ftfi/topological_attention.hpp"

#include "graph/errors.hpp"
#include "layers/batched_graph.hpp"
#include "pe/ftfi/brute_force.hpp"

#include <cmath>
#include <limits>

namespace graphtx {

TreeTopology TreeTopology::from_batch(const GraphBatch& batch, const ftfi::SpanningTreeOptions& tree, bool with_distances) {
  TreeTopology t;
  ftfi::IntegratorOptions options;
  options.method = ftfi::IntegrationMethod::TwoPass;  // the mask family is an exp-polynomial
  t.integrator = ftfi::TreeFieldIntegrator(ftfi::spanning_tree(batch.graph(), tree), options);
  const auto& ptr = batch.node_ptr();
  t.ptr = torch::tensor(std::vector<int64_t>(ptr.begin(), ptr.end()), torch::kInt64);
  if (!with_distances) return t;
  const Index graphs = batch.num_graphs();
  Index nmax = 0;
  for (Index g = 0; g < graphs; ++g) nmax = std::max(nmax, ptr[g + 1] - ptr[g]);
  t.distances = torch::full({graphs, nmax, nmax}, std::numeric_limits<double>::infinity(), torch::kFloat64);
  t.mask = torch::zeros({graphs, nmax}, torch::kBool);
  // Per graph: the union forest's edges inside the graph (so both variants see the same tree).
  std::vector<std::vector<ftfi::TreeEdge>> edges(static_cast<size_t>(graphs));
  const std::vector<Index> graph_of = batch.node_graph_ids();
  for (const ftfi::TreeEdge& e : t.integrator.tree().edges()) {
    const Index g = graph_of[e.u];
    edges[g].push_back({e.u - ptr[g], e.v - ptr[g], e.weight});
  }
  auto dist = t.distances.accessor<double, 3>();
  auto mask = t.mask.accessor<bool, 2>();
  for (Index g = 0; g < graphs; ++g) {
    const RealMatrix d = ftfi::tree_distances(ftfi::Tree::from_edges(ptr[g + 1] - ptr[g], edges[g]));
    for (Index i = 0; i < d.rows(); ++i) {
      mask[g][i] = true;
      for (Index j = 0; j < d.cols(); ++j) dist[g][i][j] = d(i, j);
    }
  }
  return t;
}

TopologicalAttentionImpl::TopologicalAttentionImpl(const TopologicalAttentionOptions& options_) : options(options_) {
  reset();
}

void TopologicalAttentionImpl::reset() {
  if (options.dim() <= 0 || options.heads() <= 0 || options.dim() % options.heads() != 0)
    throw UsageError("TopologicalAttention: dim must be a positive multiple of heads");
  query = register_module("query", Linear(options.dim(), options.dim()));
  key = register_module("key", Linear(options.dim(), options.dim()));
  value = register_module("value", Linear(options.dim(), options.dim()));
  output = register_module("output", Linear(options.dim(), options.dim()));
  mask_theta = register_parameter(
      "mask_theta", ExpMaskFamily::theta_for(options.mask_a(), options.mask_lambda(), options.mask_b()).to(torch::kFloat32));
}

torch::Tensor TopologicalAttentionImpl::forward(const torch::Tensor& x, const TreeTopology& topology) {
  if (x.dim() != 2 || x.size(1) != options.dim()) throw UsageError("TopologicalAttention: x must be [N, dim]");
  if (x.size(0) != topology.integrator.num_nodes())
    throw UsageError("TopologicalAttention: x has " + std::to_string(x.size(0)) + " rows, the topology " +
                     std::to_string(topology.integrator.num_nodes()) + " nodes");
  const int64_t n = x.size(0), h = options.heads(), dh = options.dim() / h;
  const torch::Tensor q = query(x).view({n, h, dh}), k = key(x).view({n, h, dh}), v = value(x).view({n, h, dh});
  const torch::Tensor attended = options.exact() ? forward_exact(q, k, v, topology) : forward_linear(q, k, v, topology);
  return output(attended.reshape({n, options.dim()}));
}

torch::Tensor TopologicalAttentionImpl::forward_linear(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                                       const TreeTopology& topology) {
  const int64_t n = q.size(0), h = q.size(1), dh = q.size(2);
  const torch::Tensor phi_q = torch::elu(q) + 1, phi_k = torch::elu(k) + 1;  // [N, H, dh]
  // One integration of [φ(k)_l ⊙ v | φ(k)_l] for every head and feature l: [N, H·dh·(dh + 1)].
  const torch::Tensor kv = phi_k.unsqueeze(3) * v.unsqueeze(2);  // [N, H, dh(l), dh(c)]
  const torch::Tensor field = torch::cat({kv.reshape({n, h * dh * dh}), phi_k.reshape({n, h * dh})}, 1);
  const ExpMaskFamily f = mask_family();
  const torch::Tensor mixed = integrate_tree_field(topology.integrator, field, f.coefficients().to(field.scalar_type()),
                                                   f.rates().to(field.scalar_type()), ExpMaskFamily::powers());
  const torch::Tensor mkv = mixed.slice(1, 0, h * dh * dh).view({n, h, dh, dh});
  const torch::Tensor mk = mixed.slice(1, h * dh * dh).view({n, h, dh});
  const torch::Tensor numerator = (phi_q.unsqueeze(3) * mkv).sum(2);         // [N, H, dh]
  const torch::Tensor denominator = (phi_q * mk).sum(2, true);               // [N, H, 1]
  return numerator / (denominator + options.epsilon());
}

torch::Tensor TopologicalAttentionImpl::forward_exact(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                                      const TreeTopology& topology) {
  if (!topology.distances.defined())
    throw UsageError("TopologicalAttention: the exact variant needs TreeTopology::from_batch(..., with_distances = true)");
  const int64_t n = q.size(0), h = q.size(1), dh = q.size(2);
  auto dense = [&](const torch::Tensor& t) {  // [N, H, dh] -> [B, H, Nmax, dh]
    return to_dense(t.reshape({n, h * dh}), topology.ptr, topology.distances.size(1)).first.view({-1, topology.distances.size(1), h, dh}).transpose(1, 2);
  };
  const torch::Tensor qd = dense(q), kd = dense(k), vd = dense(v);
  const torch::Tensor m = mask_family().evaluate(topology.distances).to(q.scalar_type()).unsqueeze(1);  // [B, 1, Nmax, Nmax]
  const torch::Tensor allowed = m > 0;
  torch::Tensor logits = torch::matmul(qd, kd.transpose(2, 3)) / std::sqrt(static_cast<double>(dh));
  logits = logits + torch::log(torch::where(allowed, m, torch::ones_like(m)));
  logits = logits.masked_fill(allowed.logical_not(), -1e30);
  torch::Tensor weights = torch::softmax(logits, -1);
  weights = weights * allowed.any(-1, true).to(weights.scalar_type());  // rows without keys (padding) -> 0
  const torch::Tensor out = torch::matmul(weights, vd).transpose(1, 2).reshape({-1, topology.distances.size(1), h * dh});
  return from_dense(out, topology.mask).view({n, h, dh});
}

}  // namespace graphtx
