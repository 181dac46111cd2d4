#!/usr/bin/python3
"""Reference values and gradients from PyTorch autograd in float64 (Debian's
python3-torch) for the operations that take label matrices: pick, one_hot,
embed and cross_entropy, each expression in the runner's syntax beside the
same computation in torch:
    pick(M, y)          M.gather(1, y)                  (y n×1)
    one_hot(y, k)       F.one_hot(y[:, 0], k)
    embed(C, I)         C[I].view(n, -1)                (I n×b)
    cross_entropy(Z, y) F.cross_entropy(Z, y[:, 0])     (mean over rows)
Z's second row holds logits of ±1000 (and 1000·Z of ±10⁶), which a hand-written softmax
overflows on. I repeats rows of C (their gradients add up) and leaves row 5
unused (its gradient is 0). Labels are written as lists of whole numbers;
every gradient is written, zeros included. Run from the repository root:
    /usr/bin/python3 testdata/ref/gen_labels.py
"""
import json, os
import numpy as np
import torch
import torch.nn.functional as F

np.random.seed(15)
M = {
    "Z": np.array([[1.5, -0.25, 2.0], [1000.0, -1000.0, 999.5], [0.1, 0.2, -0.3], [-3.0, 4.0, 0.5]]),
    "X": np.random.randn(4, 5),
    "W": np.random.randn(5, 3),
    "C": np.random.randn(6, 2),
    "V": np.random.randn(6, 3),
    "B": np.random.randn(1, 3),
}
L = {
    "y": np.array([[2], [0], [1], [1]]),
    "I": np.array([[0, 4, 4], [3, 3, 1], [1, 2, 0], [4, 0, 2]]),
    "w": np.array([[0], [1], [2], [0]]),   # the least likely class of 1000·Z in each row
}

def t64(v):
    return torch.tensor(v, dtype=torch.float64)

def pick(m, y):
    return m.gather(1, y)

def embed(c, i):
    return c[i].view(i.shape[0], -1)

cases = [
    ("cross_entropy(Z, y)", ["Z"], lambda m, l: F.cross_entropy(m["Z"], l["y"][:, 0])),
    ("cross_entropy(1000 * Z, w)", ["Z"], lambda m, l: F.cross_entropy(1000 * m["Z"], l["w"][:, 0])),
    ("sum(pick(tanh(X @ W), y) ^ 2)", ["X", "W"], lambda m, l: (pick(torch.tanh(m["X"] @ m["W"]), l["y"]) ** 2).sum()),
    ("mean(pick(Z, y) * pick(X @ W, y))", ["Z", "X", "W"], lambda m, l: (pick(m["Z"], l["y"]) * pick(m["X"] @ m["W"], l["y"])).mean()),
    ("sum(one_hot(y, 3) * (X @ W) ^ 2)", ["X", "W"], lambda m, l: (F.one_hot(l["y"][:, 0], 3).double() * (m["X"] @ m["W"]) ** 2).sum()),
    ("sum(sigmoid(embed(C, I)) * embed(C, I))", ["C"], lambda m, l: (torch.sigmoid(embed(m["C"], l["I"])) * embed(m["C"], l["I"])).sum()),
    ("cross_entropy(tanh(embed(C, I)) @ V + B, y)", ["C", "V", "B"],
     lambda m, l: F.cross_entropy(torch.tanh(embed(m["C"], l["I"])) @ m["V"] + m["B"], l["y"][:, 0])),
    ("cross_entropy(X @ W, y) + mean(pick(log(sigmoid(X @ W)), y))", ["X", "W"],
     lambda m, l: F.cross_entropy(m["X"] @ m["W"], l["y"][:, 0]) + pick(torch.log(torch.sigmoid(m["X"] @ m["W"])), l["y"]).mean()),
]

out = {"matrices": {k: v.tolist() for k, v in M.items()}, "labels": {k: v.tolist() for k, v in L.items()}, "cases": []}
for src, wrt, fn in cases:
    t = {k: t64(v).requires_grad_(True) for k, v in M.items()}
    lt = {k: torch.tensor(v, dtype=torch.int64) for k, v in L.items()}
    val = fn(t, lt)
    val.backward()
    out["cases"].append({"expr": src, "value": val.item(), "grads": {k: t[k].grad.tolist() for k in wrt}})

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "labels.json"), "w") as f:
    json.dump(out, f, indent=1)
