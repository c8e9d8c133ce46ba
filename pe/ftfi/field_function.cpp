#include "pe/ftfi/field_function.hpp"

#include "graph/errors.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <utility>

namespace graphtx::ftfi {

ExpPolynomial::ExpPolynomial(std::vector<ExpTerm> terms) : terms_(std::move(terms)) {
  for (const ExpTerm& t : terms_) {
    if (t.power < 0) throw UsageError("ExpPolynomial: powers must be >= 0");
    if (!std::isfinite(t.coefficient.real()) || !std::isfinite(t.coefficient.imag()) || !std::isfinite(t.rate.real()) ||
        !std::isfinite(t.rate.imag()))
      throw UsageError("ExpPolynomial: coefficients and rates must be finite");
  }
}

ExpPolynomial ExpPolynomial::exponential(double a, double lambda) { return ExpPolynomial({{{a, 0.0}, 0, {lambda, 0.0}}}); }

ExpPolynomial ExpPolynomial::polynomial(const std::vector<double>& c) {
  std::vector<ExpTerm> terms;
  for (size_t k = 0; k < c.size(); ++k) terms.push_back({{c[k], 0.0}, static_cast<int>(k), {0.0, 0.0}});
  return ExpPolynomial(std::move(terms));
}

ExpPolynomial ExpPolynomial::cosine(double a, double omega, double lambda) {
  return ExpPolynomial({{{a, 0.0}, 0, {lambda, omega}}});  // Re a e^{−(λ + iω)x} = a cos(ωx) e^{−λx}
}

double ExpPolynomial::operator()(double x) const {
  double sum = 0.0;
  for (const ExpTerm& t : terms_) sum += (t.coefficient * std::pow(x, t.power) * std::exp(-t.rate * x)).real();
  return sum;
}

ExpPolynomial ExpPolynomial::operator+(const ExpPolynomial& other) const {
  std::vector<ExpTerm> all = terms_;
  all.insert(all.end(), other.terms_.begin(), other.terms_.end());
  return ExpPolynomial(std::move(all));
}

int ExpPolynomial::rank() const {
  std::vector<std::pair<std::complex<double>, int>> groups;
  for (const ExpTerm& t : terms_) {
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == t.rate; });
    if (it == groups.end()) groups.push_back({t.rate, t.power});
    else it->second = std::max(it->second, t.power);
  }
  int r = 0;
  for (const auto& g : groups) r += g.second + 1;
  return r;
}

bool ExpPolynomial::is_real() const {
  return std::all_of(terms_.begin(), terms_.end(), [](const ExpTerm& t) { return t.coefficient.imag() == 0 && t.rate.imag() == 0; });
}

bool ExpPolynomial::decays_fast() const {
  return std::all_of(terms_.begin(), terms_.end(), [](const ExpTerm& t) { return t.rate.real() > 0; });
}

double Gaussian::operator()(double x) const {
  const double z = x / sigma;
  return std::exp(-z * z);
}

FieldFunction::FieldFunction(ExpPolynomial f)
    : eval_([f](double x) { return f(x); }), exp_poly_(f), slowly_decaying_(!f.decays_fast()), description_("exp-polynomial") {
  if (f.terms().empty()) eval_ = [](double) { return 0.0; };
}

FieldFunction::FieldFunction(Rational f)
    : eval_(f), rational_(f), is_rational_(true), slowly_decaying_(true), description_("rational") {
  if (!(f.b >= 0) || !std::isfinite(f.a) || !std::isfinite(f.b)) throw UsageError("rational f: need finite a and b >= 0");
}

FieldFunction::FieldFunction(Gaussian f) : eval_(f), slowly_decaying_(false), description_("gaussian") {
  if (!(f.sigma > 0) || !std::isfinite(f.sigma)) throw UsageError("gaussian f: sigma must be finite and > 0");
}

FieldFunction::FieldFunction(std::function<double(double)> f, bool slowly_decaying, std::string description)
    : eval_(std::move(f)), slowly_decaying_(slowly_decaying), description_(std::move(description)) {
  if (!eval_) throw UsageError("FieldFunction: empty function");
}

namespace {

double parse_number(const std::string& text, const std::string& spec) {
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || !std::isfinite(v))
    throw UsageError("f spec '" + spec + "': '" + text + "' is not a finite number");
  return v;
}

// "k1=v,v,k2=v" -> {k1: [v, v], k2: [v]}
std::map<std::string, std::vector<double>> parse_arguments(const std::string& args, const std::string& spec) {
  std::map<std::string, std::vector<double>> out;
  std::string key;
  std::stringstream in(args);
  std::string token;
  while (std::getline(in, token, ',')) {
    const auto eq = token.find('=');
    if (eq != std::string::npos) {
      key = token.substr(0, eq);
      if (key.empty() || out.count(key)) throw UsageError("f spec '" + spec + "': empty or repeated key '" + key + "'");
      token = token.substr(eq + 1);
    } else if (key.empty()) {
      throw UsageError("f spec '" + spec + "': expected key=value, got '" + token + "'");
    }
    out[key].push_back(parse_number(token, spec));
  }
  return out;
}

double scalar(std::map<std::string, std::vector<double>>& args, const std::string& key, double fallback, bool required,
              const std::string& spec) {
  const auto it = args.find(key);
  if (it == args.end()) {
    if (required) throw UsageError("f spec '" + spec + "': missing '" + key + "='");
    return fallback;
  }
  if (it->second.size() != 1) throw UsageError("f spec '" + spec + "': '" + key + "' takes one value");
  const double v = it->second.front();
  args.erase(it);
  return v;
}

}  // namespace

FieldFunction parse_field_function(const std::string& spec) {
  const auto colon = spec.find(':');
  const std::string name = spec.substr(0, colon);
  auto args = parse_arguments(colon == std::string::npos ? "" : spec.substr(colon + 1), spec);
  auto finish = [&](FieldFunction f) {
    if (!args.empty()) throw UsageError("f spec '" + spec + "': unknown key '" + args.begin()->first + "'");
    return f;
  };
  if (name == "exp") {
    const double lambda = scalar(args, "lambda", 0, true, spec);
    const double a = scalar(args, "a", 1, false, spec);
    return finish(ExpPolynomial::exponential(a, lambda));
  }
  if (name == "cos") {
    const double omega = scalar(args, "omega", 0, true, spec);
    const double a = scalar(args, "a", 1, false, spec);
    const double lambda = scalar(args, "lambda", 0, false, spec);
    return finish(ExpPolynomial::cosine(a, omega, lambda));
  }
  if (name == "poly") {
    const auto it = args.find("c");
    if (it == args.end()) throw UsageError("f spec '" + spec + "': missing 'c=' coefficients");
    const std::vector<double> c = it->second;
    args.erase(it);
    return finish(ExpPolynomial::polynomial(c));
  }
  if (name == "rational") {
    const double a = scalar(args, "a", 1, false, spec);
    const double b = scalar(args, "b", 1, false, spec);
    return finish(Rational{a, b});
  }
  if (name == "gauss") return finish(Gaussian{scalar(args, "sigma", 0, true, spec)});
  throw UsageError("f spec '" + spec + "': unknown family '" + name + "' (expected exp, poly, cos, rational, gauss)");
}

}  // namespace graphtx::ftfi
