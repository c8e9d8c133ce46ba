// EncodingSpec: one requested encoding, parsed from `[label=]name[:key=value,...]`, e.g.
// `lap:k=16,norm=sym`, `maglap:k=16,q=0.25,qrel=1,norm=sym`, `rwse:K=16`, `drw:K=3,ppr=0.05`,
// `rrwp:K=8`, `spd:max=20,pairs=all`, `small=lap:k=8`. Names and keys are case-sensitive; every
// key of the encoding is present after parsing (defaults filled in), in the registry's order, with
// values in canonical form, so to_string(parse_encoding_spec(s)) is canonical and round-trips.
// The label (default: the name; letters, digits, '_' and '-', starting with a letter) names the
// outputs and must be unique per run. Errors are UsageError listing the valid names or keys.
#pragma once

#include "graph/graph.hpp"

#include <string>
#include <utility>
#include <vector>

namespace graphtx {

struct EncodingSpec {
  std::string label;
  std::string name;
  std::vector<std::pair<std::string, std::string>> params;  // every key, registry order

  // The value of `key` (UsageError if the encoding has no such key), converted.
  const std::string& get(const std::string& key) const;
  Index get_int(const std::string& key) const;
  double get_double(const std::string& key) const;
  bool get_bool(const std::string& key) const;

  bool operator==(const EncodingSpec& other) const {
    return label == other.label && name == other.name && params == other.params;
  }
  bool operator!=(const EncodingSpec& other) const { return !(*this == other); }
};

// Parses and validates one spec against the encoding registry.
EncodingSpec parse_encoding_spec(const std::string& text);

// Parses several specs; duplicate labels are a UsageError.
std::vector<EncodingSpec> parse_encoding_specs(const std::vector<std::string>& texts);

// Canonical text: `name:key=value,...` with every key, prefixed by `label=` if label != name.
std::string to_string(const EncodingSpec& spec);

}  // namespace graphtx
