// Fuzz entry: CsvReader over GzipLineReader (the input is a file: gzip or plain text), then the
// integer field parser on every field.
#include "datasets/csv_reader.hpp"
#include "tests/fuzz/fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace graphtx;
  static const auto dir = fuzz::scratch_dir("csv");
  const auto path = dir / "input.csv.gz";
  fuzz::write_file(path, std::string(fuzz::as_text(data, size)));
  fuzz::expect_clean([&] {
    CsvReader csv(path.string());
    std::vector<std::string> fields;
    std::int64_t value = 0;
    while (csv.next(fields))
      for (const std::string& field : fields) try_parse_int(field, value);
  });
  return 0;
}
