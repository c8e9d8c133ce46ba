// set_cpu_threads: one thread count for all of LibTorch's CPU work, its intra-op pool (ATen's
// parallel loops) and OpenBLAS's own pthread pool behind its matrix products. LibTorch's setting
// alone leaves OpenBLAS at one thread per core: with "1 thread" its workers would still spin on
// the other cores. Call before the first LibTorch operation of a run; cheap (two setter calls).
#pragma once

namespace graphtx {

// threads >= 1; throws UsageError otherwise. With another BLAS than OpenBLAS only LibTorch's pool
// is set (OPENBLAS_NUM_THREADS-style variables of that BLAS then decide).
void set_cpu_threads(int threads);

}  // namespace graphtx
