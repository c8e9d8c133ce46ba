// LargeBlockCache: LibTorch's CPU allocator with a cache of freed blocks of at least 32 MiB (glibc's
// largest mmap threshold: without it every such tensor is mmapped, faulted in and zeroed page by page,
// and unmapped again each step; 55 % of a Relational Transformer step went to those page faults).
// Large blocks are rounded up to 2 MiB, 2 MiB-aligned and advised as transparent huge pages; a freed
// block is kept for the next request of the same rounded size, up to max_cached_bytes of free blocks
// (the oldest are unmapped first). Smaller requests go to c10's alloc_cpu. Thread-safe (one mutex).
#pragma once

#include <cstddef>

namespace graphtx {

// Installs the allocator for all later CPU tensors, process-wide; later calls only change the cap.
void install_large_block_cache(size_t max_cached_bytes = size_t{4} << 30);

// Bytes held in freed, cached blocks (0 before install).
size_t large_block_cache_bytes();

}  // namespace graphtx
