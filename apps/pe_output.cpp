#include "apps/pe_output.hpp"

#include "datasets/encoding_arrays.hpp"
#include "graph/errors.hpp"
#include "layers/tensor_file.hpp"

namespace graphtx::cli {

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

void write_merged_pt(const std::vector<std::string>& chunk_files, const std::string& out) {
  MemorySink sink;
  merge_arrays(chunk_files, sink);
  write_pt(out, sink.arrays());
}

}  // namespace

OutputFormat output_format(const std::string& path) {
  if (ends_with(path, ".pt")) return OutputFormat::Pt;
  if (ends_with(path, ".npz")) return OutputFormat::Npz;
  throw UsageError("--out '" + path + "': the file name must end in .pt (PyTorch) or .npz (NumPy)");
}

FinishWriter finish_writer(OutputFormat format) {
  return format == OutputFormat::Pt ? FinishWriter(write_merged_pt) : FinishWriter(write_merged_npz);
}

std::string python_load_hint(const std::string& path, OutputFormat format) {
  return format == OutputFormat::Pt ? "import torch; pe = torch.load('" + path + "')"
                                    : "import numpy as np; pe = np.load('" + path + "')";
}

std::string output_keys_help() {
  return "Output keys (G graphs, N nodes in all, float32 unless said):\n"
         "  ptr          [G+1] int64   node offsets: graph g owns rows ptr[g]:ptr[g+1]\n"
         "  L.vec        [N, k]        eigenvectors of spectral label L (maglap: [N, k, 2] = Re, Im)\n"
         "  L.val        [G, k]        eigenvalues, ascending\n"
         "  L.mask       [G, k] bool   true for real eigenpairs, false for zero padding (graphs with < k)\n"
         "  L            [N, K]        node encodings (rwse; node part of drw, rrwp)\n"
         "  L.index      [2, P] int64  pair encodings: local node ids (source, target) of each pair\n"
         "  L.pair_ptr   [G+1] int64   pair offsets per graph\n"
         "  L.value      [P, C]        pair features (drw, rrwp, spd)\n";
}

}  // namespace graphtx::cli
