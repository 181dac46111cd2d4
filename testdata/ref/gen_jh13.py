#!/usr/bin/python3
"""The reference of experiments/13-jacobian-hessian.yaml, from PyTorch
autograd in float64 (Debian's python3-torch): the file's matrices drawn
with NumPy's legacy generator in its order (np.random.seed(13); X randn
3×4, W randn 4×2), then torch.autograd.functional.jacobian of softmax(z)
and of tanh(N) with N = X @ W (with respect to W, and to N itself), and
torch.autograd.functional.hessian of sum(tanh(X @ W)) with respect to W
(key WW: ∂²L/∂W[i,j]∂W[k,l] at row 2i + j, column 2k + l).
Each Jacobian block is flattened row-major on both sides, (out.numel() ×
in.numel()), as the report prints it; the Hessian is (8 × 8).
Run from the repository root:
    /usr/bin/python3 testdata/ref/gen_jh13.py
"""
import json, os
import numpy as np
import torch
from torch.autograd.functional import jacobian, hessian

np.random.seed(13)
z = torch.tensor([[1.0, 2.0, 0.5, -1.0]], dtype=torch.float64)
X = torch.tensor(np.random.randn(3, 4), dtype=torch.float64)
W = torch.tensor(np.random.randn(4, 2), dtype=torch.float64)
N = X @ W

def flat(j, out, inp):
    return j.reshape(out.numel(), inp.numel()).tolist()

S = torch.softmax(z, 1)
out = {
    "X": X.tolist(), "W": W.tolist(),
    "S": {"value": S.tolist(), "z": flat(jacobian(lambda z: torch.softmax(z, 1), z), S, z)},
    "A": {"value": torch.tanh(N).tolist(),
          "W": flat(jacobian(lambda W: torch.tanh(X @ W), W), N, W),
          "N": flat(jacobian(torch.tanh, N), N, N)},
    "H": {"value": torch.tanh(X @ W).sum().item(),
          "WW": hessian(lambda W: torch.tanh(X @ W).sum(), W).reshape(W.numel(), W.numel()).tolist()},
}
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "jh13.json"), "w") as f:
    json.dump(out, f, indent=1)
