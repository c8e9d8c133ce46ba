// HugePageAllocator: std::allocator-compatible, for large scratch buffers touched in random row
// order (the two-pass integrator's breadth-first copies of x and y). Blocks of at least 2 MiB are
// 2 MiB-aligned and advised as transparent huge pages (Linux madvise; THP mode "madvise" or
// "always"), cutting TLB misses of random stores ~512x per byte range; smaller blocks, or other
// systems, get plain aligned memory. Cost: at most 2 MiB of padding per block.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace graphtx::ftfi {

template <class T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;

  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

  T* allocate(std::size_t count) {
    if (count > static_cast<std::size_t>(-1) / sizeof(T) - kHugePage) throw std::bad_array_new_length();
    const std::size_t bytes = count * sizeof(T);
    if (bytes < kHugePage) return static_cast<T*>(::operator new(bytes));
    const std::size_t padded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, padded);
    if (p == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(p, padded, MADV_HUGEPAGE);  // advisory: without THP the memory is simply 4 KiB pages
#endif
    return static_cast<T*>(p);
  }

  void deallocate(T* p, std::size_t count) noexcept {
    if (count * sizeof(T) < kHugePage) ::operator delete(p);
    else std::free(p);
  }

  template <class U>
  bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }
  template <class U>
  bool operator!=(const HugePageAllocator<U>&) const noexcept { return false; }
};

}  // namespace graphtx::ftfi
