#include "layers/large_block_cache.hpp"

#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>
#include <sys/mman.h>

#include <cstdint>
#include <mutex>
#include <new>
#include <vector>

namespace graphtx {

namespace {

constexpr size_t kLargeBlock = size_t{32} << 20;
constexpr size_t kHugePage = size_t{2} << 20;

struct Block {
  void* data;
  size_t bytes;
};

class LargeBlockCache final : public c10::Allocator {
 public:
  static LargeBlockCache& instance() {
    static auto* cache = new LargeBlockCache();  // never destroyed: tensors may be freed at exit
    return *cache;
  }

  c10::DataPtr allocate(size_t n) const override {
    if (n < kLargeBlock) {
      void* data = c10::alloc_cpu(n);
      return {data, data, &free_small, c10::Device(c10::DeviceType::CPU)};
    }
    const size_t bytes = (n + kHugePage - 1) / kHugePage * kHugePage;
    void* data = take_cached(bytes);
    if (data == nullptr) data = map(bytes);  // may throw bad_alloc: nothing is owned yet
    return {data, new Block{data, bytes}, &free_large, c10::Device(c10::DeviceType::CPU)};
  }

  void set_cap(size_t bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    max_cached_ = bytes;
    evict();
  }

  size_t cached_bytes() {
    std::lock_guard<std::mutex> lock(mutex_);
    return cached_bytes_;
  }

 private:
  static void free_small(void* data) { c10::free_cpu(data); }

  static void free_large(void* context) {
    auto* block = static_cast<Block*>(context);
    instance().give_back(*block);
    delete block;
  }

  // A 2 MiB-aligned mapping of bytes (a multiple of 2 MiB), advised as huge pages.
  static void* map(size_t bytes) {
    void* raw = mmap(nullptr, bytes + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t aligned = (start + kHugePage - 1) / kHugePage * kHugePage;
    if (aligned > start) munmap(raw, aligned - start);
    munmap(reinterpret_cast<void*>(aligned + bytes), start + kHugePage - aligned);  // the tail, never empty
    void* data = reinterpret_cast<void*>(aligned);
    madvise(data, bytes, MADV_HUGEPAGE);
    return data;
  }

  void* take_cached(size_t bytes) const {
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = cached_.size(); i-- > 0;) {  // the most recently freed first: its pages are warm
      if (cached_[i].bytes == bytes) {
        void* data = cached_[i].data;
        cached_.erase(cached_.begin() + static_cast<std::ptrdiff_t>(i));
        cached_bytes_ -= bytes;
        return data;
      }
    }
    return nullptr;
  }

  void give_back(const Block& block) {
    std::lock_guard<std::mutex> lock(mutex_);
    cached_.push_back(block);
    cached_bytes_ += block.bytes;
    evict();
  }

  // Unmaps the oldest free blocks while above the cap; the mutex is held.
  void evict() const {
    size_t drop = 0;
    while (drop < cached_.size() && cached_bytes_ > max_cached_) {
      munmap(cached_[drop].data, cached_[drop].bytes);
      cached_bytes_ -= cached_[drop].bytes;
      ++drop;
    }
    cached_.erase(cached_.begin(), cached_.begin() + static_cast<std::ptrdiff_t>(drop));
  }

  mutable std::mutex mutex_;
  mutable std::vector<Block> cached_;
  mutable size_t cached_bytes_ = 0;
  size_t max_cached_ = 0;
};

}  // namespace

void install_large_block_cache(size_t max_cached_bytes) {
  LargeBlockCache& cache = LargeBlockCache::instance();
  cache.set_cap(max_cached_bytes);
  c10::SetCPUAllocator(&cache, /*priority=*/1);
}

size_t large_block_cache_bytes() { return LargeBlockCache::instance().cached_bytes(); }

}  // namespace graphtx
