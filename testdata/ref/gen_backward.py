#!/usr/bin/python3
"""A hand-written backward pass for experiments/11-backward-pass.yaml.

A two-layer network on a batch of 8, the inputs drawn exactly as the
experiment file draws them (np.random.seed(1102), then randn in declaration
order: X, W1, b1, W2, b2, Y):

    Z1 = X @ W1 + b1;  H = tanh(Z1);  P = H @ W2 + b2;  L = mean((P - Y)^2)

The backward pass below is written out by hand, as a student would, and its
gradients are saved as float64 .npy files under experiments/data/ for the
runner to check (claims: in the experiment). As a second, independent
check, the script compares them with PyTorch's autograd when torch is
installed. Run from the repository root:

    /usr/bin/python3 testdata/ref/gen_backward.py
"""
import os
import numpy as np

np.random.seed(1102)
X = np.random.randn(8, 3)
W1 = np.random.randn(3, 4)
b1 = np.random.randn(1, 4)
W2 = np.random.randn(4, 2)
b2 = np.random.randn(1, 2)
Y = np.random.randn(8, 2)

# forward
Z1 = X @ W1 + b1
H = np.tanh(Z1)
P = H @ W2 + b2
L = np.mean((P - Y) ** 2)

# backward, by hand
dP = 2 * (P - Y) / P.size          # the mean over all 8·2 elements
dW2 = H.T @ dP
db2 = dP.sum(axis=0, keepdims=True)  # b2 is broadcast over the rows
dH = dP @ W2.T
dZ1 = dH * (1 - H ** 2)             # tanh' = 1 - tanh^2
dW1 = X.T @ dZ1
db1 = dZ1.sum(axis=0, keepdims=True)

grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
try:
    import torch
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in
         {"W1": W1, "b1": b1, "W2": W2, "b2": b2}.items()}
    Lt = ((torch.tanh(torch.tensor(X) @ t["W1"] + t["b1"]) @ t["W2"] + t["b2"] - torch.tensor(Y)) ** 2).mean()
    Lt.backward()
    for k in t:
        assert np.allclose(grads["d" + k], t[k].grad.numpy(), rtol=1e-12, atol=1e-15), k
    print("agrees with torch", torch.__version__, "autograd")
except ImportError:
    print("torch not installed: not compared")

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "experiments", "data")
os.makedirs(out, exist_ok=True)
for k, v in grads.items():
    np.save(os.path.join(out, k + ".npy"), v.astype(np.float64))
print("L =", repr(L), "; wrote", ", ".join(k + ".npy" for k in grads))
