// The text of `graphtx --version`: graphtx, LibTorch, Eigen, Spectra, oneTBB and Boost versions
// and the BLAS library actually loaded into the process.
#pragma once

#include <string>

namespace graphtx::cli {

std::string version_report();

}  // namespace graphtx::cli
