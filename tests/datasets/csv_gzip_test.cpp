#include "datasets/csv_reader.hpp"
#include "datasets/gzip_line_reader.hpp"
#include "graph/errors.hpp"
#include "tests/datasets/dataset_test_util.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace graphtx;
using graphtx_test::error_text;

namespace {
std::vector<std::vector<std::string>> read_all(const std::string& path) {
  CsvReader csv(path);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> fields;
  while (csv.next(fields)) rows.push_back(fields);
  return rows;
}
}  // namespace

TEST_CASE("GzipLineReader returns lines, numbers them and handles a missing final newline", "[datasets]") {
  graphtx_test::TempDir tmp;
  graphtx_test::write_gz(tmp / "a.gz", "first\nsecond\r\n\nlast");
  GzipLineReader reader(tmp / "a.gz");
  std::string_view line;
  std::vector<std::string> got;
  while (reader.next(line)) got.emplace_back(line);
  CHECK(got == std::vector<std::string>{"first", "second\r", "", "last"});
  CHECK(reader.line_number() == 4);
  CHECK(reader.offset() == 19);  // 6 + 8 + 1 + 4 bytes
  reader.seek(6, 1);  // back to "second"
  REQUIRE(reader.next(line));
  CHECK(line == "second\r");
  CHECK(reader.line_number() == 2);
}

TEST_CASE("GzipLineReader reads plain text files and lines longer than its buffer", "[datasets]") {
  graphtx_test::TempDir tmp;
  const std::string long_line(700000, 'x');
  graphtx_test::write_bytes(tmp / "plain.txt", "1\n" + long_line + "\n3\n");
  GzipLineReader reader(tmp / "plain.txt");
  std::string_view line;
  REQUIRE(reader.next(line));
  REQUIRE(reader.next(line));
  CHECK(line.size() == long_line.size());
  REQUIRE(reader.next(line));
  CHECK(line == "3");
  CHECK_FALSE(reader.next(line));
}

TEST_CASE("GzipLineReader reports a truncated gzip file naming it", "[datasets]") {
  graphtx_test::TempDir tmp;
  std::string content;
  for (int i = 0; i < 20000; ++i) content += std::to_string(i * 7919 % 10007) + "," + std::to_string(i) + "\n";
  graphtx_test::write_gz(tmp / "t.csv.gz", content);
  const std::string bytes = graphtx_test::read_bytes(tmp / "t.csv.gz");
  graphtx_test::write_bytes(tmp / "t.csv.gz", bytes.substr(0, bytes.size() / 2));
  const std::string what = error_text<InputError>([&] {
    GzipLineReader reader(tmp / "t.csv.gz");
    std::string_view line;
    while (reader.next(line)) {
    }
  });
  CHECK(what.find(tmp / "t.csv.gz") == 0);
  CHECK(what.find("truncated gzip") != std::string::npos);
  CHECK(error_text<InputError>([&] { GzipLineReader reader(tmp / "missing.gz"); }).find("missing.gz: cannot open") !=
        std::string::npos);
}

TEST_CASE("CsvReader follows RFC 4180 quoting, including CR, LF, quotes and NUL inside fields", "[datasets]") {
  graphtx_test::TempDir tmp;
  const std::string nul(1, '\0');
  const std::string text = std::string("idx,attr\n") + "0,plain\n" + "1,\",\"\n" + "2,\"say \"\"hi\"\"\"\n" +
                           "3,\"two\nlines\"\n" + "4,\"\r\n\"\n" + "5,\"\r\"\n" + "6,\"a" + nul + "b\"\n" + "7,\n" +
                           "8,null\r\n" + "9,nan\n" + "10,None\n";
  graphtx_test::write_gz(tmp / "m.csv.gz", text);
  const auto rows = read_all(tmp / "m.csv.gz");
  REQUIRE(rows.size() == 12);
  CHECK(rows[0] == std::vector<std::string>{"idx", "attr"});
  CHECK(rows[1][1] == "plain");
  CHECK(rows[2][1] == ",");
  CHECK(rows[3][1] == "say \"hi\"");
  CHECK(rows[4][1] == "two\nlines");
  CHECK(rows[5][1] == "\r\n");
  CHECK(rows[6][1] == "\r");
  CHECK(rows[7][1] == std::string("a") + nul + "b");
  CHECK(rows[8] == std::vector<std::string>{"7", ""});
  CHECK(rows[9][1] == "null");
  CHECK(rows[10][1] == "nan");
  CHECK(rows[11][1] == "None");
  CsvReader csv(tmp / "m.csv.gz");
  std::vector<std::string> fields;
  for (int i = 0; i < 6; ++i) csv.next(fields);
  CHECK(csv.record_line() == 7);  // record 5 starts on line 7 (record 4 spans lines 5-6)
}

TEST_CASE("CsvReader rejects an unterminated quote and text after a closing quote, naming the line", "[datasets]") {
  graphtx_test::TempDir tmp;
  graphtx_test::write_gz(tmp / "open.csv.gz", "a,b\n1,\"never closed\n2,x\n");
  CHECK(error_text<InputError>([&] { read_all(tmp / "open.csv.gz"); }).find("open.csv.gz:2: unterminated") !=
        std::string::npos);
  graphtx_test::write_gz(tmp / "junk.csv.gz", "a,b\n1,\"x\"y\n");
  CHECK(error_text<InputError>([&] { read_all(tmp / "junk.csv.gz"); }).find("junk.csv.gz:2: text after") !=
        std::string::npos);
}

TEST_CASE("The shipped code2 attribute table keeps tricky strings verbatim", "[datasets]") {
  const auto rows = read_all(std::string(GRAPHTX_DATA_DIR) + "/code2/ogbg_code2/mapping/attridx2attr.csv.gz");
  REQUIRE(rows.size() == 8381);  // header + 8,380 rows (README.txt)
  CHECK(rows[0] == std::vector<std::string>{"attr idx", "attr"});
  CHECK(rows[1 + 279][1] == ",");
  CHECK(rows[1 + 794][1] == "\"");
  CHECK(rows[1 + 4501][1] == "\r\n");
  CHECK(rows[1 + 6240][1] == "\r");
  CHECK(rows[1 + 34][1].empty());
  CHECK(rows[1 + 2256][1] == "null");
  CHECK(rows[1 + 4146][1] == "nan");
  CHECK(rows[1 + 4576][1] == "NULL");
  CHECK(rows[1 + 8378][1] == "__UNK__");
  CHECK(rows[1 + 8379][1] == "__NONE__");
  for (std::size_t i = 1; i < rows.size(); ++i) REQUIRE(rows[i][0] == std::to_string(i - 1));
}

TEST_CASE("parse_int accepts only whole integers", "[datasets]") {
  std::int64_t v = 0;
  CHECK(try_parse_int(" -42 ", v));
  CHECK(v == -42);
  CHECK(try_parse_int("7\r", v));
  CHECK(v == 7);
  CHECK_FALSE(try_parse_int("", v));
  CHECK_FALSE(try_parse_int("1.5", v));
  CHECK_FALSE(try_parse_int("12a", v));
  CHECK_FALSE(try_parse_int("99999999999999999999", v));
}
