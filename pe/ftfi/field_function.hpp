// Functions f of a tree distance x >= 0 for tree-field integration, as small value types:
//   ExpPolynomial  f(x) = Re Σ_t a_t · x^{m_t} · exp(−λ_t x), a_t, λ_t complex (cos(ωx) = Re e^{−iωx});
//                  includes exponentials, polynomials (λ = 0) and damped cosines; separable rank
//                  Σ over distinct λ of (max m + 1); exact O(n · rank · d) two-pass integration.
//   Rational       f(x) = a / (1 + b·x), b >= 0 (slowly decaying: FFT cross kernels allowed).
//   Gaussian       f(x) = exp(−x² / σ²) (note: σ², not 2σ²).
//   FieldFunction  any of those or a general std::function<double(double)>; evaluation O(1).
// parse_field_function reads the CLI specs "exp:lambda=0.5[,a=1]", "poly:c=1,-0.3,0.05",
// "rational:a=1,b=2", "gauss:sigma=0.1", "cos:omega=1[,a=1,lambda=0]".
#pragma once

#include <complex>
#include <functional>
#include <string>
#include <vector>

namespace graphtx::ftfi {

struct ExpTerm {
  std::complex<double> coefficient{1.0, 0.0};
  int power = 0;
  std::complex<double> rate{0.0, 0.0};
};

class ExpPolynomial {
 public:
  ExpPolynomial() = default;
  explicit ExpPolynomial(std::vector<ExpTerm> terms);  // powers must be >= 0 (UsageError)

  static ExpPolynomial exponential(double a, double lambda);             // a e^{−λx}
  static ExpPolynomial polynomial(const std::vector<double>& c);         // Σ_k c_k x^k
  static ExpPolynomial cosine(double a, double omega, double lambda = 0); // a cos(ωx) e^{−λx}

  const std::vector<ExpTerm>& terms() const { return terms_; }
  double operator()(double x) const;
  ExpPolynomial operator+(const ExpPolynomial& other) const;
  // Separable rank: Σ over distinct rates of (largest power + 1).
  int rank() const;
  // True when every coefficient and rate is real (the integrators then use real arithmetic).
  bool is_real() const;
  // True when every rate has a positive real part (f decays exponentially).
  bool decays_fast() const;

 private:
  std::vector<ExpTerm> terms_;
};

struct Rational {
  double a = 1.0;
  double b = 1.0;
  double operator()(double x) const { return a / (1.0 + b * x); }
};

struct Gaussian {
  double sigma = 1.0;
  double operator()(double x) const;
};

class FieldFunction {
 public:
  // Implicit on purpose: every f family is a FieldFunction.
  FieldFunction(ExpPolynomial f);
  FieldFunction(Rational f);
  FieldFunction(Gaussian f);
  // A general f; `slowly_decaying` allows FFT cross kernels (never for fast-decaying f).
  explicit FieldFunction(std::function<double(double)> f, bool slowly_decaying = false,
                         std::string description = "custom");

  double operator()(double x) const { return eval_(x); }
  // The exp-polynomial form when f is one (enables two-pass and low-rank kernels), else null.
  const ExpPolynomial* exp_polynomial() const { return exp_poly_.terms().empty() ? nullptr : &exp_poly_; }
  // The rational form when f is one (enables the pivoted Cauchy low-rank kernel), else null.
  const Rational* rational() const { return is_rational_ ? &rational_ : nullptr; }
  // FFT-Hankel cross kernels are accurate only normwise; they may be chosen automatically only
  // for f that do not decay fast (rational, polynomials, user-declared).
  bool fft_allowed() const { return slowly_decaying_; }
  const std::string& description() const { return description_; }

 private:
  std::function<double(double)> eval_;
  ExpPolynomial exp_poly_;
  Rational rational_;
  bool is_rational_ = false;
  bool slowly_decaying_ = false;
  std::string description_;
};

// Parses a SPEC (see the top of this file); UsageError naming the problem otherwise.
FieldFunction parse_field_function(const std::string& spec);

}  // namespace graphtx::ftfi
