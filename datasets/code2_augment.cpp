#include "datasets/code2_augment.hpp"

#include "datasets/code2_reader.hpp"
#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"

#include <algorithm>
#include <numeric>

namespace graphtx {

namespace {

void require_code2_columns(const Graph& g, const char* caller) {
  if (g.node_features().ints.cols() < kCode2Columns)
    throw UsageError(std::string(caller) + ": expected " + std::to_string(kCode2Columns) +
                     " integer node-feature columns (read_ogb_code2 layout), found " +
                     std::to_string(g.node_features().ints.cols()));
}

}  // namespace

Graph augment_edge(const Graph& ast) {
  require_code2_columns(ast, "augment_edge");
  if (!ast.directed()) throw UsageError("augment_edge: the AST must be a directed graph");
  const IntMatrix& nodes = ast.node_features().ints;
  std::vector<Index> attributed;
  for (Index v = 0; v < ast.num_nodes(); ++v)
    if (nodes(v, kCode2IsAttributed) == 1) attributed.push_back(v);
  std::stable_sort(attributed.begin(), attributed.end(),
                   [&](Index a, Index b) { return nodes(a, kCode2DfsOrder) < nodes(b, kCode2DfsOrder); });
  const Index m = ast.num_edges();
  const Index links = attributed.empty() ? 0 : static_cast<Index>(attributed.size()) - 1;
  const Index total = 2 * m + 2 * links;

  GraphBuilder builder(ast.num_nodes(), true);
  builder.reserve_edges(total);
  Features edge_features;
  edge_features.ints = IntMatrix::Zero(total, 2);
  Index e = 0;
  auto add = [&](Index u, Index v, std::int64_t kind, std::int64_t direction) {
    builder.add_edge(u, v);
    edge_features.ints(e, 0) = kind;
    edge_features.ints(e, 1) = direction;
    ++e;
  };
  for (Index i = 0; i < m; ++i) add(ast.source(i), ast.target(i), 0, 0);
  for (Index i = 0; i < m; ++i) add(ast.target(i), ast.source(i), 0, 1);
  for (Index i = 0; i < links; ++i) add(attributed[static_cast<size_t>(i)], attributed[static_cast<size_t>(i) + 1], 1, 0);
  for (Index i = 0; i < links; ++i) add(attributed[static_cast<size_t>(i) + 1], attributed[static_cast<size_t>(i)], 1, 1);
  builder.node_features(ast.node_features());
  builder.edge_features(std::move(edge_features));
  return builder.build();
}

Graph clamp_depth(const Graph& g, std::int64_t max_depth) {
  require_code2_columns(g, "clamp_depth");
  if (max_depth < 0) throw UsageError("clamp_depth: negative max_depth " + std::to_string(max_depth));
  GraphBuilder builder(g.num_nodes(), g.directed());
  builder.reserve_edges(g.num_edges());
  for (Index e = 0; e < g.num_edges(); ++e) {
    if (g.weighted())
      builder.add_edge(g.source(e), g.target(e), g.weight(e));
    else
      builder.add_edge(g.source(e), g.target(e));
  }
  Features nodes = g.node_features();
  for (Index v = 0; v < nodes.ints.rows(); ++v)
    nodes.ints(v, kCode2Depth) = std::min(nodes.ints(v, kCode2Depth), max_depth);
  builder.node_features(std::move(nodes));
  builder.edge_features(g.edge_features());
  return builder.build();
}

}  // namespace graphtx
