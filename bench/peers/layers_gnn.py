"""PyTorch (Python) peer of bench/layers_gnn.cpp: GCN, GINE, GatedGCN, GPS (GINE or GatedGCN +
nn.MultiheadAttention with a key-padding mask) and GRIT (sparse over edges, full over dense pairs),
forward + backward per batch of B = 32 random trees (both edge directions), written the way a
PyTorch user would (PyG-style scatter with index_add). Run with Debian's /usr/bin/python3:
`layers_gnn.py --n 125 --d 128 --threads 1`. Prints ms per step for each layer."""
import argparse
import re
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from peak_memory import peak_mb, reset_peak

B = 32


def tree_batch(n, d):
    torch.manual_seed(0)
    src, dst = [], []
    for g in range(B):
        start = g * n
        for v in range(1, n):
            parent = start + int(torch.randint(0, v, (1,)))
            src += [parent, start + v]
            dst += [start + v, parent]
    edge_index = torch.tensor([src, dst])
    ptr = torch.arange(0, (B + 1) * n, n)
    degree = torch.bincount(edge_index[1], minlength=B * n).float()
    return torch.randn(B * n, d), edge_index, torch.randn(len(src), d), ptr, degree


def scatter_sum(src, index, n):
    return src.new_zeros((n,) + src.shape[1:]).index_add(0, index, src)


def segment_softmax(scores, index, n):
    seg_max = scores.new_zeros((n,) + scores.shape[1:]).scatter_reduce(
        0, index.view(-1, *([1] * (scores.dim() - 1))).expand_as(scores), scores.detach(), "amax",
        include_self=False)
    ex = (scores - seg_max[index]).exp()
    return ex / (scatter_sum(ex, index, n)[index] + 1e-16)


def to_dense(x, ptr):
    counts = ptr[1:] - ptr[:-1]
    N = int(counts.max())
    batch = torch.repeat_interleave(torch.arange(len(counts)), counts)
    pos = torch.arange(x.shape[0]) - ptr[batch]
    dense = x.new_zeros(len(counts), N, x.shape[1])
    dense[batch, pos] = x
    mask = torch.zeros(len(counts), N, dtype=torch.bool)
    mask[batch, pos] = True
    return dense, mask


class GCN(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.lin, self.bias = nn.Linear(d, d, bias=False), nn.Parameter(torch.zeros(d))

    def forward(self, x, edge_index, edge_attr, ptr, degree):
        src, dst = edge_index
        deg_inv_sqrt = (scatter_sum(torch.ones(src.shape[0]), dst, x.shape[0]) + 1).rsqrt()
        norm = deg_inv_sqrt[src] * deg_inv_sqrt[dst]
        h = self.lin(x)
        out = h * deg_inv_sqrt.pow(2).unsqueeze(1) + scatter_sum(h[src] * norm.unsqueeze(1), dst, x.shape[0])
        return out + self.bias, edge_attr


class GINE(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))
        self.eps = nn.Parameter(torch.zeros(()))

    def forward(self, x, edge_index, edge_attr, ptr=None, degree=None):
        src, dst = edge_index
        agg = scatter_sum(F.relu(x[src] + edge_attr), dst, x.shape[0])
        return self.mlp((1 + self.eps) * x + agg), edge_attr


class GatedGCN(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.A, self.B, self.C, self.D, self.E = (nn.Linear(d, d) for _ in range(5))
        self.bn_h, self.bn_e = nn.BatchNorm1d(d), nn.BatchNorm1d(d)

    def forward(self, x, edge_index, edge_attr, ptr=None, degree=None):
        src, dst = edge_index
        e = self.D(x)[dst] + self.E(x)[src] + self.C(edge_attr)
        gate = torch.sigmoid(e)
        h = self.A(x) + scatter_sum(gate * self.B(x)[src], dst, x.shape[0]) / (
            scatter_sum(gate, dst, x.shape[0]) + 1e-6)
        return x + F.relu(self.bn_h(h)), edge_attr + F.relu(self.bn_e(e))


class GPS(nn.Module):
    def __init__(self, d, local, heads=8):
        super().__init__()
        self.local = local
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.n1, self.n2, self.n3 = nn.BatchNorm1d(d), nn.BatchNorm1d(d), nn.BatchNorm1d(d)
        self.ffn = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))

    def forward(self, x, edge_index, edge_attr, ptr, degree=None):
        local, e = self.local(x, edge_index, edge_attr)
        h_local = self.n1(x + local)
        dense, mask = to_dense(x, ptr)
        attended = self.attn(dense, dense, dense, key_padding_mask=~mask, need_weights=False)[0][mask]
        h = h_local + self.n2(x + attended)
        return self.n3(h + self.ffn(h)), e


def signed_sqrt(x):
    return torch.sqrt(torch.relu(x)) - torch.sqrt(torch.relu(-x))


