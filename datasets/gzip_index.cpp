#include "datasets/gzip_index.hpp"

#include "graph/errors.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace graphtx {

namespace {

constexpr unsigned kWindow = 32768;
constexpr std::size_t kInput = 64 * 1024;

struct File {
  explicit File(const std::string& path) : f(std::fopen(path.c_str(), "rb")) {
    if (f == nullptr) throw InputError(path, 0, "cannot open file: " + std::string(std::strerror(errno)));
  }
  ~File() { std::fclose(f); }
  std::FILE* f;
};

struct Inflater {
  explicit Inflater(int window_bits) {
    if (inflateInit2(&z, window_bits) != Z_OK) throw std::bad_alloc();
  }
  ~Inflater() { inflateEnd(&z); }
  z_stream z{};
};

}  // namespace

std::shared_ptr<const GzipIndex> GzipIndex::build(const std::string& path, std::int64_t span) {
  auto index = std::make_shared<GzipIndex>();
  index->path_ = path;
  File file(path);
  Inflater inf(47);  // gzip or zlib header, detected
  z_stream& z = inf.z;
  std::vector<unsigned char> input(kInput), window(kWindow);
  std::int64_t total_in = 0, total_out = 0, last = 0;
  bool member_start = true;
  int ret = Z_OK;
  z.avail_out = 0;
  for (;;) {
    if (z.avail_in == 0) {
      z.avail_in = static_cast<unsigned>(std::fread(input.data(), 1, input.size(), file.f));
      z.next_in = input.data();
      if (z.avail_in == 0) {
        if (ret == Z_STREAM_END) break;
        throw InputError(path, 0, "truncated gzip stream (unexpected end of file)");
      }
    }
    if (ret == Z_STREAM_END) {  // another member follows
      inflateReset(&z);
      member_start = true;
    }
    if (z.avail_out == 0) {
      z.avail_out = kWindow;
      z.next_out = window.data();
    }
    total_in += z.avail_in;
    total_out += z.avail_out;
    ret = inflate(&z, Z_BLOCK);
    total_in -= z.avail_in;
    total_out -= z.avail_out;
    if (ret == Z_NEED_DICT || ret == Z_DATA_ERROR || ret == Z_MEM_ERROR)
      throw InputError(path, 0, "corrupt gzip stream (" + std::string(z.msg ? z.msg : "inflate error") + ")");
    if (ret == Z_STREAM_END) continue;
    const bool block_boundary = (z.data_type & 128) && !(z.data_type & 64);
    if (block_boundary && (member_start || total_out - last > span)) {
      Point p;
      p.out = total_out;
      p.in = total_in;
      p.bits = z.data_type & 7;
      p.member_start = member_start;
      if (!member_start) {
        p.window.resize(kWindow);
        const unsigned left = z.avail_out;
        if (left) std::memcpy(p.window.data(), window.data() + kWindow - left, left);
        if (left < kWindow) std::memcpy(p.window.data() + left, window.data(), kWindow - left);
      }
      index->points_.push_back(std::move(p));
      last = total_out;
      member_start = false;
    }
  }
  index->size_ = total_out;
  if (index->points_.empty()) index->points_.push_back(Point{0, 0, 0, true, {}});
  return index;
}

const GzipIndex::Point& GzipIndex::point_before(std::int64_t offset) const {
  auto it = std::upper_bound(points_.begin(), points_.end(), offset,
                             [](std::int64_t value, const Point& p) { return value < p.out; });
  return it == points_.begin() ? points_.front() : *(it - 1);
}

GzipIndexedStream::GzipIndexedStream(std::shared_ptr<const GzipIndex> index)
    : index_(std::move(index)), input_(kInput) {
  file_ = std::fopen(index_->path().c_str(), "rb");
  if (file_ == nullptr) fail("cannot open file: " + std::string(std::strerror(errno)));
  auto* z = new z_stream{};
  if (inflateInit2(z, -15) != Z_OK) {
    delete z;
    std::fclose(file_);
    throw std::bad_alloc();
  }
  stream_ = z;
  seek(0);
}

GzipIndexedStream::~GzipIndexedStream() {
  auto* z = static_cast<z_stream*>(stream_);
  inflateEnd(z);
  delete z;
  std::fclose(file_);
}

void GzipIndexedStream::fail(const std::string& message) const { throw InputError(index_->path(), 0, message); }

bool GzipIndexedStream::fill_input() {
  auto* z = static_cast<z_stream*>(stream_);
  z->avail_in = static_cast<unsigned>(std::fread(input_.data(), 1, input_.size(), file_));
  z->next_in = input_.data();
  return z->avail_in > 0;
}

void GzipIndexedStream::seek(std::int64_t offset) {
  if (offset < 0 || offset > index_->uncompressed_size())
    fail("seek to " + std::to_string(offset) + " outside the " + std::to_string(index_->uncompressed_size()) + " bytes of data");
  auto* z = static_cast<z_stream*>(stream_);
  const GzipIndex::Point& p = index_->point_before(offset);
  inflateReset2(z, -15);
  z->avail_in = 0;
  if (std::fseek(file_, static_cast<long>(p.in - (p.bits ? 1 : 0)), SEEK_SET) != 0) fail("cannot seek in the compressed file");
  if (p.bits) {
    const int byte = std::getc(file_);
    if (byte == EOF) fail("truncated gzip stream (unexpected end of file)");
    inflatePrime(z, p.bits, byte >> (8 - p.bits));
  }
  if (!p.window.empty()) inflateSetDictionary(z, p.window.data(), kWindow);
  raw_member_ = true;
  ended_ = false;
  offset_ = p.out;
  char discard[16384];
  while (offset_ < offset) {
    const auto want = static_cast<std::size_t>(std::min<std::int64_t>(offset - offset_, sizeof discard));
    if (read(discard, want) == 0) fail("data ends before offset " + std::to_string(offset));
  }
}

std::size_t GzipIndexedStream::read(char* out, std::size_t length) {
  auto* z = static_cast<z_stream*>(stream_);
  z->next_out = reinterpret_cast<unsigned char*>(out);
  z->avail_out = static_cast<unsigned>(length);
  while (z->avail_out > 0 && !ended_) {
    if (z->avail_in == 0 && !fill_input()) fail("truncated gzip stream (unexpected end of file)");
    const int ret = inflate(z, Z_NO_FLUSH);
    if (ret == Z_NEED_DICT || ret == Z_DATA_ERROR || ret == Z_MEM_ERROR)
      fail("corrupt gzip stream (" + std::string(z->msg ? z->msg : "inflate error") + ")");
    if (ret != Z_STREAM_END) continue;
    if (raw_member_) {  // skip the 8-byte trailer, then continue in gzip mode for further members
      for (int skipped = 0; skipped < 8; ++skipped) {
        if (z->avail_in == 0 && !fill_input()) fail("truncated gzip stream (missing trailer)");
        ++z->next_in;
        --z->avail_in;
      }
      raw_member_ = false;
    }
    if (z->avail_in == 0 && !fill_input()) {
      ended_ = true;
      break;
    }
    inflateReset2(z, 31);
  }
  const std::size_t got = length - z->avail_out;
  offset_ += static_cast<std::int64_t>(got);
  return got;
}

}  // namespace graphtx
