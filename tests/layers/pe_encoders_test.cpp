#include "layers/pe_encoders.hpp"
#include "random_batches.hpp"

#include <catch2/catch.hpp>

using namespace graphtx;
using namespace graphtx::testing;

namespace {

// Spectral PE inputs for graphs of the given sizes with k slots; slots >= n are padding.
struct SpectralInputs {
  torch::Tensor vecs, vals, mask, batch, ptr;
};

SpectralInputs spectral_inputs(const std::vector<int64_t>& sizes, int64_t k, bool complex,
                               torch::ScalarType dtype = torch::kFloat32) {
  const RandomBatch b = random_batch(sizes, 0.0, 1, 1, dtype);
  const int64_t n = b.x.size(0), graphs = static_cast<int64_t>(sizes.size());
  torch::Tensor mask = torch::zeros({graphs, k}, torch::kBool);
  for (int64_t g = 0; g < graphs; ++g) mask[g].slice(0, 0, std::min(k, sizes[static_cast<size_t>(g)])).fill_(true);
  const auto opts = torch::TensorOptions().dtype(dtype);
  torch::Tensor vecs = complex ? torch::randn({n, k, 2}, opts) : torch::randn({n, k}, opts);
  torch::Tensor vals = torch::rand({graphs, k}, opts) * 2;
  // Padded slots hold zeros, as the pe/ writers produce them.
  const torch::Tensor node_mask = mask.index_select(0, b.batch);
  vecs = complex ? vecs * node_mask.unsqueeze(-1) : vecs * node_mask;
  return {vecs, vals * mask, mask, b.batch, b.ptr};
}

}  // namespace

TEST_CASE("LapPE encoder: sign invariance, eigenvector-order invariance, masking", "[layers]") {
  torch::manual_seed(30);
  LapPEEncoder enc(LapPEEncoderOptions(4, 8).hidden(16));
  enc->eval();
  const SpectralInputs in = spectral_inputs({3, 5, 1}, 4, false);
  const torch::Tensor out = enc(in.vecs, in.vals, in.mask, in.batch);
  CHECK(out.sizes() == torch::IntArrayRef({9, 8}));
  torch::Tensor flipped = in.vecs.clone();
  flipped.slice(0, 3, 8).select(1, 2).neg_();  // eigenvector 2 of graph 1
  CHECK(torch::allclose(enc(flipped, in.vals, in.mask, in.batch), out, 1e-5, 1e-6));
  const torch::Tensor order = torch::tensor({2, 0, 3, 1}, torch::kInt64);
  CHECK(torch::allclose(enc(in.vecs.index_select(1, order), in.vals.index_select(1, order),
                            in.mask.index_select(1, order), in.batch),
                        out, 1e-5, 1e-6));
  // Whatever sits in padded slots is ignored.
  const torch::Tensor pad = in.mask.index_select(0, in.batch).logical_not();
  CHECK(torch::allclose(enc(in.vecs.masked_fill(pad, 9.0), in.vals.masked_fill(in.mask.logical_not(), 5.0), in.mask,
                            in.batch),
                        out, 1e-5, 1e-6));

  LapPEEncoder plain(LapPEEncoderOptions(4, 8).hidden(16).sign_invariant(false));
  plain->eval();
  const torch::Tensor plain_out = plain(in.vecs, in.vals, in.mask, in.batch);
  CHECK((plain(flipped, in.vals, in.mask, in.batch) - plain_out).abs().max().item<double>() > 1e-4);
  CHECK(torch::allclose(plain(in.vecs, in.vals, in.mask, in.batch), plain_out));  // eval: no random flips
  plain->train();
  bool changed = false;
  for (int trial = 0; trial < 5 && !changed; ++trial)
    changed = (plain(in.vecs, in.vals, in.mask, in.batch) - plain_out).abs().max().item<double>() > 1e-4;
  CHECK(changed);
}

TEST_CASE("PE encoders are permutation equivariant over nodes", "[layers]") {
  torch::manual_seed(31);
  const SpectralInputs real = spectral_inputs({4, 6}, 5, false);
  const SpectralInputs complex = spectral_inputs({4, 6}, 5, true);
  const torch::Tensor perm = permutation_within_graphs(real.ptr);
  LapPEEncoder lap(LapPEEncoderOptions(5, 8));
  MagLapPEEncoder maglap(MagLapPEEncoderOptions(5, 8).attention(true));
  lap->eval();
  const torch::Tensor a = lap(real.vecs, real.vals, real.mask, real.batch);
  CHECK(torch::allclose(lap(real.vecs.index_select(0, perm), real.vals, real.mask, real.batch), a.index_select(0, perm),
                        1e-5, 1e-6));
  const torch::Tensor m = maglap(complex.vecs, complex.vals, complex.mask, complex.batch);
  CHECK(torch::allclose(maglap(complex.vecs.index_select(0, perm), complex.vals, complex.mask, complex.batch),
                        m.index_select(0, perm), 1e-5, 1e-6));
}

