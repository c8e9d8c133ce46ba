#include "datasets/gzip_line_reader.hpp"

#include "datasets/gzip_index.hpp"
#include "graph/errors.hpp"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace graphtx {

namespace {
constexpr std::size_t kChunk = 256 * 1024;
gzFile as_gz(void* f) { return static_cast<gzFile>(f); }
// The first line of a file loses a UTF-8 byte-order mark.
void skip_bom(std::string_view& line) {
  if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
}
}  // namespace

GzipLineReader::GzipLineReader(std::string path) : path_(std::move(path)), buffer_(kChunk) {
  file_ = gzopen(path_.c_str(), "rb");
  if (file_ == nullptr) throw InputError(path_, 0, "cannot open file: " + std::string(std::strerror(errno)));
  gzbuffer(as_gz(file_), kChunk);
}

GzipLineReader::GzipLineReader(std::shared_ptr<const GzipIndex> index)
    : path_(index->path()), indexed_(std::make_unique<GzipIndexedStream>(std::move(index))), buffer_(kChunk) {}

GzipLineReader::~GzipLineReader() {
  if (file_ != nullptr) gzclose_r(as_gz(file_));
}

void GzipLineReader::fail(const std::string& message) const { fail_at(line_number_, message); }

void GzipLineReader::fail_at(std::int64_t line, const std::string& message) const {
  throw InputError(path_, line, message);
}

bool GzipLineReader::refill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  const auto room = static_cast<unsigned>(buffer_.size() - end_);
  if (indexed_) {
    const std::size_t got = indexed_->read(buffer_.data() + end_, room);
    end_ += got;
    eof_ = got == 0;
    return got > 0;
  }
  const int got = gzread(as_gz(file_), buffer_.data() + end_, room);
  if (got <= 0) {
    // At the end zlib reports Z_BUF_ERROR if the input stopped inside a gzip stream.
    int code = Z_OK;
    const char* what = gzerror(as_gz(file_), &code);
    if (code == Z_BUF_ERROR) fail_at(line_number_ + 1, "truncated gzip stream (unexpected end of file)");
    if (code != Z_OK || got < 0) fail_at(line_number_ + 1, "corrupt gzip stream (" + std::string(what) + ")");
    eof_ = true;
    return false;
  }
  end_ += static_cast<std::size_t>(got);
  return true;
}

bool GzipLineReader::next(std::string_view& line) {
  std::size_t scanned = begin_;
  for (;;) {
    const void* hit = std::memchr(buffer_.data() + scanned, '\n', end_ - scanned);
    if (hit != nullptr) {
      const auto stop = static_cast<std::size_t>(static_cast<const char*>(hit) - buffer_.data());
      line = std::string_view(buffer_.data() + begin_, stop - begin_);
      if (offset_ == 0) skip_bom(line);
      offset_ += static_cast<std::int64_t>(stop + 1 - begin_);
      begin_ = stop + 1;
      ++line_number_;
      return true;
    }
    const std::size_t consumed = end_ - begin_;
    if (!refill()) break;
    scanned = begin_ + consumed;
  }
  if (begin_ == end_) return false;
  line = std::string_view(buffer_.data() + begin_, end_ - begin_);  // last line without '\n'
  if (offset_ == 0) skip_bom(line);
  offset_ += static_cast<std::int64_t>(end_ - begin_);
  begin_ = end_;
  ++line_number_;
  return true;
}

void GzipLineReader::seek(std::int64_t offset, std::int64_t line_number) {
  if (offset == offset_) {
    line_number_ = line_number;
    return;
  }
  const std::int64_t buffered_start = offset_ - static_cast<std::int64_t>(begin_);
  if (offset > offset_ && offset <= offset_ + static_cast<std::int64_t>(end_ - begin_)) {
    begin_ += static_cast<std::size_t>(offset - offset_);  // still inside the buffer
  } else if (offset >= buffered_start && offset < offset_) {
    begin_ -= static_cast<std::size_t>(offset_ - offset);
  } else if (indexed_) {
    indexed_->seek(offset);
    begin_ = end_ = 0;
    eof_ = false;
  } else {
    gzclearerr(as_gz(file_));
    if (gzseek(as_gz(file_), static_cast<z_off_t>(offset), SEEK_SET) < 0)
      fail_at(line_number, "cannot seek to uncompressed offset " + std::to_string(offset));
    begin_ = end_ = 0;
    eof_ = false;
  }
  offset_ = offset;
  line_number_ = line_number;
}

}  // namespace graphtx
