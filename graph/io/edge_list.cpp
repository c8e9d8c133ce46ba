#include "graph/io/edge_list.hpp"

#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"
#include "graph/io/text_io.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <string_view>
#include <unordered_map>

namespace graphtx {

namespace {

constexpr std::string_view kBlanks = " \t";

// Splits `line` at runs of blanks into at most 4 fields (a 4th means "too many").
int split_fields(std::string_view line, std::string_view (&fields)[4], int& total) {
  int count = 0;
  total = 0;
  std::size_t pos = line.find_first_not_of(kBlanks);
  while (pos != std::string_view::npos) {
    const std::size_t end = std::min(line.find_first_of(kBlanks, pos), line.size());
    if (count < 4) fields[count++] = line.substr(pos, end - pos);
    ++total;
    pos = line.find_first_not_of(kBlanks, end);
  }
  return count;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class IdParser {
 public:
  IdParser(const std::string& name, GraphBuilder& builder, std::vector<std::int64_t>& original)
      : name_(name), builder_(builder), original_(original) {}

  Index node(std::string_view text, std::int64_t line) {
    std::int64_t id = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error == std::errc::result_out_of_range && all_digits(text))
      throw InputError(name_, line, "node id '" + io_detail::printable(text) + "' is larger than 2^63-1");
    if (error != std::errc() || end != text.data() + text.size() || id < 0 || !all_digits(text))
      throw InputError(name_, line, "'" + io_detail::printable(text) + "' is not a non-negative integer node id");
    const auto [it, inserted] = index_.try_emplace(id, static_cast<Index>(original_.size()));
    if (inserted) {
      original_.push_back(id);
      builder_.add_nodes(1);
    }
    return it->second;
  }

 private:
  const std::string& name_;
  GraphBuilder& builder_;
  std::vector<std::int64_t>& original_;
  std::unordered_map<std::int64_t, Index> index_;
};

}  // namespace

EdgeListGraph parse_edge_list(std::istream& in, const std::string& name, const ReadOptions& options) {
  EdgeListGraph result;
  GraphBuilder builder(0, !options.undirected);
  builder.duplicate_policy(options.duplicates);
  IdParser ids(name, builder, result.original_ids);

  std::string buffer;
  std::int64_t line_number = 0;
  int columns = 0;               // of the first data line: 2 or 3
  std::int64_t columns_line = 0; // where that was set
  while (std::getline(in, buffer)) {
    ++line_number;
    std::string_view line(buffer);
    if (line_number == 1) {
      const std::string problem = io_detail::binary_encoding_problem(line);
      if (!problem.empty()) throw InputError(name, 1, problem);
      line = io_detail::without_bom(line);
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\0') != std::string_view::npos) throw InputError(name, line_number, "NUL byte (binary data, not a text edge list)");
    if (line.find('\r') != std::string_view::npos)
      throw InputError(name, line_number, "carriage return inside a line (CR-only line ends are not supported; use LF or CRLF)");
    std::string_view fields[4];
    int total = 0;
    const int count = split_fields(line, fields, total);
    if (count == 0 || fields[0].front() == '#' || fields[0].front() == '%') continue;
    if (total != 2 && total != 3)
      throw InputError(name, line_number, "expected 2 or 3 columns, got " + std::to_string(total));
    if (columns == 0) {
      columns = total;
      columns_line = line_number;
    } else if (total != columns) {
      throw InputError(name, line_number, "expected " + std::to_string(columns) + " columns as on line " +
                                              std::to_string(columns_line) + ", got " + std::to_string(total));
    }
    const Index u = ids.node(fields[0], line_number);
    const Index v = ids.node(fields[1], line_number);
    if (total == 3) {
      double weight = 0;
      const std::string problem = io_detail::parse_weight(fields[2], weight);
      if (!problem.empty()) throw InputError(name, line_number, problem);
      builder.add_edge(u, v, weight);
    } else {
      builder.add_edge(u, v);
    }
  }
  if (in.bad()) throw InputError(name, line_number, std::string("read error: ") + std::strerror(errno));
  if (builder.num_edges() == 0)
    throw InputError(name, 0, line_number == 0 ? "no edges (the file is empty)"
                                               : "no edges (" + std::to_string(line_number) + " lines, all comments or blank)");
  result.graph = builder.build();
  return result;
}

EdgeListGraph read_edge_list(const std::string& path, const ReadOptions& options) {
  std::ifstream in = io_detail::open_input_file(path);
  return parse_edge_list(in, path, options);
}

void write_edge_list(const Graph& g, const std::string& path, const std::vector<std::int64_t>& original_ids) {
  if (!original_ids.empty() && static_cast<Index>(original_ids.size()) != g.num_nodes())
    throw UsageError("write_edge_list: " + std::to_string(original_ids.size()) + " original ids for " +
                     std::to_string(g.num_nodes()) + " nodes");
  auto id = [&](Index u) { return original_ids.empty() ? u : original_ids[static_cast<std::size_t>(u)]; };
  io_detail::write_file_atomically(path, [&](std::ostream& out) {
    out << "# " << (g.directed() ? "Directed" : "Undirected") << " graph written by graphtx\n"
        << "# Nodes: " << g.num_nodes() << " Edges: " << g.num_edges() << "\n"
        << "# FromNodeId\tToNodeId" << (g.weighted() ? "\tWeight" : "") << "\n";
    for (Index e = 0; e < g.num_edges(); ++e) {
      out << id(g.source(e)) << '\t' << id(g.target(e));
      if (g.weighted()) out << '\t' << io_detail::format_double(g.weight(e));
      out << '\n';
    }
  });
}

}  // namespace graphtx
