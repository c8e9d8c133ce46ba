#include "layers/training/bench_grid.hpp"

#include "graph/errors.hpp"
#include "layers/training/train_options_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace graphtx {

namespace {

std::int64_t line_of_offset(const std::string& text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
}

// Line of the first occurrence of "key" in the text (1 when absent).
std::int64_t line_of_key(const std::string& text, const std::string& key) {
  const std::size_t at = text.find("\"" + key + "\"");
  return at == std::string::npos ? 1 : line_of_offset(text, at);
}

std::vector<std::string> string_list(const nlohmann::json& v, const std::string& key, const std::string& text,
                                     const std::string& source) {
  if (!v.is_array() || v.empty()) throw InputError(source, line_of_key(text, key), "\"" + key + "\" must be a non-empty list");
  std::vector<std::string> out;
  for (const auto& e : v) {
    if (!e.is_string()) throw InputError(source, line_of_key(text, key), "\"" + key + "\" must list strings, got " + e.dump());
    out.push_back(e.get<std::string>());
  }
  return out;
}

std::string slug(const std::string& text) {
  std::string out;
  for (char c : text) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') ? c : '_';
  return out;
}

}  // namespace

BenchGrid parse_bench_grid(const std::string& text, const std::string& source) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    const std::string what = e.what();
    const std::size_t colon = what.rfind(": ");
    throw InputError(source, line_of_offset(text, e.byte > 0 ? e.byte - 1 : 0),
                     "invalid JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2)));
  } catch (const nlohmann::json::out_of_range& e) {  // a number beyond double, e.g. 1e400
    const std::string what = e.what();
    const std::size_t open = what.find('\''), close = what.rfind('\'');
    const std::size_t at = open < close ? text.find(what.substr(open + 1, close - open - 1)) : std::string::npos;
    throw InputError(source, line_of_offset(text, at == std::string::npos ? 0 : at),
                     "invalid JSON: number out of range" + (open < close ? " " + what.substr(open, close - open + 1) : ""));
  }
  if (!j.is_object()) throw InputError(source, 1, "the grid must be a JSON object");
  BenchGrid grid;
  for (const char* required : {"datasets", "models", "pe", "seeds"}) {
    if (!j.contains(required)) throw InputError(source, 1, std::string("missing key \"") + required + "\"");
  }
  for (const auto& [key, value] : j.items()) {
    if (key == "datasets") {
      grid.datasets = string_list(value, key, text, source);
    } else if (key == "models") {
      grid.models = string_list(value, key, text, source);
    } else if (key == "pe") {
      if (!value.is_array() || value.empty()) throw InputError(source, line_of_key(text, key), "\"pe\" must be a non-empty list of lists of specs");
      for (const auto& set : value) {
        if (set.is_string()) {
          grid.pe_sets.push_back({set.get<std::string>()});
        } else {
          grid.pe_sets.push_back(string_list(set, key, text, source));
        }
      }
    } else if (key == "seeds") {
      if (!value.is_array() || value.empty()) throw InputError(source, line_of_key(text, key), "\"seeds\" must be a non-empty list");
      for (const auto& s : value) {
        if (!s.is_number_unsigned()) throw InputError(source, line_of_key(text, key), "seeds must be non-negative integers, got " + s.dump());
        grid.seeds.push_back(s.get<std::uint64_t>());
      }
    } else if (key == "roots") {
      if (!value.is_object()) throw InputError(source, line_of_key(text, key), "\"roots\" must map dataset names to folders");
      for (const auto& [dataset, root] : value.items()) {
        if (!root.is_string()) throw InputError(source, line_of_key(text, key), "root of " + dataset + " must be a string");
        grid.roots[dataset] = root.get<std::string>();
      }
    } else if (key == "dataset" || key == "model" || key == "out" || key == "seed") {
      throw InputError(source, line_of_key(text, key), "\"" + key + "\" is set per cell by the grid (use \"" +
                                                           (key == "out" ? std::string("--out of graphtx bench") : key + "s") + "\")");
    } else {
      try {
        apply_train_option(grid.base, key, value);
      } catch (const UsageError& e) {
        throw InputError(source, line_of_key(text, key), e.what());
      }
    }
  }
  return grid;
}

std::vector<BenchCell> expand_grid(const BenchGrid& grid, const std::string& out_dir) {
  namespace fs = std::filesystem;
  std::vector<BenchCell> cells;
  for (const std::string& dataset : grid.datasets) {
    for (const std::string& model : grid.models) {
      for (const std::vector<std::string>& pe : grid.pe_sets) {
        for (std::uint64_t seed : grid.seeds) {
          BenchCell c;
          c.options = grid.base;
          c.options.dataset = dataset;
          c.options.model = model;
          c.options.seed = seed;
          c.options.pe.clear();
          for (const std::string& s : pe) {
            if (s != "none") c.options.pe.push_back(s);
          }
          for (const std::string& s : c.options.pe) c.pe_label += (c.pe_label.empty() ? "" : " + ") + s;
          if (c.pe_label.empty()) c.pe_label = "none";
          const auto root = grid.roots.find(dataset);
          if (root != grid.roots.end()) {
            c.options.root = root->second;
          } else if (c.options.root.empty()) {
            c.options.root = (fs::path(out_dir) / "data").string();
          }
          if (c.options.cache.empty()) c.options.cache = (fs::path(out_dir) / "pe-cache").string();
          c.id = slug(dataset) + "__" + slug(model) + "__" + slug(c.pe_label) + "__seed" + std::to_string(seed);
          c.options.out = (fs::path(out_dir) / "cells" / c.id).string();
          cells.push_back(std::move(c));
        }
      }
    }
  }
  return cells;
}

}  // namespace graphtx