class GRIT(nn.Module):
    def __init__(self, d, heads=8):
        super().__init__()
        self.d, self.h, self.dh = d, heads, d // heads
        self.Q, self.K, self.V, self.E = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, 2 * d)
        self.Aw = nn.Parameter(torch.randn(heads, self.dh) * 0.1)
        self.Ev = nn.Parameter(torch.randn(heads, self.dh, self.dh) * 0.1)
        self.deg_coef = nn.Parameter(torch.randn(d, 2) * 0.1)
        self.O_h, self.O_e = nn.Linear(d, d), nn.Linear(d, d)
        self.bn_h, self.bn_e, self.bn_ffn = nn.BatchNorm1d(d), nn.BatchNorm1d(d), nn.BatchNorm1d(d)
        self.ffn = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))

    def finish(self, x, pairs, attended, updated, degree):
        h = attended * self.deg_coef[:, 0] + attended * torch.log1p(degree).unsqueeze(1) * self.deg_coef[:, 1]
        h = self.bn_h(x + self.O_h(h))
        return self.bn_ffn(h + self.ffn(h)), self.bn_e(pairs + self.O_e(updated))

    def forward(self, x, edge_index, edge_attr, ptr, degree):
        n, p, h, dh = x.shape[0], edge_attr.shape[0], self.h, self.dh
        src, dst = edge_index
        qk = (self.Q(x)[dst] + self.K(x)[src]).view(p, h, dh)
        ew, eb = self.E(edge_attr).view(p, h, 2 * dh).split(dh, -1)
        e = F.relu(signed_sqrt(qk * ew) + eb)
        alpha = segment_softmax((e * self.Aw).sum(-1).clamp(-5, 5), dst, n).unsqueeze(-1)
        out = scatter_sum(self.V(x).view(n, h, dh)[src] * alpha, dst, n)
        out = out + torch.einsum("nhd,hdc->nhc", scatter_sum(e * alpha, dst, n), self.Ev)
        return self.finish(x, edge_attr, out.reshape(n, self.d), e.reshape(p, self.d), degree)

    def forward_dense(self, x, ptr, pairs, degree):
        dense, mask = to_dense(x, ptr)
        b, N, _ = dense.shape
        h, dh = self.h, self.dh
        qk = self.Q(dense).view(b, N, 1, h, dh) + self.K(dense).view(b, 1, N, h, dh)
        ew, eb = self.E(pairs).view(b, N, N, h, 2 * dh).split(dh, -1)
        pair_mask = mask.unsqueeze(2) & mask.unsqueeze(1)
        e = F.relu(signed_sqrt(qk * ew) + eb) * pair_mask.view(b, N, N, 1, 1)
        scores = (e * self.Aw).sum(-1).clamp(-5, 5).masked_fill(~pair_mask.unsqueeze(-1), -1e30)
        alpha = torch.softmax(scores, 2) * pair_mask.unsqueeze(-1)
        out = torch.einsum("bijh,bjhd->bihd", alpha, self.V(dense).view(b, N, h, dh))
        out = out + torch.einsum("bihd,hdc->bihc", torch.einsum("bijh,bijhd->bihd", alpha, e), self.Ev)
        node, pair = self.finish(x, pairs[pair_mask], out.reshape(b, N, self.d)[mask],
                                 e.reshape(b, N, N, self.d)[pair_mask], degree)
        return node, pairs.new_zeros(pairs.shape).index_put((pair_mask,), pair)


def time_step(step, repeats):
    """(wall ms, process CPU ms, peak RSS MB) per step; CPU time is the fairer figure on a loaded
    machine."""
    step()
    reset_peak()
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(repeats):
        step()
    return ((time.perf_counter() - start) / repeats * 1e3, (time.process_time() - cpu) / repeats * 1e3, peak_mb())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=125)
    parser.add_argument("--d", type=int, default=128)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-full", action="store_true", help="skip GRIT on dense pairs (~5 GB)")
    parser.add_argument("--only", default="", help="regular expression: time only the layers it matches")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    x, edge_index, edge_attr, ptr, degree = tree_batch(args.n, args.d)
    d = args.d
    models = {"GCNConv": GCN(d), "GINEConv": GINE(d), "GatedGCNLayer": GatedGCN(d),
              "GPSLayer_GINE": GPS(d, GINE(d)), "GPSLayer_GatedGCN": GPS(d, GatedGCN(d)),
              "GRITLayer_sparse": GRIT(d)}
    results = {}
    models = {name: model for name, model in models.items() if re.search(args.only, name)}
    for name, model in models.items():
        def step(model=model):
            a, b = model(x, edge_index, edge_attr, ptr, degree)
            (a.sum() + b.sum()).backward()
        results[name] = time_step(step, args.repeats)
    if not args.skip_full and re.search(args.only, "GRITLayer_full"):
        grit = GRIT(d)
        pairs = torch.randn(B, args.n, args.n, d)

        def full_step():
            a, b = grit.forward_dense(x, ptr, pairs, degree)
            (a.sum() + b.sum()).backward()
        results["GRITLayer_full"] = time_step(full_step, max(1, args.repeats // 2))
    print(f"python n={args.n} d={args.d} threads={args.threads} (wall ms / cpu ms / peak MB):")
    for name, (wall, cpu, peak) in results.items():
        print(f"  {name:20s} {wall:9.1f} {cpu:9.1f} {peak:9.0f}")


if __name__ == "__main__":
    main()
