// Small text and file helpers shared by the graph readers and writers (internal to graph/io).
//   open_input_file     an open binary ifstream; InputError "PATH: cannot open: REASON".
//   read_text_file      the whole file as a string (same errors).
//   without_bom         the text without a leading UTF-8 byte-order mark.
//   write_file_atomically  calls write(stream) on PATH.tmp, then renames it over PATH;
//                       UsageError "PATH: cannot write: REASON" when that fails.
//   parse_weight        a finite non-negative double, or the message saying what is wrong.
//   format_double       shortest text that parses back to the same double.
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

}  // namespace graphtx::io_detail
