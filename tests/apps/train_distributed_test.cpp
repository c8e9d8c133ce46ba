// graphtx train --distributed on loopback (c10d Gloo): 2 ranks with the same global batch and seed
// give the per-step losses of one process within 1e-5 relative (float32), the same learning rates,
// and metrics from sharded evaluation that match the single process; only rank 0 writes files.
#include "tests/apps/run_cli.hpp"
#include "tests/workers/launch_ranks.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace fs = std::filesystem;
using graphtx::test::run_graphtx;

namespace {

// Rows of a numeric CSV with a header line.
std::vector<std::vector<double>> read_csv(const fs::path& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  std::string line;
  std::getline(in, line);
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    std::vector<double> row;
    std::stringstream fields(line);
    std::string field;
    while (std::getline(fields, field, ',')) row.push_back(std::stod(field));
    rows.push_back(row);
  }
  return rows;
}

std::vector<std::string> train_args(const fs::path& out) {
  return {"train", "--dataset", "tu", "--root", std::string(GRAPHTX_DATA_DIR) + "/tu", "--name", "MUTAG", "--model", "gine",
          "--pe", "rwse:K=4", "--layers", "2", "--dim", "16", "--epochs", "3", "--batch", "16", "--lr", "0.005",
          "--dropout", "0", "--seed", "5", "-j", "1", "-q", "--out", out.string()};
}

}  // namespace

TEST_CASE("graphtx train --distributed: 2 ranks give the per-step losses and metrics of 1 process", "[apps][processes]") {
  const fs::path dir = fs::temp_directory_path() / ("graphtx_train_distributed_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);

  std::string single = "";
  for (const std::string& a : train_args(dir / "one")) single += "'" + a + "' ";
  const auto one = run_graphtx(single);
  INFO(one.out);
  REQUIRE(one.code == 0);

  std::vector<std::string> args = train_args(dir / "two");
  args.push_back("--distributed");
  graphtx::test::RankLauncher ranks(GRAPHTX_CLI, args, 2, {"GRAPHTX_DIST_TIMEOUT=120"}, (dir / "two").string());
  const auto results = ranks.wait(std::chrono::seconds(600));
  for (const auto& r : results) {
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
  }

  const auto steps1 = read_csv(dir / "one" / "steps.csv"), steps2 = read_csv(dir / "two" / "steps.csv");
  REQUIRE(steps1.size() == steps2.size());
  REQUIRE(steps1.size() >= 27);  // 3 epochs of >= 9 batches
  for (size_t s = 0; s < steps1.size(); ++s) {
    INFO("step " << s);
    CHECK(steps2[s][0] == steps1[s][0]);
    CHECK(steps2[s][1] == steps1[s][1]);
    CHECK(steps2[s][2] == Approx(steps1[s][2]).epsilon(1e-12));
    CHECK(std::abs(steps2[s][3] - steps1[s][3]) <= 1e-5 * std::abs(steps1[s][3]));
  }
  // metrics.csv: epoch, lr, train_loss, valid, test, seconds. Sharded evaluation reduces exact
  // counts, so only a prediction flipped by float32 rounding could move a metric (by one graph).
  const auto metrics1 = read_csv(dir / "one" / "metrics.csv"), metrics2 = read_csv(dir / "two" / "metrics.csv");
  REQUIRE(metrics1.size() == 3);
  REQUIRE(metrics2.size() == 3);
  for (size_t e = 0; e < 3; ++e) {
    CHECK(std::abs(metrics2[e][2] - metrics1[e][2]) <= 1e-5 * metrics1[e][2]);
    CHECK(std::abs(metrics2[e][3] - metrics1[e][3]) <= 1.0 / 19 + 1e-12);
    CHECK(std::abs(metrics2[e][4] - metrics1[e][4]) <= 1.0 / 19 + 1e-12);
  }
  for (const char* f : {"result.json", "best.pt", "last.pt", "state.json"}) CHECK(fs::exists(dir / "two" / f));
  fs::remove_all(dir);
}
