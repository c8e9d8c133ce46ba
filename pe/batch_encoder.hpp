// encode_graphs: every encoding spec for every graph, in parallel with oneTBB (one task per
// graph; each task computes the specs in order). results[g][s] is spec s of graph g; results
// are placed by index and do not depend on the thread count. Cost: the sum of the per-graph
// costs over `threads` workers; memory: all results plus the working set of the running tasks.
#pragma once

#include "pe/encoding_registry.hpp"

#include <vector>

namespace graphtx {

struct BatchEncodeOptions {
  int threads = 0;  // worker threads (0 = oneTBB's default, all cores)
  EncodingLimits limits;
};

// Errors: the error of the lowest failing graph index is rethrown (same type), its message
// prefixed with "graph G, encoding LABEL: ". Duplicate labels are a UsageError.
std::vector<std::vector<EncodingResult>> encode_graphs(const std::vector<Graph>& graphs,
                                                      const std::vector<EncodingSpec>& specs,
                                                      const BatchEncodeOptions& options = {});

}  // namespace graphtx
