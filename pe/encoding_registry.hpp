// The one list of encodings shared by the CLI, the dataset pipeline and the trainer: for each
// spec name its keys (with defaults, kinds and help) and a factory building an Encoding from a
// validated EncodingSpec. Encoding::compute(graph) is const and thread-safe; its cost is that of
// the underlying function (laplacian_pe, magnetic_laplacian_pe, rwse, directional_walk, rrwp,
// shortest_path_distance). encoding_help() is the listing for --help.
#pragma once

#include "pe/encoding_result.hpp"
#include "pe/encoding_spec.hpp"
#include "pe/sparse_pair_set.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace graphtx {

// Settings that are not part of a spec: resource limits chosen by the caller.
struct EncodingLimits {
  std::uint64_t max_pair_bytes = kDefaultMaxPairBytes;  // all-pairs results above this: UsageError
};

class Encoding {
 public:
  explicit Encoding(EncodingSpec spec) : spec_(std::move(spec)) {}
  virtual ~Encoding() = default;

  const EncodingSpec& spec() const { return spec_; }
  const std::string& label() const { return spec_.label; }
  // Every result passes check_finite().
  virtual EncodingResult compute(const Graph& g) const = 0;

 private:
  EncodingSpec spec_;
};

enum class KeyKind { Integer, Real, Boolean, Choice };

struct EncodingKey {
  std::string name;
  std::string default_value;
  KeyKind kind;
  std::string help;
  double min = 0;                    // Integer / Real: smallest valid value
  double max = 0;                    // Integer / Real: largest valid value
  bool min_exclusive = false;        // Real: value must be > min
  std::vector<std::string> choices;  // Choice: valid values
};

struct EncodingInfo {
  std::string name;
  std::string summary;
  std::vector<EncodingKey> keys;
  std::function<std::unique_ptr<Encoding>(const EncodingSpec&, const EncodingLimits&)> make;
};

// All encodings, in listing order.
const std::vector<EncodingInfo>& encoding_registry();

// The entry named `name`; UsageError listing the valid names otherwise.
const EncodingInfo& find_encoding(const std::string& name);

// "name:key=default,... (valid keys)" for one encoding, used in error messages.
std::string describe_keys(const EncodingInfo& info);

std::unique_ptr<Encoding> make_encoding(const EncodingSpec& spec, const EncodingLimits& limits = {});

// A multi-line listing of every encoding with its keys, defaults and help, for --help.
std::string encoding_help();

}  // namespace graphtx
