// Peak resident set size of this process (VmHWM of /proc/self/status) in MiB, and a reset of that
// mark (writing 5 to /proc/self/clear_refs) so consecutive runs in one process are measured
// separately. Linux only; -1 when /proc is unavailable. O(1).
#pragma once

namespace graphtx {

double peak_rss_mib();
void reset_peak_rss();

}  // namespace graphtx
