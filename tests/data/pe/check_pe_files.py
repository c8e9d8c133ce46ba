"""Loads a graphtx .pt and .npz written from the same job and checks they agree.

Usage: check_pe_files.py FILE.pt FILE.npz OUT.txt
Writes every array to OUT.txt as 'name dtype shape v0 v1 ...' (repr of float32 values) so the
C++ test can compare them with its own computation.
"""
import sys

import numpy as np
import torch

pt = torch.load(sys.argv[1])
npz = np.load(sys.argv[2])
assert isinstance(pt, dict), type(pt)
assert sorted(pt.keys()) == sorted(npz.files), (sorted(pt.keys()), npz.files)
with open(sys.argv[3], "w") as out:
    for name in sorted(pt.keys()):
        t = pt[name].numpy()
        a = npz[name]
        assert t.dtype == a.dtype, (name, t.dtype, a.dtype)
        assert t.shape == a.shape, (name, t.shape, a.shape)
        assert np.array_equal(t, a), name
        flat = " ".join(repr(float(v)) for v in a.reshape(-1))
        out.write(f"{name} {a.dtype} {'x'.join(map(str, a.shape))} {flat}\n")
print("ok", len(pt))
