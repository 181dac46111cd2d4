#!/usr/bin/python3
"""Reference values and gradients from PyTorch autograd in float64 (Debian's
python3-torch) for the operation table's element-wise maximum and minimum,
each expression in the runner's syntax beside the same computation in torch.
torch.maximum and torch.minimum send the gradient to the larger (smaller)
element and split it in half at a tie, as the runner does. T and U agree
exactly in some elements (ties); R is 1×4 and C 3×1 (broadcasting).
Every gradient is written, zeros included. Run from the repository root:
    /usr/bin/python3 testdata/ref/gen_ops.py
"""
import json, os
import numpy as np
import torch

np.random.seed(12)
X = np.random.randn(3, 4)
T = np.round(np.random.randn(3, 4) * 2) / 2
U = T.copy()
U[0, 1] += 0.75; U[1, 0] -= 1.25; U[2, 3] += 0.5; U[1, 2] -= 0.25   # 8 of 12 tie
M = {
    "X": X, "T": T, "U": U,
    "W": np.random.randn(4, 2), "R": np.random.randn(1, 4), "C": np.random.randn(3, 1),
    "Y": np.random.rand(3, 4),
}

mx, mn = torch.maximum, torch.minimum
cases = [
    ("sum(maximum(X, R) * Y)", ["X", "R", "Y"], lambda m: (mx(m["X"], m["R"]) * m["Y"]).sum()),
    ("sum(minimum(X, C) * Y)", ["X", "C", "Y"], lambda m: (mn(m["X"], m["C"]) * m["Y"]).sum()),
    ("mean(maximum(X @ W, 0.25) ^ 2)", ["X", "W"], lambda m: (mx(m["X"] @ m["W"], torch.tensor(0.25, dtype=torch.float64)) ** 2).mean()),
    ("sum(maximum(R, C) * Y)", ["R", "C", "Y"], lambda m: (mx(m["R"], m["C"]) * m["Y"]).sum()),
    ("sum(maximum(T, U) * Y)", ["T", "U", "Y"], lambda m: (mx(m["T"], m["U"]) * m["Y"]).sum()),
    ("sum(minimum(T, U) * Y) - sum(minimum(maximum(X, -0.5), 0.5))", ["T", "U", "Y", "X"],
     lambda m: (mn(m["T"], m["U"]) * m["Y"]).sum() - mn(mx(m["X"], torch.tensor(-0.5, dtype=torch.float64)), torch.tensor(0.5, dtype=torch.float64)).sum()),
]

out = {"matrices": {k: v.tolist() for k, v in M.items()}, "cases": []}
for src, wrt, fn in cases:
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in M.items()}
    L = fn(t)
    L.backward()
    out["cases"].append({"expr": src, "value": L.item(), "grads": {k: t[k].grad.tolist() for k in wrt}})

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "ops.json"), "w") as f:
    json.dump(out, f, indent=1)
