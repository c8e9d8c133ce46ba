#include "layers/runtime_info.hpp"

#include <torch/version.h>

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

}  // namespace graphtx
