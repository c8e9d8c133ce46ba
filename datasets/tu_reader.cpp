#include "datasets/tu_reader.hpp"

#include "datasets/csv_reader.hpp"
#include "datasets/gzip_line_reader.hpp"
#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"
#include "graph/io/text_io.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <functional>
#include <numeric>
#include <optional>
#include <tuple>
#include <type_traits>

namespace graphtx {

namespace fs = std::filesystem;

namespace {

// Rows of a TU file: comma-separated values, the same count on every line. Trailing empty
// lines are ignored, an empty line followed by data is an error.
template <typename T>
struct Table {
  std::string path;
  Index columns = 0;
  std::vector<T> values;  // row-major
  Index rows() const { return columns == 0 ? 0 : static_cast<Index>(values.size()) / columns; }
  T at(Index r, Index c) const { return values[static_cast<size_t>(r * columns + c)]; }
};

bool parse_value(std::string_view text, std::int64_t& out) { return try_parse_int(text, out); }

bool parse_value(std::string_view text, double& out) {
  std::size_t a = 0, b = text.size();
  while (a < b && (text[a] == ' ' || text[a] == '\t')) ++a;
  while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '\r')) --b;
  if (a < b && text[a] == '+') ++a;
  const char* last = text.data() + b;
  const auto [end, error] = std::from_chars(text.data() + a, last, out);
  return a < b && error == std::errc() && end == last && std::isfinite(out);
}

template <typename T>
Table<T> read_table(const std::string& path, const char* what) {
  GzipLineReader reader(path);
  Table<T> table;
  table.path = path;
  std::string_view line;
  std::int64_t blank_line = 0;
  std::vector<std::string_view> parts(16);
  while (reader.next(line)) {
    line = strip_cr(line);
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      if (blank_line == 0) blank_line = reader.line_number();
      continue;
    }
    if (blank_line != 0) reader.fail_at(blank_line, "empty line");
    std::size_t count = split_fields(line, ',', parts.data(), parts.size());
    if (count > parts.size()) {
      parts.resize(count);
      count = split_fields(line, ',', parts.data(), parts.size());
    }
    if (table.columns == 0) table.columns = static_cast<Index>(count);
    if (static_cast<Index>(count) != table.columns)
      reader.fail("expected " + std::to_string(table.columns) + " comma-separated values, found " + std::to_string(count));
    for (std::size_t i = 0; i < count; ++i) {
      T value{};
      if (!parse_value(parts[i], value))
        reader.fail(std::string("malformed ") + what + " '" + io_detail::printable(parts[i]) + "' (expected " +
                    (std::is_same<T, double>::value ? "a finite number)" : "an integer in [-2^63, 2^63-1])"));
      table.values.push_back(value);
    }
  }
  return table;
}

template <typename T>
void require_rows(const Table<T>& table, Index rows, const std::string& reference) {
  if (table.rows() != rows)
    throw InputError(table.path, std::min(table.rows(), rows) + 1,
                     "has " + std::to_string(table.rows()) + " rows, but " + reference + " implies " + std::to_string(rows));
}

std::string find_directory(const std::string& root, const std::string& name) {
  for (const fs::path& dir : {fs::path(root) / name, fs::path(root) / name / "raw"})
    if (fs::exists(dir / (name + "_A.txt"))) return dir.string();
  throw InputError((fs::path(root) / name / (name + "_A.txt")).string(), 0,
                   "not found (also looked in " + (fs::path(root) / name / "raw").string() + ")");
}

template <typename T>
bool same_row(const Table<T>& t, Index a, Index b) {
  for (Index c = 0; c < t.columns; ++c)
    if (t.at(a, c) != t.at(b, c)) return false;
  return true;
}

}  // namespace

