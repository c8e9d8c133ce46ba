#include "datasets/encoding_arrays.hpp"

#include "graph/errors.hpp"

#include <numeric>

namespace graphtx {

namespace {

bool is_spectral(const EncodingResult& r) { return r.values.size() > 0 || !r.mask.empty(); }
bool has_pairs(const EncodingResult& r) { return r.pairs.rows() > 0 || r.pair_values.cols() > 0; }

std::vector<std::int64_t> node_shape(const EncodingResult& r, Index rows) {
  std::vector<std::int64_t> shape{rows};
  if (r.node_dims.empty()) shape.push_back(r.node.cols());
  else shape.insert(shape.end(), r.node_dims.begin(), r.node_dims.end());
  return shape;
}

// Stacks the node blocks of encoding s over the chunk's graphs as float32.
NamedArray stack_nodes(const std::string& name, const std::vector<std::vector<EncodingResult>>& results, size_t s,
                       Index total_nodes) {
  const EncodingResult& first = results.front()[s];
  std::vector<float> values;
  values.reserve(static_cast<size_t>(total_nodes * first.node.cols()));
  for (const auto& graph : results) {
    const RealMatrix& m = graph[s].node;
    if (m.cols() != first.node.cols())
      throw NumericalError("encoding '" + name + "' gives " + std::to_string(m.cols()) + " node columns on one graph and " +
                           std::to_string(first.node.cols()) + " on another");
    for (Index i = 0; i < m.size(); ++i) values.push_back(static_cast<float>(m.data()[i]));
  }
  return NamedArray::from(name, DType::Float32, node_shape(first, total_nodes), values);
}

}  // namespace

std::vector<NamedArray> encoding_arrays(const std::vector<Index>& num_nodes, const std::vector<std::string>& labels,
                                        const std::vector<std::vector<EncodingResult>>& results) {
  const Index graphs = static_cast<Index>(num_nodes.size());
  std::vector<std::int64_t> ptr(num_nodes.size() + 1, 0);
  std::partial_sum(num_nodes.begin(), num_nodes.end(), ptr.begin() + 1);
  std::vector<NamedArray> out{NamedArray::from("ptr", DType::Int64, {graphs + 1}, ptr)};
  if (graphs == 0) return out;
  for (size_t s = 0; s < labels.size(); ++s) {
    const std::string& label = labels[s];
    const EncodingResult& first = results.front()[s];
    if (is_spectral(first)) {
      const Index k = first.values.size();
      std::vector<float> val;
      std::vector<char> mask;
      for (const auto& graph : results) {
        for (Index j = 0; j < k; ++j) {
          val.push_back(static_cast<float>(graph[s].values[j]));
          mask.push_back(graph[s].mask[static_cast<size_t>(j)] ? 1 : 0);
        }
      }
      out.push_back(stack_nodes(label + ".vec", results, s, ptr.back()));
      out.push_back(NamedArray::from(label + ".val", DType::Float32, {graphs, k}, val));
      out.push_back(NamedArray::from(label + ".mask", DType::Bool, {graphs, k}, mask));
      continue;
    }
    if (first.node.cols() > 0) out.push_back(stack_nodes(label, results, s, ptr.back()));
    if (has_pairs(first)) {
      std::vector<std::int64_t> sources, targets, pair_ptr{0};
      std::vector<float> values;
      const Index channels = first.pair_values.cols();
      for (const auto& graph : results) {
        const EncodingResult& r = graph[s];
        for (Index p = 0; p < r.pairs.rows(); ++p) {
          sources.push_back(r.pairs(p, 0));
          targets.push_back(r.pairs(p, 1));
          for (Index c = 0; c < channels; ++c) values.push_back(static_cast<float>(r.pair_values(p, c)));
        }
        pair_ptr.push_back(pair_ptr.back() + r.pairs.rows());
      }
      const std::int64_t pairs = pair_ptr.back();
      sources.insert(sources.end(), targets.begin(), targets.end());
      out.push_back(NamedArray::from(label + ".index", DType::Int64, {2, pairs}, sources));
      out.push_back(NamedArray::from(label + ".pair_ptr", DType::Int64, {graphs + 1}, pair_ptr));
      out.push_back(NamedArray::from(label + ".value", DType::Float32, {pairs, channels}, values));
    }
  }
  return out;
}

void MemorySink::begin(const std::string& name, DType dtype, const std::vector<std::int64_t>& shape) {
  arrays_.push_back({name, dtype, shape, {}});
  arrays_.back().bytes.reserve(static_cast<size_t>(arrays_.back().numel()) * dtype_size(dtype));
}

void MemorySink::write(const char* data, std::size_t size) { arrays_.back().bytes.insert(arrays_.back().bytes.end(), data, data + size); }

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

void merge_arrays(const std::vector<std::string>& chunk_files, ArraySink& sink) {
  if (chunk_files.empty()) throw UsageError("merge_arrays: no chunk files");
  // Entries of every chunk; files are reopened per array so that only one is open at a time.
  std::vector<std::vector<NpzReader::Entry>> entries;
  entries.reserve(chunk_files.size());
  for (const auto& f : chunk_files) entries.push_back(NpzReader(f).entries());
  const auto& keys = entries.front();
  for (size_t c = 1; c < entries.size(); ++c) {
    const auto& other = entries[c];
    bool same = other.size() == keys.size();
    for (size_t i = 0; same && i < keys.size(); ++i)
      same = other[i].name == keys[i].name && other[i].dtype == keys[i].dtype && other[i].shape.size() == keys[i].shape.size();
    if (!same) throw InputError(chunk_files[c] + ": its arrays differ from those of " + chunk_files.front());
  }
  for (size_t k = 0; k < keys.size(); ++k) {
    const auto& key = keys[k];
    const bool offsets = key.name == "ptr" || ends_with(key.name, ".pair_ptr");
    const size_t axis = ends_with(key.name, ".index") ? 1 : 0;
    std::vector<std::int64_t> shape = key.shape;
    shape[axis] = offsets ? 1 : 0;
    for (size_t c = 0; c < entries.size(); ++c) {
      const auto& e = entries[c][k];
      for (size_t d = 0; d < shape.size(); ++d)
        if (d != axis && e.shape[d] != shape[d])
          throw InputError(chunk_files[c] + ": array '" + key.name + "' has a shape that does not match the other chunks");
      shape[axis] += offsets ? e.shape[0] - 1 : e.shape[axis];
    }
    sink.begin(key.name, key.dtype, shape);
    if (offsets) {
      std::int64_t base = 0;
      const std::int64_t zero = 0;
      sink.write(reinterpret_cast<const char*>(&zero), sizeof zero);
      for (const auto& f : chunk_files) {
        std::vector<std::int64_t> v = NpzReader(f).read(key.name).values<std::int64_t>();
        for (size_t i = 1; i < v.size(); ++i) v[i] += base;
        sink.write(reinterpret_cast<const char*>(v.data() + 1), (v.size() - 1) * sizeof(std::int64_t));
        base = v.back();
      }
    } else {
      // Axis 1 ([2, P] index arrays): all chunks' row 0, then all chunks' row 1.
      const int parts = axis == 1 ? 2 : 1;
      for (int row = 0; row < parts; ++row) {
        for (size_t c = 0; c < chunk_files.size(); ++c) {
          const auto& e = entries[c][k];
          const std::uint64_t size = e.data_size / parts;
          std::vector<char> buf(size);
          if (size > 0) NpzReader(chunk_files[c]).read_bytes(e, row * size, size, buf.data());
          sink.write(buf.data(), buf.size());
        }
      }
    }
    sink.end();
  }
}

}  // namespace graphtx
