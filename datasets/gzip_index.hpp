// Random access into a gzip file with zlib (the technique of zlib's examples/zran.c).
//   GzipIndex: one decompression pass records an access point about every `span` bytes of output
//     (at a deflate block boundary) with the 32 KiB window needed to restart inflation there.
//     Memory ~32 KiB per point (3% of the uncompressed size at span 1 MiB). Multi-member files ok.
//   GzipIndexedStream: reads sequentially from any uncompressed offset; a seek decompresses at
//     most ~span bytes. Truncated or corrupt data: InputError naming the file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace graphtx {

class GzipIndex {
 public:
  struct Point {
    std::int64_t out = 0;  // uncompressed offset
    std::int64_t in = 0;   // compressed offset of the first full byte
    int bits = 0;          // bits of the byte before `in` still to use (0..7)
    bool member_start = false;  // first block of a gzip member (no usable window)
    std::vector<unsigned char> window;  // the 32 KiB of output before `out`
  };

  static std::shared_ptr<const GzipIndex> build(const std::string& path, std::int64_t span = std::int64_t{1} << 20);

  const std::string& path() const { return path_; }
  std::int64_t uncompressed_size() const { return size_; }
  const std::vector<Point>& points() const { return points_; }
  // The last access point at or before `offset`.
  const Point& point_before(std::int64_t offset) const;

 private:
  std::string path_;
  std::int64_t size_ = 0;
  std::vector<Point> points_;
};

class GzipIndexedStream {
 public:
  explicit GzipIndexedStream(std::shared_ptr<const GzipIndex> index);
  ~GzipIndexedStream();
  GzipIndexedStream(const GzipIndexedStream&) = delete;
  GzipIndexedStream& operator=(const GzipIndexedStream&) = delete;

  void seek(std::int64_t offset);
  // Up to `length` bytes at the current offset; 0 at the end of the data.
  std::size_t read(char* out, std::size_t length);
  std::int64_t offset() const { return offset_; }
  const GzipIndex& index() const { return *index_; }

 private:
  [[noreturn]] void fail(const std::string& message) const;
  bool fill_input();

  std::shared_ptr<const GzipIndex> index_;
  std::FILE* file_ = nullptr;
  void* stream_ = nullptr;  // z_stream
  std::vector<unsigned char> input_;
  std::int64_t offset_ = 0;
  bool raw_member_ = true;  // inflating a member raw (started at an access point)
  bool ended_ = false;
};

}  // namespace graphtx
