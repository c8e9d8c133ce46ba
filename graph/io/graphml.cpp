#include "graph/io/graphml.hpp"

#include "graph/boost_graph.hpp"
#include "graph/errors.hpp"
#include "graph/io/boost_file_graph.hpp"
#include "graph/io/text_io.hpp"

#include <boost/graph/graphml.hpp>
#include <boost/make_shared.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include <numeric>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <sstream>

namespace graphtx {

namespace {

// What Boost's reader does not report: edgedefault and the node ids of the first graph.
struct GraphmlOutline {
  bool directed = false;
  std::vector<std::string> node_ids;
};

GraphmlOutline outline(const std::string& text, const std::string& name) {
  namespace pt = boost::property_tree;
  pt::ptree tree;
  std::istringstream in(text);
  try {
    pt::read_xml(in, tree, pt::xml_parser::no_comments);
  } catch (const pt::xml_parser_error& e) {
    throw InputError(name, static_cast<std::int64_t>(e.line()), "invalid XML: " + e.message());
  }
  const auto root = tree.get_child_optional("graphml");
  if (!root) throw InputError(name, 0, "not GraphML: no <graphml> element");
  const auto graph = root->get_child_optional("graph");
  if (!graph) throw InputError(name, 0, "no <graph> element");
  GraphmlOutline result;
  result.directed = graph->get<std::string>("<xmlattr>.edgedefault", "") == "directed";
  for (const auto& child : *graph) {
    if (child.first != "node") continue;
    const auto id = child.second.get_optional<std::string>("<xmlattr>.id");
    if (!id) throw InputError(name, 0, "a <node> has no id attribute");
    result.node_ids.push_back(*id);
  }
  return result;
}

// The edge weights of a graphtx Boost graph for boost::write_graphml: typed double, written in
// the shortest form that reads back exactly (Boost's default stream precision loses digits).
template <class BoostGraph>
class ExactWeights : public boost::dynamic_property_map {
 public:
  using Edge = typename boost::graph_traits<BoostGraph>::edge_descriptor;
  explicit ExactWeights(const BoostGraph& graph) : graph_(graph) {}

  boost::any get(const boost::any& key) override {
    return boost::get(boost::edge_weight, graph_, boost::any_cast<Edge>(key));
  }
  std::string get_string(const boost::any& key) override {
    return io_detail::format_double(boost::get(boost::edge_weight, graph_, boost::any_cast<Edge>(key)));
  }
  void put(const boost::any&, const boost::any&) override {
    throw UsageError("write_graphml: edge weights are read-only while writing");
  }
  const std::type_info& key() const override { return typeid(Edge); }
  const std::type_info& value() const override { return typeid(double); }

 private:
  const BoostGraph& graph_;
};

// The line of the value quoted in a Boost message ("invalid value \"x\" for key ..."), when unique.
long quoted_value_line(std::string_view text, const std::string& message) {
  const std::size_t open = message.find('"');
  const std::size_t close = open == std::string::npos ? open : message.find('"', open + 1);
  if (close == std::string::npos) return 0;
  return io_detail::unique_line(text, ">" + message.substr(open + 1, close - open - 1) + "<");
}

template <class Directedness>
LoadedGraph parse_as(const std::string& text, const GraphmlOutline& outline, const std::string& name,
                     const ReadOptions& options) {
  using FileGraph = io_detail::FileGraph<Directedness>;
  FileGraph bg;
  boost::dynamic_properties dp(boost::ignore_other_properties);
  dp.insert("weight", boost::make_shared<io_detail::WeightAttribute<FileGraph>>(bg));
  std::istringstream in(text);
  boost::read_graphml(in, bg, dp, 0);
  if (boost::num_vertices(bg) != outline.node_ids.size())
    throw InputError(name, 0, "edges refer to " + std::to_string(boost::num_vertices(bg) - outline.node_ids.size()) +
                                  " node(s) not declared by a <node> of the graph");
  for (std::size_t v = 0; v < outline.node_ids.size(); ++v) bg[v].id = outline.node_ids[v];
  std::vector<std::size_t> order(outline.node_ids.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  return io_detail::to_loaded_graph(bg, order, name, options, text);
}

}  // namespace

LoadedGraph parse_graphml(const std::string& file_text, const std::string& name, const ReadOptions& options) {
  const std::string encoding = io_detail::binary_encoding_problem(file_text);
  if (!encoding.empty()) throw InputError(name, 1, encoding);
  const std::string text(io_detail::without_bom(file_text));
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw InputError(name, 0, "empty file");
  if (const std::size_t nul = text.find('\0'); nul != std::string::npos)
    throw InputError(name, io_detail::line_of_offset(text, nul), "NUL byte (binary data, not GraphML text)");
  const GraphmlOutline shape = outline(text, name);
  try {
    if (shape.directed) return parse_as<boost::bidirectionalS>(text, shape, name, options);
    return parse_as<boost::undirectedS>(text, shape, name, options);
  } catch (const boost::directed_graph_error&) {
    throw InputError(name, 0, "invalid GraphML: a directed edge in an undirected graph (edgedefault)");
  } catch (const boost::undirected_graph_error&) {
    throw InputError(name, 0, "invalid GraphML: an undirected edge in a directed graph (edgedefault)");
  } catch (const boost::parse_error& e) {
    throw InputError(name, quoted_value_line(text, e.error), "invalid GraphML: " + e.error);
  } catch (const boost::property_tree::ptree_error& e) {  // e.g. an <edge> without target
    throw InputError(name, 0, std::string("invalid GraphML: ") + e.what());
  } catch (const boost::graph_exception& e) {
    throw InputError(name, 0, std::string("invalid GraphML: ") + e.what());
  }
}

LoadedGraph read_graphml(const std::string& path, const ReadOptions& options) {
  return parse_graphml(io_detail::read_text_file(path), path, options);
}

void write_graphml(const Graph& g, const std::string& path) {
  auto write = [&](const auto& bg) {
    using BoostGraph = std::decay_t<decltype(bg)>;
    boost::dynamic_properties dp;
    if (g.weighted()) dp.insert("weight", boost::make_shared<ExactWeights<BoostGraph>>(bg));
    io_detail::write_file_atomically(path, [&](std::ostream& out) { boost::write_graphml(out, bg, dp, true); });
  };
  if (g.directed()) write(to_boost<BoostDigraph>(g));
  else write(to_boost<BoostUndirectedGraph>(g));
}

}  // namespace graphtx
