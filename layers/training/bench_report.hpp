// Result files of `graphtx bench`: one row per finished cell (read from its result.json), then
//   results.csv  every cell: dataset, model, pe, seed, metric, train/valid/test, parameters,
//                seconds per epoch, peak RSS;
//   results.md   per {dataset, model, PE set}: test metric mean ± sample std over seeds, valid mean,
//                parameters, s/epoch, peak RSS (max); then, when cells report accuracy per kind of
//                graph (sorting networks), a second table of the test accuracy per kind, mean ± std;
//   results.png  one bar per combination (mean test metric, std error bars), drawn by gnuplot.
// All written atomically. UsageError when gnuplot cannot be run. O(cells).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace graphtx {

struct BenchRow {
  std::string dataset, model, pe, metric;
  std::uint64_t seed = 0;
  double train = 0, valid = 0, test = 0;
  std::int64_t parameters = 0;
  double seconds_per_epoch = 0, peak_rss_mib = 0;
  std::map<std::string, double> test_kinds;  // result.json scores_by_kind.test (empty if absent)
};

// The row of a finished cell from its result.json (InputError naming the file if malformed).
BenchRow read_bench_row(const std::string& result_json, const std::string& pe_label);

struct BenchSummary {
  std::string dataset, model, pe, metric;
  std::int64_t seeds = 0, parameters = 0;
  double test_mean = 0, test_std = 0, valid_mean = 0, seconds_per_epoch = 0, peak_rss_mib = 0;
  std::map<std::string, std::pair<double, double>> test_kinds;  // kind -> (mean, sample std) over seeds having it
};

// Rows grouped by (dataset, model, pe) in first-appearance order; std is the sample std (0 for one seed).
std::vector<BenchSummary> summarize(const std::vector<BenchRow>& rows);

void write_bench_report(const std::vector<BenchRow>& rows, const std::string& out_dir);

}  // namespace graphtx
