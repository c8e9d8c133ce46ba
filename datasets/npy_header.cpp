#include "datasets/npy_header.hpp"

#include "graph/errors.hpp"

#include <cstring>
#include <limits>

namespace graphtx {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::uint64_t kMaxDictBytes = 1u << 24;

// The raw text of 'key''s value in the header dict, up to the next top-level ',' or '}'.
std::string dict_value(const std::string& dict, const std::string& key, const std::string& file) {
  const auto k = dict.find("'" + key + "'");
  if (k == std::string::npos) throw InputError(file, 0, "npy header has no '" + key + "'");
  auto pos = dict.find(':', k);
  if (pos == std::string::npos) throw InputError(file, 0, "npy header: no ':' after '" + key + "'");
  ++pos;
  while (pos < dict.size() && dict[pos] == ' ') ++pos;
  std::size_t end = pos;
  int depth = 0;
  while (end < dict.size() && (depth > 0 || (dict[end] != ',' && dict[end] != '}'))) {
    if (dict[end] == '(') ++depth;
    if (dict[end] == ')') --depth;
    ++end;
  }
  return dict.substr(pos, end - pos);
}

DType parse_descr(const std::string& text, const std::string& file) {
  if (text == "'|b1'") return DType::Bool;
  if (text == "'<i8'") return DType::Int64;
  if (text == "'<f4'") return DType::Float32;
  if (text == "'<f8'") return DType::Float64;
  throw InputError(file, 0, "unsupported npy dtype " + text + " (expected <f8, <f4, <i8 or |b1, little-endian)");
}

std::vector<std::int64_t> parse_shape(const std::string& text, DType dtype, const std::string& file) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') throw InputError(file, 0, "npy header: bad shape '" + text + "'");
  std::vector<std::int64_t> shape;
  std::int64_t bytes = static_cast<std::int64_t>(dtype_size(dtype));
  std::size_t pos = 1;
  while (pos + 1 < text.size()) {
    const std::size_t comma = std::min(text.find(',', pos), text.size() - 1);
    const std::string item = text.substr(pos, comma - pos);
    pos = comma + 1;
    const auto first = item.find_first_not_of(' ');
    if (first == std::string::npos) continue;  // the trailing comma of "(5,)"
    const std::string digits = item.substr(first, item.find_last_not_of(' ') - first + 1);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 18)
      throw InputError(file, 0, "npy header: bad extent '" + digits + "' in shape " + text);
    const std::int64_t extent = std::stoll(digits);
    if (extent > 0 && bytes > std::numeric_limits<std::int64_t>::max() / extent)
      throw InputError(file, 0, "npy header: shape " + text + " is too large");
    bytes *= extent;
    shape.push_back(extent);
  }
  return shape;
}

}  // namespace

std::uint64_t NpyHeader::data_bytes() const {
  std::uint64_t n = dtype_size(dtype);
  for (std::int64_t e : shape) n *= static_cast<std::uint64_t>(e);
  return n;
}

std::string npy_header(DType dtype, const std::vector<std::int64_t>& shape) {
  std::string dict = "{'descr': '" + std::string(numpy_descr(dtype)) + "', 'fortran_order': False, 'shape': (";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) dict += ", ";
    dict += std::to_string(shape[i]);
  }
  dict += shape.size() == 1 ? ",), }" : "), }";
  const std::size_t prefix = 10;  // magic (6) + version (2) + header length (2)
  std::size_t total = prefix + dict.size() + 1;
  total = (total + 63) / 64 * 64;
  dict.append(total - prefix - dict.size() - 1, ' ');
  dict += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  const auto len = static_cast<std::uint16_t>(dict.size());
  out += static_cast<char>(len & 0xff);
  out += static_cast<char>(len >> 8);
  return out + dict;
}

NpyHeader read_npy_header(std::istream& in, const std::string& file) {
  unsigned char fixed[12];
  if (!in.read(reinterpret_cast<char*>(fixed), 8) || std::memcmp(fixed, kMagic, 6) != 0)
    throw InputError(file, 0, "not a .npy array (bad magic)");
  const int major = fixed[6];
  std::uint64_t prefix = 0, dict_len = 0;
  if (major == 1) {
    if (!in.read(reinterpret_cast<char*>(fixed + 8), 2)) throw InputError(file, 0, "truncated npy header");
    prefix = 10;
    dict_len = fixed[8] | (std::uint64_t{fixed[9]} << 8);
  } else if (major == 2 || major == 3) {
    if (!in.read(reinterpret_cast<char*>(fixed + 8), 4)) throw InputError(file, 0, "truncated npy header");
    prefix = 12;
    dict_len = fixed[8] | (std::uint64_t{fixed[9]} << 8) | (std::uint64_t{fixed[10]} << 16) | (std::uint64_t{fixed[11]} << 24);
    if (dict_len > kMaxDictBytes) throw InputError(file, 0, "npy header too long");
  } else {
    throw InputError(file, 0, "unsupported npy version " + std::to_string(major));
  }
  std::string dict(dict_len, '\0');
  if (!in.read(dict.data(), static_cast<std::streamsize>(dict_len))) throw InputError(file, 0, "truncated npy header");

  NpyHeader h;
  h.dtype = parse_descr(dict_value(dict, "descr", file), file);
  const std::string order = dict_value(dict, "fortran_order", file);
  if (order == "True") throw InputError(file, 0, "Fortran-order arrays are not supported (save a C-order array)");
  if (order != "False") throw InputError(file, 0, "npy header: bad fortran_order '" + order + "'");
  h.shape = parse_shape(dict_value(dict, "shape", file), h.dtype, file);
  h.header_bytes = prefix + dict_len;
  return h;
}

}  // namespace graphtx
