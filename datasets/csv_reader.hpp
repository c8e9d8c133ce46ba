// CsvReader: RFC-4180 records from a gzip or plain text file (via GzipLineReader). Fields may be
// quoted; quoted fields can hold commas, doubled quotes, newlines, carriage returns and NUL
// bytes. Records end at '\n' or "\r\n" outside quotes. Values are kept verbatim as strings
// (empty, "null", "nan", "None" stay strings; no missing-value guessing as pandas does).
// Errors (InputError "file:line"): an unterminated quote, text after a closing quote.
// Also: parse_int() for the all-integer files. Cost O(bytes); memory O(longest record).
#pragma once

#include "datasets/gzip_line_reader.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace graphtx {

class CsvReader {
 public:
  explicit CsvReader(const std::string& path) : lines_(path) {}

  // Next record into `fields`; false at the end of the file.
  bool next(std::vector<std::string>& fields);
  // 1-based line on which the record last returned starts.
  std::int64_t record_line() const { return record_line_; }
  const std::string& path() const { return lines_.path(); }
  [[noreturn]] void fail(const std::string& message) const { lines_.fail_at(record_line_, message); }

 private:
  GzipLineReader lines_;
  std::int64_t record_line_ = 0;
};

// Parses a whole field as a base-10 integer (optional leading '-', surrounding blanks allowed);
// false when it is not one.
bool try_parse_int(std::string_view text, std::int64_t& value);
// The same, with InputError "file:line: malformed integer 'text'" at the reader's current line.
std::int64_t parse_int(std::string_view text, const GzipLineReader& reader);

// Splits `line` on `separator` into at most `max` views; returns the number of fields found
// (may exceed `max` when there are more separators, which callers report as an error).
std::size_t split_fields(std::string_view line, char separator, std::string_view* out, std::size_t max);

}  // namespace graphtx
