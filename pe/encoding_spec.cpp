#include "pe/encoding_spec.hpp"

#include "graph/errors.hpp"
#include "pe/encoding_registry.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace graphtx {

namespace {

bool valid_label(const std::string& label) {
  if (label.empty() || !std::isalpha(static_cast<unsigned char>(label[0]))) return false;
  for (char c : label)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  return true;
}

std::string shortest_double(double x) {
  char text[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(text, sizeof text, "%.*g", precision, x);
    if (std::strtod(text, nullptr) == x) break;
  }
  return text;
}

[[noreturn]] void bad_value(const std::string& spec, const EncodingInfo& info, const EncodingKey& key,
                            const std::string& value, const std::string& why) {
  throw UsageError("encoding spec '" + spec + "': bad value '" + value + "' for key '" + key.name + "' (" + why +
                   "); valid keys: " + describe_keys(info));
}

std::string range_text(const EncodingKey& key) {
  const std::string low = key.kind == KeyKind::Integer ? std::to_string(static_cast<Index>(key.min)) : shortest_double(key.min);
  const std::string high = key.kind == KeyKind::Integer ? std::to_string(static_cast<Index>(key.max)) : shortest_double(key.max);
  return "expected " + std::string(key.kind == KeyKind::Integer ? "an integer" : "a number") + " in " +
         (key.min_exclusive ? "(" : "[") + low + ", " + high + "]";
}

// Validates `value` for `key` and returns its canonical text.
std::string canonical_value(const std::string& spec, const EncodingInfo& info, const EncodingKey& key,
                            const std::string& value) {
  switch (key.kind) {
    case KeyKind::Integer: {
      char* end = nullptr;
      errno = 0;
      const long long v = std::strtoll(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || errno == ERANGE || std::isspace(static_cast<unsigned char>(value[0])) ||
          static_cast<double>(v) < key.min || static_cast<double>(v) > key.max)
        bad_value(spec, info, key, value, range_text(key));
      return std::to_string(v);
    }
    case KeyKind::Real: {
      char* end = nullptr;
      const double v = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !std::isfinite(v) || std::isspace(static_cast<unsigned char>(value[0])) ||
          v < key.min || (key.min_exclusive && v == key.min) || v > key.max)
        bad_value(spec, info, key, value, range_text(key));
      return shortest_double(v);
    }
    case KeyKind::Boolean:
      if (value == "0" || value == "false") return "0";
      if (value == "1" || value == "true") return "1";
      bad_value(spec, info, key, value, "expected 0 or 1");
    case KeyKind::Choice:
      for (const std::string& choice : key.choices)
        if (value == choice) return value;
      {
        std::string valid;
        for (const std::string& choice : key.choices) valid += (valid.empty() ? "" : "|") + choice;
        bad_value(spec, info, key, value, "expected " + valid);
      }
  }
  return value;
}

}  // namespace

const std::string& EncodingSpec::get(const std::string& key) const {
  for (const auto& kv : params)
    if (kv.first == key) return kv.second;
  throw UsageError("encoding '" + label + "' (" + name + ") has no key '" + key + "'");
}

Index EncodingSpec::get_int(const std::string& key) const { return std::stoll(get(key)); }
double EncodingSpec::get_double(const std::string& key) const { return std::strtod(get(key).c_str(), nullptr); }
bool EncodingSpec::get_bool(const std::string& key) const { return get(key) == "1"; }

EncodingSpec parse_encoding_spec(const std::string& text) {
  const size_t colon = text.find(':');
  const std::string head = text.substr(0, colon);
  EncodingSpec spec;
  const size_t equals = head.find('=');
  spec.name = equals == std::string::npos ? head : head.substr(equals + 1);
  spec.label = equals == std::string::npos ? spec.name : head.substr(0, equals);
  const EncodingInfo& info = [&]() -> const EncodingInfo& {
    try {
      return find_encoding(spec.name);
    } catch (const UsageError& e) {
      throw UsageError("encoding spec '" + text + "': " + e.what());
    }
  }();
  if (!valid_label(spec.label))
    throw UsageError("encoding spec '" + text + "': bad label '" + spec.label +
                     "' (letters, digits, '_' and '-', starting with a letter)");

  std::vector<std::string> given(info.keys.size());
  std::vector<bool> seen(info.keys.size(), false);
  if (colon != std::string::npos) {
    const std::string body = text.substr(colon + 1);
    size_t start = 0;
    while (start <= body.size()) {
      const size_t comma = std::min(body.find(',', start), body.size());
      const std::string item = body.substr(start, comma - start);
      const size_t eq = item.find('=');
      if (eq == std::string::npos || eq == 0)
        throw UsageError("encoding spec '" + text + "': expected key=value, got '" + item +
                         "'; valid keys: " + describe_keys(info));
      const std::string key = item.substr(0, eq);
      size_t index = 0;
      while (index < info.keys.size() && info.keys[index].name != key) ++index;
      if (index == info.keys.size())
        throw UsageError("encoding spec '" + text + "': unknown key '" + key + "' for '" + info.name +
                         "'; valid keys: " + describe_keys(info));
      if (seen[index]) throw UsageError("encoding spec '" + text + "': key '" + key + "' given twice");
      seen[index] = true;
      given[index] = canonical_value(text, info, info.keys[index], item.substr(eq + 1));
      start = comma + 1;
    }
  }
  for (size_t i = 0; i < info.keys.size(); ++i)
    spec.params.emplace_back(info.keys[i].name, seen[i] ? given[i] : info.keys[i].default_value);
  return spec;
}

std::vector<EncodingSpec> parse_encoding_specs(const std::vector<std::string>& texts) {
  std::vector<EncodingSpec> specs;
  std::set<std::string> labels;
  for (const std::string& text : texts) {
    specs.push_back(parse_encoding_spec(text));
    if (!labels.insert(specs.back().label).second)
      throw UsageError("encoding spec '" + text + "': label '" + specs.back().label +
                       "' is already used; give one a label, e.g. 'other=" + text + "'");
  }
  return specs;
}

std::string to_string(const EncodingSpec& spec) {
  std::string text = spec.label == spec.name ? spec.name : spec.label + "=" + spec.name;
  for (size_t i = 0; i < spec.params.size(); ++i)
    text += (i == 0 ? ":" : ",") + spec.params[i].first + "=" + spec.params[i].second;
  return text;
}

}  // namespace graphtx
