// NumPy .npy files (format v1.0; v2.0/3.0 headers are read too): little-endian C-order arrays.
//   read_npy          float64 / float32 / int64 / bool arrays of any rank -> NpyArray.
//   read_npy_matrix   a 1-D [n] or 2-D [n, d] real or int64 array as a double matrix ([n] -> [n, 1]).
//   write_npy         float64 / float32 / int64 / bool from doubles or int64s; written to PATH.tmp,
//                     then renamed (atomic). Bad headers, shapes, dtypes or truncation throw InputError
//                     naming the file. Cost O(size) time, one copy of the data in memory.
#pragma once

#include "datasets/named_array.hpp"
#include "graph/graph.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace graphtx {

struct NpyArray {
  DType type = DType::Float64;
  std::vector<std::int64_t> shape;  // empty for a 0-d array
  std::vector<double> reals;        // Float64 / Float32 values (float32 widened)
  std::vector<std::int64_t> ints;   // Int64 / Bool values (bool as 0 / 1)
  std::int64_t numel() const;
};

NpyArray read_npy(const std::string& path);
RealMatrix read_npy_matrix(const std::string& path);

// Real data to a float64 or float32 file (UsageError for an integer type); shape's product must
// equal the number of values.
void write_npy(const std::string& path, const std::vector<std::int64_t>& shape, const std::vector<double>& values,
               DType type = DType::Float64);
// Integer data to an int64 or bool (nonzero -> true) file.
void write_npy(const std::string& path, const std::vector<std::int64_t>& shape, const std::vector<std::int64_t>& values,
               DType type = DType::Int64);
// A matrix [rows, cols] as a 2-D array.
void write_npy(const std::string& path, const RealMatrix& m, DType type = DType::Float64);

}  // namespace graphtx
