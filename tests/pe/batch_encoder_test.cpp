#include "graph/errors.hpp"
#include "graph/graph_builder.hpp"
#include "pe/batch_encoder.hpp"
#include "pe/laplacian_pe.hpp"
#include "pe/magnetic_laplacian_pe.hpp"
#include "pe/rwse.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <random>

using namespace graphtx;
using Catch::Contains;

namespace {

std::vector<Graph> random_graphs(int count, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<Graph> graphs;
  for (int i = 0; i < count; ++i) {
    const Index n = 1 + static_cast<Index>(rng() % 60);
    std::uniform_int_distribution<Index> node(0, n - 1);
    GraphBuilder b(n, i % 3 != 0);
    for (Index e = 0; e < 2 * n; ++e) b.add_edge(node(rng), node(rng));
    graphs.push_back(b.build());
  }
  return graphs;
}

template <class M>
bool same_bits(const M& a, const M& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         (a.size() == 0 || std::memcmp(a.data(), b.data(), sizeof(typename M::Scalar) * static_cast<size_t>(a.size())) == 0);
}

bool same_bits(const EncodingResult& a, const EncodingResult& b) {
  return same_bits(a.node, b.node) && same_bits(a.values, b.values) && a.mask == b.mask && same_bits(a.pairs, b.pairs) &&
         same_bits(a.pair_values, b.pair_values) && a.node_dims == b.node_dims;
}

}  // namespace

TEST_CASE("encode_graphs is bitwise independent of the thread count", "[pe][batch]") {
  const std::vector<Graph> graphs = random_graphs(40, 1);
  const std::vector<EncodingSpec> specs = parse_encoding_specs(
      {"rwse:K=8", "drw:K=3", "rrwp:K=4,pairs=all", "spd:max=5,pairs=all", "lap:k=8", "maglap:k=6,q=0.1"});
  BatchEncodeOptions one, two;
  one.threads = 1;
  two.threads = 2;
  const auto a = encode_graphs(graphs, specs, one);
  const auto b = encode_graphs(graphs, specs, two);
  REQUIRE(a.size() == graphs.size());
  for (size_t g = 0; g < graphs.size(); ++g) {
    REQUIRE(a[g].size() == specs.size());
    REQUIRE(b[g].size() == specs.size());
    for (size_t s = 0; s < specs.size(); ++s) {
      INFO("graph " << g << ", spec " << specs[s].label);
      CHECK(same_bits(a[g][s], b[g][s]));
      CHECK(a[g][s].node.rows() == graphs[g].num_nodes());
    }
  }
}

TEST_CASE("encode_graphs places results by index and matches the direct functions", "[pe][batch]") {
  const std::vector<Graph> graphs = random_graphs(12, 2);
  const auto results = encode_graphs(graphs, parse_encoding_specs({"rwse:K=5", "lap:k=4,norm=comb", "mag=maglap:k=3"}));
  for (size_t g = 0; g < graphs.size(); ++g) {
    RwseOptions r;
    r.num_steps = 5;
    CHECK(same_bits(results[g][0], rwse(graphs[g], r)));
    LaplacianPEOptions l;
    l.k = 4;
    l.norm = LaplacianNorm::Combinatorial;
    const EncodingResult lap = laplacian_pe(graphs[g], l);
    CHECK(same_bits(results[g][1].values, lap.values));
    CHECK(results[g][1].mask == lap.mask);
    CHECK(results[g][1].node.cols() == 4);
    MagneticLaplacianPEOptions m;
    m.k = 3;
    CHECK(same_bits(results[g][2].values, magnetic_laplacian_pe(graphs[g], m).values));
    CHECK(results[g][2].node_dims == std::vector<Index>{3, 2});
  }
}

TEST_CASE("encode_graphs reports the first failing graph and refuses duplicate labels", "[pe][batch]") {
  std::vector<Graph> graphs = random_graphs(6, 3);
  for (const size_t g : {2, 4}) {
    GraphBuilder big(200, true);
    big.add_edge(0, 1);
    graphs[g] = big.build();
  }
  BatchEncodeOptions options;
  options.limits.max_pair_bytes = 1 << 20;  // 200^2 pairs x 3 x 8 bytes = 960 kB fits, x 4 does not
  const auto ok = encode_graphs(graphs, parse_encoding_specs({"spd:pairs=all"}), options);
  CHECK(ok[2][0].pairs.rows() == 40000);
  CHECK_THROWS_WITH(encode_graphs(graphs, parse_encoding_specs({"rrwp:K=2,pairs=all"}), options),
                    Contains("graph 2, encoding rrwp: rrwp: pairs=all") && Contains("limit"));
  CHECK_THROWS_AS(encode_graphs(graphs, parse_encoding_specs({"rrwp:K=2,pairs=all"}), options), UsageError);
  const EncodingSpec rw = parse_encoding_spec("rwse");
  CHECK_THROWS_WITH(encode_graphs(graphs, {rw, rw}), Contains("used twice"));
  options.threads = -1;
  CHECK_THROWS_AS(encode_graphs(graphs, {rw}, options), UsageError);
  CHECK(encode_graphs({}, {rw}).empty());
}
