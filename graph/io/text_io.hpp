// Text and file helpers of the graph and dataset readers and writers (not API): opening and
// reading files (InputError "PATH: cannot open: REASON"), atomic writes (PATH.tmp, then rename;
// UsageError "PATH: cannot write: REASON"), UTF-8 byte-order marks, edge weights (finite, >= 0)
// and exact shortest double formatting. All O(text size).
#pragma once

#include <fstream>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace graphtx::io_detail {

std::ifstream open_input_file(const std::string& path);

std::string read_text_file(const std::string& path);

std::string_view without_bom(std::string_view text);

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

// Sets `weight` and returns an empty string, or returns e.g. "weight 'nan' is not a finite number".
std::string parse_weight(std::string_view text, double& weight);

std::string format_double(double value);

// Counts the line (1-based) on which byte `offset` of `text` lies.
long line_of_offset(std::string_view text, std::size_t offset);

// The line of the only occurrence of `token` in `text`; 0 when it is absent, empty or not unique.
long unique_line(std::string_view text, std::string_view token);

// `text` fit for an error message: bytes outside printable ASCII as \xNN, cut after 40 bytes ("...").
std::string printable(std::string_view text);

// Why a file is not text the readers understand, judged from its first bytes (gzip magic, a
// UTF-16 or UTF-32 byte-order mark), or an empty string.
std::string binary_encoding_problem(std::string_view head);

}  // namespace graphtx::io_detail
