// Progress on stderr for long jobs: on a TTY a redrawn bar with rate and ETA (at most 10 redraws
// per second); otherwise a plain line every `plain_interval` seconds and one at the end.
// Silent when quiet. Cost: one clock read per update().
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace graphtx::cli {

class ProgressBar {
 public:
  ProgressBar(std::string what, std::int64_t total, std::string unit, bool quiet, double plain_interval = 10.0);
  void update(std::int64_t done);
  void finish();

 private:
  void draw(bool final);
  std::string what_, unit_;
  std::int64_t total_, done_ = 0;
  bool quiet_, tty_;
  double plain_interval_;
  std::chrono::steady_clock::time_point start_, last_;
};

// "1:02:03" / "2:03" for a duration in seconds.
std::string format_duration(double seconds);

}  // namespace graphtx::cli
