#include "graph/errors.hpp"
#include "layers/cpu_threads.hpp"
#include "layers/runtime_info.hpp"

#include <ATen/Parallel.h>
#include <catch2/catch.hpp>

#include <string>

extern "C" int openblas_get_num_threads() __attribute__((weak));

using namespace graphtx;

TEST_CASE("set_cpu_threads sets LibTorch's pool and OpenBLAS's pool to the same count", "[layers]") {
  const bool openblas = loaded_blas_library().find("openblas") != std::string::npos;
  if (openblas) REQUIRE(openblas_get_num_threads != nullptr);
  for (const int threads : {2, 1}) {
    set_cpu_threads(threads);
    CHECK(at::get_num_threads() == threads);
    if (openblas) CHECK(openblas_get_num_threads() == threads);
  }
  CHECK_THROWS_AS(set_cpu_threads(0), UsageError);
  CHECK(at::get_num_threads() == 1);
}

TEST_CASE("the layers' fused kernels run their parallel loops on every thread set", "[layers]") {
  // Fails when graphtx_layers is compiled without OpenMP: ATen's parallel_for is then a plain loop.
  set_cpu_threads(2);
  CHECK(fused_kernel_threads() == 2);
  set_cpu_threads(1);
  CHECK(fused_kernel_threads() == 1);
}
