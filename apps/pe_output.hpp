// Output files of `graphtx pe` / `graphtx pe-merge`: the format chosen by extension (.pt or
// .npz), the writer that turns the ordered chunk files into it (.npz streamed in bounded memory;
// .pt assembled in memory, then torch pickle format), and the help text documenting every key.
#pragma once

#include "datasets/encoding_job.hpp"

#include <string>

namespace graphtx::cli {

enum class OutputFormat { Pt, Npz };

OutputFormat output_format(const std::string& path);
FinishWriter finish_writer(OutputFormat format);
std::string python_load_hint(const std::string& path, OutputFormat format);
std::string output_keys_help();

}  // namespace graphtx::cli
