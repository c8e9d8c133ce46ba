// Ctrl-C for long commands: while an InterruptGuard lives, the first SIGINT only sets a flag
// that the work polls (requested()) to save its state and return; a second SIGINT terminates
// as usual. The previous handler is restored on destruction. O(1).
#pragma once

namespace graphtx::cli {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  static bool requested();
};

}  // namespace graphtx::cli
