#!/usr/bin/python3
"""Benchmarks: the runner beside NumPy and PyTorch on the same work, on the
same machine, in one go. Prints a Markdown table of median wall times, peak
memory and ratios (runner / reference). See bench/README.md.

usage: /usr/bin/python3 bench/run.py [--runs N] [--sizes 1024,2048] [--chain-points N] [--write]
  --write  also writes bench/RESULTS.md
"""
import argparse, os, platform, resource, shutil, statistics, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)

def sh(cmd, env=None):
    subprocess.run(cmd, check=True, cwd=root, env=env, stdout=subprocess.DEVNULL)

def measure(cmd, runs, env=None):
    """Median wall time and median CPU time (user + system) over runs, and
    the peak RSS of one run, each in a fresh wrapper process so the RSS and
    the CPU time are that command's own."""
    walls, cpus, rss = [], [], 0
    for _ in range(runs):
        w = subprocess.run([sys.executable, "-c", WRAP, *cmd], cwd=root, env=env, capture_output=True, text=True)
        if w.returncode != 0:
            sys.exit(f"{cmd}: {w.stderr}")
        wall, cpu, maxrss = w.stdout.split()
        walls.append(float(wall)); cpus.append(float(cpu)); rss = max(rss, int(maxrss))
    return statistics.median(walls), statistics.median(cpus), rss / 1024

WRAP = """
import resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
wall = time.perf_counter() - t
if p.returncode not in (0, 1):
    sys.exit(p.stderr)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, u.ru_utime + u.ru_stime, u.ru_maxrss)
"""

# the references, each a small program timed from start to results (imports
# included, as the runner's time includes its start)
NUMPY_GRAD = """
import sys, numpy as np
n = int(sys.argv[1])
np.random.seed(1); X = np.random.randn(n, n); W = np.random.randn(n, n)
def sigmoid(x): return 1 / (1 + np.exp(-x))
def deriv(f, x, d=0.001): return (f(x + d) - f(x - d)) / (2 * d)   # the seed's recipe
N = X @ W
dS = deriv(sigmoid, N)
L = sigmoid(N).sum()
dX = dS @ W.T
dW = X.T @ dS
print(L, dX[0, 0], dW[0, 0])
"""
TORCH_GRAD = """
import sys, numpy as np, torch
n = int(sys.argv[1])
np.random.seed(1); X = np.random.randn(n, n); W = np.random.randn(n, n)
X = torch.tensor(X, dtype=torch.float64, requires_grad=True)
W = torch.tensor(W, dtype=torch.float64, requires_grad=True)
L = torch.sigmoid(X @ W).sum()
L.backward()
print(L.item(), X.grad[0, 0].item(), W.grad[0, 0].item())
"""
# the machine's limit: the three products of work 1 alone, in NumPy
# (OpenBLAS on every core), in-process, the best of 3; prints wall and CPU
# seconds
NUMPY_GEMM = """
import sys, time, numpy as np
n = int(sys.argv[1])
np.random.seed(1); X = np.random.randn(n, n); W = np.random.randn(n, n)
best, cpu = 1e9, 1e9
for _ in range(3):
    t, c = time.perf_counter(), time.process_time()
    N = X @ W; dX = N @ W.T; dW = X.T @ N
    best, cpu = min(best, time.perf_counter() - t), min(cpu, time.process_time() - c)
print(best, cpu)
"""
NUMPY_CHAIN = """
import sys, numpy as np
x = np.linspace(-3, 3, int(sys.argv[2]))
h = 0.001
def lrelu(x): return np.maximum(0.2 * x, x)
def sq(x): return x * x
def sig(x): return 1 / (1 + np.exp(-x))
def deriv(f, x): return (f(x + h) - f(x - h)) / (2 * h)
u1 = lrelu(x); u2 = sq(u1); v = sig(u2)
exact = (sig(u2) * (1 - sig(u2))) * (2 * u1) * np.where(x > 0, 1.0, 0.2)
numeric = deriv(sig, u2) * deriv(sq, u1) * deriv(lrelu, x)
np.savetxt(sys.argv[1], np.column_stack([x, v, exact, numeric, np.abs(numeric - exact)]), delimiter=",", fmt="%.17g")
"""

def experiment(dir, n, method, full=True):
    path = os.path.join(dir, f"layer{n}-{method}{'' if full else '-nofull'}.yaml")
    with open(path, "w") as f:
        f.write(f"""random: {{seed: 1}}
explain: false
numeric: {{method: {method}}}
matrices:
  X: {{randn: [{n}, {n}]}}
  W: {{randn: [{n}, {n}]}}
gradients:
  - {{name: L, expr: sum(sigmoid(X @ W)){'' if full else ', full_gradients: false'}}}
""")
    return path

