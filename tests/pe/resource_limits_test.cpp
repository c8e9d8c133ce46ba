// Resource limits of the encodings: an all-pairs pair encoding of a code2-sized graph (36k nodes)
// beyond EncodingLimits::max_pair_bytes is a clear UsageError naming the sizes, raised before
// anything is allocated (peak RSS unchanged), and the limit is exact and configurable.
#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"
#include "pe/batch_encoder.hpp"
#include "pe/sparse_pair_set.hpp"

#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <random>

using namespace graphtx;
using Catch::Contains;

namespace {

// An AST-like directed tree (parent -> child): node v > 0 hangs below a recent node, so depth
// grows slowly and fan-out varies, as in code2 graphs.
Graph ast_like_tree(Index n, unsigned seed) {
  std::mt19937 rng(seed);
  GraphBuilder b(n, true);
  for (Index v = 1; v < n; ++v) {
    std::uniform_int_distribution<Index> back(1, std::min<Index>(v, 12));
    b.add_edge(v - back(rng), v);
  }
  return b.build();
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // kilobytes on Linux
}

std::vector<EncodingResult> encode_one(const Graph& g, const std::vector<std::string>& specs,
                                       std::uint64_t max_pair_bytes = kDefaultMaxPairBytes) {
  BatchEncodeOptions options;
  options.threads = 1;
  options.limits.max_pair_bytes = max_pair_bytes;
  return encode_graphs({g}, parse_encoding_specs(specs), options).front();
}

}  // namespace

TEST_CASE("Resource limits: all-pairs encodings beyond max_pair_bytes are refused with the sizes", "[pe][limits]") {
  const Graph g = ast_like_tree(36000, 3);
  for (const char* spec : {"spd:pairs=all", "rrwp:K=4,pairs=all", "drw:K=3,pairs=all"}) {
    INFO(spec);
    const double before = peak_rss_mib();
    CHECK_THROWS_AS(encode_one(g, {spec}), UsageError);
    CHECK_THROWS_WITH(encode_one(g, {spec}), Contains("pairs=all on a graph of 36000 nodes needs about"));
    CHECK(peak_rss_mib() - before < 64.0);  // refused before allocating the pairs
  }
  // The limit is configurable: a 30-node graph fits 30^2 * (2 + 1) * 8 = 21600 bytes, not one less.
  const Graph small = ast_like_tree(30, 5);
  CHECK(encode_one(small, {"spd:pairs=all"}, 21600).front().pairs.rows() == 900);
  CHECK_THROWS_AS(encode_one(small, {"spd:pairs=all"}, 21599), UsageError);
}
