// retain_freed_heap_memory: keep memory freed by one training step for the next. glibc returns
// large freed blocks to the kernel (mmap'd tensors above a threshold, heap tops above another), so
// every step faults the same tens of MB back in, zero-filled page by page (~7,000 page faults and
// 10-25 % of a GPS layer's step on one core). Fixing both thresholds keeps them in the heap.
// Cost: the process keeps up to its peak heap resident, and up to 4 GiB of freed large blocks.
#pragma once

namespace graphtx {

// Process-wide (glibc mallopt); idempotent. Tensors of 32 MiB and more (above glibc's largest mmap
// threshold) go to the LargeBlockCache allocator it installs (layers/large_block_cache.hpp).
void retain_freed_heap_memory();

}  // namespace graphtx
