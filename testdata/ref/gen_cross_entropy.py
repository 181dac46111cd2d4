#!/usr/bin/python3
"""The reference values of experiments/09-cross-entropy.yaml, from PyTorch
autograd in float64 (Debian's python3-torch): the same matrices drawn with
NumPy's legacy generator in the file's order (np.random.seed(2026), randn,
randn, randn, binomial), the same loss written with torch, and its value and
gradients printed to 12 decimals as the file's reference: block. Run from the
repository root and paste the output into the file:
    /usr/bin/python3 testdata/ref/gen_cross_entropy.py
"""
import numpy as np
import torch
import torch.nn.functional as F

np.random.seed(2026)
C = np.random.randn(6, 3)          # C: {randn: [6, 3]}   the embedding table
W = np.random.randn(6, 4)          # W: {randn: [6, 4]}
b = np.random.randn(1, 4)          # b: {randn: [1, 4]}
D = np.random.binomial(1, 0.75, (4, 6)).astype(float)   # D: {binomial: [4, 6], p: 0.75}
I = torch.tensor([[0, 5], [3, 3], [1, 2], [4, 0]])
y = torch.tensor([2, 0, 3, 1])

t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in {"C": C, "W": W, "b": b}.items()}
h = torch.tanh(t["C"][I].view(4, -1)) * torch.tensor(D) / 0.75
L = F.cross_entropy(h @ t["W"] + t["b"], y)
L.backward()

def rows(m):
    return "[" + ", ".join("[" + ", ".join("%.12f" % x for x in r) + "]" for r in m) + "]"

print("      value: %.12f" % L.item())
print("      gradient:")
for k in ("C", "W", "b"):
    print("        %s: %s" % (k, rows(t[k].grad.tolist())))
print("# D =", D.tolist())
