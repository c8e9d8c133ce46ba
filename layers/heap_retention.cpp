#include "layers/heap_retention.hpp"

#include "layers/large_block_cache.hpp"

#include <malloc.h>

namespace graphtx {

void retain_freed_heap_memory() {
  constexpr int kMmapThreshold = 32 << 20;  // glibc's maximum on 64-bit
  constexpr int kTrimThreshold = 1 << 30;
  mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  mallopt(M_TRIM_THRESHOLD, kTrimThreshold);
  install_large_block_cache();
}

}  // namespace graphtx
