#!/usr/bin/python3
"""Reference values for the function registry, computed outside the project
with mpmath at 120 significant digits (Debian's python3-mpmath, which comes
with python3-sympy). Writes funcs.csv: name, params, x, value, and the first, second and third
derivatives.

Run from the repository root:  /usr/bin/python3 testdata/ref/gen_funcs.py
"""
import csv, os
from mpmath import mp, mpf, sqrt, exp, log, sin, cos, tan, tanh, erfc, diff, pi

mp.dps = 120  # gelu''(20) ≈ −2e-85 beside gelu(20) = 20 needs about 90 digits

def sigmoid(x): return 1 / (1 + exp(-x))
def normcdf(x): return erfc(-x / sqrt(2)) / 2  # erfc: no cancellation for x ≪ 0

# name, params, f(x, params): each value computed directly from its definition
F = {
    "identity":   lambda x, p: x,
    "square":     lambda x, p: x * x,
    "cube":       lambda x, p: x ** 3,
    "pow":        lambda x, p: x ** p[0],
    "sqrt":       lambda x, p: sqrt(x),
    "exp":        lambda x, p: exp(x),
    "log":        lambda x, p: log(x),
    "sin":        lambda x, p: sin(x),
    "cos":        lambda x, p: cos(x),
    "tan":        lambda x, p: tan(x),
    "tanh":       lambda x, p: tanh(x),
    "sigmoid":    lambda x, p: sigmoid(x),
    "relu":       lambda x, p: max(mpf(0), x),
    "leaky_relu": lambda x, p: max(p[0] * x, x),
    "elu":        lambda x, p: x if x > 0 else p[0] * (exp(x) - 1),
    "softplus":   lambda x, p: log(1 + exp(x)),
    "gelu":       lambda x, p: x * normcdf(x),
    "silu":       lambda x, p: x * sigmoid(x),
    "abs":        lambda x, p: abs(x),
    "clip":       lambda x, p: min(max(x, p[0]), p[1]),
    "sign":       lambda x, p: mp.sign(x),
    "log1p":      lambda x, p: log(1 + x),
    "expm1":      lambda x, p: exp(x) - 1,
}
general = ["-3", "-1.5", "-0.25", "0.5", "1", "2.75"]
positive = ["0.01", "0.5", "1", "2.75", "10"]
cases = []
for name in F:
    xs = positive if name in ("sqrt", "log") else general
    if name in ("log1p", "expm1"):
        xs = ["-0.5", "-0.25", "-1e-10", "1e-10", "0.5", "2.75"]  # near 0, where ln(1 + x) and eˣ − 1 lose digits
    params = {"pow": [["3"], ["0.5"], ["-2"]], "leaky_relu": [["0.2"], ["0.1"]], "elu": [["1"], ["0.5"]],
              "clip": [["-1", "2"], ["0", "0.75"]]}.get(name, [[]])  # points off the kinks lo and hi
    for p in params:
        pxs = positive if name == "pow" and p[0] == "0.5" else xs
        if name == "pow" and p[0] == "-2":
            pxs = [x for x in xs if x != "0"]
        for x in pxs:
            cases.append((name, p, x))
# large |x|, where a naive sigmoid or softplus overflows or loses everything
for name in ("sigmoid", "softplus", "silu", "tanh", "gelu"):
    for x in ("-800", "-40", "-20", "20", "40", "800"):
        cases.append((name, [], x))

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "funcs.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["name", "params", "x", "value", "derivative", "second", "third"])
    for name, p, x in cases:
        # e^(−|x|) terms beside values of size |x| need about 0.44·|x| digits
        mp.dps = 120 + int(0.45 * abs(float(x)))
        pv = [mpf(v) for v in p]
        fx = lambda t: F[name](t, pv)
        val = fx(mpf(x))
        # mpmath's numerical derivatives, at 50 digits
        der, der2, der3 = (diff(fx, mpf(x), k) for k in (1, 2, 3))
        w.writerow([name, ";".join(p), x, mp.nstr(val, 25), mp.nstr(der, 25), mp.nstr(der2, 25), mp.nstr(der3, 25)])
print("wrote", len(cases), "cases")
