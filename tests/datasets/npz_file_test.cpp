#include "datasets/npy_header.hpp"
#include "datasets/npz_file.hpp"
#include "graph/errors.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace graphtx;

namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("graphtx_npz_" + name)).string();
}

std::vector<NamedArray> sample_arrays() {
  return {NamedArray::from("ptr", DType::Int64, {3}, std::vector<std::int64_t>{0, 2, 5}),
          NamedArray::from("lap.vec", DType::Float32, {5, 2}, std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9, -10.5f}),
          NamedArray::from("lap.mask", DType::Bool, {2, 2}, std::vector<char>{1, 0, 1, 1}),
          NamedArray::from("x", DType::Float64, {0, 4}, std::vector<double>{})};
}

}  // namespace

TEST_CASE("npy header is the NumPy v1.0 layout padded to 64 bytes", "[datasets]") {
  const std::string h = npy_header(DType::Float32, {5, 2});
  CHECK(h.size() % 64 == 0);
  CHECK(h.substr(0, 8) == std::string("\x93NUMPY\x01\x00", 8));
  CHECK(h.find("{'descr': '<f4', 'fortran_order': False, 'shape': (5, 2), }") == 10);
  CHECK(h.back() == '\n');
  CHECK(npy_header(DType::Int64, {3}).find("'shape': (3,), }") != std::string::npos);
  CHECK(npy_header(DType::Bool, {}).find("'shape': (), }") != std::string::npos);
}

TEST_CASE("npy header parser: written headers read back, bad headers name the file", "[datasets]") {
  for (const auto& shape : std::vector<std::vector<std::int64_t>>{{}, {7}, {3, 0, 2}}) {
    std::istringstream in(npy_header(DType::Int64, shape));
    const NpyHeader h = read_npy_header(in, "x.npy");
    CHECK(h.dtype == DType::Int64);
    CHECK(h.shape == shape);
    CHECK(h.header_bytes % 64 == 0);
  }
  auto parse = [](const std::string& dict) {
    std::string bytes("\x93NUMPY\x01\x00", 8);
    bytes += static_cast<char>(dict.size());
    bytes += '\0';
    std::istringstream in(bytes + dict);
    return read_npy_header(in, "bad.npy");
  };
  CHECK(parse("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }").data_bytes() == 48);
  CHECK_THROWS_WITH(parse("{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000000000, 100), }"),
                    Catch::Contains("bad.npy: npy header: shape") && Catch::Contains("too large"));
  CHECK_THROWS_WITH(parse("{'descr': '<f8', 'fortran_order': True, 'shape': (2,), }"), Catch::Contains("Fortran-order"));
  CHECK_THROWS_WITH(parse("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }"), Catch::Contains("unsupported npy dtype"));
  CHECK_THROWS_WITH(parse("{'descr': '<f8', 'fortran_order': False, 'shape': (-2,), }"), Catch::Contains("bad extent '-2'"));
  std::istringstream garbage("GIF89a....");
  CHECK_THROWS_WITH(read_npy_header(garbage, "g.npy"), "g.npy: not a .npy array (bad magic)");
}

TEST_CASE("npz round trip, reproducible bytes, and NumPy reads it", "[datasets]") {
  const std::string a = temp_path("a.npz"), b = temp_path("b.npz");
  write_npz(a, sample_arrays());
  write_npz(b, sample_arrays());
  CHECK_FALSE(std::filesystem::exists(a + ".tmp"));
  auto slurp = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  CHECK(slurp(a) == slurp(b));

  const auto back = read_npz(a);
  const auto want = sample_arrays();
  REQUIRE(back.size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    CHECK(back[i].name == want[i].name);
    CHECK(back[i].dtype == want[i].dtype);
    CHECK(back[i].shape == want[i].shape);
    CHECK(back[i].bytes == want[i].bytes);
  }

  const std::string cmd = "/usr/bin/python3 -c \"import numpy as np; d = np.load('" + a +
                          "'); assert d['ptr'].tolist() == [0, 2, 5]; assert d['lap.vec'].dtype == np.float32; "
                          "assert d['lap.vec'][4, 1] == -10.5; assert d['lap.mask'].tolist() == [[True, False], [True, True]]; "
                          "assert d['x'].shape == (0, 4)\"";
  CHECK(std::system(cmd.c_str()) == 0);
  std::remove(a.c_str());
  std::remove(b.c_str());
}

TEST_CASE("an uncommitted npz writer leaves no file", "[datasets]") {
  const std::string p = temp_path("partial.npz");
  {
    NpzWriter w(p);
    w.begin("x", DType::Float64, {4});
    const double v[2] = {1, 2};
    w.write(reinterpret_cast<const char*>(v), sizeof v);
    CHECK_THROWS_AS(w.end(), UsageError);
  }
  CHECK_FALSE(std::filesystem::exists(p));
  CHECK_FALSE(std::filesystem::exists(p + ".tmp"));
}

TEST_CASE("a truncated npz is an InputError naming the file", "[datasets]") {
  const std::string p = temp_path("trunc.npz");
  write_npz(p, sample_arrays());
  std::filesystem::resize_file(p, 200);
  try {
    read_npz(p);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), Catch::Contains(p));
  }
  std::remove(p.c_str());
}
