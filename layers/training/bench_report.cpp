#include "layers/training/bench_report.hpp"

#include "graph/errors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace graphtx {

namespace {

namespace fs = std::filesystem;

void write_text(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

std::string format(const char* fmt, double a, double b = 0) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, a, b);
  return buf;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Single-quoted gnuplot string.
std::string gp_string(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

}  // namespace

BenchRow read_bench_row(const std::string& path, const std::string& pe_label) {
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  BenchRow r;
  try {
    const nlohmann::json j = nlohmann::json::parse(ss.str());
    r.dataset = j.at("dataset").get<std::string>();
    r.model = j.at("model").get<std::string>();
    r.metric = j.at("metric").get<std::string>();
    r.seed = j.at("seed").get<std::uint64_t>();
    const auto& s = j.at("scores");
    r.train = s.value("train", 0.0);
    r.valid = s.value("valid", 0.0);
    r.test = s.value("test", 0.0);
    r.parameters = j.at("parameters").get<std::int64_t>();
    r.seconds_per_epoch = j.at("seconds_per_epoch").get<double>();
    r.peak_rss_mib = j.at("peak_rss_mib").get<double>();
    if (j.contains("scores_by_kind") && j.at("scores_by_kind").contains("test"))
      r.test_kinds = j.at("scores_by_kind").at("test").get<std::map<std::string, double>>();
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path, 0, std::string("not a graphtx result.json: ") + e.what());
  }
  r.pe = pe_label;
  return r;
}

namespace {

// Mean and sample std (0 for one value).
std::pair<double, double> mean_and_std(const std::vector<double>& values) {
  const double n = static_cast<double>(values.size());
  double mean = 0, ss = 0;
  for (double v : values) mean += v / n;
  for (double v : values) ss += (v - mean) * (v - mean);
  return {mean, values.size() > 1 ? std::sqrt(ss / (n - 1)) : 0.0};
}

}  // namespace

std::vector<BenchSummary> summarize(const std::vector<BenchRow>& rows) {
  std::vector<BenchSummary> out;
  std::vector<std::vector<const BenchRow*>> groups;
  for (const BenchRow& r : rows) {
    size_t g = 0;
    while (g < out.size() && !(out[g].dataset == r.dataset && out[g].model == r.model && out[g].pe == r.pe)) ++g;
    if (g == out.size()) {
      BenchSummary s;
      s.dataset = r.dataset;
      s.model = r.model;
      s.pe = r.pe;
      s.metric = r.metric;
      out.push_back(s);
      groups.emplace_back();
    }
    groups[g].push_back(&r);
  }
  for (size_t g = 0; g < out.size(); ++g) {
    BenchSummary& s = out[g];
    const double n = static_cast<double>(groups[g].size());
    s.seeds = static_cast<std::int64_t>(groups[g].size());
    for (const BenchRow* r : groups[g]) {
      s.test_mean += r->test / n;
      s.valid_mean += r->valid / n;
      s.seconds_per_epoch += r->seconds_per_epoch / n;
      s.peak_rss_mib = std::max(s.peak_rss_mib, r->peak_rss_mib);
      s.parameters = r->parameters;
    }
    double ss = 0;
    for (const BenchRow* r : groups[g]) ss += (r->test - s.test_mean) * (r->test - s.test_mean);
    s.test_std = groups[g].size() > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
    std::map<std::string, std::vector<double>> kinds;
    for (const BenchRow* r : groups[g])
      for (const auto& [kind, value] : r->test_kinds) kinds[kind].push_back(value);
    for (const auto& [kind, values] : kinds) s.test_kinds[kind] = mean_and_std(values);
  }
  return out;
}

