#include "layers/large_block_cache.hpp"

#include <torch/torch.h>

#include <catch2/catch.hpp>  // after LibTorch: glog's CHECK must not replace Catch's

#include <cstdint>

using namespace graphtx;

TEST_CASE("large_block_cache reuses a freed 64 MiB block, keeps small tensors on malloc and respects its cap",
          "[layers]") {
  install_large_block_cache();
  constexpr int64_t kFloats = int64_t{16} << 20;  // 64 MiB
  const size_t cached_before = large_block_cache_bytes();
  void* first = nullptr;
  {
    torch::Tensor big = torch::full({kFloats}, 2.0f);
    first = big.data_ptr();
    CHECK(reinterpret_cast<std::uintptr_t>(first) % (2 << 20) == 0);  // huge-page aligned
    CHECK(big.min().item<float>() == 2.0f);  // reductions to a scalar: no large temporary
  }
  CHECK(large_block_cache_bytes() == cached_before + (size_t{64} << 20));
  {
    torch::Tensor again = torch::zeros({kFloats});  // same rounded size: the cached block, zeroed by zeros()
    CHECK(again.data_ptr() == first);
    CHECK(large_block_cache_bytes() == cached_before);
    CHECK(again.min().item<float>() == 0.0f);
    CHECK(again.max().item<float>() == 0.0f);
    torch::Tensor small = torch::ones({1000});
    CHECK(small.sum().item<double>() == 1000.0);
  }
  {
    torch::Tensor odd = torch::empty({kFloats + 1});  // rounded up to 66 MiB: a new mapping
    CHECK(odd.data_ptr() != first);
    odd.fill_(1.0f);
    CHECK(odd.min().item<float>() == 1.0f);
  }
  CHECK(large_block_cache_bytes() == cached_before + (size_t{130} << 20));
  install_large_block_cache(size_t{100} << 20);  // the oldest free block (64 MiB) goes back to the kernel
  CHECK(large_block_cache_bytes() == size_t{66} << 20);
  install_large_block_cache(0);
  CHECK(large_block_cache_bytes() == 0);
  install_large_block_cache();
}
