#include "apps/progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <utility>

namespace graphtx::cli {

std::string format_duration(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

ProgressBar::ProgressBar(std::string what, std::int64_t total, std::string unit, bool quiet, double plain_interval)
    : what_(std::move(what)), unit_(std::move(unit)), total_(total), quiet_(quiet), tty_(isatty(STDERR_FILENO) != 0),
      plain_interval_(plain_interval), start_(std::chrono::steady_clock::now()), last_(start_) {}

void ProgressBar::update(std::int64_t done) {
  done_ = done;
  if (quiet_) return;
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_).count();
  if (since < (tty_ ? 0.1 : plain_interval_)) return;
  last_ = now;
  draw(false);
}

void ProgressBar::finish() {
  if (quiet_) return;
  draw(true);
}

void ProgressBar::draw(bool final) {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0.0;
  const double frac = total_ > 0 ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0;
  if (tty_) {
    constexpr int width = 30;
    const int filled = static_cast<int>(frac * width);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.append(static_cast<size_t>(width - filled), ' ');
    std::fprintf(stderr, "\r%s [%s] %lld/%lld %s  %.0f %s/s  %s %s\033[K", what_.c_str(), bar.c_str(),
                 static_cast<long long>(done_), static_cast<long long>(total_), unit_.c_str(), rate, unit_.c_str(),
                 final ? "took" : "ETA", format_duration(final ? elapsed : eta).c_str());
    if (final) std::fputc('\n', stderr);
  } else {
    std::fprintf(stderr, "%s: %lld/%lld %s (%.1f%%), %.0f %s/s, %s %s\n", what_.c_str(), static_cast<long long>(done_),
                 static_cast<long long>(total_), unit_.c_str(), 100.0 * frac, rate, unit_.c_str(),
                 final ? "took" : "ETA", format_duration(final ? elapsed : eta).c_str());
  }
  std::fflush(stderr);
}

}  // namespace graphtx::cli
