#include "datasets/npy.hpp"

#include "graph/errors.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>

namespace graphtx {

namespace {

constexpr char kMagic[] = "\x93NUMPY";

size_t item_size(NpyType t) {
  switch (t) {
    case NpyType::Float64: case NpyType::Int64: return 8;
    case NpyType::Float32: return 4;
    case NpyType::Bool: return 1;
  }
  return 8;
}

const char* descr(NpyType t) {
  switch (t) {
    case NpyType::Float64: return "<f8";
    case NpyType::Float32: return "<f4";
    case NpyType::Int64: return "<i8";
    case NpyType::Bool: return "|b1";
  }
  return "<f8";
}

// Value of 'key': in the header dict, as the raw text up to the next top-level ',' or '}'.
std::string dict_value(const std::string& header, const std::string& key, const std::string& path) {
  const auto k = header.find("'" + key + "'");
  if (k == std::string::npos) throw InputError(path, 0, "npy header has no '" + key + "'");
  auto pos = header.find(':', k);
  if (pos == std::string::npos) throw InputError(path, 0, "npy header: no ':' after '" + key + "'");
  ++pos;
  while (pos < header.size() && header[pos] == ' ') ++pos;
  size_t end = pos;
  int depth = 0;
  while (end < header.size() && (depth > 0 || (header[end] != ',' && header[end] != '}'))) {
    if (header[end] == '(') ++depth;
    if (header[end] == ')') --depth;
    ++end;
  }
  return header.substr(pos, end - pos);
}

std::vector<std::int64_t> parse_shape(const std::string& text, const std::string& path) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') throw InputError(path, 0, "npy header: bad shape '" + text + "'");
  std::vector<std::int64_t> shape;
  std::stringstream in(text.substr(1, text.size() - 2));
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto first = item.find_first_not_of(' ');
    if (first == std::string::npos) continue;  // the trailing comma of "(5,)"
    const std::string digits = item.substr(first, item.find_last_not_of(' ') - first + 1);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 15)
      throw InputError(path, 0, "npy header: bad extent '" + digits + "' in shape " + text);
    shape.push_back(std::stoll(digits));
  }
  return shape;
}

std::int64_t product(const std::vector<std::int64_t>& shape, const std::string& path) {
  std::int64_t n = 1;
  for (std::int64_t e : shape) {
    if (e < 0 || (e > 0 && n > std::numeric_limits<std::int64_t>::max() / 8 / e)) throw InputError(path, 0, "npy: shape too large");
    n *= e;
  }
  return n;
}

std::string header_text(NpyType type, const std::vector<std::int64_t>& shape) {
  std::string dims = "(";
  for (size_t i = 0; i < shape.size(); ++i) dims += std::to_string(shape[i]) + (shape.size() == 1 ? "," : (i + 1 < shape.size() ? ", " : ""));
  dims += ")";
  std::string dict = std::string("{'descr': '") + descr(type) + "', 'fortran_order': False, 'shape': " + dims + ", }";
  const size_t unpadded = 10 + dict.size() + 1;
  dict += std::string((64 - unpadded % 64) % 64, ' ') + "\n";
  std::string out(kMagic, 6);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>((dict.size() >> 8) & 0xff);
  return out + dict;
}

void write_bytes(const std::string& path, const std::string& header, const char* data, size_t size) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(path, 0, "cannot open '" + tmp + "' for writing");
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(data, static_cast<std::streamsize>(size));
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw InputError(path, 0, "write failed");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw InputError(path, 0, "cannot rename '" + tmp + "' to the output path");
  }
}

void check_count(const std::vector<std::int64_t>& shape, size_t count, const std::string& path) {
  std::int64_t n = 1;
  for (std::int64_t e : shape) {
    if (e < 0) throw UsageError("write_npy '" + path + "': negative extent");
    n *= e;
  }
  if (static_cast<size_t>(n) != count) throw UsageError("write_npy '" + path + "': shape does not match the number of values");
}

}  // namespace

std::int64_t NpyArray::numel() const {
  std::int64_t n = 1;
  for (std::int64_t e : shape) n *= e;
  return n;
}

