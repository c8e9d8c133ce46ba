// Facts about the LibTorch runtime this build uses: its version, its intra-op thread count and
// the BLAS shared library actually mapped into the process (reference BLAS is ~30x slower than
// OpenBLAS for matrix products). Cheap: reads /proc/self/maps once per call.
#pragma once

#include <string>

namespace graphtx {

std::string torch_version();
// Resolved path of the loaded BLAS library (e.g. ".../openblas-pthread/libblas.so.3"), or
// "none loaded" when no BLAS is mapped.
std::string loaded_blas_library();

}  // namespace graphtx
