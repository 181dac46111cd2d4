#!/usr/bin/python3
"""Reference Jacobians and Hessians from PyTorch autograd in float64
(Debian's python3-torch): torch.autograd.functional.jacobian of
matrix-valued expressions and torch.autograd.functional.hessian of scalar
ones, each in the runner's syntax beside the same computation in torch.
A Jacobian of an r×c output with respect to an m×n matrix is written as the
(r·c)×(m·n) matrix of ∂out[i,j]/∂M[k,l], row-major on both sides; a Hessian
with respect to A and B as the (size A)×(size B) matrix of
∂²L/∂A[i,j]∂B[k,l]. Run from the repository root:
    /usr/bin/python3 testdata/ref/gen_jacobians.py
"""
import json, os
import numpy as np
import torch
from torch.autograd.functional import jacobian, hessian

np.random.seed(9)
M = {"X": np.random.randn(3, 4), "W": np.random.randn(4, 2), "Z": np.random.randn(2, 3)}
L = {"y": np.array([[2], [0]])}
t = {k: torch.tensor(v, dtype=torch.float64) for k, v in M.items()}
y = torch.tensor(L["y"], dtype=torch.int64)

jac_cases = [
    ("sigmoid(X @ W)", ["X", "W"], lambda X, W: torch.sigmoid(X @ W)),
    ("tanh(X) * X - X @ transpose(X) @ X", ["X"], lambda X: torch.tanh(X) * X - X @ X.T @ X),
    ("pick(Z * Z, y)", ["Z"], lambda Z: (Z * Z).gather(1, y)),
]
hess_cases = [
    ("sum(tanh(X @ W))", ["X", "W"], lambda X, W: torch.tanh(X @ W).sum()),
    ("cross_entropy(Z, y)", ["Z"], lambda Z: torch.nn.functional.cross_entropy(Z, y[:, 0])),
    ("mean(sigmoid(X @ W) ^ 2)", ["W"], lambda W: (torch.sigmoid(t["X"] @ W) ** 2).mean()),
]

def flat(block, out_numel, in_numel):
    return block.reshape(out_numel, in_numel).tolist()

out = {"matrices": {k: v.tolist() for k, v in M.items()}, "labels": {k: v.tolist() for k, v in L.items()}, "jacobians": [], "hessians": []}
for src, wrt, fn in jac_cases:
    args = tuple(t[w] for w in wrt)
    val = fn(*args)
    js = jacobian(fn, args)
    out["jacobians"].append({"expr": src, "wrt": wrt, "value": val.tolist(),
                             "blocks": {w: flat(js[i], val.numel(), args[i].numel()) for i, w in enumerate(wrt)}})
for src, wrt, fn in hess_cases:
    args = tuple(t[w] for w in wrt)
    h = hessian(fn, args)
    blocks = {}
    for i, a in enumerate(wrt):
        for k, b in enumerate(wrt):
            blocks[a + "," + b] = h[i][k].reshape(args[i].numel(), args[k].numel()).tolist()
    out["hessians"].append({"expr": src, "wrt": wrt, "value": fn(*args).item(), "blocks": blocks})

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "jacobians.json"), "w") as f:
    json.dump(out, f, indent=1)
