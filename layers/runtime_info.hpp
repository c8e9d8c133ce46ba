// Facts about the LibTorch runtime this build uses: its version, the BLAS shared library actually
// mapped into the process (reference BLAS is ~30x slower than OpenBLAS for matrix products) and the
// threads the layers' own parallel loops really run on. Cheap: reads /proc/self/maps once per call,
// or runs one empty parallel loop.
#pragma once

#include <string>

namespace graphtx {

std::string torch_version();
// Resolved path of the loaded BLAS library (e.g. ".../openblas-pthread/libblas.so.3"), or
// "none loaded" when no BLAS is mapped.
std::string loaded_blas_library();
// Threads that run the chunks of one of graphtx's ATen parallel loops (the fused layer kernels) at
// the current at::get_num_threads(): that count when the library was compiled with OpenMP, 1 if not.
int fused_kernel_threads();

}  // namespace graphtx
