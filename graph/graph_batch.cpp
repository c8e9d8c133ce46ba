#include "graph/graph_batch.hpp"

#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"

#include <string>

namespace graphtx {

namespace {

template <class M>
M stack_rows(const std::vector<const M*>& parts) {
  Index rows = 0, cols = parts.empty() ? 0 : parts.front()->cols();
  for (const M* p : parts) rows += p->rows();
  M out(rows, cols);
  Index r = 0;
  for (const M* p : parts) {
    if (p->rows() > 0) out.middleRows(r, p->rows()) = *p;
    r += p->rows();
  }
  return out;
}

Features stack(const std::vector<const Features*>& parts) {
  std::vector<const IntMatrix*> ints;
  std::vector<const RealMatrix*> reals;
  for (const Features* f : parts) {
    ints.push_back(&f->ints);
    reals.push_back(&f->reals);
  }
  return {stack_rows(ints), stack_rows(reals)};
}

template <class M>
M slice_rows(const M& m, Index begin, Index end) {
  if (m.cols() == 0) return M(0, 0);
  return m.middleRows(begin, end - begin);
}

}  // namespace

GraphBatch::GraphBatch(const std::vector<Graph>& graphs) {
  if (graphs.empty()) return;
  const Graph& first = graphs.front();
  auto same_columns = [](const Features& a, const Features& b) {
    return a.ints.cols() == b.ints.cols() && a.reals.cols() == b.reals.cols();
  };
  Index n = 0, m = 0;
  for (size_t i = 0; i < graphs.size(); ++i) {
    const Graph& g = graphs[i];
    if (g.directed() != first.directed() || g.weighted() != first.weighted() ||
        !same_columns(g.node_features(), first.node_features()) ||
        !same_columns(g.edge_features(), first.edge_features()))
      throw UsageError("GraphBatch: graph " + std::to_string(i) +
                       " differs from graph 0 in directedness, weights or feature columns");
    n += g.num_nodes();
    m += g.num_edges();
    node_ptr_.push_back(n);
    edge_ptr_.push_back(m);
  }
  GraphBuilder b(n, first.directed());
  b.reserve_edges(m);
  std::vector<const Features*> nf, ef;
  for (size_t i = 0; i < graphs.size(); ++i) {
    const Graph& g = graphs[i];
    const Index off = node_ptr_[i];
    for (Index e = 0; e < g.num_edges(); ++e) {
      if (g.weighted()) b.add_edge(g.source(e) + off, g.target(e) + off, g.weight(e));
      else b.add_edge(g.source(e) + off, g.target(e) + off);
    }
    nf.push_back(&g.node_features());
    ef.push_back(&g.edge_features());
  }
  b.node_features(stack(nf));
  b.edge_features(stack(ef));
  union_ = b.build();
}

std::vector<Index> GraphBatch::node_graph_ids() const {
  std::vector<Index> ids(static_cast<size_t>(union_.num_nodes()));
  for (Index g = 0; g < num_graphs(); ++g)
    for (Index v = node_ptr_[g]; v < node_ptr_[g + 1]; ++v) ids[v] = g;
  return ids;
}

std::vector<Graph> GraphBatch::split() const {
  std::vector<Graph> out;
  out.reserve(static_cast<size_t>(num_graphs()));
  for (Index g = 0; g < num_graphs(); ++g) {
    const Index n0 = node_ptr_[g], n1 = node_ptr_[g + 1], e0 = edge_ptr_[g], e1 = edge_ptr_[g + 1];
    GraphBuilder b(n1 - n0, union_.directed());
    b.reserve_edges(e1 - e0);
    for (Index e = e0; e < e1; ++e) {
      if (union_.weighted()) b.add_edge(union_.source(e) - n0, union_.target(e) - n0, union_.weight(e));
      else b.add_edge(union_.source(e) - n0, union_.target(e) - n0);
    }
    const Features& nf = union_.node_features();
    const Features& ef = union_.edge_features();
    b.node_features({slice_rows(nf.ints, n0, n1), slice_rows(nf.reals, n0, n1)});
    b.edge_features({slice_rows(ef.ints, e0, e1), slice_rows(ef.reals, e0, e1)});
    out.push_back(b.build());
  }
  return out;
}

}  // namespace graphtx