NpyArray read_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot open file");
  char fixed[10];
  if (!in.read(fixed, 8) || std::memcmp(fixed, kMagic, 6) != 0) throw InputError(path, 0, "not a .npy file (bad magic)");
  const int major = static_cast<unsigned char>(fixed[6]);
  size_t header_len = 0;
  if (major == 1) {
    if (!in.read(fixed + 8, 2)) throw InputError(path, 0, "truncated npy header");
    header_len = static_cast<unsigned char>(fixed[8]) | (static_cast<size_t>(static_cast<unsigned char>(fixed[9])) << 8);
  } else if (major == 2 || major == 3) {
    unsigned char len[4];
    if (!in.read(reinterpret_cast<char*>(len), 4)) throw InputError(path, 0, "truncated npy header");
    header_len = len[0] | (size_t{len[1]} << 8) | (size_t{len[2]} << 16) | (size_t{len[3]} << 24);
    if (header_len > (1u << 24)) throw InputError(path, 0, "npy header too long");
  } else {
    throw InputError(path, 0, "unsupported npy version " + std::to_string(major));
  }
  std::string header(header_len, '\0');
  if (!in.read(header.data(), static_cast<std::streamsize>(header_len))) throw InputError(path, 0, "truncated npy header");

  NpyArray a;
  const std::string d = dict_value(header, "descr", path);
  if (d == "'<f8'") a.type = NpyType::Float64;
  else if (d == "'<f4'") a.type = NpyType::Float32;
  else if (d == "'<i8'") a.type = NpyType::Int64;
  else if (d == "'|b1'") a.type = NpyType::Bool;
  else throw InputError(path, 0, "unsupported npy dtype " + d + " (expected <f8, <f4, <i8 or |b1, little-endian)");
  const std::string order = dict_value(header, "fortran_order", path);
  if (order == "True") throw InputError(path, 0, "Fortran-order arrays are not supported (save a C-order array)");
  if (order != "False") throw InputError(path, 0, "npy header: bad fortran_order '" + order + "'");
  a.shape = parse_shape(dict_value(header, "shape", path), path);

  const std::int64_t count = product(a.shape, path);
  const size_t bytes = static_cast<size_t>(count) * item_size(a.type);
  std::vector<char> raw(bytes);
  if (bytes > 0 && !in.read(raw.data(), static_cast<std::streamsize>(bytes)))
    throw InputError(path, 0, "truncated data: expected " + std::to_string(bytes) + " bytes after the header");
  if (in.peek() != std::char_traits<char>::eof()) throw InputError(path, 0, "trailing bytes after the array data");
  const char* p = raw.data();
  switch (a.type) {
    case NpyType::Float64:
      a.reals.resize(static_cast<size_t>(count));
      if (count > 0) std::memcpy(a.reals.data(), p, bytes);
      break;
    case NpyType::Float32:
      a.reals.resize(static_cast<size_t>(count));
      for (std::int64_t i = 0; i < count; ++i) {
        float v;
        std::memcpy(&v, p + 4 * i, 4);
        a.reals[i] = v;
      }
      break;
    case NpyType::Int64:
      a.ints.resize(static_cast<size_t>(count));
      if (count > 0) std::memcpy(a.ints.data(), p, bytes);
      break;
    case NpyType::Bool:
      a.ints.resize(static_cast<size_t>(count));
      for (std::int64_t i = 0; i < count; ++i) {
        if (p[i] != 0 && p[i] != 1) throw InputError(path, 0, "bool array holds a byte that is not 0 or 1");
        a.ints[i] = p[i];
      }
      break;
  }
  return a;
}

RealMatrix read_npy_matrix(const std::string& path) {
  const NpyArray a = read_npy(path);
  if (a.shape.empty() || a.shape.size() > 2)
    throw InputError(path, 0, "expected a 1-D [n] or 2-D [n, d] array, got " + std::to_string(a.shape.size()) + " dimensions");
  if (a.type == NpyType::Bool) throw InputError(path, 0, "expected a numeric array, got bool");
  const Index rows = a.shape[0], cols = a.shape.size() == 2 ? a.shape[1] : 1;
  RealMatrix m(rows, cols);
  for (Index i = 0; i < rows * cols; ++i) m.data()[i] = a.reals.empty() ? static_cast<double>(a.ints[i]) : a.reals[i];
  return m;
}

void write_npy(const std::string& path, const std::vector<std::int64_t>& shape, const std::vector<double>& values, NpyType type) {
  check_count(shape, values.size(), path);
  if (type == NpyType::Float64) {
    write_bytes(path, header_text(type, shape), reinterpret_cast<const char*>(values.data()), values.size() * 8);
  } else if (type == NpyType::Float32) {
    std::vector<float> f(values.begin(), values.end());
    write_bytes(path, header_text(type, shape), reinterpret_cast<const char*>(f.data()), f.size() * 4);
  } else {
    throw UsageError("write_npy '" + path + "': real values need a float64 or float32 type");
  }
}

void write_npy(const std::string& path, const std::vector<std::int64_t>& shape, const std::vector<std::int64_t>& values,
               NpyType type) {
  check_count(shape, values.size(), path);
  if (type == NpyType::Int64) {
    write_bytes(path, header_text(type, shape), reinterpret_cast<const char*>(values.data()), values.size() * 8);
  } else if (type == NpyType::Bool) {
    std::vector<char> b(values.size());
    for (size_t i = 0; i < values.size(); ++i) b[i] = values[i] != 0 ? 1 : 0;
    write_bytes(path, header_text(type, shape), b.data(), b.size());
  } else {
    throw UsageError("write_npy '" + path + "': integer values need an int64 or bool type");
  }
}

void write_npy(const std::string& path, const RealMatrix& m, NpyType type) {
  write_npy(path, {m.rows(), m.cols()}, std::vector<double>(m.data(), m.data() + m.size()), type);
}

}  // namespace graphtx
