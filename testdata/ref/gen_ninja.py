#!/usr/bin/python3
"""The reference of experiments/12-backprop-ninja.yaml: A. Karpathy's
"becoming a backprop ninja" MLP (makemore part 4) in PyTorch float64
autograd (Debian's python3-torch), with .retain_grad() on every
intermediate, so that each one's .grad is the total derivative ∂loss/∂N.

The parameters are the experiment file's own draws, reproduced with NumPy's
legacy generator in the file's order (np.random.seed(1204); C randn, then
W1, b1, W2, b2, bngain, bnbias uniform), in place of the exercise's
torch.randn with its scale factors (the runner draws no scaled normals;
the uniform ranges give the same sizes). The batch, Xb (32 examples of 3
tokens, one token a row: Xb.view(-1, 1)) and Yb (the next token), is drawn
here by its own np.random.RandomState(2), and written as int64 .npy files
for the experiment to read:
    experiments/data/ninja_Xb.npy   96×1, tokens 0..26
    experiments/data/ninja_Yb.npy   32×1, tokens 0..26
The gradients go to testdata/ref/ninja.json: every intermediate's and
parameter's gradient as nested lists in the runner's 2-D shapes (emb,
PyTorch's 32×3×10, as the 96×10 matrix emb.view(96, 10)), and the
parameters' values.

The script also checks that no row of logits has a tie for its maximum
(the runner-up is at least 0.02 away: ten times the farthest any stencil of
the experiment moves a logit, 2e-3, when an element of b2 or W2 moves by
2h = 2e-3 for the error bound), so that logit_maxes = max(logits, 1) is
differentiable and no numeric check crosses its kink.
Run from the repository root:
    /usr/bin/python3 testdata/ref/gen_ninja.py
"""
import json, os
import numpy as np
import torch

n, vocab, block, emb_dim, hidden = 32, 27, 3, 10, 64

np.random.seed(1204)
P = {
    "C": np.random.randn(vocab, emb_dim),                                   # C: {randn: [27, 10]}
    "W1": np.random.uniform(-0.5, 0.5, (block * emb_dim, hidden)),         # W1: {uniform: [30, 64], low: -0.5, high: 0.5}
    "b1": np.random.uniform(-0.1, 0.1, (1, hidden)),                       # b1: {uniform: [1, 64], low: -0.1, high: 0.1}
    "W2": np.random.uniform(-0.2, 0.2, (hidden, vocab)),                   # W2: {uniform: [64, 27], low: -0.2, high: 0.2}
    "b2": np.random.uniform(-0.1, 0.1, (1, vocab)),                        # b2: {uniform: [1, 27], low: -0.1, high: 0.1}
    "bngain": np.random.uniform(0.8, 1.2, (1, hidden)),                    # bngain: {uniform: [1, 64], low: 0.8, high: 1.2}
    "bnbias": np.random.uniform(-0.1, 0.1, (1, hidden)),                   # bnbias: {uniform: [1, 64], low: -0.1, high: 0.1}
}
batch = np.random.RandomState(2)
Xb = batch.randint(0, vocab, (n, block)).astype(np.int64)
Yb = batch.randint(0, vocab, (n, 1)).astype(np.int64)

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, "..", "..", "experiments", "data")
np.save(os.path.join(data, "ninja_Xb.npy"), Xb.reshape(-1, 1))
np.save(os.path.join(data, "ninja_Yb.npy"), Yb)

t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in P.items()}
C, W1, b1, W2, b2, bngain, bnbias = (t[k] for k in ("C", "W1", "b1", "W2", "b2", "bngain", "bnbias"))
X, Y = torch.tensor(Xb), torch.tensor(Yb[:, 0])

# the exercise's forward pass, line by line
emb = C[X]                                   # 32×3×10
embcat = emb.view(emb.shape[0], -1)          # 32×30
hprebn = embcat @ W1 + b1
bnmeani = 1 / n * hprebn.sum(0, keepdim=True)
bndiff = hprebn - bnmeani
bndiff2 = bndiff ** 2
bnvar = 1 / (n - 1) * bndiff2.sum(0, keepdim=True)   # Bessel's correction
bnvar_inv = (bnvar + 1e-5) ** -0.5
bnraw = bndiff * bnvar_inv
hpreact = bngain * bnraw + bnbias
h = torch.tanh(hpreact)
logits = h @ W2 + b2
logit_maxes = logits.max(1, keepdim=True).values
norm_logits = logits - logit_maxes
counts = norm_logits.exp()
counts_sum = counts.sum(1, keepdim=True)
counts_sum_inv = counts_sum ** -1
probs = counts * counts_sum_inv
logprobs = probs.log()
loss = -logprobs[range(n), Y].mean()

inter = {"logprobs": logprobs, "probs": probs, "counts": counts, "counts_sum": counts_sum,
         "counts_sum_inv": counts_sum_inv, "norm_logits": norm_logits, "logit_maxes": logit_maxes,
         "logits": logits, "h": h, "hpreact": hpreact, "bnraw": bnraw, "bnvar_inv": bnvar_inv,
         "bnvar": bnvar, "bndiff2": bndiff2, "bndiff": bndiff, "bnmeani": bnmeani, "hprebn": hprebn,
         "embcat": embcat, "emb": emb}
for v in inter.values():
    v.retain_grad()
loss.backward()

top2 = torch.topk(logits.detach(), 2, dim=1).values
gap = (top2[:, 0] - top2[:, 1]).min().item()
assert gap > 0.02, "a row of logits nearly ties for its maximum (gap %g): choose another seed" % gap

def as2d(v):
    return v.reshape(-1, v.shape[-1]) if v.dim() == 3 else v

out = {"source": "PyTorch %s float64 autograd, retain_grad() on every intermediate (testdata/ref/gen_ninja.py)" % torch.__version__,
       "loss": loss.item(), "min_logit_gap": gap, "values": {}, "grads": {}}
for k, v in list(inter.items()) + list(t.items()):
    out["grads"][k] = as2d(v.grad).tolist()
for k, v in t.items():  # the draws, to show the runner's are the same
    out["values"][k] = v.detach().tolist()
with open(os.path.join(here, "ninja.json"), "w") as f:
    json.dump(out, f)
print("loss %.15g, smallest gap between a row's largest logit and the next %.3g" % (loss.item(), gap))
