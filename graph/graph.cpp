#include "graph/graph.hpp"

#include <algorithm>
#include <utility>

namespace graphtx {

Index Graph::num_self_loops() const {
  Index loops = 0;
  for (size_t e = 0; e < src_.size(); ++e) loops += (src_[e] == dst_[e]);
  return loops;
}

Index Graph::num_multi_edges() const {
  std::vector<std::pair<Index, Index>> pairs(src_.size());
  for (size_t e = 0; e < src_.size(); ++e) {
    Index a = src_[e], b = dst_[e];
    if (!directed_ && a > b) std::swap(a, b);
    pairs[e] = {a, b};
  }
  std::sort(pairs.begin(), pairs.end());
  Index repeats = 0;
  for (size_t i = 1; i < pairs.size(); ++i) repeats += (pairs[i] == pairs[i - 1]);
  return repeats;
}

}  // namespace graphtx
