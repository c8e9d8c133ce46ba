#include "apps/version.hpp"

#include "layers/runtime_info.hpp"

#include <Eigen/Core>
#include <Spectra/Util/Version.h>
#include <boost/version.hpp>
#include <oneapi/tbb/version.h>

#include <sstream>

namespace graphtx::cli {

std::string version_report() {
  std::ostringstream out;
  out << "graphtx " << GRAPHTX_VERSION << "\n"
      << "LibTorch " << torch_version() << "\n"
      << "Eigen " << EIGEN_WORLD_VERSION << "." << EIGEN_MAJOR_VERSION << "." << EIGEN_MINOR_VERSION << "\n"
      << "Spectra " << SPECTRA_MAJOR_VERSION << "." << SPECTRA_MINOR_VERSION << "." << SPECTRA_PATCH_VERSION << "\n"
      << "oneTBB " << TBB_runtime_version() << " (headers " << TBB_VERSION_STRING << ")\n"
      << "Boost " << BOOST_VERSION / 100000 << "." << BOOST_VERSION / 100 % 1000 << "." << BOOST_VERSION % 100 << "\n"
      << "BLAS " << loaded_blas_library();
  return out.str();
}

}  // namespace graphtx::cli
