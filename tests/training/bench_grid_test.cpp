#include "graph/errors.hpp"
#include "layers/training/bench_grid.hpp"
#include "layers/training/bench_report.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <set>

using namespace graphtx;

namespace {

std::string error_of(const std::string& text) {
  try {
    parse_bench_grid(text, "grid.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("bench grid: cells are datasets x models x PE sets x seeds with the common options", "[training]") {
  const BenchGrid g = parse_bench_grid(R"({"datasets": ["sorting-networks"], "models": ["gcn", "gt"],
    "pe": [["none"], ["maglap:k=8", "rwse:K=8"]], "seeds": [1, 2], "epochs": 5, "batch": 32, "layers": 3, "dim": 64})",
                                       "grid.json");
  CHECK(g.base.epochs == 5);
  CHECK(g.base.dim == 64);
  const std::vector<BenchCell> cells = expand_grid(g, "OUT");
  REQUIRE(cells.size() == 8);
  CHECK(cells[0].options.model == "gcn");
  CHECK(cells[0].options.pe.empty());
  CHECK(cells[0].pe_label == "none");
  CHECK(cells[0].options.seed == 1);
  CHECK(cells[1].options.seed == 2);
  CHECK(cells[2].pe_label == "maglap:k=8 + rwse:K=8");
  CHECK(cells[2].options.pe == std::vector<std::string>{"maglap:k=8", "rwse:K=8"});
  CHECK(cells[7].options.model == "gt");
  CHECK(cells[7].options.epochs == 5);
  CHECK(cells[7].options.cache == "OUT/pe-cache");
  CHECK(cells[7].options.root == "OUT/data");
  CHECK(cells[7].options.out == "OUT/cells/" + cells[7].id);
  std::set<std::string> ids;
  for (const BenchCell& c : cells) ids.insert(c.id);
  CHECK(ids.size() == cells.size());
}

TEST_CASE("bench grid: errors name the file and line", "[training]") {
  CHECK(error_of("{\"datasets\": [\"tu\"],\n \"models\": [\"gcn\"\n") .rfind("grid.json:", 0) == 0);
  CHECK(error_of("{\"datasets\": [\"tu\"], \"models\": [\"gcn\"], \"seeds\": [1]}") == "grid.json:1: missing key \"pe\"");
  const std::string unknown = error_of("{\"datasets\": [\"tu\"],\n\"models\": [\"gcn\"],\n\"pe\": [[\"none\"]],\n\"seeds\": [1],\n\"epoch\": 3}");
  CHECK(unknown.rfind("grid.json:5: unknown option 'epoch'", 0) == 0);
  CHECK(error_of("{\"datasets\": [\"tu\"],\n\"models\": [3],\n\"pe\": [[\"none\"]], \"seeds\": [1]}").rfind("grid.json:2:", 0) == 0);
  CHECK(error_of("{\"datasets\": [\"tu\"], \"models\": [\"gcn\"], \"pe\": [[\"none\"]], \"seeds\": [-1]}").find("non-negative") != std::string::npos);
  CHECK(error_of("{\"datasets\": [\"tu\"], \"models\": [\"gcn\"], \"pe\": [[\"none\"]], \"seeds\": [1],\n \"lr\": \"fast\"}")
            .rfind("grid.json:2: option 'lr': wrong type", 0) == 0);
  CHECK(error_of("[1, 2]") == "grid.json:1: the grid must be a JSON object");
}

TEST_CASE("bench report: mean and sample std over seeds per combination", "[training]") {
  std::vector<BenchRow> rows(3);
  rows[0].dataset = rows[1].dataset = rows[2].dataset = "tu";
  rows[0].model = rows[1].model = "gcn";
  rows[2].model = "gt";
  rows[0].test = 0.5;
  rows[1].test = 0.7;
  rows[2].test = 0.9;
  rows[0].peak_rss_mib = 10;
  rows[1].peak_rss_mib = 30;
  rows[0].test_kinds = {{"reversed", 0.2}, {"positive", 1.0}};
  rows[1].test_kinds = {{"reversed", 0.4}};
  const std::vector<BenchSummary> s = summarize(rows);
  REQUIRE(s.size() == 2);
  CHECK(s[0].seeds == 2);
  CHECK(s[0].test_mean == Approx(0.6));
  CHECK(s[0].test_std == Approx(std::sqrt(0.02)));
  CHECK(s[0].peak_rss_mib == 30);
  CHECK(s[1].test_std == 0.0);
  // Per kind of graph: over the seeds that report it.
  REQUIRE(s[0].test_kinds.size() == 2);
  CHECK(s[0].test_kinds.at("reversed").first == Approx(0.3));
  CHECK(s[0].test_kinds.at("reversed").second == Approx(std::sqrt(0.02)));
  CHECK(s[0].test_kinds.at("positive") == std::pair<double, double>(1.0, 0.0));
  CHECK(s[1].test_kinds.empty());
}
