#include "datasets/gzip_index.hpp"
#include "datasets/gzip_line_reader.hpp"
#include "graph/errors.hpp"
#include "tests/datasets/dataset_test_util.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace graphtx;
using graphtx_test::error_text;

namespace {

std::string numbers(int from, int to) {
  std::string text;
  for (int i = from; i < to; ++i) text += std::to_string(i) + "," + std::to_string((i * 7919) % 100003) + "\n";
  return text;
}

std::string read_at(GzipIndexedStream& stream, std::int64_t offset, std::size_t length) {
  stream.seek(offset);
  std::string out(length, '\0');
  std::size_t have = 0;
  while (have < length) {
    const std::size_t got = stream.read(out.data() + have, length - have);
    if (got == 0) break;
    have += got;
  }
  out.resize(have);
  return out;
}

}  // namespace

TEST_CASE("GzipIndex: reads from random offsets equal the decompressed text", "[datasets]") {
  graphtx_test::TempDir tmp;
  const std::string text = numbers(0, 200000);  // ~2.4 MB
  graphtx_test::write_gz(tmp / "n.gz", text);
  const auto index = GzipIndex::build(tmp / "n.gz", 64 * 1024);
  CHECK(index->uncompressed_size() == static_cast<std::int64_t>(text.size()));
  CHECK(index->points().size() > 20);
  GzipIndexedStream stream(index);
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 40; ++trial) {
    const auto offset = static_cast<std::int64_t>(rng() % text.size());
    const std::size_t length = 1 + rng() % 5000;
    REQUIRE(read_at(stream, offset, length) == text.substr(static_cast<size_t>(offset), length));
  }
  CHECK(read_at(stream, static_cast<std::int64_t>(text.size()) - 3, 10) == text.substr(text.size() - 3));
  CHECK_THROWS_AS(stream.seek(static_cast<std::int64_t>(text.size()) + 1), InputError);
}

TEST_CASE("GzipIndex: multi-member files (concatenated gzip) are read across member boundaries", "[datasets]") {
  graphtx_test::TempDir tmp;
  const std::string a = numbers(0, 60000), b = numbers(60000, 90000), c = numbers(90000, 150000);
  graphtx_test::write_gz(tmp / "a.gz", a);
  graphtx_test::write_gz(tmp / "b.gz", b);
  graphtx_test::write_gz(tmp / "c.gz", c);
  graphtx_test::write_bytes(tmp / "abc.gz", graphtx_test::read_bytes(tmp / "a.gz") + graphtx_test::read_bytes(tmp / "b.gz") +
                                                graphtx_test::read_bytes(tmp / "c.gz"));
  const std::string text = a + b + c;
  const auto index = GzipIndex::build(tmp / "abc.gz", 100 * 1024);
  CHECK(index->uncompressed_size() == static_cast<std::int64_t>(text.size()));
  GzipIndexedStream stream(index);
  for (std::int64_t offset : {std::int64_t{0}, static_cast<std::int64_t>(a.size()) - 100,
                              static_cast<std::int64_t>(a.size() + b.size()) - 7, static_cast<std::int64_t>(a.size()) + 5})
    REQUIRE(read_at(stream, offset, 300000) == text.substr(static_cast<size_t>(offset), 300000));
  // the line reader through the index agrees with the sequential one
  GzipLineReader indexed(index), plain(tmp / "abc.gz");
  std::string_view x, y;
  while (plain.next(y)) {
    REQUIRE(indexed.next(x));
    REQUIRE(x == y);
  }
  CHECK_FALSE(indexed.next(x));
  indexed.seek(static_cast<std::int64_t>(a.size()), 60000);
  REQUIRE(indexed.next(x));
  CHECK(x == "60000," + std::to_string((60000 * 7919) % 100003));
  CHECK(indexed.line_number() == 60001);
}

TEST_CASE("GzipIndex: truncated and corrupt files are InputErrors naming the file", "[datasets]") {
  graphtx_test::TempDir tmp;
  graphtx_test::write_gz(tmp / "n.gz", numbers(0, 50000));
  const std::string bytes = graphtx_test::read_bytes(tmp / "n.gz");
  graphtx_test::write_bytes(tmp / "cut.gz", bytes.substr(0, bytes.size() / 2));
  CHECK(error_text<InputError>([&] { GzipIndex::build(tmp / "cut.gz"); }) == (tmp / "cut.gz") + ": truncated gzip stream (unexpected end of file)");
  std::string broken = bytes;
  for (std::size_t i = 100; i < 400; ++i) broken[i] = static_cast<char>(broken[i] ^ 0x5a);
  graphtx_test::write_bytes(tmp / "bad.gz", broken);
  CHECK(error_text<InputError>([&] { GzipIndex::build(tmp / "bad.gz"); }).find((tmp / "bad.gz") + ": corrupt gzip stream") == 0);
  const std::string sequential = error_text<InputError>([&] {
    GzipLineReader reader(tmp / "bad.gz");
    std::string_view line;
    while (reader.next(line)) {
    }
  });
  CHECK(sequential.find(tmp / "bad.gz") == 0);
  CHECK(sequential.find("corrupt gzip stream") != std::string::npos);
}
