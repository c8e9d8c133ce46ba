// ogbg-code2 reader for OGB's raw layout under ROOT/ogbg_code2/ (raw/, mapping/, split/project/,
// RELEASE_v1.txt). Graph = directed AST (parent -> child, file order), integer node features
// [n, 5] in Code2Column order, method-name subtokens in GraphExample::tokens (label empty).
// Opening streams every file once, checks all cross-file counts and ranges (InputError
// "file:line: problem") and keeps ~100 bytes per graph, never node rows. for_each_chunk(): O(chunk)
// memory; get(): inflates at most ~access_span bytes per row file (index built on first use).
#pragma once

#include "datasets/dataset.hpp"

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace graphtx {

// Columns of a code2 node-feature row.
enum Code2Column : Index {
  kCode2Type = 0,          // type_idx   (mapping/typeidx2type)
  kCode2Attr = 1,          // attr_idx   (mapping/attridx2attr)
  kCode2Depth = 2,         // AST depth, Module root = 0 (not clamped)
  kCode2IsAttributed = 3,  // 0 / 1
  kCode2DfsOrder = 4,      // pre-order index
  kCode2Columns = 5
};

struct Code2Options {
  // RELEASE_v1.txt missing from ROOT/ogbg_code2: InputError if true, else a warning (stderr and
  // warnings()) — OGB's own loader would ask to download the release again.
  bool require_release_file = false;
  // Distance between random-access points of the row files (uncompressed bytes): the memory /
  // get() latency trade-off. 1 MiB: ~50 MB of index for the 1.5 GB of text of the release.
  std::int64_t access_span = std::int64_t{1} << 20;
};

// Memory: per graph node/edge offsets, label text and row-file offsets; mapping tables. The first
// get() builds a GzipIndex of the five row files (one more pass, 32 KiB per access_span of text).
class Code2Dataset : public Dataset {
 public:
  // `root` contains ogbg_code2/ (or is that directory itself).
  explicit Code2Dataset(const std::string& root, const Code2Options& options = {});
  Code2Dataset(Code2Dataset&&) noexcept;
  ~Code2Dataset() override;

  std::string name() const override { return "ogbg-code2"; }
  Index size() const override { return static_cast<Index>(node_ptr_.size()) - 1; }
  GraphExample get(Index i) const override;
  const std::map<std::string, std::vector<Index>>& splits() const override { return splits_; }
  void for_each_chunk(Index chunk, const std::function<void(Index, std::vector<GraphExample>&)>& fn) const override;

  // Label subtokens of graph i without reading its graph; labels of many graphs.
  std::vector<std::string> tokens(Index i) const;
  std::vector<std::vector<std::string>> tokens(const std::vector<Index>& ids) const;
  Index num_nodes(Index i) const { return node_ptr_.at(static_cast<size_t>(i) + 1) - node_ptr_[static_cast<size_t>(i)]; }
  Index num_edges(Index i) const { return edge_ptr_.at(static_cast<size_t>(i) + 1) - edge_ptr_[static_cast<size_t>(i)]; }
  Index total_nodes() const { return node_ptr_.back(); }
  Index total_edges() const { return edge_ptr_.back(); }
  const std::vector<std::string>& type_names() const { return type_names_; }
  const std::vector<std::string>& attr_names() const { return attr_names_; }
  const std::string& directory() const { return dir_; }
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  struct RowFiles;
  static constexpr int kRowFiles = 5;
  GraphExample read_example(RowFiles& files, Index i) const;

  std::string dir_;
  std::int64_t access_span_;
  std::vector<Index> node_ptr_{0}, edge_ptr_{0};
  std::string label_text_;               // label lines, concatenated
  std::vector<Index> label_ptr_{0};
  std::vector<std::array<std::int64_t, kRowFiles>> row_offsets_;  // per graph, per row file
  std::vector<std::string> type_names_, attr_names_;
  std::map<std::string, std::vector<Index>> splits_;
  std::vector<std::string> warnings_;
  struct RandomAccess;
  std::unique_ptr<RandomAccess> random_access_;
};

Code2Dataset read_ogb_code2(const std::string& root, const Code2Options& options = {});

}  // namespace graphtx
