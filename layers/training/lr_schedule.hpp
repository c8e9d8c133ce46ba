// Learning-rate schedule of `graphtx train`: linear warm-up from base/warmup_steps to base over
// the first warmup_steps steps, then cosine decay to 0 at total_steps:
//   lr(s) = base (s + 1) / W for s < W;  lr(s) = base (1 + cos(pi (s - W) / (T - W))) / 2 otherwise.
// Steps count optimizer updates from 0. O(1).
#pragma once

#include <cstdint>

namespace graphtx {

double warmup_cosine_lr(double base, std::int64_t step, std::int64_t warmup_steps, std::int64_t total_steps);

}  // namespace graphtx
