// graphtx integrate end to end: edge list + .npy field in, .npy out (ftfi.md example A), the
// --check report, averaging flags, and exit code 2 for bad input.
#include "datasets/npy.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/wait.h>

using namespace graphtx;

namespace {

std::string temp(const std::string& name) { return std::string(GRAPHTX_BINARY_DIR) + "/integrate_test_" + name; }

int run_cli(const std::string& arguments, const std::string& log) {
  const std::string command = std::string(GRAPHTX_CLI) + " integrate " + arguments + " > " + log + " 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// ftfi.md example A: path 0-1-2-3 with weights (1, 2, 1).
std::string write_example_graph() {
  const std::string path = temp("path.txt");
  std::ofstream(path) << "# path 0-1-2-3\n0 1 1.0\n1 2 2.0\n2 3 1.0\n";
  return path;
}

std::string write_example_field() {
  const std::string path = temp("x.npy");
  RealMatrix x(4, 2);
  x << 1, 1, 2, -1, 3, 1, 4, -1;
  write_npy(path, x);
  return path;
}

}  // namespace

TEST_CASE("integrate reproduces ftfi.md example A through .npy files", "[apps]") {
  const std::string graph = write_example_graph(), field = write_example_field(), out = temp("y.npy"), log = temp("log.txt");
  REQUIRE(run_cli("--graph " + graph + " --field " + field + " --f exp:lambda=1 --out " + out + " --check", log) == 0);
  const RealMatrix y = read_npy_matrix(out);
  RealMatrix expected(4, 2);
  expected << 1.958382643001, 0.663591988308, 2.973033564353, -0.546572343960, 4.791975399527, 0.546572343960,
      5.221528099139, -0.663591988308;
  REQUIRE((y - expected).cwiseAbs().maxCoeff() < 1e-12);
  const std::string text = slurp(log);
  const auto at = text.find("normwise relative error vs brute force ");
  REQUIRE(at != std::string::npos);
  REQUIRE(std::stod(text.substr(at + 39)) < 1e-12);
  REQUIRE(std::ifstream(out + ".tmp").good() == false);  // written atomically, no leftover

  // A 1-D field is d = 1; the separator tree with a rational f agrees with brute force too.
  write_npy(field, {4}, std::vector<double>{1, 2, 3, 4});
  REQUIRE(run_cli("--graph " + graph + " --field " + field + " --f rational:a=1,b=2 --method separator --leaf-size 2 --out " +
                      out + " --check --tree mst --trees 2",
                  log) == 0);
  REQUIRE(read_npy_matrix(out).rows() == 4);
  REQUIRE(read_npy_matrix(out)(0, 0) == Approx(1 + 2 / 3.0 + 3 / 7.0 + 4 / 9.0).epsilon(1e-14));
  REQUIRE(slurp(log).find("normwise relative error") != std::string::npos);
}

TEST_CASE("integrate rejects bad input with exit code 2", "[apps]") {
  const std::string graph = write_example_graph(), field = write_example_field(), out = temp("bad_y.npy"), log = temp("bad_log.txt");
  std::remove(out.c_str());
  const std::string base = "--graph " + graph + " --out " + out;
  REQUIRE(run_cli(base + " --field " + field + " --f nope:x=1", log) == 2);
  REQUIRE(slurp(log).find("unknown family") != std::string::npos);
  REQUIRE(run_cli(base + " --field " + field + " --f exp:lambda=abc", log) == 2);
  write_npy(temp("short.npy"), {3, 2}, std::vector<double>(6, 1.0));
  REQUIRE(run_cli(base + " --field " + temp("short.npy") + " --f exp:lambda=1", log) == 2);
  REQUIRE(slurp(log).find("3 rows but the graph has 4 nodes") != std::string::npos);
  std::ofstream(temp("garbage.npy")) << "garbage";
  REQUIRE(run_cli(base + " --field " + temp("garbage.npy") + " --f exp:lambda=1", log) == 2);
  REQUIRE(slurp(log).find("garbage.npy") != std::string::npos);
  REQUIRE(run_cli(base + " --field " + field + " --f gauss:sigma=1 --method two-pass", log) == 2);
  REQUIRE(run_cli("--graph " + temp("missing.txt") + " --field " + field + " --f exp:lambda=1 --out " + out, log) == 2);
  REQUIRE(std::ifstream(out).good() == false);  // nothing written on failure
}
