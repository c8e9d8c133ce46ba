// datasets/npy: .npy round trips for every dtype, byte-exact headers NumPy accepts, and clear
// InputErrors for bad magic, dtypes, Fortran order, shapes and truncation.
#include "datasets/npy.hpp"
#include "graph/errors.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

using namespace graphtx;

namespace {

std::string temp_path(const std::string& name) { return std::string(GRAPHTX_BINARY_DIR) + "/npy_test_" + name + ".npy"; }

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void spit(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

// A v1.0 file with the given dict and data bytes (header padded to 64 like NumPy's).
std::string npy_file(const std::string& dict, const std::string& data) {
  std::string d = dict;
  d += std::string((64 - (10 + d.size() + 1) % 64) % 64, ' ') + "\n";
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(d.size() & 0xff);
  out += static_cast<char>(d.size() >> 8);
  return out + d + data;
}

}  // namespace

TEST_CASE("npy round trips for float64, float32, int64 and bool", "[datasets]") {
  const std::string path = temp_path("roundtrip");
  RealMatrix m(3, 2);
  m << 1.5, -2.25, 1e-300, 3.0, -0.0, 7.0;
  write_npy(path, m);
  REQUIRE(read_npy_matrix(path) == m);
  const std::string bytes = slurp(path);
  REQUIRE(bytes.substr(0, 6) == "\x93NUMPY");
  REQUIRE((bytes.size() - 48) % 64 == 0);  // header padded to 64 bytes, then 6 doubles
  REQUIRE(bytes.find("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }") != std::string::npos);

  write_npy(path, {4}, std::vector<double>{1, 2, 3, 4.5}, DType::Float32);
  NpyArray a = read_npy(path);
  REQUIRE(a.type == DType::Float32);
  REQUIRE(a.shape == std::vector<std::int64_t>{4});
  REQUIRE(a.reals == std::vector<double>{1, 2, 3, 4.5});
  REQUIRE(read_npy_matrix(path).cols() == 1);  // 1-D -> [n, 1]
  REQUIRE(slurp(path).find("'shape': (4,)") != std::string::npos);

  write_npy(path, {2, 2}, std::vector<std::int64_t>{-1, 0, 1LL << 40, 5}, DType::Int64);
  a = read_npy(path);
  REQUIRE(a.type == DType::Int64);
  REQUIRE(a.ints == std::vector<std::int64_t>{-1, 0, 1LL << 40, 5});
  REQUIRE(read_npy_matrix(path)(1, 0) == static_cast<double>(1LL << 40));

  write_npy(path, {3}, std::vector<std::int64_t>{0, 7, 1}, DType::Bool);
  a = read_npy(path);
  REQUIRE(a.type == DType::Bool);
  REQUIRE(a.ints == std::vector<std::int64_t>{0, 1, 1});
  REQUIRE_THROWS_AS(read_npy_matrix(path), InputError);

  write_npy(path, {}, std::vector<double>{2.5});  // 0-d
  a = read_npy(path);
  REQUIRE(a.shape.empty());
  REQUIRE(a.reals == std::vector<double>{2.5});
  REQUIRE_THROWS_AS(read_npy_matrix(path), InputError);
  REQUIRE_THROWS_AS(write_npy(path, {2, 2}, std::vector<double>{1, 2, 3}), UsageError);
  std::remove(path.c_str());
}

TEST_CASE("npy reader rejects bad files with InputError naming the file", "[datasets]") {
  const std::string path = temp_path("bad");
  const std::string eight_bytes(8, '\0');
  auto require_input_error = [&](const std::string& bytes, const std::string& needle) {
    spit(path, bytes);
    try {
      read_npy(path);
      FAIL("no error for " << needle);
    } catch (const InputError& e) {
      REQUIRE(std::string(e.what()).find(path) != std::string::npos);
      REQUIRE(std::string(e.what()).find(needle) != std::string::npos);
    }
  };
  require_input_error("not numpy at all", "bad magic");
  require_input_error(npy_file("{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", eight_bytes), "dtype");
  require_input_error(npy_file("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", eight_bytes), "dtype");
  require_input_error(npy_file("{'descr': '<f8', 'fortran_order': True, 'shape': (1,), }", eight_bytes), "Fortran");
  require_input_error(npy_file("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", eight_bytes), "truncated");
  require_input_error(npy_file("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", eight_bytes + "x"), "trailing");
  require_input_error(npy_file("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", eight_bytes), "extent");
  require_input_error(npy_file("{'descr': '<f8', 'fortran_order': False}", eight_bytes), "shape");
  require_input_error(npy_file("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", "").substr(0, 20), "truncated");
  // A well-formed hand-made file reads.
  spit(path, npy_file("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }", std::string("\0\0\0\0\0\0\xf0\x3f", 8)));
  REQUIRE(read_npy_matrix(path)(0, 0) == 1.0);
  REQUIRE_THROWS_AS(read_npy(temp_path("missing")), InputError);
  std::remove(path.c_str());
}
