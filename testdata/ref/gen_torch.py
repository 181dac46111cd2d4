#!/usr/bin/python3
"""Reference gradients from PyTorch autograd in float64 (Debian's
python3-torch), for expressions in the runner's syntax, each with the same
computation written in torch beside it. Inputs are drawn with NumPy
(np.random.seed(11)) and written out in full, so the Go test reads exactly
these matrices. Run from the repository root:
    /usr/bin/python3 testdata/ref/gen_torch.py
"""
import json, os
import numpy as np
import torch
import torch.nn.functional as F

np.random.seed(11)
def randn(r, c): return np.random.randn(r, c)
def rand(r, c): return np.random.rand(r, c)

M = {
    "X": randn(3, 3), "W": randn(3, 2), "B": randn(1, 2), "Y": rand(3, 2),
    "W1": randn(3, 4), "W2": randn(4, 2), "C": randn(3, 1), "R": randn(1, 3),
    "P": rand(2, 3) + 0.5, "Q": randn(2, 3),
}

cases = [
    ("sum(sigmoid(X @ W))", lambda m: torch.sigmoid(m["X"] @ m["W"]).sum()),
    ("mean((sigmoid(X @ W + B) - Y)^2)", lambda m: ((torch.sigmoid(m["X"] @ m["W"] + m["B"]) - m["Y"]) ** 2).mean()),
    ("sum(tanh(X @ W1) @ W2)", lambda m: (torch.tanh(m["X"] @ m["W1"]) @ m["W2"]).sum()),
    ("sum(transpose(X) @ X * 0.5)", lambda m: (m["X"].T @ m["X"] * 0.5).sum()),
    ("mean(X * C + R / 2)", lambda m: (m["X"] * m["C"] + m["R"] / 2).mean()),
    ("sum(relu(X @ W) ^ 2) + mean(exp(-X))", lambda m: (F.relu(m["X"] @ m["W"]) ** 2).sum() + torch.exp(-m["X"]).mean()),
    ("sum(softplus(X) / (1 + X ^ 2))", lambda m: (F.softplus(m["X"]) / (1 + m["X"] ** 2)).sum()),
    ("sum(leaky_relu(X, 0.1) * gelu(X) + silu(X) - elu(X, 0.5))",
     lambda m: (F.leaky_relu(m["X"], 0.1) * F.gelu(m["X"]) + F.silu(m["X"]) - F.elu(m["X"], 0.5)).sum()),
    ("-sum(log(sigmoid(X @ W)))", lambda m: -torch.log(torch.sigmoid(m["X"] @ m["W"])).sum()),
    ("sum(P ^ Q)", lambda m: (m["P"] ** m["Q"]).sum()),
    ("mean(transpose(W) @ transpose(X)) - 2 * sum(B)", lambda m: (m["W"].T @ m["X"].T).mean() - 2 * m["B"].sum()),
    ("sum(sin(X) * cos(X)) + sum(sqrt(P @ transpose(P)))", lambda m: (torch.sin(m["X"]) * torch.cos(m["X"])).sum() + torch.sqrt(m["P"] @ m["P"].T).sum()),
]

out = {"matrices": {k: v.tolist() for k, v in M.items()}, "cases": []}
for src, fn in cases:
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in M.items()}
    L = fn(t)
    L.backward()
    grads = {k: v.grad.tolist() for k, v in t.items() if v.grad is not None and v.grad.abs().sum() > 0}
    out["cases"].append({"expr": src, "value": L.item(), "grads": grads})

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "torch.json"), "w") as f:
    json.dump(out, f, indent=1)
print(len(cases), "cases, torch", torch.__version__)
