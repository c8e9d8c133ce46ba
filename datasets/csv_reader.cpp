#include "datasets/csv_reader.hpp"

#include "graph/io/text_io.hpp"

#include <charconv>

namespace graphtx {

bool CsvReader::next(std::vector<std::string>& fields) {
  fields.clear();
  std::string_view line;
  if (!lines_.next(line)) return false;
  record_line_ = lines_.line_number();
  std::string field;
  bool quoted = false;      // inside a quoted field
  bool was_quoted = false;  // the current field was quoted and its closing quote seen
  for (;;) {
    std::size_t i = 0;
    while (i < line.size()) {
      const char c = line[i];
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          quoted = false;
          was_quoted = true;
        } else {
          field.push_back(c);
        }
        ++i;
        continue;
      }
      if (c == ',') {
        fields.push_back(std::move(field));
        field.clear();
        was_quoted = false;
      } else if (c == '\r' && i + 1 == line.size()) {
        // "\r\n" record end
      } else if (was_quoted) {
        lines_.fail("text after the closing quote of a CSV field");
      } else if (c == '"' && field.empty()) {
        quoted = true;
      } else {
        field.push_back(c);
      }
      ++i;
    }
    if (!quoted) break;
    field.push_back('\n');  // a newline inside a quoted field
    if (!lines_.next(line)) lines_.fail_at(record_line_, "unterminated quoted CSV field (the file ends inside it)");
  }
  fields.push_back(std::move(field));
  return true;
}

bool try_parse_int(std::string_view text, std::int64_t& value) {
  std::size_t a = 0, b = text.size();
  while (a < b && (text[a] == ' ' || text[a] == '\t')) ++a;
  while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '\r')) --b;
  if (a == b) return false;
  const char* last = text.data() + b;
  const auto [end, error] = std::from_chars(text.data() + a, last, value);
  return error == std::errc() && end == last;
}

std::int64_t parse_int(std::string_view text, const GzipLineReader& reader) {
  std::int64_t value = 0;
  if (!try_parse_int(text, value)) reader.fail("malformed integer '" + io_detail::printable(text) + "'");
  return value;
}

std::size_t split_fields(std::string_view line, char separator, std::string_view* out, std::size_t max) {
  std::size_t count = 0;
  std::size_t start = 0;
  for (;;) {
    const std::size_t stop = line.find(separator, start);
    const std::string_view piece = line.substr(start, stop == std::string_view::npos ? std::string_view::npos : stop - start);
    if (count < max) out[count] = piece;
    ++count;
    if (stop == std::string_view::npos) return count;
    start = stop + 1;
  }
}

}  // namespace graphtx
