#include "layers/batched_graph.hpp"
#include "layers/graph_transformer.hpp"
#include "layers/heads.hpp"
#include "random_batches.hpp"

#include <catch2/catch.hpp>

using namespace graphtx;
using namespace graphtx::testing;

TEST_CASE("edge head: W1 h_i + W2 h_j + W3 e_ij, sparse and dense agree", "[layers]") {
  torch::manual_seed(40);
  EdgeHead head(EdgeHeadOptions(6, 3, 2));
  const RandomBatch b = random_batch({4, 3}, 0.5, 6, 3);
  const torch::Tensor out = head(b.x, b.edge_index, b.edge_attr);
  CHECK(out.sizes() == torch::IntArrayRef({b.edge_index.size(1), 2}));
  const int64_t m = 0;
  const int64_t j = b.edge_index[0][m].item<int64_t>(), i = b.edge_index[1][m].item<int64_t>();
  const torch::Tensor expected = torch::matmul(head->receiver->weight, b.x[i]) + head->receiver->bias +
                                 torch::matmul(head->sender->weight, b.x[j]) +
                                 torch::matmul(head->edge->weight, b.edge_attr[m]);
  CHECK(torch::allclose(out[m], expected, 1e-5, 1e-6));
  const auto [nodes, mask] = to_dense(b.x, b.ptr);
  const torch::Tensor edges = to_dense_pairs(b.edge_attr, b.edge_index, b.ptr).first;
  CHECK(torch::allclose(from_dense_pairs(head->forward_dense(nodes, edges), b.edge_index, b.ptr), out, 1e-5, 1e-6));
  // Direction matters: swapping i and j changes the score.
  CHECK((head(b.x, reversed_edges(b.edge_index), b.edge_attr) - out).abs().max().item<double>() > 1e-4);
  CHECK_THROWS_AS(head(b.x, b.edge_index), UsageError);
}

TEST_CASE("graph readout: mean, sum, max and virtual node against loops, invariant to node order", "[layers]") {
  torch::manual_seed(41);
  const torch::Tensor ptr = torch::tensor({0, 3, 3, 7}, torch::kInt64);  // graph 1 is empty
  const torch::Tensor h = torch::randn({7, 4});
  const torch::Tensor perm = permutation_within_graphs(ptr);
  for (Pooling pooling : {Pooling::kMean, Pooling::kSum, Pooling::kMax, Pooling::kVirtualNode}) {
    GraphReadout readout(GraphReadoutOptions().pooling(pooling));
    const torch::Tensor out = readout(h, ptr);
    CHECK(out.sizes() == torch::IntArrayRef({3, 4}));
    CHECK(out[1].abs().sum().item<double>() == 0.0);
    for (int64_t g : {0, 2}) {
      const torch::Tensor rows = h.slice(0, ptr[g].item<int64_t>(), ptr[g + 1].item<int64_t>());
      torch::Tensor expected;
      switch (pooling) {
        case Pooling::kMean: expected = rows.mean(0); break;
        case Pooling::kSum: expected = rows.sum(0); break;
        case Pooling::kMax: expected = std::get<0>(rows.max(0)); break;
        case Pooling::kVirtualNode: expected = rows[0]; break;
      }
      CHECK(torch::allclose(out[g], expected, 1e-5, 1e-6));
    }
    if (pooling != Pooling::kVirtualNode) CHECK(torch::allclose(readout(h.index_select(0, perm), ptr), out, 1e-5, 1e-6));
  }
}

TEST_CASE("code2 head: five classifiers give [B, 5, vocab]", "[layers]") {
  torch::manual_seed(42);
  Code2Head head(Code2HeadOptions(8, 11));
  const torch::Tensor g = torch::randn({3, 8});
  const torch::Tensor logits = head(g);
  CHECK(logits.sizes() == torch::IntArrayRef({3, 5, 11}));
  for (int64_t p = 0; p < 5; ++p)
    CHECK(torch::allclose(logits.select(1, p), head->classifiers[static_cast<size_t>(p)]->as<Linear>()->forward(g)));
  (logits * torch::randn_like(logits)).sum().backward();
  CHECK(parameters_without_gradient(*head).empty());
  CHECK(head->parameters().size() == 10u);
}

namespace {

struct TinyClassifier : torch::nn::Module {
  TinyClassifier() {
    embed = register_module("embed", torch::nn::Linear(8, 32));
    for (int l = 0; l < 2; ++l)
      layers.push_back(register_module("layer" + std::to_string(l),
                                       GraphTransformerLayer(GraphTransformerLayerOptions(32).heads(4))));
    readout = register_module("readout", GraphReadout(GraphReadoutOptions().pooling(Pooling::kMean)));
    classify = register_module("classify", torch::nn::Linear(32, 2));
  }
  torch::Tensor forward(const RandomBatch& b) {
    torch::Tensor h = embed(b.x);
    for (auto& layer : layers) h = layer(h, b.edge_index).first;
    return classify(readout(h, b.ptr));
  }
  torch::nn::Linear embed{nullptr}, classify{nullptr};
  std::vector<GraphTransformerLayer> layers;
  GraphReadout readout{nullptr};
};

}  // namespace

TEST_CASE("a graph transformer with a mean readout overfits 32 graphs", "[layers]") {
  torch::manual_seed(43);
  std::vector<int64_t> sizes;
  for (int g = 0; g < 32; ++g) sizes.push_back(4 + g % 7);
  const RandomBatch b = random_batch(sizes, 0.3, 8, 1);
  const torch::Tensor labels = torch::randint(0, 2, {32}, torch::kInt64);
  TinyClassifier model;
  torch::optim::Adam optimizer(model.parameters(), torch::optim::AdamOptions(3e-3));
  double accuracy = 0;
  for (int step = 0; step < 400 && accuracy <= 0.99; ++step) {
    optimizer.zero_grad();
    const torch::Tensor logits = model.forward(b);
    torch::nn::functional::cross_entropy(logits, labels).backward();
    optimizer.step();
    accuracy = logits.argmax(1).eq(labels).to(torch::kFloat64).mean().item<double>();
  }
  const torch::Tensor final_logits = model.forward(b);
  CHECK(final_logits.argmax(1).eq(labels).to(torch::kFloat64).mean().item<double>() > 0.99);
}
