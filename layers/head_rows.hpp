// Internal to the fused attention kernels: row operations for H heads of d_h columns (a row holds
// the heads one after the other). The row kernels of those files take restrict-qualified pointers,
// so GCC vectorizes them without run-time alias checks; per-head sums run in four interleaved lanes
// (short dependency chains, one fixed order whatever the thread count). O(H d_h) per call.
#pragma once

#include <cstdint>

namespace graphtx::fused {

// out[h] = Σ_{c < dh} row[h dh + c], as (lane 0 + lane 1) + (lane 2 + lane 3) + the tail, lane l
// summing the columns c ≡ l (mod 4) in order.
template <typename T>
inline void head_sums(const T* __restrict row, int64_t heads, int64_t dh, T* __restrict out) {
  for (int64_t h = 0; h < heads; ++h) {
    const T* r = row + h * dh;
    T lane[4] = {T(0), T(0), T(0), T(0)};
    int64_t c = 0;
    for (; c + 4 <= dh; c += 4)
      for (int l = 0; l < 4; ++l) lane[l] += r[c + l];
    T sum = (lane[0] + lane[1]) + (lane[2] + lane[3]);
    for (; c < dh; ++c) sum += r[c];
    out[h] = sum;
  }
}

// row[c] = per_head[c / dh]: a per-head value spread over its columns.
template <typename T>
inline void spread_heads(const T* __restrict per_head, int64_t heads, int64_t dh, T* __restrict row) {
  for (int64_t h = 0; h < heads; ++h)
    for (int64_t c = 0; c < dh; ++c) row[h * dh + c] = per_head[h];
}

}  // namespace graphtx::fused
