// NumPy .npz files (a zip of .npy members, as numpy.savez writes): a streaming writer and a
// reader of the stored (uncompressed) members graphtx writes. ZIP64 is always used, so members
// and files may exceed 4 GiB; writing needs O(1) memory beyond the caller's buffers.
// Files are written to PATH.tmp and renamed on commit(), so a crash never leaves a complete-
// looking PATH. Timestamps are fixed, so equal arrays give bitwise-equal files.
#pragma once

#include "datasets/named_array.hpp"

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace graphtx {

class NpzWriter {
 public:
  explicit NpzWriter(std::string path);
  ~NpzWriter();  // an uncommitted writer deletes its temporary file
  NpzWriter(const NpzWriter&) = delete;
  NpzWriter& operator=(const NpzWriter&) = delete;

  // One member: begin(), then exactly product(shape) * dtype_size bytes in any number of
  // write() calls, then end().
  void begin(const std::string& name, DType dtype, const std::vector<std::int64_t>& shape);
  void write(const char* data, std::size_t size);
  void end();
  void add(const NamedArray& array);

  // Writes the central directory, flushes, and renames PATH.tmp to PATH.
  void commit();

 private:
  struct Member {
    std::string name;
    std::uint64_t offset, size;
    std::uint32_t crc;
  };
  std::string path_, tmp_path_;
  std::ofstream out_;
  std::vector<Member> members_;
  std::uint64_t expected_ = 0, written_ = 0;
  std::uint32_t crc_ = 0;
  bool open_member_ = false, committed_ = false;
};

void write_npz(const std::string& path, const std::vector<NamedArray>& arrays);

// Reader of stored .npz members (graphtx's own files; compressed members are an InputError).
class NpzReader {
 public:
  struct Entry {
    std::string name;  // without ".npy"
    DType dtype;
    std::vector<std::int64_t> shape;
    std::uint64_t data_offset, data_size;
  };

  explicit NpzReader(std::string path);
  const std::vector<Entry>& entries() const { return entries_; }
  bool contains(const std::string& name) const;
  const Entry& entry(const std::string& name) const;
  NamedArray read(const std::string& name);
  // Reads bytes [offset, offset + size) of a member's data into `out`.
  void read_bytes(const Entry& e, std::uint64_t offset, std::uint64_t size, char* out);

 private:
  std::string path_;
  std::ifstream in_;
  std::vector<Entry> entries_;
};

std::vector<NamedArray> read_npz(const std::string& path);

}  // namespace graphtx