TEST_CASE("MagLapPE encoder: masked eigenvectors are ignored, with and without attention", "[layers]") {
  torch::manual_seed(32);
  for (bool attention : {false, true}) {
    MagLapPEEncoder enc(MagLapPEEncoderOptions(4, 8).attention(attention));
    const SpectralInputs in = spectral_inputs({1, 3, 6}, 4, true);
    const torch::Tensor out = enc(in.vecs, in.vals, in.mask, in.batch);
    CHECK(out.sizes() == torch::IntArrayRef({10, 8}));
    CHECK(torch::isfinite(out).all().item<bool>());
    const torch::Tensor pad = in.mask.index_select(0, in.batch).logical_not().unsqueeze(-1);
    const torch::Tensor garbage = in.vecs.masked_fill(pad, -4.0);
    CHECK(torch::allclose(enc(garbage, in.vals.masked_fill(in.mask.logical_not(), 3.0), in.mask, in.batch), out,
                          1e-5, 1e-6));
    // A real eigenvector does matter.
    torch::Tensor changed = in.vecs.clone();
    changed.slice(0, 4, 10).select(1, 0).mul_(-2.0);
    CHECK((enc(changed, in.vals, in.mask, in.batch) - out).slice(0, 4, 10).abs().max().item<double>() > 1e-4);
    // A graph whose every slot is masked still gives finite features.
    CHECK(torch::isfinite(enc(in.vecs, in.vals, torch::zeros_like(in.mask), in.batch)).all().item<bool>());
  }
}

TEST_CASE("PE encoders: gradients reach every parameter and match finite differences", "[layers]") {
  torch::manual_seed(33);
  LapPEEncoder lap(LapPEEncoderOptions(3, 4).hidden(5));
  MagLapPEEncoder maglap(MagLapPEEncoderOptions(3, 4).token_dim(4).attention(true));
  lap->to(torch::kFloat64);
  maglap->to(torch::kFloat64);
  lap->eval();
  SpectralInputs real = spectral_inputs({2, 3}, 3, false, torch::kFloat64);
  SpectralInputs complex = spectral_inputs({2, 3}, 3, true, torch::kFloat64);
  real.vecs.requires_grad_();
  complex.vecs.requires_grad_();
  const torch::Tensor w = torch::randn({5, 4}, torch::kFloat64);
  CHECK(gradient_error([&] { return (lap(real.vecs, real.vals, real.mask, real.batch) * w).sum(); }, real.vecs) < 1e-6);
  CHECK(gradient_error([&] { return (maglap(complex.vecs, complex.vals, complex.mask, complex.batch) * w).sum(); },
                       complex.vecs) < 1e-6);
  CHECK(parameters_without_gradient(*lap).empty());
  CHECK(parameters_without_gradient(*maglap).empty());

  RWSEEncoder rw(RWSEEncoderOptions(6, 4).mlp(true));
  RRWPEncoder rrwp(RWSEEncoderOptions(6, 4));
  const torch::Tensor steps = torch::rand({7, 6});
  const auto [node, pair] = rrwp(steps, torch::rand({11, 6}));
  (rw(steps).sum() + node.sum() + pair.sum()).backward();
  CHECK(parameters_without_gradient(*rw).empty());
  CHECK(parameters_without_gradient(*rrwp).empty());
  CHECK(pair.sizes() == torch::IntArrayRef({11, 4}));
  RWSEEncoder linear(RWSEEncoderOptions(6, 4));
  const auto& layer = linear->net[0]->as<torch::nn::Linear>();
  CHECK(torch::allclose(linear(steps), torch::matmul(steps, layer->weight.t()) + layer->bias));
  CHECK_THROWS_AS(linear(torch::rand({7, 5})), UsageError);
}

TEST_CASE("MagLapPE encoder: sqrt_n scales each graph's entries by the square root of its node count", "[layers]") {
  torch::manual_seed(34);
  MagLapPEEncoder scaled(MagLapPEEncoderOptions(4, 8).sqrt_n(true));
  MagLapPEEncoder plain(MagLapPEEncoderOptions(4, 8));
  {
    torch::NoGradGuard guard;
    const auto source = scaled->named_parameters();
    for (auto& p : plain->named_parameters()) p.value().copy_(source[p.key()]);
  }
  const SpectralInputs in = spectral_inputs({1, 4, 9}, 4, true);
  // Graph sizes 1, 4, 9: factors 1, 2, 3 per node.
  const torch::Tensor factor = torch::tensor({1.f, 2.f, 2.f, 2.f, 2.f, 3.f, 3.f, 3.f, 3.f, 3.f, 3.f, 3.f, 3.f, 3.f});
  CHECK(torch::allclose(scaled(in.vecs, in.vals, in.mask, in.batch),
                        plain(in.vecs * factor.view({14, 1, 1}), in.vals, in.mask, in.batch), 1e-5, 1e-6));
  CHECK((scaled(in.vecs, in.vals, in.mask, in.batch) - plain(in.vecs, in.vals, in.mask, in.batch)).abs().max().item<double>() > 1e-4);
}
