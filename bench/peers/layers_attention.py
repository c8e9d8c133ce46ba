"""PyTorch (Python) peer of bench/layers_attention.cpp: the same RelationalTransformer layer and
GraphTransformerLayer (edge features, BatchNorm), forward + backward per batch of B = 32 random
trees (both edge directions), written the way a PyTorch user would. Run with Debian's
/usr/bin/python3: `layers_attention.py --n 125 --d 128 --threads 1`. Prints wall and process CPU
ms per step (CPU time of all threads, comparable with the cpu_ms counter of the C++ benchmark)."""
import argparse
import math
import re
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from peak_memory import peak_mb, reset_peak

B = 32


def tree_batch(n, d, de):
    torch.manual_seed(0)
    src, dst = [], []
    for g in range(B):
        start = g * n
        for v in range(1, n):
            parent = start + int(torch.randint(0, v, (1,)))
            src += [parent, start + v]
            dst += [start + v, parent]
    ptr = torch.arange(0, (B + 1) * n, n)
    return torch.randn(B * n, d), torch.tensor([src, dst]), torch.randn(len(src), de), ptr


def masked_softmax(scores, mask, dim):
    return torch.softmax(scores.masked_fill(~mask, -1e30), dim) * mask


class RelationalLayer(nn.Module):
    def __init__(self, d, de, heads, node_ffn=32, e1=16, e2=8):
        super().__init__()
        self.d, self.h = d, heads
        self.node_qkv, self.edge_qkv = nn.Linear(d, 3 * d), nn.Linear(de, 3 * d, bias=False)
        self.out = nn.Linear(d, d)
        self.ffn1, self.ffn2 = nn.Linear(d, node_ffn), nn.Linear(node_ffn, d)
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.edge_in, self.node_in = nn.Linear(de, 2 * e1, bias=False), nn.Linear(d, 2 * e1)
        self.edge_out, self.effn1, self.effn2 = nn.Linear(e1, de), nn.Linear(de, e2), nn.Linear(e2, de)
        self.e1n, self.e2n, self.e1 = nn.LayerNorm(de), nn.LayerNorm(de), e1

    def forward(self, n, e, mask):
        b, N, d = n.shape
        h, dh = self.h, d // self.h
        qn, kn, vn = self.node_qkv(n).chunk(3, -1)
        qe, ke, ve = self.edge_qkv(e).chunk(3, -1)
        q = (qn.unsqueeze(2) + qe).view(b, N, N, h, dh)
        k = (kn.unsqueeze(1) + ke).view(b, N, N, h, dh)
        v = (vn.unsqueeze(1) + ve).view(b, N, N, h, dh)
        alpha = masked_softmax((q * k).sum(-1) / math.sqrt(dh), mask.view(b, 1, N, 1), 2)
        a = self.out((alpha.unsqueeze(-1) * v).sum(2).reshape(b, N, d)) * mask.unsqueeze(-1)
        n = self.n1(n + a)
        n = self.n2(n + self.ffn2(F.relu(self.ffn1(n)))) * mask.unsqueeze(-1)
        ea, eb = self.edge_in(e).split(self.e1, -1)
        nc, nd = self.node_in(n).split(self.e1, -1)
        hidden = ea + eb.transpose(1, 2) + nc.unsqueeze(1) + nd.unsqueeze(2)
        e2 = self.e1n(e + self.edge_out(F.relu(hidden)))
        e2 = self.e2n(e2 + self.effn2(F.relu(self.effn1(e2))))
        pair = (mask.unsqueeze(2) & mask.unsqueeze(1)).unsqueeze(-1)
        return n, e2 * pair


