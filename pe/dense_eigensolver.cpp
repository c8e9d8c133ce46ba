#include "pe/dense_eigensolver.hpp"

#include "graph/errors.hpp"
#include "pe/lapack.hpp"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <climits>
#include <mutex>
#include <string>
#include <vector>

extern "C" void openblas_set_num_threads(int threads) __attribute__((weak));

namespace graphtx {

namespace lapack {

void use_single_thread_blas() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (openblas_set_num_threads != nullptr) openblas_set_num_threads(1);
  });
}

}  // namespace lapack

namespace {

using Complex = std::complex<double>;

double conj_of(double x) { return x; }
Complex conj_of(const Complex& x) { return std::conj(x); }

// Per-thread buffers: no allocation per graph once a thread has seen its largest matrix.
template <class Scalar>
struct Workspace {
  std::vector<Scalar> a, work;
  std::vector<double> values, rwork;  // values: all n slots LAPACK may touch
  std::vector<int> iwork, isuppz;
};

template <class Scalar>
Workspace<Scalar>& workspace() {
  thread_local Workspace<Scalar> w;
  return w;
}

// Column-major lower triangle of (h + h^H) / 2 into a (n * n, zero elsewhere).
template <class Scalar>
void lower_triangle(const Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>& h, std::vector<Scalar>& a) {
  const Index n = h.rows();
  a.assign(static_cast<size_t>(n * n), Scalar(0));
  for (Index r = 0; r < n; ++r)
    for (typename Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>::InnerIterator it(h, r); it; ++it) {
      const Index c = it.col();
      if (r == c)
        a[static_cast<size_t>(c * n + r)] += Scalar(std::real(it.value()));
      else if (r > c)
        a[static_cast<size_t>(c * n + r)] += 0.5 * it.value();
      else
        a[static_cast<size_t>(r * n + c)] += 0.5 * conj_of(it.value());
    }
}

// Full Eigen solve for tiny matrices: below this size LAPACK's partial solvers cost more
// (bisection and inverse iteration on the eigenvalue clusters of trees) than a full QR sweep.
constexpr Index kFullSolveMax = 64;

template <class Scalar>
bool full_solve(const Eigen::SparseMatrix<Scalar, Eigen::RowMajor, std::int64_t>& h, Index m, Eigenpairs<Scalar>& out) {
  using Dense = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  if (h.rows() > kFullSolveMax) return false;
  Dense a = Dense(h);
  a = (a + a.adjoint().eval()) * 0.5;
  Eigen::SelfAdjointEigenSolver<Dense> solver(a);
  if (solver.info() != Eigen::Success) throw NumericalError("dense eigensolver failed (" + std::to_string(h.rows()) + " rows)");
  out.values = solver.eigenvalues().head(m);
  out.vectors = solver.eigenvectors().leftCols(m);
  return true;
}

int checked_int(Index n) {
  if (n > INT_MAX) throw UsageError("dense eigensolver: " + std::to_string(n) + " rows exceed LAPACK's 32-bit index");
  return static_cast<int>(n);
}

void check_info(int info, const char* routine, Index n) {
  if (info != 0)
    throw NumericalError(std::string("dense eigensolver ") + routine + " failed (info " + std::to_string(info) + ", " +
                         std::to_string(n) + " rows)");
}

}  // namespace

void dense_smallest_eigenpairs(const RealSparse& h, Index m, RealEigenpairs& out) {
  if (full_solve(h, m, out)) return;
  lapack::use_single_thread_blas();
  Workspace<double>& w = workspace<double>();
  const int n = checked_int(h.rows()), il = 1, iu = checked_int(m);
  lower_triangle(h, w.a);
  const char range = m == h.rows() ? 'A' : 'I';
  const double unused = 0, abstol = 0;
  int found = 0, info = 0, lwork = -1, liwork = -1, iquery = 0;
  double query = 0;
  out.vectors.resize(h.rows(), m);
  w.isuppz.resize(static_cast<size_t>(2 * std::max(1, n)));
  w.values.resize(static_cast<size_t>(std::max(1, n)));
  dsyevr_("V", &range, "L", &n, w.a.data(), &n, &unused, &unused, &il, &iu, &abstol, &found, w.values.data(),
          out.vectors.data(), &n, w.isuppz.data(), &query, &lwork, &iquery, &liwork, &info, 1, 1, 1);
  check_info(info, "dsyevr (workspace query)", n);
  lwork = static_cast<int>(query);
  liwork = iquery;
  w.work.resize(static_cast<size_t>(lwork));
  w.iwork.resize(static_cast<size_t>(liwork));
  dsyevr_("V", &range, "L", &n, w.a.data(), &n, &unused, &unused, &il, &iu, &abstol, &found, w.values.data(),
          out.vectors.data(), &n, w.isuppz.data(), w.work.data(), &lwork, w.iwork.data(), &liwork, &info, 1, 1, 1);
  check_info(info, "dsyevr", n);
  if (found != iu) throw NumericalError("dense eigensolver dsyevr returned " + std::to_string(found) + " of " + std::to_string(iu) + " eigenpairs");
  out.values = Eigen::Map<const Eigen::VectorXd>(w.values.data(), m);
}

void dense_smallest_eigenpairs(const ComplexSparse& h, Index m, ComplexEigenpairs& out) {
  if (full_solve(h, m, out)) return;
  lapack::use_single_thread_blas();
  Workspace<Complex>& w = workspace<Complex>();
  const int n = checked_int(h.rows()), il = 1, iu = checked_int(m);
  lower_triangle(h, w.a);
  const char range = m == h.rows() ? 'A' : 'I';
  const double unused = 0, abstol = 0;
  int found = 0, info = 0, lwork = -1, lrwork = -1, liwork = -1, iquery = 0;
  Complex query = 0;
  double rquery = 0;
  out.vectors.resize(h.rows(), m);
  w.isuppz.resize(static_cast<size_t>(2 * std::max(1, n)));
  w.values.resize(static_cast<size_t>(std::max(1, n)));
  zheevr_("V", &range, "L", &n, w.a.data(), &n, &unused, &unused, &il, &iu, &abstol, &found, w.values.data(),
          out.vectors.data(), &n, w.isuppz.data(), &query, &lwork, &rquery, &lrwork, &iquery, &liwork, &info, 1, 1, 1);
  check_info(info, "zheevr (workspace query)", n);
  lwork = static_cast<int>(query.real());
  lrwork = static_cast<int>(rquery);
  liwork = iquery;
  w.work.resize(static_cast<size_t>(lwork));
  w.rwork.resize(static_cast<size_t>(lrwork));
  w.iwork.resize(static_cast<size_t>(liwork));
  zheevr_("V", &range, "L", &n, w.a.data(), &n, &unused, &unused, &il, &iu, &abstol, &found, w.values.data(),
          out.vectors.data(), &n, w.isuppz.data(), w.work.data(), &lwork, w.rwork.data(), &lrwork, w.iwork.data(),
          &liwork, &info, 1, 1, 1);
  check_info(info, "zheevr", n);
  if (found != iu) throw NumericalError("dense eigensolver zheevr returned " + std::to_string(found) + " of " + std::to_string(iu) + " eigenpairs");
  out.values = Eigen::Map<const Eigen::VectorXd>(w.values.data(), m);
}

}  // namespace graphtx
