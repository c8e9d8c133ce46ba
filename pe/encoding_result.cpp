#include "pe/encoding_result.hpp"

#include "graph/errors.hpp"

#include <cmath>

namespace graphtx {

namespace {

template <class M>
void check_block(const M& m, const std::string& what, const char* block) {
  for (Index i = 0; i < m.size(); ++i)
    if (!std::isfinite(m.data()[i]))
      throw NumericalError(what + ": non-finite value in block '" + block + "' at flat index " + std::to_string(i));
}

}  // namespace

void check_finite(const EncodingResult& r, const std::string& what) {
  check_block(r.node, what, "node");
  check_block(r.values, what, "values");
  check_block(r.pair_values, what, "pair_values");
  if (!std::isfinite(r.max_residual)) throw NumericalError(what + ": non-finite eigen-residual");
}

}  // namespace graphtx