class Relational(nn.Module):
    def __init__(self, d, de, heads):
        super().__init__()
        self.no_edge = nn.Parameter(torch.randn(de) * 0.1)
        self.layer = RelationalLayer(d, de, heads)

    def forward(self, x, edge_index, edge_attr, ptr):
        counts = ptr[1:] - ptr[:-1]
        N = int(counts.max())
        batch = torch.repeat_interleave(torch.arange(len(counts)), counts)
        pos = torch.arange(x.shape[0]) - ptr[batch]
        nodes = x.new_zeros(len(counts), N, x.shape[1])
        nodes[batch, pos] = x
        mask = torch.zeros(len(counts), N, dtype=torch.bool)
        mask[batch, pos] = True
        gb = batch[edge_index[1]]
        i, j = edge_index[1] - ptr[gb], edge_index[0] - ptr[gb]
        pairs = x.new_zeros(len(counts), N, N, edge_attr.shape[1]).index_put((gb, i, j), edge_attr, accumulate=True)
        present = torch.zeros(len(counts), N, N, dtype=torch.bool)
        present[gb, i, j] = True
        absent = (mask.unsqueeze(2) & mask.unsqueeze(1) & ~present).unsqueeze(-1)
        return self.layer(nodes, pairs + absent * self.no_edge, mask)


def segment_softmax(scores, index, n):
    seg_max = torch.zeros(n, scores.shape[1]).scatter_reduce(
        0, index.unsqueeze(1).expand_as(scores), scores.detach(), "amax", include_self=False)
    ex = (scores - seg_max[index]).exp()
    denom = torch.zeros(n, scores.shape[1]).index_add(0, index, ex)[index]
    return ex / (denom + 1e-16)


class Stream(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.out, self.ffn1, self.ffn2 = nn.Linear(d, d), nn.Linear(d, 2 * d), nn.Linear(2 * d, d)
        self.bn1, self.bn2 = nn.BatchNorm1d(d), nn.BatchNorm1d(d)

    def forward(self, x, update):
        y = self.bn1(x + self.out(update))
        return self.bn2(y + self.ffn2(F.relu(self.ffn1(y))))


class GraphTransformer(nn.Module):
    def __init__(self, d, heads=8):
        super().__init__()
        self.d, self.h = d, heads
        self.q, self.k, self.v, self.e = (nn.Linear(d, d, bias=False) for _ in range(4))
        self.node_stream, self.edge_stream = Stream(d), Stream(d)

    def forward(self, x, edge_index, edge_attr, ptr):
        n, m, h, dh = x.shape[0], edge_index.shape[1], self.h, self.d // self.h
        src, dst = edge_index
        pair = (self.q(x)[dst].view(m, h, dh) * self.k(x)[src].view(m, h, dh) / math.sqrt(dh)
                * self.e(edge_attr).view(m, h, dh))
        w = segment_softmax(pair.sum(-1), dst, n)
        agg = torch.zeros(n, h, dh).index_add(0, dst, w.unsqueeze(-1) * self.v(x)[src].view(m, h, dh))
        return self.node_stream(x, agg.view(n, self.d)), self.edge_stream(edge_attr, pair.reshape(m, self.d))


def time_step(model, batch, repeats):
    def step():
        a, b = model(*batch)
        (a.sum() + b.sum()).backward()
    step()
    reset_peak()
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(repeats):
        step()
    return ((time.perf_counter() - start) / repeats * 1e3, (time.process_time() - cpu_start) / repeats * 1e3,
            peak_mb())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=125)
    parser.add_argument("--d", type=int, default=128)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", default="", help="regular expression: time only the layers it matches")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    batch = tree_batch(args.n, args.d, args.d)
    models = {"RelationalTransformerLayer": lambda: Relational(args.d, args.d, args.d // 16),
              "GraphTransformerLayer": lambda: GraphTransformer(args.d)}
    timings = [f"{name} wall {wall:.1f} ms cpu {cpu:.1f} ms peak {peak:.0f} MB"
               for name, make in models.items() if re.search(args.only, name)
               for wall, cpu, peak in [time_step(make(), batch, args.repeats)]]
    print(f"python n={args.n} d={args.d} threads={args.threads}: " + "; ".join(timings))

if __name__ == "__main__":
    main()
