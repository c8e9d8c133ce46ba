#include "datasets/npy.hpp"

#include "datasets/npy_header.hpp"

#include "graph/errors.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>

namespace graphtx {

namespace {

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
  const NpyHeader header = read_npy_header(in, path);
  NpyArray a;
  a.type = header.dtype;
  a.shape = header.shape;
  const std::int64_t count = a.numel();
  const size_t bytes = header.data_bytes();
  std::vector<char> raw(bytes);
  if (bytes > 0 && !in.read(raw.data(), static_cast<std::streamsize>(bytes)))
    throw InputError(path, 0, "truncated data: expected " + std::to_string(bytes) + " bytes after the header");
  if (in.peek() != std::char_traits<char>::eof()) throw InputError(path, 0, "trailing bytes after the array data");
  const char* p = raw.data();
  switch (a.type) {
    case DType::Float64:
      a.reals.resize(static_cast<size_t>(count));
      if (count > 0) std::memcpy(a.reals.data(), p, bytes);
      break;
    case DType::Float32:
      a.reals.resize(static_cast<size_t>(count));
      for (std::int64_t i = 0; i < count; ++i) {
        float v;
        std::memcpy(&v, p + 4 * i, 4);
        a.reals[i] = v;
      }
      break;
    case DType::Int64:
      a.ints.resize(static_cast<size_t>(count));
      if (count > 0) std::memcpy(a.ints.data(), p, bytes);
      break;
    case DType::Bool:
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
  if (a.type == DType::Bool) throw InputError(path, 0, "expected a numeric array, got bool");
  const Index rows = a.shape[0], cols = a.shape.size() == 2 ? a.shape[1] : 1;
  RealMatrix m(rows, cols);
  for (Index i = 0; i < rows * cols; ++i) m.data()[i] = a.reals.empty() ? static_cast<double>(a.ints[i]) : a.reals[i];
  return m;
}

void write_npy(const std::string& path, const std::vector<std::int64_t>& shape, const std::vector<double>& values, DType type) {
  check_count(shape, values.size(), path);
  if (type == DType::Float64) {
    write_bytes(path, npy_header(type, shape), reinterpret_cast<const char*>(values.data()), values.size() * 8);
  } else if (type == DType::Float32) {
    std::vector<float> f(values.begin(), values.end());
    write_bytes(path, npy_header(type, shape), reinterpret_cast<const char*>(f.data()), f.size() * 4);
  } else {
    throw UsageError("write_npy '" + path + "': real values need a float64 or float32 type");
  }
}

void write_npy(const std::string& path, const std::vector<std::int64_t>& shape, const std::vector<std::int64_t>& values,
               DType type) {
  check_count(shape, values.size(), path);
  if (type == DType::Int64) {
    write_bytes(path, npy_header(type, shape), reinterpret_cast<const char*>(values.data()), values.size() * 8);
  } else if (type == DType::Bool) {
    std::vector<char> b(values.size());
    for (size_t i = 0; i < values.size(); ++i) b[i] = values[i] != 0 ? 1 : 0;
    write_bytes(path, npy_header(type, shape), b.data(), b.size());
  } else {
    throw UsageError("write_npy '" + path + "': integer values need an int64 or bool type");
  }
}

void write_npy(const std::string& path, const RealMatrix& m, DType type) {
  write_npy(path, {m.rows(), m.cols()}, std::vector<double>(m.data(), m.data() + m.size()), type);
}

}  // namespace graphtx
