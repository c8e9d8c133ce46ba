#include "datasets/named_array.hpp"

namespace graphtx {

std::size_t dtype_size(DType t) {
  switch (t) {
    case DType::Bool: return 1;
    case DType::Int64: return 8;
    case DType::Float32: return 4;
    case DType::Float64: return 8;
  }
  return 0;
}

const char* numpy_descr(DType t) {
  switch (t) {
    case DType::Bool: return "|b1";
    case DType::Int64: return "<i8";
    case DType::Float32: return "<f4";
    case DType::Float64: return "<f8";
  }
  return "";
}

std::int64_t NamedArray::numel() const {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

}  // namespace graphtx
