#include "layers/cpu_threads.hpp"

#include "graph/errors.hpp"

#include <ATen/Parallel.h>

#include <string>

// Defined by OpenBLAS when it is the libblas.so.3 LibTorch loaded; null otherwise.
extern "C" void openblas_set_num_threads(int threads) __attribute__((weak));

namespace graphtx {

void set_cpu_threads(int threads) {
  if (threads < 1) throw UsageError("thread count must be at least 1, got " + std::to_string(threads));
  at::set_num_threads(threads);
  if (openblas_set_num_threads != nullptr) openblas_set_num_threads(threads);
}

}  // namespace graphtx
