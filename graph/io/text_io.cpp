#include "graph/io/text_io.hpp"

#include "graph/errors.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace graphtx::io_detail {

std::ifstream open_input_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(path, 0, "cannot open: is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, std::string("cannot open: ") + std::strerror(errno));
  return in;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in = open_input_file(path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw InputError(path, 0, std::string("cannot read: ") + std::strerror(errno));
  return buffer.str();
}

std::string_view without_bom(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw UsageError(path + ": cannot write: " + std::strerror(errno));
    write(out);
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw UsageError(path + ": cannot write: " + std::strerror(errno));
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::remove(tmp.c_str());
    throw UsageError(path + ": cannot rename " + tmp + " to it: " + std::strerror(error));
  }
}

std::string parse_weight(std::string_view text, double& weight) {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  const bool consumed = end == digits.data() + digits.size();
  if (error == std::errc::result_out_of_range && consumed)
    return "weight '" + printable(text) + "' is not a finite number";
  if (error != std::errc() || !consumed || digits.empty())
    return "weight '" + printable(text) + "' is not a number";
  if (!std::isfinite(value)) return "weight '" + printable(text) + "' is not a finite number";
  if (value < 0) return "weight '" + printable(text) + "' is negative";
  weight = value + 0.0;  // -0 becomes +0
  return {};
}

std::string format_double(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

long line_of_offset(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<long>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

long unique_line(std::string_view text, std::string_view token) {
  const std::size_t first = text.find(token);
  if (token.empty() || first == std::string_view::npos || text.find(token, first + 1) != std::string_view::npos) return 0;
  return line_of_offset(text, first);
}

std::string printable(std::string_view text) {
  constexpr std::size_t kMax = 40;
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < kMax; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {
      out.push_back(static_cast<char>(c));
    } else {
      static const char* const kHex = "0123456789ABCDEF";
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  if (text.size() > kMax) out += "...";
  return out;
}

std::string binary_encoding_problem(std::string_view head) {
  if (head.substr(0, 2) == "\x1F\x8B") return "gzip-compressed file (decompress it first, e.g. with gunzip)";
  if (head.substr(0, 4) == std::string_view("\xFF\xFE\0\0", 4) || head.substr(0, 4) == std::string_view("\0\0\xFE\xFF", 4))
    return "UTF-32 text (byte-order mark); save the file as UTF-8";
  if (head.substr(0, 2) == "\xFF\xFE" || head.substr(0, 2) == "\xFE\xFF")
    return "UTF-16 text (byte-order mark); save the file as UTF-8";
  return {};
}

}  // namespace graphtx::io_detail
