// Dataset: a sequence of graphs with graph labels and named splits, random access by index and
// streaming iteration in bounded memory. Readers (read_ogb_code2, read_tu, ...) return one.
// Labels are integer sequences per graph (a class id has length 1; code2 subtoken ids longer),
// or text sequences where the task defines them (code2 subtokens before vocabulary encoding).
// get(i) may read from disk; for_each_chunk() holds at most `chunk` graphs in memory at once.
#pragma once

#include "graph/graph.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace graphtx {

struct GraphExample {
  Index index = 0;                    // position in the dataset
  Graph graph;
  std::vector<std::int64_t> label;    // class id(s); empty when the task has text labels only
  std::vector<std::string> tokens;    // text label (e.g. code2 method-name subtokens)
};

class Dataset {
 public:
  virtual ~Dataset() = default;

  virtual std::string name() const = 0;
  virtual Index size() const = 0;
  virtual GraphExample get(Index i) const = 0;
  // Split name -> graph indices ("train", "valid", "test"); empty when the dataset has none.
  virtual const std::map<std::string, std::vector<Index>>& splits() const = 0;

  // Calls fn(first_index, examples) on consecutive chunks of at most `chunk` graphs, in order.
  // The default reads with get(); streaming readers override it to keep memory bounded.
  virtual void for_each_chunk(Index chunk, const std::function<void(Index, std::vector<GraphExample>&)>& fn) const;

  // Indices of a named split; UsageError naming the available splits if it does not exist.
  const std::vector<Index>& split(const std::string& name) const;
};

// A dataset held entirely in memory (generators, small files, tests).
class InMemoryDataset : public Dataset {
 public:
  InMemoryDataset(std::string name, std::vector<GraphExample> examples,
                  std::map<std::string, std::vector<Index>> splits = {});

  std::string name() const override { return name_; }
  Index size() const override { return static_cast<Index>(examples_.size()); }
  GraphExample get(Index i) const override;
  const std::map<std::string, std::vector<Index>>& splits() const override { return splits_; }

 private:
  std::string name_;
  std::vector<GraphExample> examples_;
  std::map<std::string, std::vector<Index>> splits_;
};

// Reads every graph of `dataset` (streaming, `chunk` at a time) into an InMemoryDataset with the
// same name and splits: fast random access for datasets that fit in memory. O(total size).
InMemoryDataset to_in_memory(const Dataset& dataset, Index chunk = 1024);

}  // namespace graphtx