namespace {

// The test accuracy per kind of graph, one column per kind seen in any cell ("" if none reports kinds).
std::string kinds_table(const std::vector<BenchSummary>& summary) {
  std::vector<std::string> kinds;
  for (const BenchSummary& s : summary)
    for (const auto& entry : s.test_kinds)
      if (std::find(kinds.begin(), kinds.end(), entry.first) == kinds.end()) kinds.push_back(entry.first);
  if (kinds.empty()) return "";
  std::string md = "\nTest accuracy per kind of graph (mean ± std over seeds):\n\n| dataset | model | PE |";
  std::string rule = "|---|---|---|";
  for (const std::string& k : kinds) {
    md += " " + k + " |";
    rule += "---|";
  }
  md += "\n" + rule + "\n";
  for (const BenchSummary& s : summary) {
    md += "| " + s.dataset + " | " + s.model + " | " + s.pe + " |";
    for (const std::string& k : kinds) {
      const auto it = s.test_kinds.find(k);
      md += it == s.test_kinds.end() ? " |" : format(" %.3f", it->second.first) + format(" ± %.3f |", it->second.second);
    }
    md += "\n";
  }
  return md;
}

}  // namespace

void write_bench_report(const std::vector<BenchRow>& rows, const std::string& out_dir) {
  const fs::path dir(out_dir);
  std::string csv = "dataset,model,pe,seed,metric,train,valid,test,parameters,seconds_per_epoch,peak_rss_mib\n";
  for (const BenchRow& r : rows) {
    csv += csv_field(r.dataset) + "," + csv_field(r.model) + "," + csv_field(r.pe) + "," + std::to_string(r.seed) + "," +
           r.metric + format(",%.6f", r.train) + format(",%.6f", r.valid) + format(",%.6f", r.test) + "," +
           std::to_string(r.parameters) + format(",%.3f", r.seconds_per_epoch) + format(",%.1f", r.peak_rss_mib) + "\n";
  }
  write_text(dir / "results.csv", csv);

  const std::vector<BenchSummary> summary = summarize(rows);
  std::string md = "| dataset | model | PE | test metric (mean ± std) | valid | seeds | parameters | s/epoch | peak RSS (MiB) |\n"
                   "|---|---|---|---|---|---|---|---|---|\n";
  std::string dat;
  for (size_t i = 0; i < summary.size(); ++i) {
    const BenchSummary& s = summary[i];
    md += "| " + s.dataset + " | " + s.model + " | " + s.pe + " | " + s.metric + format(" %.4f ± %.4f", s.test_mean, s.test_std) +
          format(" | %.4f", s.valid_mean) + " | " + std::to_string(s.seeds) + " | " + std::to_string(s.parameters) +
          format(" | %.2f", s.seconds_per_epoch) + format(" | %.0f |\n", s.peak_rss_mib);
    dat += std::to_string(i) + format(" %.6f %.6f ", s.test_mean, s.test_std) + "\"" + s.dataset + " " + s.model + " " + s.pe + "\"\n";
  }
  md += kinds_table(summary);
  write_text(dir / "results.md", md);
  write_text(dir / "results.dat", dat);

  const fs::path png = dir / "results.png", tmp = dir / "results.png.tmp";
  const std::string metric = summary.empty() ? "metric" : summary.front().metric;
  std::string gp = "set terminal png size " + std::to_string(300 + 60 * summary.size()) + ",600\n";
  gp += "set output " + gp_string(tmp.string()) + "\n";
  gp += "set style fill solid 0.6\nset boxwidth 0.7\nset xtics rotate by -40 font ',8'\nset bmargin 12\n";
  gp += "set ylabel " + gp_string("test " + metric + " (mean, std over seeds)") + "\nset yrange [0:*]\nset key off\n";
  gp += "set xrange [-0.6:" + std::to_string(summary.size()) + "-0.4]\n";
  gp += "plot " + gp_string((dir / "results.dat").string()) + " using 1:2:xtic(4) with boxes, '' using 1:2:3 with yerrorbars lc rgb 'black'\n";
  write_text(dir / "results.gp", gp);
  const std::string command = "gnuplot " + gp_string((dir / "results.gp").string()) + " 2>&1";
  if (std::system(command.c_str()) != 0 || !fs::exists(tmp)) {
    throw UsageError("gnuplot failed to draw " + png.string() + " (is gnuplot installed? Debian: gnuplot-nox); results.md and results.csv are written");
  }
  fs::rename(tmp, png);
}

}  // namespace graphtx
