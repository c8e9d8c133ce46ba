// NamedArray: a named, typed, C-order n-d array as raw little-endian bytes — the exchange
// value between encodings and the files users load (.npz for NumPy, .pt for PyTorch).
// Shapes use int64 extents; bytes.size() == product(shape) * dtype_size(dtype).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace graphtx {

enum class DType { Bool, Int64, Float32, Float64 };

std::size_t dtype_size(DType t);
// NumPy descr string: "|b1", "<i8", "<f4", "<f8".
const char* numpy_descr(DType t);

struct NamedArray {
  std::string name;
  DType dtype = DType::Float32;
  std::vector<std::int64_t> shape;
  std::vector<char> bytes;

  std::int64_t numel() const;

  template <class T>
  static NamedArray from(std::string name, DType dtype, std::vector<std::int64_t> shape, const std::vector<T>& values) {
    NamedArray a{std::move(name), dtype, std::move(shape), {}};
    a.bytes.resize(values.size() * sizeof(T));
    if (!values.empty()) std::memcpy(a.bytes.data(), values.data(), a.bytes.size());
    return a;
  }
  template <class T>
  std::vector<T> values() const {
    std::vector<T> out(bytes.size() / sizeof(T));
    if (!out.empty()) std::memcpy(out.data(), bytes.data(), out.size() * sizeof(T));
    return out;
  }
};

}  // namespace graphtx
