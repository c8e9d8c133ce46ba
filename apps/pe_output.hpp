// Output files of `graphtx pe` / `graphtx pe-merge`: the format chosen by extension (.pt or
// .npz), the writer that turns the ordered chunk files into it (.npz streamed in bounded memory;
// .pt assembled in memory, then torch pickle format, refused above a size limit with a
// UsageError that points to .npz / pe-merge), and the help text documenting every key.
#pragma once

#include "datasets/encoding_job.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace graphtx::cli {

enum class OutputFormat { Pt, Npz };

OutputFormat output_format(const std::string& path);
// max_pt_bytes: a .pt output larger than this is refused (UsageError; the chunks stay on disk).
FinishWriter finish_writer(OutputFormat format, std::uint64_t max_pt_bytes);

// Bytes of array data in chunk files (what the merged output holds).
std::uint64_t chunk_bytes(const std::vector<std::string>& chunk_files);

// Throws UsageError (naming .npz and pe-merge) if a .pt file for `out` of `bytes` exceeds the
// limit; `projected`: bytes extrapolated from the first chunks, else the exact merged size.
void check_pt_size(const std::string& out, std::uint64_t bytes, std::uint64_t max_pt_bytes, bool projected);
std::string python_load_hint(const std::string& path, OutputFormat format);
std::string output_keys_help();

}  // namespace graphtx::cli
