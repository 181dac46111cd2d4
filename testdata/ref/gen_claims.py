#!/usr/bin/python3
"""Reference for package claims: the seed book's hand gradients against
PyTorch autograd in float64 (Debian's python3-torch).

Two models with a mean squared loss, inputs drawn with NumPy
(np.random.seed(14)) and written out in full:
  - linreg: L = mean((X @ W + b - Y)^2), batch 10. The textbook's hand
    gradients are dW = 2 X^T (XW + b - Y), db = 2 sum(XW + b - Y): the
    gradient of the sum, 10x the true one.
  - twolayer: L = mean((relu(X @ W1 + b1) @ W2 + b2 - Y)^2), batch 5, the
    textbook's manual backward pass without the 1/n: 5x the true one.
"claims" are those textbook formulas written in NumPy; "exact" is torch
autograd. Run from the repository root:
    /usr/bin/python3 testdata/ref/gen_claims.py
"""
import json, os
import numpy as np
import torch

np.random.seed(14)


def autograd(fn, m):
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in m.items()}
    L = fn(t)
    L.backward()
    return L.item(), {k: v.grad.tolist() for k, v in t.items() if k not in ("X", "Y")}


out = {"torch": torch.__version__, "cases": []}

# linear regression, batch 10
n = 10
X = np.random.randn(n, 3)
Y = X @ np.array([[1.5], [-2.0], [0.5]]) + 0.3 + 0.1 * np.random.randn(n, 1)
m = {"X": X, "Y": Y, "W": np.random.randn(3, 1), "b": np.random.randn(1, 1)}
value, exact = autograd(lambda t: ((t["X"] @ t["W"] + t["b"] - t["Y"]) ** 2).mean(), m)
r = m["X"] @ m["W"] + m["b"] - m["Y"]
claims = {"W": 2 * m["X"].T @ r, "b": 2 * r.sum(axis=0, keepdims=True)}
out["cases"].append({"name": "linreg", "expr": "mean((X @ W + b - Y)^2)", "value": value,
                     "matrices": {k: v.tolist() for k, v in m.items()},
                     "exact": exact, "claims": {k: v.tolist() for k, v in claims.items()}})

# two-layer network, batch 5
n = 5
m = {"X": np.random.randn(n, 3), "Y": np.random.randn(n, 2),
     "W1": np.random.randn(3, 4), "b1": np.random.randn(1, 4),
     "W2": np.random.randn(4, 2), "b2": np.random.randn(1, 2)}
value, exact = autograd(lambda t: ((torch.relu(t["X"] @ t["W1"] + t["b1"]) @ t["W2"] + t["b2"] - t["Y"]) ** 2).mean(), m)
Z1 = m["X"] @ m["W1"] + m["b1"]
H = np.maximum(Z1, 0)
dZ2 = 2 * (H @ m["W2"] + m["b2"] - m["Y"]) / m["Y"].shape[1]  # the book averages over outputs, sums over the batch
dH = dZ2 @ m["W2"].T
dZ1 = dH * (Z1 > 0)
claims = {"W2": H.T @ dZ2, "b2": dZ2.sum(axis=0, keepdims=True),
          "W1": m["X"].T @ dZ1, "b1": dZ1.sum(axis=0, keepdims=True)}
out["cases"].append({"name": "twolayer", "expr": "mean((relu(X @ W1 + b1) @ W2 + b2 - Y)^2)", "value": value,
                     "matrices": {k: v.tolist() for k, v in m.items()},
                     "exact": exact, "claims": {k: v.tolist() for k, v in claims.items()}})

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "claims.json"), "w") as f:
    json.dump(out, f, indent=1)
print(len(out["cases"]), "cases, torch", torch.__version__)
