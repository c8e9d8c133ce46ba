// graphtx integrate --graph FILE --field X.npy --f SPEC --out Y.npy [--tree auto|mst|bfs]
//   [--trees K] [--seed S] [--undirected] [--method auto|two-pass|separator]
//   [--kernel auto|dense|lowrank|fft] [--leaf-size L] [--check]
// Tree-field integration Y_i = Σ_j f(dist_T(i, j)) X_j on a spanning forest T of the graph
// (averaged over K trees when K > 1). X, Y: float64 .npy [n, d] (1-D = d 1), row i = node i of
// the graph as read (read_graph's node order). --check also runs brute force if n² fits.
#include "apps/command.hpp"
#include "datasets/npy.hpp"
#include "graph/errors.hpp"
#include "graph/io/read_graph.hpp"
#include "pe/ftfi/brute_force.hpp"
#include "pe/ftfi/spanning_tree.hpp"
#include "pe/ftfi/tree_field_integrator.hpp"

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

namespace graphtx::cli {
namespace {

struct IntegrateArgs {
  std::string graph, field, f, out, tree = "auto", method = "auto", kernel = "auto";
  Index trees = 1, leaf_size = 64;
  std::uint64_t seed = 0;
  bool undirected = false, check = false;
};

constexpr double kBruteForceBytes = 4.0 * (1ull << 30);  // --check runs brute force up to 4 GiB of f(D)

ftfi::IntegrationMethod parse_method(const std::string& s) {
  if (s == "auto") return ftfi::IntegrationMethod::Auto;
  if (s == "two-pass") return ftfi::IntegrationMethod::TwoPass;
  if (s == "separator") return ftfi::IntegrationMethod::SeparatorTree;
  throw UsageError("--method '" + s + "': expected auto, two-pass or separator");
}

ftfi::CrossKernel parse_kernel(const std::string& s) {
  if (s == "auto") return ftfi::CrossKernel::Auto;
  if (s == "dense") return ftfi::CrossKernel::Dense;
  if (s == "lowrank") return ftfi::CrossKernel::LowRank;
  if (s == "fft") return ftfi::CrossKernel::Fft;
  throw UsageError("--kernel '" + s + "': expected auto, dense, lowrank or fft");
}

void run(const IntegrateArgs& a) {
  const ftfi::FieldFunction f = ftfi::parse_field_function(a.f);
  ftfi::IntegratorOptions options;
  options.method = parse_method(a.method);
  options.kernel = parse_kernel(a.kernel);
  options.leaf_size = a.leaf_size;
  if (a.trees < 1) throw UsageError("--trees must be >= 1");

  ReadOptions read_options;
  read_options.undirected = a.undirected;
  const LoadedGraph loaded = read_graph(a.graph, read_options);
  const Index n = loaded.graph.num_nodes();
  const RealMatrix x = read_npy_matrix(a.field);
  if (x.rows() != n)
    throw InputError(a.field, 0, "field has " + std::to_string(x.rows()) + " rows but the graph has " + std::to_string(n) + " nodes");
  if (!x.allFinite()) throw InputError(a.field, 0, "field contains NaN or Inf");

  const auto start = std::chrono::steady_clock::now();
  const auto trees = ftfi::spanning_trees(loaded.graph, a.trees, {ftfi::parse_tree_kind(a.tree), a.seed});
  std::vector<ftfi::TreeFieldIntegrator> integrators;
  for (const ftfi::Tree& t : trees) integrators.emplace_back(t, options);
  const RealMatrix y = ftfi::integrate_averaged(integrators, f, x);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  write_npy(a.out, y);
  std::printf("integrated %s over %lld node(s), %lld column(s), %lld tree(s) of %lld component(s) in %.3f s\nwrote %s\n",
              f.description().c_str(), static_cast<long long>(n), static_cast<long long>(x.cols()),
              static_cast<long long>(a.trees), static_cast<long long>(trees.front().num_components()), seconds, a.out.c_str());

  if (!a.check) return;
  const double bytes = 8.0 * static_cast<double>(n) * static_cast<double>(n);
  if (bytes > kBruteForceBytes) {
    std::printf("check skipped: brute force needs %.1f GiB for f(D)\n", bytes / (1ull << 30));
    return;
  }
  RealMatrix reference = RealMatrix::Zero(n, x.cols());
  for (const ftfi::Tree& t : trees) reference += ftfi::integrate_brute_force(t, f, x);
  reference /= static_cast<double>(trees.size());
  const double norm = reference.norm();
  const double error = norm > 0 ? (y - reference).norm() / norm : (y - reference).norm();
  std::printf("check: normwise relative error vs brute force %.3e\n", error);
}

const CommandRegistration registration{"integrate", [](CLI::App& app) {
  auto args = std::make_shared<IntegrateArgs>();
  CLI::App* cmd = app.add_subcommand("integrate", "Tree-field integration Y = f(D_T) X on a spanning tree of a graph");
  cmd->add_option("--graph", args->graph, "Graph file (edge list, .dot/.gv or .graphml)")->required();
  cmd->add_option("--field", args->field, "X: .npy [n, d] or [n] (float64, float32 or int64), row i = node i")->required();
  cmd->add_option("--f", args->f, "f spec: exp:lambda=0.5[,a=1] | poly:c=1,-0.3,0.05 | cos:omega=1[,a=1,lambda=0] | "
                                  "rational:a=1,b=2 (a/(1+bx)) | gauss:sigma=0.1 (exp(-x^2/sigma^2))")->required();
  cmd->add_option("--out", args->out, "Y: float64 .npy [n, d], written atomically")->required();
  cmd->add_option("--tree", args->tree, "Spanning tree: auto (mst if weighted, else bfs), mst or bfs")
      ->check(CLI::IsMember({"auto", "mst", "bfs"}));
  cmd->add_option("--trees", args->trees, "Average over this many spanning trees (seeds S, S+1, ...)");
  cmd->add_option("--seed", args->seed, "Seed for tie-breaking (mst) or BFS roots (bfs); 0 = deterministic default");
  cmd->add_flag("--undirected", args->undirected, "Read a directed file as undirected");
  cmd->add_option("--method", args->method, "auto (two-pass for exp/poly/cos f), two-pass or separator")
      ->check(CLI::IsMember({"auto", "two-pass", "separator"}));
  cmd->add_option("--kernel", args->kernel, "Separator-tree cross kernel: auto, dense, lowrank or fft")
      ->check(CLI::IsMember({"auto", "dense", "lowrank", "fft"}));
  cmd->add_option("--leaf-size", args->leaf_size, "Separator-tree leaf size (>= 2)");
  cmd->add_flag("--check", args->check, "Also run brute force (if f(D) fits in 4 GiB) and print the normwise relative error");
  cmd->callback([args] { run(*args); });
}};

}  // namespace
}  // namespace graphtx::cli
