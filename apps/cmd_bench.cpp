// graphtx bench: run a grid of training runs ({dataset} x {model} x {PE set} x {seed}) and
// summarize it (results.md, results.csv, results.png). Thin over layers/training.
#include "apps/command.hpp"
#include "apps/train_runner.hpp"
#include "graph/errors.hpp"
#include "layers/training/bench_grid.hpp"
#include "layers/training/bench_report.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>

namespace graphtx::cli {
namespace {

namespace fs = std::filesystem;

struct BenchArgs {
  std::string grid, out;
  bool quiet = false;
};

void run(const BenchArgs& a) {
  std::ifstream in(a.grid, std::ios::binary);
  if (!in) throw InputError(a.grid, 0, "cannot open the grid file");
  std::stringstream ss;
  ss << in.rdbuf();
  const BenchGrid grid = parse_bench_grid(ss.str(), a.grid);
  const std::vector<BenchCell> cells = expand_grid(grid, a.out);
  fs::create_directories(fs::path(a.out) / "cells");
  std::vector<BenchRow> rows;
  size_t index = 0;
  for (const BenchCell& cell : cells) {
    ++index;
    const fs::path dir(cell.options.out);
    const fs::path result = dir / "result.json";
    if (!fs::exists(result)) {
      const bool resume = fs::exists(dir / "state.json");
      std::fprintf(stderr, "cell %zu/%zu %s%s\n", index, cells.size(), cell.id.c_str(), resume ? " (resuming)" : "");
      const TrainResult r = train_with_progress(cell.options, resume, a.quiet);
      if (r.interrupted) {
        std::fprintf(stderr, "graphtx bench: interrupted; rerun the same command to continue\n");
        return;
      }
    } else {
      std::fprintf(stderr, "cell %zu/%zu %s: done, skipped\n", index, cells.size(), cell.id.c_str());
    }
    rows.push_back(read_bench_row(result.string(), cell.pe_label));
  }
  write_bench_report(rows, a.out);
  std::printf("%zu cells; wrote %s/results.md, results.csv, results.png\n", cells.size(), a.out.c_str());
  std::ifstream md(fs::path(a.out) / "results.md");
  std::printf("%s", std::string(std::istreambuf_iterator<char>(md), {}).c_str());
}

const CommandRegistration registration{"bench", [](CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* cmd = app.add_subcommand("bench", "Train a grid of model x PE x dataset x seed combinations and tabulate them");
  cmd->add_option("--grid", args->grid,
                  "Grid JSON: {\"datasets\": [...], \"models\": [...], \"pe\": [[\"none\"], [\"maglap:k=8\"]], \"seeds\": [1, 2], "
                  "plus any graphtx train option (e.g. \"epochs\": 5) and \"roots\": {\"ogbg-code2\": \"DIR\"}}")
      ->required();
  cmd->add_option("--out", args->out, "Output folder: cells/ (one run directory per cell), pe-cache/, results.*")->required();
  cmd->add_flag("-q,--quiet", args->quiet, "No progress bars (one line per cell)");
  cmd->callback([args] { run(*args); });
}};

}  // namespace
}  // namespace graphtx::cli
