#include "layers/runtime_info.hpp"

#include <ATen/Parallel.h>
#include <torch/version.h>

#include <atomic>
#include <bitset>
#include <cstdint>
#include <fstream>
#include <sstream>

namespace graphtx {

std::string torch_version() { return TORCH_VERSION; }

std::string loaded_blas_library() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    const auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    const std::string path = line.substr(slash);
    const auto base = path.substr(path.rfind('/') + 1);
    if (base.find("blas") != std::string::npos || base.find("mkl_rt") != std::string::npos) return path;
  }
  return "none loaded";
}

int fused_kernel_threads() {
  std::atomic<uint64_t> seen{0};
  at::parallel_for(0, 1024, 1, [&](int64_t, int64_t) { seen.fetch_or(uint64_t{1} << (at::get_thread_num() % 64)); });
  return static_cast<int>(std::bitset<64>(seen.load()).count());
}

}  // namespace graphtx
