#include "datasets/npz_file.hpp"

#include "datasets/npy_header.hpp"

#include "graph/errors.hpp"

#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <limits>

namespace graphtx {

namespace {

constexpr std::uint16_t kZip64Version = 45;
constexpr std::uint16_t kDosDate1980 = 33;  // 1980-01-01: fixed timestamps make output reproducible

void put16(std::string& s, std::uint16_t v) {
  s += static_cast<char>(v & 0xff);
  s += static_cast<char>(v >> 8);
}
void put32(std::string& s, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s += static_cast<char>((v >> (8 * i)) & 0xff);
}
void put64(std::string& s, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) s += static_cast<char>((v >> (8 * i)) & 0xff);
}
std::uint64_t get(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

NpzWriter::NpzWriter(std::string path) : path_(std::move(path)), tmp_path_(path_ + ".tmp") {
  out_.open(tmp_path_, std::ios::binary | std::ios::trunc);
  if (!out_) throw InputError(tmp_path_ + ": cannot open for writing");
}

NpzWriter::~NpzWriter() {
  if (!committed_) {
    out_.close();
    std::remove(tmp_path_.c_str());
  }
}

void NpzWriter::begin(const std::string& name, DType dtype, const std::vector<std::int64_t>& shape) {
  if (open_member_) throw UsageError("NpzWriter: begin() before end() of the previous member");
  const std::string header = npy_header(dtype, shape);
  std::uint64_t numel = 1;
  for (auto d : shape) numel *= static_cast<std::uint64_t>(d);
  const std::uint64_t size = header.size() + numel * dtype_size(dtype);
  const std::string file_name = name + ".npy";
  std::string local;
  put32(local, 0x04034b50);
  put16(local, kZip64Version);
  put16(local, 0);  // flags
  put16(local, 0);  // stored
  put16(local, 0);  // time
  put16(local, kDosDate1980);
  put32(local, 0);  // crc, patched in end()
  put32(local, 0xffffffffu);
  put32(local, 0xffffffffu);
  put16(local, static_cast<std::uint16_t>(file_name.size()));
  put16(local, 20);
  local += file_name;
  put16(local, 0x0001);
  put16(local, 16);
  put64(local, size);
  put64(local, size);
  members_.push_back({file_name, static_cast<std::uint64_t>(out_.tellp()), size, 0});
  out_.write(local.data(), static_cast<std::streamsize>(local.size()));
  expected_ = size;
  written_ = 0;
  crc_ = static_cast<std::uint32_t>(crc32(0L, Z_NULL, 0));
  open_member_ = true;
  write(header.data(), header.size());
}

void NpzWriter::write(const char* data, std::size_t size) {
  if (!open_member_) throw UsageError("NpzWriter: write() outside a member");
  if (written_ + size > expected_) throw UsageError("NpzWriter: member '" + members_.back().name + "' gets more bytes than its shape");
  const auto* bytes = reinterpret_cast<const Bytef*>(data);
  for (std::size_t done = 0; done < size;) {
    const auto step = static_cast<uInt>(std::min<std::size_t>(size - done, std::numeric_limits<uInt>::max()));
    crc_ = static_cast<std::uint32_t>(crc32(crc_, bytes + done, step));
    done += step;
  }
  out_.write(data, static_cast<std::streamsize>(size));
  written_ += size;
}

void NpzWriter::end() {
  if (!open_member_ || written_ != expected_)
    throw UsageError("NpzWriter: member '" + members_.back().name + "' ended after " + std::to_string(written_) +
                     " of " + std::to_string(expected_) + " bytes");
  members_.back().crc = crc_;
  const auto here = out_.tellp();
  std::string crc;
  put32(crc, crc_);
  out_.seekp(static_cast<std::streamoff>(members_.back().offset + 14));
  out_.write(crc.data(), 4);
  out_.seekp(here);
  open_member_ = false;
}

void NpzWriter::add(const NamedArray& array) {
  begin(array.name, array.dtype, array.shape);
  write(array.bytes.data(), array.bytes.size());
  end();
}

void NpzWriter::commit() {
  if (open_member_) throw UsageError("NpzWriter: commit() with an open member");
  const std::uint64_t cd_offset = static_cast<std::uint64_t>(out_.tellp());
  std::string cd;
  for (const Member& m : members_) {
    put32(cd, 0x02014b50);
    put16(cd, kZip64Version);
    put16(cd, kZip64Version);
    put16(cd, 0);
    put16(cd, 0);
    put16(cd, 0);
    put16(cd, kDosDate1980);
    put32(cd, m.crc);
    put32(cd, 0xffffffffu);
    put32(cd, 0xffffffffu);
    put16(cd, static_cast<std::uint16_t>(m.name.size()));
    put16(cd, 28);
    put16(cd, 0);  // comment
    put16(cd, 0);  // disk
    put16(cd, 0);  // internal attributes
    put32(cd, 0);  // external attributes
    put32(cd, 0xffffffffu);
    cd += m.name;
    put16(cd, 0x0001);
    put16(cd, 24);
    put64(cd, m.size);
    put64(cd, m.size);
    put64(cd, m.offset);
  }
  const std::uint64_t eocd64_offset = cd_offset + cd.size();
  put32(cd, 0x06064b50);
  put64(cd, 44);
  put16(cd, kZip64Version);
  put16(cd, kZip64Version);
  put32(cd, 0);
  put32(cd, 0);
  put64(cd, members_.size());
  put64(cd, members_.size());
  put64(cd, eocd64_offset - cd_offset);
  put64(cd, cd_offset);
  put32(cd, 0x07064b50);
  put32(cd, 0);
  put64(cd, eocd64_offset);
  put32(cd, 1);
  put32(cd, 0x06054b50);
  put16(cd, 0);
  put16(cd, 0);
  put16(cd, 0xffff);
  put16(cd, 0xffff);
  put32(cd, 0xffffffffu);
  put32(cd, 0xffffffffu);
  put16(cd, 0);
  out_.write(cd.data(), static_cast<std::streamsize>(cd.size()));
  out_.close();
  if (!out_) throw InputError(tmp_path_ + ": write failed (disk full?)");
  std::filesystem::rename(tmp_path_, path_);
  committed_ = true;
}

void write_npz(const std::string& path, const std::vector<NamedArray>& arrays) {
  NpzWriter w(path);
  for (const NamedArray& a : arrays) w.add(a);
  w.commit();
}

NpzReader::NpzReader(std::string path) : path_(std::move(path)), in_(path_, std::ios::binary) {
  if (!in_) throw InputError(path_ + ": cannot open");
  in_.seekg(0, std::ios::end);
  const auto file_size = static_cast<std::uint64_t>(in_.tellg());
  std::uint64_t pos = 0;
  unsigned char h[30];
  while (pos + 4 <= file_size) {
    in_.seekg(static_cast<std::streamoff>(pos));
    in_.read(reinterpret_cast<char*>(h), 4);
    if (get(h, 4) != 0x04034b50) break;
    in_.read(reinterpret_cast<char*>(h) + 4, 26);
    if (!in_) throw InputError(path_ + ": truncated zip member header at byte " + std::to_string(pos));
    if (get(h + 8, 2) != 0) throw InputError(path_ + ": compressed .npz members are not supported (write with numpy.savez)");
    const auto name_len = get(h + 26, 2), extra_len = get(h + 28, 2);
    std::string name(name_len, '\0'), extra(extra_len, '\0');
    in_.read(name.data(), static_cast<std::streamsize>(name_len));
    in_.read(extra.data(), static_cast<std::streamsize>(extra_len));
    std::uint64_t size = get(h + 22, 4);
    if (size == 0xffffffffu) {
      const auto* e = reinterpret_cast<const unsigned char*>(extra.data());
      for (std::size_t i = 0; i + 4 <= extra.size();) {
        const auto id = get(e + i, 2), len = get(e + i + 2, 2);
        if (id == 0x0001 && len >= 8) size = get(e + i + 4, 8);
        i += 4 + len;
      }
    }
    const std::uint64_t data = pos + 30 + name_len + extra_len;
    if (data + size > file_size) throw InputError(path_ + ": member '" + name + "' is truncated");
    in_.seekg(static_cast<std::streamoff>(data));
    Entry entry;
    entry.name = name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0 ? name.substr(0, name.size() - 4) : name;
    const NpyHeader header = read_npy_header(in_, path_ + " (member '" + name + "')");
    if (header.header_bytes > size) throw InputError(path_ + ": member '" + name + "' is truncated");
    entry.dtype = header.dtype;
    entry.shape = header.shape;
    entry.data_offset = data + header.header_bytes;
    entry.data_size = size - header.header_bytes;
    if (header.data_bytes() != entry.data_size)
      throw InputError(path_ + ": member '" + name + "' has " + std::to_string(entry.data_size) + " data bytes, its shape needs " +
                       std::to_string(header.data_bytes()));
    entries_.push_back(std::move(entry));
    pos = data + size;
  }
  if (entries_.empty()) throw InputError(path_ + ": not an .npz file written by graphtx (no stored members)");
}

bool NpzReader::contains(const std::string& name) const {
  for (const Entry& e : entries_)
    if (e.name == name) return true;
  return false;
}

const NpzReader::Entry& NpzReader::entry(const std::string& name) const {
  for (const Entry& e : entries_)
    if (e.name == name) return e;
  throw InputError(path_ + ": no array '" + name + "'");
}

void NpzReader::read_bytes(const Entry& e, std::uint64_t offset, std::uint64_t size, char* out) {
  if (offset + size > e.data_size) throw UsageError("NpzReader: read past the end of '" + e.name + "'");
  in_.clear();
  in_.seekg(static_cast<std::streamoff>(e.data_offset + offset));
  in_.read(out, static_cast<std::streamsize>(size));
  if (!in_) throw InputError(path_ + ": read failed in '" + e.name + "'");
}

NamedArray NpzReader::read(const std::string& name) {
  const Entry& e = entry(name);
  NamedArray a{e.name, e.dtype, e.shape, std::vector<char>(e.data_size)};
  if (e.data_size > 0) read_bytes(e, 0, e.data_size, a.bytes.data());
  return a;
}

std::vector<NamedArray> read_npz(const std::string& path) {
  NpzReader reader(path);
  std::vector<NamedArray> out;
  for (const auto& e : reader.entries()) out.push_back(reader.read(e.name));
  return out;
}

}  // namespace graphtx
