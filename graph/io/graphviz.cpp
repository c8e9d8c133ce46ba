#include "graph/io/graphviz.hpp"

#include "graph/boost_graph.hpp"
#include "graph/errors.hpp"
#include "graph/io/boost_file_graph.hpp"
#include "graph/io/text_io.hpp"

#include <boost/graph/graphviz.hpp>
#include <boost/make_shared.hpp>

#include <algorithm>
#include <charconv>
#include <numeric>
#include <string_view>

namespace graphtx {

namespace {

bool parse_node_number(const std::string& id, std::int64_t& value) {
  if (id.empty() || !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), value);
  return error == std::errc() && end == id.data() + id.size();
}

// Boost's DOT errors carry no position. They quote the offending token ("... (token is
// "<kind> 'TEXT'")") or character ("Invalid character (char is 'C')"): its line is reported
// when that text occurs exactly once in the file, and an unexpected end of file is on the last
// line. 0 when the line cannot be told.
long error_line(std::string_view text, const std::string& message) {
  if (message.find("(token is \"<eof>") != std::string::npos)
    return io_detail::line_of_offset(text, text.empty() ? 0 : text.size() - 1);
  std::size_t open = message.find("(token is \"<");
  if (open != std::string::npos) open = message.find("> '", open);
  if (open != std::string::npos) open += 3;
  else if ((open = message.find("(char is '")) != std::string::npos) open += 10;
  else return 0;
  const std::size_t close = message.rfind('\'');
  if (close == std::string::npos || close <= open) return 0;
  return io_detail::unique_line(text, message.substr(open, close - open));
}

template <class Directedness>
LoadedGraph parse_as(const std::string& text, const std::string& name, const ReadOptions& options) {
  using FileGraph = io_detail::FileGraph<Directedness>;
  FileGraph bg;
  boost::dynamic_properties dp(boost::ignore_other_properties);
  dp.property("node_id", boost::get(&io_detail::FileVertex::id, bg));
  dp.insert("weight", boost::make_shared<io_detail::WeightAttribute<FileGraph>>(bg));
  boost::read_graphviz(text, bg, dp, "node_id");

  const std::size_t n = boost::num_vertices(bg);
  std::vector<std::int64_t> number(n, 0);
  bool numeric = true;
  for (std::size_t v = 0; v < n && numeric; ++v) numeric = parse_node_number(bg[v].id, number[v]);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (numeric && number[a] != number[b]) return number[a] < number[b];
    return bg[a].id < bg[b].id;
  });
  return io_detail::to_loaded_graph(bg, order, name, options, text);
}

}  // namespace

LoadedGraph parse_graphviz(const std::string& file_text, const std::string& name, const ReadOptions& options) {
  const std::string encoding = io_detail::binary_encoding_problem(file_text);
  if (!encoding.empty()) throw InputError(name, 1, encoding);
  const std::string text(io_detail::without_bom(file_text));
  if (const std::size_t nul = text.find('\0'); nul != std::string::npos)
    throw InputError(name, io_detail::line_of_offset(text, nul), "NUL byte (binary data, not DOT text)");
  try {
    try {
      return parse_as<boost::bidirectionalS>(text, name, options);
    } catch (const boost::undirected_graph_error&) {
      return parse_as<boost::undirectedS>(text, name, options);
    }
  } catch (const boost::bad_graphviz_syntax& e) {
    throw InputError(name, error_line(text, e.errmsg), "invalid DOT: " + e.errmsg);
  } catch (const boost::graph_exception& e) {
    throw InputError(name, 0, std::string("invalid DOT: ") + e.what());
  }
}

LoadedGraph read_graphviz(const std::string& path, const ReadOptions& options) {
  return parse_graphviz(io_detail::read_text_file(path), path, options);
}

void write_graphviz(const Graph& g, const std::string& path, const std::vector<std::string>& node_ids) {
  if (!node_ids.empty() && static_cast<Index>(node_ids.size()) != g.num_nodes())
    throw UsageError("write_graphviz: " + std::to_string(node_ids.size()) + " node ids for " +
                     std::to_string(g.num_nodes()) + " nodes");
  std::vector<std::string> ids = node_ids;
  if (ids.empty())
    for (Index u = 0; u < g.num_nodes(); ++u) ids.push_back(std::to_string(u));
  std::vector<std::string> weights;
  for (double w : g.weights()) weights.push_back(io_detail::format_double(w));
  auto write = [&](const auto& bg) {
    boost::dynamic_properties dp;
    dp.property("node_id", boost::make_iterator_property_map(ids.begin(), boost::get(boost::vertex_index, bg)));
    if (g.weighted())
      dp.property("weight", boost::make_iterator_property_map(weights.begin(), boost::get(boost::edge_index, bg)));
    io_detail::write_file_atomically(path, [&](std::ostream& out) { boost::write_graphviz_dp(out, bg, dp, "node_id"); });
  };
  if (g.directed()) write(to_boost<BoostDigraph>(g));
  else write(to_boost<BoostUndirectedGraph>(g));
}

}  // namespace graphtx
