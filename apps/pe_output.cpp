#include "apps/pe_output.hpp"

#include "datasets/encoding_arrays.hpp"
#include "datasets/npz_file.hpp"
#include "graph/errors.hpp"
#include "layers/tensor_file.hpp"

#include <cstdio>

namespace graphtx::cli {

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// "12.3 KiB (12595 bytes)"
std::string size_text(std::uint64_t bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  for (; value >= 1024 && unit < 4; ++unit) value /= 1024;
  char text[64];
  std::snprintf(text, sizeof text, "%.1f %s (%llu bytes)", value, units[unit], static_cast<unsigned long long>(bytes));
  return text;
}

void write_merged_pt(const std::vector<std::string>& chunk_files, const std::string& out, std::uint64_t max_pt_bytes) {
  check_pt_size(out, chunk_bytes(chunk_files), max_pt_bytes, false);
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

FinishWriter finish_writer(OutputFormat format, std::uint64_t max_pt_bytes) {
  if (format == OutputFormat::Npz) return FinishWriter(write_merged_npz);
  return [max_pt_bytes](const std::vector<std::string>& chunk_files, const std::string& out) {
    write_merged_pt(chunk_files, out, max_pt_bytes);
  };
}

std::uint64_t chunk_bytes(const std::vector<std::string>& chunk_files) {
  std::uint64_t bytes = 0;
  for (const auto& file : chunk_files) {
    const NpzReader reader(file);
    for (const auto& e : reader.entries()) bytes += e.data_size;
  }
  return bytes;
}

void check_pt_size(const std::string& out, std::uint64_t bytes, std::uint64_t max_pt_bytes, bool projected) {
  if (bytes <= max_pt_bytes) return;
  const std::string npz = out.substr(0, out.size() - 3) + ".npz", parts = parts_directory(out);
  throw UsageError("--out " + out + ": the output " + (projected ? "is projected at " : "holds ") + size_text(bytes) +
                   ", above the .pt limit of " + size_text(max_pt_bytes) + " (--max-pt-gib), and a .pt file is assembled " +
                   "in memory. " +
                   (projected ? "Rerun with --out " + npz + " (streamed in bounded memory; remove " + parts + ")"
                              : "Join the finished chunks as a streamed .npz: graphtx pe-merge --out " + npz + " " + parts) +
                   ", split the job with --shard i/N and pe-merge to .npz, or raise --max-pt-gib");
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
