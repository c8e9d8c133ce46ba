#include "datasets/code2_reader.hpp"

#include "datasets/csv_reader.hpp"
#include "datasets/gzip_index.hpp"
#include "datasets/gzip_line_reader.hpp"
#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <utility>

namespace graphtx {

namespace fs = std::filesystem;

namespace {

enum RowFile { kFeat = 0, kDepth, kAttributed, kDfs, kEdge };
const char* const kRowFileNames[] = {"raw/node-feat.csv.gz", "raw/node_depth.csv.gz",
                                     "raw/node_is_attributed.csv.gz", "raw/node_dfs_order.csv.gz",
                                     "raw/edge.csv.gz"};
const char* const kNodeCounts = "raw/num-node-list.csv.gz";
const char* const kEdgeCounts = "raw/num-edge-list.csv.gz";
const char* const kSplitNames[] = {"train", "valid", "test"};

std::string in_dir(const std::string& dir, const std::string& relative) { return (fs::path(dir) / relative).string(); }

std::string resolve_directory(const std::string& root) {
  const fs::path nested = fs::path(root) / "ogbg_code2";
  if (fs::is_directory(nested)) return nested.string();
  if (fs::exists(fs::path(root) / kNodeCounts)) return root;
  throw InputError(root, 0, "no ogbg_code2/ directory (expected ogbg_code2/raw, mapping, split/project)");
}

// Table with a header row, then "index,name" rows with index 0, 1, 2, ...
std::vector<std::string> read_mapping(const std::string& path) {
  CsvReader csv(path);
  std::vector<std::string> fields, names;
  if (!csv.next(fields)) throw InputError(path, 1, "empty mapping table (expected a header row)");
  if (fields.size() != 2) csv.fail("header has " + std::to_string(fields.size()) + " columns, expected 2");
  while (csv.next(fields)) {
    if (fields.size() != 2) csv.fail("row has " + std::to_string(fields.size()) + " columns, expected 2");
    std::int64_t index = 0;
    if (!try_parse_int(fields[0], index)) csv.fail("malformed integer index '" + fields[0] + "'");
    if (index != static_cast<std::int64_t>(names.size()))
      csv.fail("index " + std::to_string(index) + " where " + std::to_string(names.size()) + " was expected");
    names.push_back(std::move(fields[1]));
  }
  if (names.empty()) throw InputError(path, 0, "mapping table has no rows");
  return names;
}

// Bound on the rows all graphs have together (OGB's release: 30 million): keeps sums of counts
// far from overflow; larger counts fail on the row files.
constexpr Index kMaxTotalRows = Index{1} << 50;

// One non-negative integer per line; returns prefix sums (size lines + 1).
std::vector<Index> read_count_list(const std::string& path) {
  GzipLineReader reader(path);
  std::vector<Index> ptr{0};
  std::string_view line;
  while (reader.next(line)) {
    const Index count = parse_int(line, reader);
    if (count < 0) reader.fail("negative count " + std::to_string(count));
    if (count > kMaxTotalRows - ptr.back())
      reader.fail("counts add up to more than " + std::to_string(kMaxTotalRows) + " rows");
    ptr.push_back(ptr.back() + count);
  }
  return ptr;
}

}  // namespace

struct Code2Dataset::RowFiles {
  // Sequential readers, or readers with random access through a GzipIndex of each file.
  RowFiles(const std::string& dir, std::int64_t access_span) {
    for (int k = 0; k < kRowFiles; ++k) {
      const std::string path = in_dir(dir, kRowFileNames[k]);
      files[k] = access_span > 0 ? std::make_unique<GzipLineReader>(GzipIndex::build(path, access_span))
                                 : std::make_unique<GzipLineReader>(path);
    }
  }
  std::array<std::unique_ptr<GzipLineReader>, kRowFiles> files;
};

struct Code2Dataset::RandomAccess {
  std::mutex mutex;
  std::unique_ptr<RowFiles> files;
};

namespace {

struct Limits {
  Index types, attrs, total_nodes, total_edges;
};

// Next row of `reader` split into exactly `expected` comma-separated fields.
void next_row(GzipLineReader& reader, std::size_t expected, std::string_view* parts, Index graph,
              Index total, const char* count_file) {
  std::string_view line;
  if (!reader.next(line))
    reader.fail_at(reader.line_number() + 1, "file ends after " + std::to_string(reader.line_number()) +
                                                 " rows while reading graph " + std::to_string(graph) + ", but " +
                                                 count_file + " sums to " + std::to_string(total));
  const std::size_t found = split_fields(strip_cr(line), ',', parts, expected);
  if (found != expected)
    reader.fail("expected " + std::to_string(expected) + " comma-separated values, found " + std::to_string(found));
}

std::int64_t in_range(GzipLineReader& reader, std::string_view text, std::int64_t low, std::int64_t high,
                      const char* what, Index graph) {
  const std::int64_t value = parse_int(text, reader);
  if (value < low || value >= high)
    reader.fail(std::string(what) + " " + std::to_string(value) + " outside [" + std::to_string(low) + ", " +
                std::to_string(high) + ") for graph " + std::to_string(graph));
  return value;
}

// Reads graph g's node rows [n, 5] and edge rows from the current file positions.
void read_rows(std::array<std::unique_ptr<GzipLineReader>, 5>& files, Index g, Index n, Index m,
               const Limits& limits, IntMatrix& nodes, std::vector<Index>& src, std::vector<Index>& dst) {
  std::string_view parts[2];
  // Rows are checked before they are stored: a count beyond the rows of the files fails on the
  // missing rows instead of allocating for the count.
  constexpr Index kReserveCap = 1 << 16;
  std::vector<std::int64_t> values;
  values.reserve(static_cast<size_t>(std::min(n, kReserveCap) * kCode2Columns));
  for (Index v = 0; v < n; ++v) {
    next_row(*files[kFeat], 2, parts, g, limits.total_nodes, kNodeCounts);
    values.push_back(in_range(*files[kFeat], parts[0], 0, limits.types, "type_idx", g));
    values.push_back(in_range(*files[kFeat], parts[1], 0, limits.attrs, "attr_idx", g));
    next_row(*files[kDepth], 1, parts, g, limits.total_nodes, kNodeCounts);
    values.push_back(in_range(*files[kDepth], parts[0], 0, INT64_MAX, "depth", g));
    next_row(*files[kAttributed], 1, parts, g, limits.total_nodes, kNodeCounts);
    values.push_back(in_range(*files[kAttributed], parts[0], 0, 2, "is_attributed flag", g));
    next_row(*files[kDfs], 1, parts, g, limits.total_nodes, kNodeCounts);
    values.push_back(in_range(*files[kDfs], parts[0], 0, n, "dfs_order", g));
  }
  nodes = Eigen::Map<const IntMatrix>(values.data(), n, kCode2Columns);
  src.clear();
  dst.clear();
  src.reserve(static_cast<size_t>(std::min(m, kReserveCap)));
  dst.reserve(static_cast<size_t>(std::min(m, kReserveCap)));
  for (Index e = 0; e < m; ++e) {
    next_row(*files[kEdge], 2, parts, g, limits.total_edges, kEdgeCounts);
    src.push_back(in_range(*files[kEdge], parts[0], 0, n, "edge source", g));
    dst.push_back(in_range(*files[kEdge], parts[1], 0, n, "edge target", g));
  }
}

}  // namespace

Code2Dataset::Code2Dataset(const std::string& root, const Code2Options& options)
    : dir_(resolve_directory(root)), access_span_(options.access_span), random_access_(std::make_unique<RandomAccess>()) {
  if (access_span_ <= 0) throw UsageError("read_ogb_code2: access_span must be positive");
  const std::string release = in_dir(dir_, "RELEASE_v1.txt");
  if (!fs::exists(release)) {
    if (options.require_release_file) throw InputError(release, 0, "missing (is this a complete OGB download?)");
    warnings_.push_back(release + ": missing; OGB's loader would ask to download the release again");
    std::cerr << "graphtx: warning: " << warnings_.back() << "\n";
  }
  type_names_ = read_mapping(in_dir(dir_, "mapping/typeidx2type.csv.gz"));
  attr_names_ = read_mapping(in_dir(dir_, "mapping/attridx2attr.csv.gz"));

  node_ptr_ = read_count_list(in_dir(dir_, kNodeCounts));
  edge_ptr_ = read_count_list(in_dir(dir_, kEdgeCounts));
  const Index graphs = size();
  if (static_cast<Index>(edge_ptr_.size()) - 1 != graphs) {
    const Index edge_lines = static_cast<Index>(edge_ptr_.size()) - 1;
    throw InputError(in_dir(dir_, kEdgeCounts), std::min(edge_lines, graphs) + 1,
                     "has " + std::to_string(edge_lines) + " graphs, but " + kNodeCounts + " has " +
                         std::to_string(graphs));
  }

  {  // labels: one line of space-separated subtokens per graph
    GzipLineReader reader(in_dir(dir_, "raw/graph-label.csv.gz"));
    std::string_view line;
    while (reader.next(line)) {
      if (reader.line_number() > graphs)
        reader.fail("more label rows than the " + std::to_string(graphs) + " graphs of " + kNodeCounts);
      line = strip_cr(line);
      if (line.find_first_not_of(' ') == std::string_view::npos)
        reader.fail("missing label for graph " + std::to_string(reader.line_number() - 1) + " (empty line)");
      label_text_.append(line);
      label_ptr_.push_back(static_cast<Index>(label_text_.size()));
    }
    if (reader.line_number() < graphs)
      reader.fail_at(reader.line_number() + 1, "missing labels: " + std::to_string(reader.line_number()) +
                                                   " rows, but " + kNodeCounts + " has " + std::to_string(graphs) +
                                                   " graphs");
  }

  std::vector<int> owner(static_cast<size_t>(graphs), -1);
  for (int s = 0; s < 3; ++s) {
    GzipLineReader reader(in_dir(dir_, std::string("split/project/") + kSplitNames[s] + ".csv.gz"));
    std::vector<Index>& ids = splits_[kSplitNames[s]];
    std::string_view line;
    while (reader.next(line)) {
      const Index id = parse_int(line, reader);
      if (id < 0 || id >= graphs)
        reader.fail("graph id " + std::to_string(id) + " outside [0, " + std::to_string(graphs) + ")");
      int& who = owner[static_cast<size_t>(id)];
      if (who == s) reader.fail("graph id " + std::to_string(id) + " listed twice");
      if (who >= 0)
        reader.fail("graph id " + std::to_string(id) + " is also in split '" + kSplitNames[who] +
                    "' (splits overlap)");
      who = s;
      ids.push_back(id);
    }
  }

  // One pass over the row files: check every row, remember where each graph starts.
  RowFiles rows(dir_, 0);
  const Limits limits{static_cast<Index>(type_names_.size()), static_cast<Index>(attr_names_.size()),
                      total_nodes(), total_edges()};
  row_offsets_.resize(static_cast<size_t>(graphs));
  IntMatrix nodes;
  std::vector<Index> src, dst;
  for (Index g = 0; g < graphs; ++g) {
    for (int k = 0; k < kRowFiles; ++k) row_offsets_[static_cast<size_t>(g)][static_cast<size_t>(k)] = rows.files[k]->offset();
    read_rows(rows.files, g, num_nodes(g), num_edges(g), limits, nodes, src, dst);
  }
  for (int k = 0; k < kRowFiles; ++k) {
    std::string_view line;
    if (rows.files[k]->next(line)) {
      const bool edges = k == kEdge;
      rows.files[k]->fail(std::string("extra row: ") + (edges ? kEdgeCounts : kNodeCounts) + " sums to only " +
                          std::to_string(edges ? total_edges() : total_nodes()) + " rows");
    }
  }
}

Code2Dataset::Code2Dataset(Code2Dataset&&) noexcept = default;
Code2Dataset::~Code2Dataset() = default;

std::vector<std::string> Code2Dataset::tokens(Index i) const {
  if (i < 0 || i >= size())
    throw UsageError("ogbg-code2: index " + std::to_string(i) + " outside [0, " + std::to_string(size()) + ")");
  const std::string_view line(label_text_.data() + label_ptr_[static_cast<size_t>(i)],
                              static_cast<size_t>(label_ptr_[static_cast<size_t>(i) + 1] - label_ptr_[static_cast<size_t>(i)]));
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < line.size()) {
    const std::size_t stop = std::min(line.find(' ', start), line.size());
    if (stop > start) out.emplace_back(line.substr(start, stop - start));
    start = stop + 1;
  }
  return out;
}

