"""Runs a C++ layer benchmark (bench_layers_gnn or bench_layers_attention) and its PyTorch peer in
alternating rounds and prints, per layer, the smallest process CPU ms per step of each side over the
rounds, their ratio (Python / C++) and the peak RSS. Alternating rounds share the machine's load;
the minimum is the least disturbed step. OPENBLAS_NUM_THREADS is set to the thread count and
OMP_WAIT_POLICY to PASSIVE on both sides (idle OpenMP workers sleep instead of spinning, so the CPU
time counts work, not waiting, on a loaded machine). Usage (Debian's /usr/bin/python3):
  compare_layers.py --build build-layers-a --suite gnn --threads 1 --rounds 3 [--only GatedGCN]"""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def cpp_round(binary, threads, only, n, d):
    out = subprocess.run(
        [binary, f"--benchmark_filter=({only}).*n:{n}/d:{d}/threads:{threads}/", "--benchmark_min_time=1",
         "--benchmark_format=json"], capture_output=True, text=True, check=True).stdout
    rows = {}
    for bench in json.loads(out)["benchmarks"]:
        if "cpu_ms" in bench:
            rows[bench["name"].split("/")[0].removeprefix("BM_")] = (bench["cpu_ms"], bench["peak_MB"])
    return rows


def python_round(suite, threads, only, n, d, repeats):
    script = os.path.join(HERE, f"layers_{suite}.py")
    args = [sys.executable, script, "--n", str(n), "--d", str(d), "--threads", str(threads), "--repeats", str(repeats)]
    args += ["--only", only] + (["--skip-full"] if suite == "gnn" else [])
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rows = {}
    if suite == "gnn":
        for line in out.splitlines()[1:]:
            name, _, cpu, peak = line.split()
            rows[name] = (float(cpu), float(peak))
    else:
        for name, cpu, peak in re.findall(r"(\w+) wall [\d.]+ ms cpu ([\d.]+) ms peak ([\d.]+) MB", out):
            rows[name] = (float(cpu), float(peak))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", required=True, help="build directory with bin/bench_layers_*")
    parser.add_argument("--suite", choices=["gnn", "attention"], required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5, help="timed steps per Python round")
    parser.add_argument("--only", default="", help="regular expression on the layer names")
    parser.add_argument("--n", type=int, default=125)
    parser.add_argument("--d", type=int, default=128)
    args = parser.parse_args()
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    binary = os.path.join(args.build, "bin", f"bench_layers_{args.suite}")
    best = {}
    loads = []
    for _ in range(args.rounds):
        loads.append(os.getloadavg()[0])
        for side, rows in (("cpp", cpp_round(binary, args.threads, args.only, args.n, args.d)),
                           ("py", python_round(args.suite, args.threads, args.only, args.n, args.d, args.repeats))):
            for name, (cpu, peak) in rows.items():
                entry = best.setdefault(name, {}).setdefault(side, [float("inf"), 0.0])
                entry[0] = min(entry[0], cpu)
                entry[1] = max(entry[1], peak)
    print(f"suite={args.suite} threads={args.threads} n={args.n} d={args.d} rounds={args.rounds} "
          f"load1={min(loads):.1f}-{max(loads):.1f}")
    print(f"{'layer':22s} {'C++ cpu ms':>10s} {'Py cpu ms':>10s} {'ratio':>6s} {'C++ MB':>7s} {'Py MB':>7s}")
    for name, sides in best.items():
        if "cpp" in sides and "py" in sides:
            (c, cm), (p, pm) = sides["cpp"], sides["py"]
            print(f"{name:22s} {c:10.1f} {p:10.1f} {p / c:6.2f} {cm:7.0f} {pm:7.0f}")


if __name__ == "__main__":
    main()
