// .pt files that Python's torch.load returns as a dict {name: tensor}: written with LibTorch's
// pickle_save (the zip format of torch.save), atomically (PATH.tmp, then rename). Also the
// conversions NamedArray <-> torch::Tensor (bool, int64, float32, float64; C-order copies).
// Cost: one copy of every array in memory while writing.
#pragma once

#include "datasets/named_array.hpp"

#include <torch/torch.h>

#include <string>
#include <vector>

namespace graphtx {

torch::Tensor to_tensor(const NamedArray& array);
NamedArray to_named_array(const std::string& name, const torch::Tensor& tensor);

void write_pt(const std::string& path, const std::vector<NamedArray>& arrays);
// Reads a dict-of-tensors .pt written by write_pt (or torch.save of such a dict), in key order.
std::vector<NamedArray> read_pt(const std::string& path);

}  // namespace graphtx
