// The file layout of precomputed encodings (what `graphtx pe` writes), built from a chunk of
// graphs' EncodingResults. For G graphs with N nodes in all, keys are:
//   ptr [G+1] int64 node offsets;
//   spectral label L: L.vec [N, k] float32 (magnetic: [N, k, 2] = Re, Im), L.val [G, k] float32,
//                     L.mask [G, k] bool (true = real eigenpair, false = padding);
//   node label L:     L [N, K] float32 (node part of DRW / RRWP too);
//   pair label L:     L.index [2, P] int64 local node ids, L.pair_ptr [G+1] int64, L.value [P, C] float32.
// merge_arrays() concatenates chunk files along graphs, offsetting ptr and pair_ptr; it streams
// one array of one chunk at a time, so memory stays bounded by the largest chunk array.
#pragma once

#include "datasets/named_array.hpp"
#include "datasets/npz_file.hpp"
#include "pe/encoding_result.hpp"

#include <string>
#include <vector>

namespace graphtx {

// results[g][s] is encoding s (label labels[s]) of graph g, which has num_nodes[g] nodes.
std::vector<NamedArray> encoding_arrays(const std::vector<Index>& num_nodes, const std::vector<std::string>& labels,
                                        const std::vector<std::vector<EncodingResult>>& results);

// Receives merged arrays one by one (NpzWriter-like protocol).
class ArraySink {
 public:
  virtual ~ArraySink() = default;
  virtual void begin(const std::string& name, DType dtype, const std::vector<std::int64_t>& shape) = 0;
  virtual void write(const char* data, std::size_t size) = 0;
  virtual void end() = 0;
};

// Concatenates the arrays of chunk .npz files (in the given order) into `sink`. All chunks must
// hold the same keys, dtypes and trailing shapes (InputError naming the chunk otherwise).
void merge_arrays(const std::vector<std::string>& chunk_files, ArraySink& sink);

// Sinks: straight into an .npz file, or into memory (for .pt output).
class NpzSink : public ArraySink {
 public:
  explicit NpzSink(NpzWriter& writer) : writer_(writer) {}
  void begin(const std::string& name, DType dtype, const std::vector<std::int64_t>& shape) override {
    writer_.begin(name, dtype, shape);
  }
  void write(const char* data, std::size_t size) override { writer_.write(data, size); }
  void end() override { writer_.end(); }

 private:
  NpzWriter& writer_;
};

class MemorySink : public ArraySink {
 public:
  void begin(const std::string& name, DType dtype, const std::vector<std::int64_t>& shape) override;
  void write(const char* data, std::size_t size) override;
  void end() override {}
  std::vector<NamedArray>& arrays() { return arrays_; }

 private:
  std::vector<NamedArray> arrays_;
};

}  // namespace graphtx
