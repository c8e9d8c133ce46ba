#!/usr/bin/python3
"""Sparse peer for MagLapPE and LapPE on one large graph: scipy eigsh (ARPACK) on the sparse
magnetic Laplacian (sym normalization, relative potential q'/max(1, min(m_dir, n)), as the
original code and graphtx) or on the sym-normalized Laplacian. The original MagLap code is dense
(O(n^2) memory), so this is the fastest Python route at n >= 1e5. A complex random start vector
(a real one can return unconverged pairs silently, see docs/pe.md); residuals are checked.

  /usr/bin/python3 maglap_sparse_peer.py --edgelist G.txt --pe maglap_sparse --k 16 --q 0.25

Prints "NAME: graphs=1 nodes=N seconds=S cpu_seconds=C graphs_per_s=R max_residual=E" per
encoding (seconds: wall clock of the eigensolve incl. building the matrix; cpu_seconds: process
CPU time). Thread count: set OPENBLAS_NUM_THREADS.
"""
import argparse
import sys
import time

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as sla


def read_edges(path):
    data = np.loadtxt(path, dtype=np.int64, comments="#", ndmin=2)
    s, d = data[:, 0], data[:, 1]
    ids, inv = np.unique(np.concatenate([s, d]), return_inverse=True)
    return len(ids), inv[:len(s)], inv[len(s):]


def magnetic_laplacian(n, s, d, q_rel):
    A = sp.coo_matrix((np.ones(len(s)), (s, d)), shape=(n, n)).tocsr()
    A.data[:] = 1.0  # multi-edges collapse
    At = A.T.tocsr()
    As = ((A + At) > 0).astype(np.complex128)
    diff = (A - At).tocsr()
    diff.eliminate_zeros()  # one-way pairs only, +1 for u->v, -1 for v->u
    m_dir = diff.nnz // 2
    q = q_rel / max(1, min(m_dir, n))
    E = diff.astype(np.complex128)
    E.data = np.exp(1j * 2 * np.pi * q * diff.data) - 1.0
    deg = np.maximum(np.asarray(As.real.sum(1)).ravel(), 1.0)
    dm = sp.diags(1.0 / np.sqrt(deg))
    return (sp.eye(n, dtype=np.complex128, format="csr") - dm @ (As + E) @ dm).tocsr()


def sym_laplacian(n, s, d):
    A = sp.coo_matrix((np.ones(len(s)), (s, d)), shape=(n, n)).tocsr()
    A = ((A + A.T) > 0).astype(np.float64)
    deg = np.asarray(A.sum(1)).ravel()
    dinv = np.where(deg > 0, 1.0 / np.sqrt(np.maximum(deg, 1e-300)), 0.0)
    return sp.eye(n, format="csr") - sp.diags(dinv) @ A @ sp.diags(dinv)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--edgelist", required=True)
    ap.add_argument("--pe", nargs="+", default=["maglap_sparse"], choices=["maglap_sparse", "lap_sparse"])
    ap.add_argument("--k", type=int, default=16)
    ap.add_argument("--q", type=float, default=0.25, help="relative potential q'")
    a = ap.parse_args()
    n, s, d = read_edges(a.edgelist)
    rng = np.random.default_rng(0)
    for name in a.pe:
        t0, c0 = time.perf_counter(), time.process_time()
        if name == "maglap_sparse":
            H = magnetic_laplacian(n, s, d, a.q)
            v0 = rng.standard_normal(n) + 1j * rng.standard_normal(n)
            vals, vecs = sla.eigsh(H, k=a.k, which="SA", v0=v0)
        else:
            H = sym_laplacian(n, s, d)
            vals, vecs = sla.eigsh(H, k=a.k + 1, which="SA", v0=rng.standard_normal(n))
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        res = np.linalg.norm(H @ vecs - vecs * vals[None, :], axis=0).max()
        print(f"{name}: graphs=1 nodes={n} seconds={dt:.3f} cpu_seconds={dc:.3f} graphs_per_s={1 / dt:.4f} "
              f"max_residual={res:.3e}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