def have(module):
    return subprocess.run(["/usr/bin/python3", "-c", f"import {module}"], capture_output=True).returncode == 0

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="1024,2048")
    ap.add_argument("--chain-points", type=int, default=10_000_000)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--compare", metavar="BIN", help="also time this runner binary (e.g. built from an earlier commit) on work 1")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    load_before = os.getloadavg()
    tmp = tempfile.mkdtemp(prefix="runner-bench-")
    runner = os.path.join(tmp, "runner")
    sh(["go", "build", "-o", runner, "./cmd/runner"])
    kernel = next((l.split(":", 1)[1].strip() for l in subprocess.run([runner, "--version"], capture_output=True, text=True).stdout.splitlines()
                   if l.startswith("matrix products:")), "?")
    # every program runs without this workplace's OPENBLAS_* overrides, which
    # slow OpenBLAS 0.3.21 on this CPU (see bench/README.md)
    refenv = {k: v for k, v in os.environ.items() if not k.startswith("OPENBLAS_")}
    out = os.path.join(tmp, "out")
    programs = {"runner": [runner]}
    probe = subprocess.run([runner, "--blas", "openblas", "--out", out, "experiments/04-matrix-product.yaml"], cwd=root, env=refenv, capture_output=True, text=True)
    if probe.returncode == 0:
        programs["runner --blas openblas"] = [runner, "--blas", "openblas"]
    else:
        print("--blas openblas skipped: " + probe.stderr.strip().splitlines()[0], file=sys.stderr)
    if a.compare:
        programs[f"runner ({a.compare})"] = [os.path.abspath(a.compare)]
    refs = {}
    if have("numpy"):
        refs["NumPy (seed recipe)"] = NUMPY_GRAD
    else:
        print("NumPy missing: apt-get install python3-numpy", file=sys.stderr)
    if have("torch"):
        refs["PyTorch autograd"] = TORCH_GRAD
    else:
        print("PyTorch missing: apt-get install python3-torch", file=sys.stderr)
    rows = []
    def add(work, name, res, base, ratio_to):
        # wall and CPU ratios to the first reference, the wall ratio to the second
        t, cpu, m = res
        cells = ["", "", ""]
        for i, r in enumerate(ratio_to[:2]):
            if r in base:
                cells[2 * i] = f"{t / base[r][0]:.2f}×"
                if i == 0 and base[r][1] > 0:
                    cells[1] = f"{cpu / base[r][1]:.2f}×"
        rows.append([work, name, f"{t:.3f}", f"{cpu:.3f}", f"{m:.0f}"] + cells)
    for n in sizes:
        res = {}
        for name, cmd in programs.items():
            res[name] = measure(cmd + ["-j", "1", "--out", out, experiment(tmp, n, "none")], a.runs, refenv)
            if not name.startswith("runner ("):
                res[name + ", full_gradients: false"] = measure(cmd + ["-j", "1", "--out", out, experiment(tmp, n, "none", full=False)], a.runs, refenv)
        res["runner, numeric check (central, sampled)"] = measure([runner, "-j", "1", "--out", out, experiment(tmp, n, "central")], a.runs, refenv)
        for name, src in refs.items():
            res[name] = measure(["/usr/bin/python3", "-c", src, str(n)], a.runs, refenv)
        for name, r in res.items():
            add(f"1: gradient, n = {n}", name, r, res, list(refs))
        if "NumPy (seed recipe)" in refs:
            limit, limit_cpu = map(float, subprocess.run(["/usr/bin/python3", "-c", NUMPY_GEMM, str(n)], env=refenv, capture_output=True, text=True, check=True).stdout.split())
            base = res["NumPy (seed recipe)"]
            rows.append([f"1: gradient, n = {n}", "machine's GEMM limit: the three products alone (NumPy, in-process, best of 3)",
                         f"{limit:.3f}", f"{limit_cpu:.3f}", "", f"{limit / base[0]:.2f}×", f"{limit_cpu / base[1]:.2f}×", ""])
    pts = a.chain_points
    chain = os.path.join(tmp, "chain.yaml")
    with open(chain, "w") as f:
        f.write(f"chains:\n  - {{name: c, of: [leaky_relu, square, sigmoid], at: {{x: {{from: -3, to: 3, count: {pts}}}}}, explain: false}}\n")
    res = {"runner": measure([runner, "-j", "1", "--out", out, chain], a.runs, refenv)}
    if "NumPy (seed recipe)" in refs:
        res["NumPy + np.savetxt"] = measure(["/usr/bin/python3", "-c", NUMPY_CHAIN, os.path.join(tmp, "chain.csv"), str(pts)], a.runs, refenv)
    for name, r in res.items():
        add(f"2: chain, {pts:,} points", name, r, res, ["NumPy + np.savetxt"])
    r = measure([runner, "--out", out, "experiments/"], max(a.runs, 5), refenv)
    rows.append(["3: experiments/ folder", "runner", f"{r[0]:.3f}", f"{r[1]:.3f}", f"{r[2]:.0f}", "", "", ""])
    load_after = os.getloadavg()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "?")
    lines = [f"Machine: {cpu}, {os.cpu_count()} cores, {int(mem) // 1024 // 1024} GiB; {platform.platform()}; "
             f"{subprocess.run(['go', 'version'], capture_output=True, text=True).stdout.strip()}; "
             f"the runner's own GEMM kernel here: {kernel}. "
             f"Load average (1, 5, 15 min) {', '.join(f'{x:.2f}' for x in load_before)} before the run and "
             f"{', '.join(f'{x:.2f}' for x in load_after)} after: the machine is shared, so wall times are noisy and the "
             f"CPU seconds (user + system, of the process and its threads) are the steadier measure. "
             f"Median of {a.runs} runs (work 3: {max(a.runs, 5)}); times from process start to results written; "
             f"memory is peak resident set. Ratios are runner / reference (below 1 means the runner is faster), of wall "
             f"times and, for NumPy, of CPU times too.", "",
             "| work | program | wall s | CPU s | peak MiB | ÷ NumPy (wall) | ÷ NumPy (CPU) | ÷ PyTorch (wall) |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    if a.write:
        with open(os.path.join(here, "RESULTS.md"), "w") as f:
            f.write("# Benchmark results\n\nWritten by `bench/run.py --write`.\n\n" + text)
    shutil.rmtree(tmp)

if __name__ == "__main__":
    main()
