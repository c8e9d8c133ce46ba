// The NumPy .npy header, shared by the .npy and .npz readers and writers.
//   npy_header       the v1.0 header (magic, version, length, dict) of a C-order array, padded to 64 bytes.
//   read_npy_header  reads a v1/v2/v3 header from a stream positioned at its magic; validates dtype
//                    (|b1 <i8 <f4 <f8), C order and the shape (non-negative extents whose byte size
//                    fits in int64). Throws InputError naming `file`. Cost O(header length).
#pragma once

#include "datasets/named_array.hpp"

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace graphtx {

struct NpyHeader {
  DType dtype = DType::Float64;
  std::vector<std::int64_t> shape;  // empty for a 0-d array
  std::uint64_t header_bytes = 0;   // magic through the dict's newline: the data starts here
  std::uint64_t data_bytes() const;  // product(shape) * dtype_size(dtype)
};

std::string npy_header(DType dtype, const std::vector<std::int64_t>& shape);
NpyHeader read_npy_header(std::istream& in, const std::string& file);

}  // namespace graphtx
