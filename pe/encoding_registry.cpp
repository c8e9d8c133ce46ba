#include "pe/encoding_registry.hpp"

#include "graph/errors.hpp"
#include "pe/directional_walk.hpp"
#include "pe/laplacian_pe.hpp"
#include "pe/magnetic_laplacian_pe.hpp"
#include "pe/rrwp.hpp"
#include "pe/rwse.hpp"
#include "pe/shortest_path_distance.hpp"

namespace graphtx {

namespace {

// An Encoding computing a bound function of the graph; options are fixed at construction.
class BoundEncoding final : public Encoding {
 public:
  BoundEncoding(EncodingSpec spec, std::function<EncodingResult(const Graph&)> compute)
      : Encoding(std::move(spec)), compute_(std::move(compute)) {}

  EncodingResult compute(const Graph& g) const override {
    EncodingResult result = compute_(g);
    check_finite(result, label());
    return result;
  }

 private:
  std::function<EncodingResult(const Graph&)> compute_;
};

template <class Options, class Function>
std::unique_ptr<Encoding> bind(const EncodingSpec& spec, Options options, Function function) {
  return std::make_unique<BoundEncoding>(spec, [options, function](const Graph& g) { return function(g, options); });
}

EncodingKey integer(std::string name, Index value, Index min, Index max, std::string help) {
  return {std::move(name), std::to_string(value), KeyKind::Integer, std::move(help),
          static_cast<double>(min), static_cast<double>(max), false, {}};
}
EncodingKey real(std::string name, std::string value, double min, double max, bool min_exclusive, std::string help) {
  return {std::move(name), std::move(value), KeyKind::Real, std::move(help), min, max, min_exclusive, {}};
}
EncodingKey boolean(std::string name, bool value, std::string help) {
  return {std::move(name), value ? "1" : "0", KeyKind::Boolean, std::move(help), 0, 1, false, {}};
}
EncodingKey choice(std::string name, std::vector<std::string> choices, std::string help) {
  std::string value = choices.front();
  return {std::move(name), std::move(value), KeyKind::Choice, std::move(help), 0, 0, false, std::move(choices)};
}

EncodingKey solver_key() { return choice("solver", {"auto", "dense", "sparse"}, "eigensolver: by size, LAPACK dense, Lanczos sparse"); }
EncodingKey pairs_key() { return choice("pairs", {"edges", "all"}, "pair set: the edges (u,v), or all n^2 pairs"); }

constexpr Index kMaxSteps = 1000;
constexpr Index kMaxEigenpairs = 100000;

std::vector<EncodingInfo> build_registry() {
  std::vector<EncodingInfo> list;
  list.push_back({"lap", "Laplacian eigenvector PE: k smallest eigenpairs, eigenvalues and mask",
                  {integer("k", 16, 1, kMaxEigenpairs, "number of eigenpairs"),
                   choice("norm", {"sym", "comb", "rw"}, "Laplacian normalization"),
                   boolean("drop_trivial", false, "drop the trivial eigenvector of every component"), solver_key()},
                  [](const EncodingSpec& s, const EncodingLimits&) {
                    LaplacianPEOptions o;
                    o.k = s.get_int("k");
                    o.norm = parse_laplacian_norm(s.get("norm"));
                    o.drop_trivial = s.get_bool("drop_trivial");
                    o.solver = parse_solver_choice(s.get("solver"));
                    return bind(s, o, laplacian_pe);
                  }});
  list.push_back({"maglap", "magnetic Laplacian PE: Re/Im of k smallest eigenvectors, eigenvalues and mask",
                  {integer("k", 16, 1, kMaxEigenpairs, "number of eigenpairs"),
                   real("q", "0.25", 0.0, 1e9, false, "potential (relative to max(1, min(m_dir, n)) if qrel=1)"),
                   boolean("qrel", true, "q is relative"), choice("norm", {"sym", "comb"}, "Laplacian normalization"),
                   boolean("weighted", false, "use edge weights (extension)"), solver_key()},
                  [](const EncodingSpec& s, const EncodingLimits&) {
                    MagneticLaplacianPEOptions o;
                    o.k = s.get_int("k");
                    o.q = s.get_double("q");
                    o.q_relative = s.get_bool("qrel");
                    o.norm = parse_laplacian_norm(s.get("norm"));
                    o.weighted = s.get_bool("weighted");
                    o.solver = parse_solver_choice(s.get("solver"));
                    return bind(s, o, magnetic_laplacian_pe);
                  }});
  list.push_back({"rwse", "random-walk structural encoding: diag of P^t, t = 1..K",
                  {integer("K", 16, 1, kMaxSteps, "number of walk steps")},
                  [](const EncodingSpec& s, const EncodingLimits&) {
                    RwseOptions o;
                    o.num_steps = s.get_int("K");
                    return bind(s, o, rwse);
                  }});
  list.push_back({"drw", "directional walks: diag of T^t, R^t (nodes); T..T^K, PPR(T), R..R^K, PPR(R) (pairs)",
                  {integer("K", 3, 1, kMaxSteps, "number of walk steps"),
                   real("ppr", "0.05", 0.0, 1.0, true, "PPR restart probability alpha"), pairs_key()},
                  [](const EncodingSpec& s, const EncodingLimits& limits) {
                    DirectionalWalkOptions o;
                    o.num_steps = s.get_int("K");
                    o.ppr_alpha = s.get_double("ppr");
                    o.pairs = parse_pair_selection(s.get("pairs"));
                    o.max_pair_bytes = limits.max_pair_bytes;
                    return bind(s, o, directional_walk);
                  }});
  list.push_back({"rrwp", "relative random-walk probabilities: [I, M, ..., M^(K-1)] on nodes and pairs",
                  {integer("K", 8, 1, kMaxSteps, "number of channels (identity first)"), pairs_key()},
                  [](const EncodingSpec& s, const EncodingLimits& limits) {
                    RrwpOptions o;
                    o.num_channels = s.get_int("K");
                    o.pairs = parse_pair_selection(s.get("pairs"));
                    o.max_pair_bytes = limits.max_pair_bytes;
                    return bind(s, o, rrwp);
                  }});
  list.push_back({"spd", "shortest-path hop distance per pair, capped at max, unreachable = max+1",
                  {integer("max", 20, 0, 1000000000, "distance cap"), pairs_key()},
                  [](const EncodingSpec& s, const EncodingLimits& limits) {
                    ShortestPathOptions o;
                    o.max_distance = s.get_int("max");
                    o.pairs = parse_pair_selection(s.get("pairs"));
                    o.max_pair_bytes = limits.max_pair_bytes;
                    return bind(s, o, shortest_path_distance);
                  }});
  return list;
}

}  // namespace

const std::vector<EncodingInfo>& encoding_registry() {
  static const std::vector<EncodingInfo> registry = build_registry();
  return registry;
}

const EncodingInfo& find_encoding(const std::string& name) {
  std::string names;
  for (const EncodingInfo& info : encoding_registry()) {
    if (info.name == name) return info;
    names += (names.empty() ? "" : ", ") + info.name;
  }
  throw UsageError("unknown encoding '" + name + "' (valid: " + names + ")");
}

std::string describe_keys(const EncodingInfo& info) {
  std::string text;
  for (const EncodingKey& key : info.keys) {
    text += (text.empty() ? "" : ", ") + key.name + "=" + key.default_value;
    if (key.kind == KeyKind::Choice) {
      std::string valid;
      for (const std::string& c : key.choices) valid += (valid.empty() ? "" : "|") + c;
      text += " (" + valid + ")";
    } else if (key.kind == KeyKind::Boolean) {
      text += " (0|1)";
    }
  }
  return info.name + ":" + text;
}

std::unique_ptr<Encoding> make_encoding(const EncodingSpec& spec, const EncodingLimits& limits) {
  return find_encoding(spec.name).make(spec, limits);
}

std::string encoding_help() {
  std::string text = "Encodings ([label=]name[:key=value,...]; defaults shown):\n";
  for (const EncodingInfo& info : encoding_registry()) {
    text += "  " + info.name + "  " + info.summary + "\n";
    for (const EncodingKey& key : info.keys) {
      std::string valid;
      for (const std::string& c : key.choices) valid += (valid.empty() ? " (" : "|") + c;
      text += "      " + key.name + "=" + key.default_value + "  " + key.help + (valid.empty() ? "" : valid + ")") + "\n";
    }
  }
  return text;
}

}  // namespace graphtx