InMemoryDataset read_tu(const std::string& root, const std::string& name, const TuOptions& options) {
  const std::string dir = find_directory(root, name);
  auto file = [&](const std::string& suffix) { return (fs::path(dir) / (name + "_" + suffix + ".txt")).string(); };
  auto optional_file = [&](const std::string& suffix) -> std::optional<std::string> {
    const std::string path = file(suffix);
    return fs::exists(path) ? std::optional<std::string>(path) : std::nullopt;
  };

  const auto graph_labels = read_table<std::int64_t>(file("graph_labels"), "graph label");
  const auto indicator = read_table<std::int64_t>(file("graph_indicator"), "graph id");
  const auto edges = read_table<std::int64_t>(file("A"), "node id");
  if (graph_labels.columns > 1) throw InputError(graph_labels.path, 1, "expected one label per line");
  if (indicator.columns > 1) throw InputError(indicator.path, 1, "expected one graph id per line");
  if (edges.rows() > 0 && edges.columns != 2) throw InputError(edges.path, 1, "expected 'row, col' per line");
  const Index num_graphs = graph_labels.rows();
  const Index n = indicator.rows();
  const Index m = edges.rows();

  std::vector<Index> node_ptr(static_cast<size_t>(num_graphs) + 1, 0);
  for (Index v = 0; v < n; ++v) {
    const std::int64_t g = indicator.at(v, 0);
    if (g < 1 || g > num_graphs)
      throw InputError(indicator.path, v + 1, "graph id " + std::to_string(g) + " outside [1, " + std::to_string(num_graphs) +
                                                  "] (" + graph_labels.path + " has " + std::to_string(num_graphs) + " rows)");
    if (v > 0 && g < indicator.at(v - 1, 0))
      throw InputError(indicator.path, v + 1, "graph ids must not decrease (" + std::to_string(g) + " after " +
                                                  std::to_string(indicator.at(v - 1, 0)) + ")");
    ++node_ptr[static_cast<size_t>(g)];
  }
  std::partial_sum(node_ptr.begin(), node_ptr.end(), node_ptr.begin());

  std::optional<Table<std::int64_t>> node_labels, edge_labels;
  std::optional<Table<double>> node_attributes, edge_attributes;
  if (auto p = optional_file("node_labels")) node_labels = read_table<std::int64_t>(*p, "node label");
  if (auto p = optional_file("edge_labels")) edge_labels = read_table<std::int64_t>(*p, "edge label");
  if (auto p = optional_file("node_attributes")) node_attributes = read_table<double>(*p, "node attribute");
  if (auto p = optional_file("edge_attributes")) edge_attributes = read_table<double>(*p, "edge attribute");
  if (node_labels) require_rows(*node_labels, n, indicator.path);
  if (node_attributes) require_rows(*node_attributes, n, indicator.path);
  if (edge_labels) require_rows(*edge_labels, m, edges.path);
  if (edge_attributes) require_rows(*edge_attributes, m, edges.path);

  for (Index e = 0; e < m; ++e)
    for (Index c = 0; c < 2; ++c) {
      const std::int64_t v = edges.at(e, c);
      if (v < 1 || v > n)
        throw InputError(edges.path, e + 1, "node id " + std::to_string(v) + " outside [1, " + std::to_string(n) + "]");
    }
  auto graph_of = [&](Index e, Index c) { return indicator.at(edges.at(e, c) - 1, 0) - 1; };
  for (Index e = 0; e < m; ++e)
    if (graph_of(e, 0) != graph_of(e, 1))
      throw InputError(edges.path, e + 1, "edge joins graph " + std::to_string(graph_of(e, 0) + 1) + " and graph " +
                                              std::to_string(graph_of(e, 1) + 1));

  // Lines kept as edges (all, or one per direction pair), in line order.
  std::vector<Index> kept;
  if (options.directed) {
    kept.resize(static_cast<size_t>(m));
    std::iota(kept.begin(), kept.end(), Index{0});
  } else {
    struct Line {
      std::int64_t lo, hi;
      bool backward;  // written as u > v
      Index e;
      bool operator<(const Line& o) const { return std::tie(lo, hi, backward, e) < std::tie(o.lo, o.hi, o.backward, o.e); }
    };
    std::vector<Line> lines(static_cast<size_t>(m));
    for (Index e = 0; e < m; ++e) {
      const std::int64_t u = edges.at(e, 0), v = edges.at(e, 1);
      lines[static_cast<size_t>(e)] = Line{std::min(u, v), std::max(u, v), u > v, e};
    }
    std::sort(lines.begin(), lines.end());
    std::vector<Index> order(static_cast<size_t>(m));
    for (size_t k = 0; k < lines.size(); ++k) order[k] = lines[k].e;
    for (size_t i = 0; i < order.size();) {
      size_t j = i;
      while (j < order.size() && lines[j].lo == lines[i].lo && lines[j].hi == lines[i].hi) ++j;
      const Index e0 = order[i];
      if (edges.at(e0, 0) == edges.at(e0, 1)) {  // self-loops: one line each
        for (size_t k = i; k < j; ++k) kept.push_back(order[k]);
        i = j;
        continue;
      }
      size_t forward_end = i;  // lines u < v come first within the group
      while (forward_end < j && !lines[forward_end].backward) ++forward_end;
      const size_t forward = forward_end - i, backward = j - forward_end;
      if (forward != backward) {
        const Index lonely = forward > backward ? order[i + backward] : order[forward_end + forward];
        throw InputError(edges.path, lonely + 1, "edge " + std::to_string(edges.at(lonely, 0)) + ", " +
                                                     std::to_string(edges.at(lonely, 1)) +
                                                     " has no reverse line (undirected TU edges are listed in both directions)");
      }
      for (size_t k = 0; k < forward; ++k) {
        const Index a = order[i + k], b = order[forward_end + k];
        if ((edge_labels && !same_row(*edge_labels, a, b)) || (edge_attributes && !same_row(*edge_attributes, a, b)))
          throw InputError(edges.path, std::max(a, b) + 1, "the two directions of an undirected edge (lines " +
                                                               std::to_string(std::min(a, b) + 1) + " and " +
                                                               std::to_string(std::max(a, b) + 1) + ") have different labels or attributes");
        kept.push_back(std::min(a, b));
      }
      i = j;
    }
    std::sort(kept.begin(), kept.end());
  }

  std::vector<std::int64_t> classes(graph_labels.values);
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());

  std::vector<std::vector<Index>> graph_edges(static_cast<size_t>(num_graphs));
  for (Index e : kept) graph_edges[static_cast<size_t>(graph_of(e, 0))].push_back(e);

  std::vector<GraphExample> examples(static_cast<size_t>(num_graphs));
  for (Index g = 0; g < num_graphs; ++g) {
    const Index first = node_ptr[static_cast<size_t>(g)];
    const Index count = node_ptr[static_cast<size_t>(g) + 1] - first;
    const auto& ids = graph_edges[static_cast<size_t>(g)];
    GraphBuilder builder(count, options.directed);
    builder.reserve_edges(static_cast<Index>(ids.size()));
    for (Index e : ids) builder.add_edge(edges.at(e, 0) - 1 - first, edges.at(e, 1) - 1 - first);
    Features nodes, edge_features;
    if (node_labels) nodes.ints = Eigen::Map<const IntMatrix>(node_labels->values.data() + first * node_labels->columns, count, node_labels->columns);
    if (node_attributes)
      nodes.reals = Eigen::Map<const RealMatrix>(node_attributes->values.data() + first * node_attributes->columns, count, node_attributes->columns);
    if (edge_labels) {
      edge_features.ints.resize(static_cast<Index>(ids.size()), edge_labels->columns);
      for (size_t k = 0; k < ids.size(); ++k)
        for (Index c = 0; c < edge_labels->columns; ++c) edge_features.ints(static_cast<Index>(k), c) = edge_labels->at(ids[k], c);
    }
    if (edge_attributes) {
      edge_features.reals.resize(static_cast<Index>(ids.size()), edge_attributes->columns);
      for (size_t k = 0; k < ids.size(); ++k)
        for (Index c = 0; c < edge_attributes->columns; ++c) edge_features.reals(static_cast<Index>(k), c) = edge_attributes->at(ids[k], c);
    }
    builder.node_features(std::move(nodes));
    builder.edge_features(std::move(edge_features));
    GraphExample& example = examples[static_cast<size_t>(g)];
    example.index = g;
    example.graph = builder.build();
    const auto raw = graph_labels.at(g, 0);
    example.label = {static_cast<std::int64_t>(std::lower_bound(classes.begin(), classes.end(), raw) - classes.begin())};
  }
  return InMemoryDataset(name, std::move(examples));
}

}  // namespace graphtx
