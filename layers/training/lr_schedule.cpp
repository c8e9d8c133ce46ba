#include "layers/training/lr_schedule.hpp"

#include <algorithm>
#include <cmath>

namespace graphtx {

double warmup_cosine_lr(double base, std::int64_t step, std::int64_t warmup_steps, std::int64_t total_steps) {
  if (step < warmup_steps) return base * static_cast<double>(step + 1) / static_cast<double>(warmup_steps);
  const std::int64_t decay = std::max<std::int64_t>(1, total_steps - warmup_steps);
  const double t = std::min(1.0, static_cast<double>(step - warmup_steps) / static_cast<double>(decay));
  return base * 0.5 * (1.0 + std::cos(M_PI * t));
}

}  // namespace graphtx
