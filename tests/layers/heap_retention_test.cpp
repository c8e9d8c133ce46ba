#include "layers/heap_retention.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <malloc.h>

using namespace graphtx;

TEST_CASE("retain_freed_heap_memory: an 8 MiB block comes from the heap and stays there when freed", "[layers]") {
  retain_freed_heap_memory();
  constexpr size_t kBytes = 8 << 20;
  const size_t mapped_before = mallinfo2().hblkhd;
  void* block = std::malloc(kBytes);
  REQUIRE(block != nullptr);
  std::memset(block, 1, kBytes);
  CHECK(mallinfo2().hblkhd == mapped_before);  // not a separate mmap
  std::free(block);
  CHECK(mallinfo2().fordblks >= kBytes);  // kept as free heap, not trimmed
}
