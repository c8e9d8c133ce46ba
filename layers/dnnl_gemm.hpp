// sgemm: C = alpha op(A) op(B) + beta C over row-major float matrices, on oneDNN's sgemm (Debian's
// libdnnl, the library LibTorch links). op is 'N' (as stored) or 'T' (transposed); lda, ldb, ldc are
// row strides, so a column block of a wider matrix (one head of a QKV row) needs no copy.
//   A [M, K] ('N') or [K, M] ('T'), B [K, N] or [N, K], C [M, N]. Cost O(M N K).
// Inside a parallel region it runs on the calling thread: results do not depend on the thread count.
#pragma once

#include <cstdint>

namespace graphtx {

void sgemm(char trans_a, char trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
           const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

}  // namespace graphtx