std::vector<std::vector<std::string>> Code2Dataset::tokens(const std::vector<Index>& ids) const {
  std::vector<std::vector<std::string>> out;
  out.reserve(ids.size());
  for (Index i : ids) out.push_back(tokens(i));
  return out;
}

GraphExample Code2Dataset::read_example(RowFiles& files, Index i) const {
  const Limits limits{static_cast<Index>(type_names_.size()), static_cast<Index>(attr_names_.size()),
                      total_nodes(), total_edges()};
  Features features;
  std::vector<Index> src, dst;
  read_rows(files.files, i, num_nodes(i), num_edges(i), limits, features.ints, src, dst);
  GraphBuilder builder(num_nodes(i), true);
  builder.reserve_edges(num_edges(i));
  for (size_t e = 0; e < src.size(); ++e) builder.add_edge(src[e], dst[e]);
  builder.node_features(std::move(features));
  GraphExample example;
  example.index = i;
  example.graph = builder.build();
  example.tokens = tokens(i);
  return example;
}

GraphExample Code2Dataset::get(Index i) const {
  if (i < 0 || i >= size())
    throw UsageError("ogbg-code2: index " + std::to_string(i) + " outside [0, " + std::to_string(size()) + ")");
  std::lock_guard<std::mutex> lock(random_access_->mutex);
  if (!random_access_->files) random_access_->files = std::make_unique<RowFiles>(dir_, access_span_);
  auto& files = random_access_->files->files;
  for (int k = 0; k < kRowFiles; ++k) {
    const Index lines_before = k == kEdge ? edge_ptr_[static_cast<size_t>(i)] : node_ptr_[static_cast<size_t>(i)];
    files[k]->seek(row_offsets_[static_cast<size_t>(i)][static_cast<size_t>(k)], lines_before);
  }
  return read_example(*random_access_->files, i);
}

void Code2Dataset::for_each_chunk(Index chunk, const std::function<void(Index, std::vector<GraphExample>&)>& fn) const {
  if (chunk <= 0) throw UsageError("for_each_chunk: chunk size must be positive");
  RowFiles files(dir_, 0);
  std::vector<GraphExample> batch;
  for (Index first = 0; first < size(); first += chunk) {
    batch.clear();
    const Index last = std::min(size(), first + chunk);
    for (Index i = first; i < last; ++i) batch.push_back(read_example(files, i));
    fn(first, batch);
  }
}

Code2Dataset read_ogb_code2(const std::string& root, const Code2Options& options) { return Code2Dataset(root, options); }

}  // namespace graphtx
