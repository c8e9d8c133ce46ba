#include "graph/algorithms.hpp"
#include "graph/io/edge_list.hpp"
#include "graph/transforms.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace graphtx;

namespace {

std::string snap(const std::string& name) { return std::string(GRAPHTX_DATA_DIR) + "/snap/" + name; }

}  // namespace

// Counts from data/snap/PROVENANCE.md (copied from the shared data provenance).
TEST_CASE("SNAP wiki-Vote: 7,115 nodes and 103,689 directed edges", "[graph][io][data]") {
  const EdgeListGraph r = read_edge_list(snap("wiki-Vote.txt"));
  CHECK(r.graph.directed());
  CHECK(r.graph.num_nodes() == 7115);
  CHECK(r.graph.num_edges() == 103689);
  CHECK(r.original_ids.front() == 30);  // first line: 30<TAB>1412
  CHECK(r.original_ids[1] == 1412);
}

TEST_CASE("SNAP p2p-Gnutella08: 6,301 nodes and 20,777 directed edges", "[graph][io][data]") {
  const EdgeListGraph r = read_edge_list(snap("p2p-Gnutella08.txt"));
  CHECK(r.graph.num_nodes() == 6301);
  CHECK(r.graph.num_edges() == 20777);
  CHECK(r.original_ids[0] == 1);  // first line: 1 2
  CHECK(r.original_ids[1] == 2);
}

TEST_CASE("SNAP C-elegans-frontal: 131 nodes and 764 directed edges", "[graph][io][data]") {
  const EdgeListGraph r = read_edge_list(snap("C-elegans-frontal.txt"));
  CHECK(r.graph.num_nodes() == 131);
  CHECK(r.graph.num_edges() == 764);
  CHECK(r.original_ids[0] == 11);  // first edge after the '#' header: 11 0
  CHECK(r.original_ids[1] == 0);
  // BFS on the undirected view reaches exactly the weak component of node 0.
  const Components weak = weakly_connected_components(r.graph);
  const std::vector<Index> hops = bfs_distances(to_undirected(r.graph), 0);
  for (Index u = 0; u < r.graph.num_nodes(); ++u) CHECK((hops[u] >= 0) == (weak.label[u] == weak.label[0]));
}
