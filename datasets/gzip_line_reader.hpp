// GzipLineReader: reads a gzip-compressed (or plain) text file line by line through zlib's
// gzopen/gzread, numbering lines from 1 for error messages. A truncated or corrupt gzip stream
// is an InputError naming the file. Lines come without their '\n' (a '\r' before it is kept, so
// CSV parsing can see quoted carriage returns) as views valid until the next call; a UTF-8
// byte-order mark at the start of the file is skipped. Memory: a 256 KiB buffer plus the longest
// line; one decompression pass; with a GzipIndex, seek() inflates at most ~span bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace graphtx {

class GzipIndex;
class GzipIndexedStream;

class GzipLineReader {
 public:
  explicit GzipLineReader(std::string path);
  explicit GzipLineReader(std::shared_ptr<const GzipIndex> index);
  ~GzipLineReader();
  GzipLineReader(const GzipLineReader&) = delete;
  GzipLineReader& operator=(const GzipLineReader&) = delete;

  // Next line into `line`; false at the end of the file.
  bool next(std::string_view& line);
  // 1-based number of the line last returned (0 before the first).
  std::int64_t line_number() const { return line_number_; }
  // Uncompressed byte offset of the next line; seek() returns to such a position, where the
  // next line has number line_number + 1 (without an index, gzseek: fast forward, slow backward).
  std::int64_t offset() const { return offset_; }
  void seek(std::int64_t offset, std::int64_t line_number);
  const std::string& path() const { return path_; }

  // InputError "path:line: message" at the line last returned (or the given line).
  [[noreturn]] void fail(const std::string& message) const;
  [[noreturn]] void fail_at(std::int64_t line, const std::string& message) const;

 private:
  bool refill();

  std::string path_;
  void* file_ = nullptr;  // gzFile, or
  std::unique_ptr<GzipIndexedStream> indexed_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  std::int64_t line_number_ = 0;
  std::int64_t offset_ = 0;
};

// Drops one trailing '\r' (CRLF line ends).
inline std::string_view strip_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace graphtx
