// The grid file of `graphtx bench`: JSON {"datasets": [...], "models": [...], "pe": [[spec...], ...],
// "seeds": [...], plus any `graphtx train` option key (train_options_json.hpp) applied to every
// cell, and "roots": {"dataset": "DIR"} for per-dataset roots}. parse_bench_grid is a pure
// function of the text: malformed JSON, unknown keys and wrong types throw InputError
// "SOURCE:LINE: problem". expand_grid lists the cells {dataset} x {model} x {PE set} x {seed} in
// that nesting order, each with its options and a folder name under OUT/cells. O(text + cells).
#pragma once

#include "layers/training/train_options.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace graphtx {

struct BenchGrid {
  std::vector<std::string> datasets, models;
  std::vector<std::vector<std::string>> pe_sets;  // {"none"} is the set without encodings
  std::vector<std::uint64_t> seeds;
  std::map<std::string, std::string> roots;       // dataset -> root (default OUT/data)
  TrainOptions base;                              // the other keys
};

BenchGrid parse_bench_grid(const std::string& text, const std::string& source_name);

struct BenchCell {
  std::string id;        // folder name: dataset__model__pe__seedN
  std::string pe_label;  // "none" or the specs joined by " + "
  TrainOptions options;
};

std::vector<BenchCell> expand_grid(const BenchGrid& grid, const std::string& out_dir);

}  // namespace graphtx
