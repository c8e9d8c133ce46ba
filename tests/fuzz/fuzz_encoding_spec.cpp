// Fuzz entry: the PE spec grammar (parse_encoding_spec); an accepted spec must round-trip
// through its canonical text.
#include "pe/encoding_spec.hpp"
#include "tests/fuzz/fuzz_util.hpp"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace graphtx;
  const std::string text(fuzz::as_text(data, size));
  fuzz::expect_clean([&] {
    const EncodingSpec spec = parse_encoding_spec(text);
    if (parse_encoding_spec(to_string(spec)) != spec) throw std::logic_error("spec does not round-trip: " + text);
  });
  return 0;
}
