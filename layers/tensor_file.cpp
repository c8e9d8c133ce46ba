#include "layers/tensor_file.hpp"

#include "graph/errors.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace graphtx {

namespace {

torch::ScalarType scalar_type(DType t) {
  switch (t) {
    case DType::Bool: return torch::kBool;
    case DType::Int64: return torch::kInt64;
    case DType::Float32: return torch::kFloat32;
    case DType::Float64: return torch::kFloat64;
  }
  return torch::kFloat32;
}

}  // namespace

torch::Tensor to_tensor(const NamedArray& array) {
  std::vector<int64_t> shape(array.shape.begin(), array.shape.end());
  torch::Tensor t = torch::empty(shape, torch::TensorOptions().dtype(scalar_type(array.dtype)));
  if (!array.bytes.empty()) std::memcpy(t.data_ptr(), array.bytes.data(), array.bytes.size());
  return t;
}

NamedArray to_named_array(const std::string& name, const torch::Tensor& tensor) {
  NamedArray a;
  a.name = name;
  const torch::Tensor t = tensor.contiguous();
  switch (t.scalar_type()) {
    case torch::kBool: a.dtype = DType::Bool; break;
    case torch::kInt64: a.dtype = DType::Int64; break;
    case torch::kFloat32: a.dtype = DType::Float32; break;
    case torch::kFloat64: a.dtype = DType::Float64; break;
    default: throw UsageError("tensor '" + name + "' has an unsupported dtype " + std::string(c10::toString(t.scalar_type())));
  }
  a.shape.assign(t.sizes().begin(), t.sizes().end());
  a.bytes.resize(static_cast<size_t>(t.numel()) * dtype_size(a.dtype));
  if (!a.bytes.empty()) std::memcpy(a.bytes.data(), t.data_ptr(), a.bytes.size());
  return a;
}

void write_pt(const std::string& path, const std::vector<NamedArray>& arrays) {
  c10::Dict<std::string, at::Tensor> dict;
  for (const NamedArray& a : arrays) dict.insert(a.name, to_tensor(a));
  const std::vector<char> bytes = torch::pickle_save(c10::IValue(dict));
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::filesystem::remove(tmp);
      throw InputError(tmp + ": write failed (disk full?)");
    }
  }
  std::filesystem::rename(tmp, path);
}

std::vector<NamedArray> read_pt(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open");
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
  c10::IValue value;
  try {
    value = torch::pickle_load(bytes);
  } catch (const c10::Error& e) {
    throw InputError(path + ": not a .pt file LibTorch can read");
  }
  if (!value.isGenericDict()) throw InputError(path + ": the .pt file does not hold a dict");
  std::vector<NamedArray> out;
  for (const auto& item : value.toGenericDict()) {
    if (!item.key().isString() || !item.value().isTensor())
      throw InputError(path + ": the dict holds a value that is not a named tensor");
    out.push_back(to_named_array(item.key().toStringRef(), item.value().toTensor()));
  }
  return out;
}

}  // namespace graphtx
