#!/usr/bin/python3
"""Reference values and gradients from PyTorch autograd in float64 (Debian's
python3-torch) for the operations of issue 15: sum, mean, max, min over an
axis (keepdim=True; torch.amax/amin split the gradient evenly among ties),
var with ddof (unbiased=True is ddof 1), logsumexp, softmax and log_softmax
(logits up to 1000, which a naive exp overflows), reshape, conv2d (one
channel, torch.nn.functional.conv2d with padding), the registry's clip
(torch.clamp; its gradient is 1 at lo and hi), sign, log1p and expm1, and
named intermediates: each let: name is a tensor whose .retain_grad() gives
the total derivative ∂L/∂N.

Each case: the runner's expression, its let: entries in order, the names
the gradient is taken for, L and every gradient (zeros included). T holds
halves, so rows and columns of T tie and clip(T, -0.5, 0.5) meets its
edges. Run from the repository root:
    /usr/bin/python3 testdata/ref/gen_ops15.py
"""
import json, os
import numpy as np
import torch
import torch.nn.functional as F

np.random.seed(15)
M = {
    "X": np.random.randn(4, 5),
    "T": np.round(np.random.randn(4, 5) * 1.5) / 2,
    "R": np.random.randn(1, 5), "C": np.random.randn(4, 1), "Y": np.random.rand(4, 5),
    "Z": np.array([[1000.0, 999.0, 998.5, 0.0], [-1000.0, 5.0, 5.5, 2.0], [0.25, -0.5, 1.0, 3.0]]),
    "Oh": np.array([[1.0, 0, 0, 0], [0, 0, 1.0, 0], [0, 0, 0, 1.0]]),
    "Wz": np.random.randn(3, 4),
    "I": np.random.randn(6, 7), "K": np.random.randn(3, 3), "Ck": np.random.randn(6, 1),
    "H": np.random.randn(6, 3) * 2 + 1, "Gm": np.random.rand(1, 3) + 0.5, "Bt": np.random.randn(1, 3),
    "Yb": np.random.randn(6, 3),
    "Q": np.random.randn(2, 10),
}
# a tie down a column and across a row of T, so that max and min over each
# axis split a gradient
M["T"][1, 2] = M["T"][3, 2] = M["T"][:, 2].max()
M["T"][0, 4] = M["T"][0, :4].min()

def conv(x, k, ph=0, pw=None):
    pw = ph if pw is None else pw
    return F.conv2d(x[None, None], k[None, None], padding=(ph, pw))[0, 0]

def keep(f):
    return lambda x, d: f(x, dim=d, keepdim=True)

S, Mn = keep(torch.sum), keep(torch.mean)
Mx, Mi = keep(torch.amax), keep(torch.amin)
LSE = keep(torch.logsumexp)

cases = [
    # reductions over an axis, weighted so that every gradient element differs
    ("sum(sum(X, 0) * R) + sum(sum(X, 1) * C) + sum(X)", [], ["X", "R", "C"],
     lambda m, v: (S(m["X"], 0) * m["R"]).sum() + (S(m["X"], 1) * m["C"]).sum() + m["X"].sum()),
    ("sum(mean(X, 0) * R) + sum(mean(X * Y, 1) * C) + mean(X)", [], ["X", "Y", "R", "C"],
     lambda m, v: (Mn(m["X"], 0) * m["R"]).sum() + (Mn(m["X"] * m["Y"], 1) * m["C"]).sum() + m["X"].mean()),
    ("sum(max(X, 0) * R) + sum(min(X, 1) * C) + max(X) - 2 * min(X)", [], ["X", "R", "C"],
     lambda m, v: (Mx(m["X"], 0) * m["R"]).sum() + (Mi(m["X"], 1) * m["C"]).sum() + m["X"].amax() - 2 * m["X"].amin()),
    ("sum(max(T, 0) * R) + sum(min(T, 1) * C) + max(T) + min(T)", [], ["T"],
     lambda m, v: (Mx(m["T"], 0) * m["R"]).sum() + (Mi(m["T"], 1) * m["C"]).sum() + m["T"].amax() + m["T"].amin()),
    ("sum(var(X, 0) * R) + sum(var(X, 1, 1) * C) + var(X) + var(X * Y, 0, 1) @ transpose(R)", [], ["X", "Y", "R", "C"],
     lambda m, v: (torch.var(m["X"], 0, unbiased=False, keepdim=True) * m["R"]).sum()
     + (torch.var(m["X"], 1, unbiased=True, keepdim=True) * m["C"]).sum() + torch.var(m["X"], unbiased=False)
     + (torch.var(m["X"] * m["Y"], 0, unbiased=True, keepdim=True) @ m["R"].T).sum()),
    ("sum(logsumexp(X) * C) + sum(logsumexp(X, 0) * R) + sum(logsumexp(Z, 1))", [], ["X", "Z", "R", "C"],
     lambda m, v: (LSE(m["X"], 1) * m["C"]).sum() + (LSE(m["X"], 0) * m["R"]).sum() + LSE(m["Z"], 1).sum()),
    ("sum(softmax(Z) * Wz) + sum(softmax(X, 0) * Y)", [], ["Z", "X", "Wz"],
     lambda m, v: (torch.softmax(m["Z"], 1) * m["Wz"]).sum() + (torch.softmax(m["X"], 0) * m["Y"]).sum()),
    ("sum(log_softmax(Z, 1) * Wz) - mean(log_softmax(X, 0) * Y)", [], ["Z", "X"],
     lambda m, v: (torch.log_softmax(m["Z"], 1) * m["Wz"]).sum() - (torch.log_softmax(m["X"], 0) * m["Y"]).mean()),
    ("sum(reshape(X, 2, 10) * Q) + sum(reshape(transpose(X), 10, 2) @ Q)", [], ["X", "Q"],
     lambda m, v: (m["X"].reshape(2, 10) * m["Q"]).sum() + (m["X"].T.reshape(10, 2) @ m["Q"]).sum()),
    ("sum(conv2d(I, K) * Y) + sum(tanh(conv2d(I, K, 1))) + mean(conv2d(I, K, 2, 0)^2) + sum(sigmoid(conv2d(I, transpose(K), 0, 1)))",
     [], ["I", "K"],
     lambda m, v: (conv(m["I"], m["K"]) * m["Y"]).sum() + torch.tanh(conv(m["I"], m["K"], 1)).sum()
     + (conv(m["I"], m["K"], 2, 0) ** 2).mean() + torch.sigmoid(conv(m["I"], m["K"].T, 0, 1)).sum()),
    ("sum(clip(T, -0.5, 0.5) * Y) + sum(clip(X, -0.5, 1) * Y) + sum(sign(X) * Y) + sum(log1p(Y) * X) + sum(expm1(X) * Y)", [], ["T", "X", "Y"],
     lambda m, v: (torch.clamp(m["T"], -0.5, 0.5) * m["Y"]).sum() + (torch.clamp(m["X"], -0.5, 1) * m["Y"]).sum()
     + (torch.sign(m["X"]) * m["Y"]).sum() + (torch.log1p(m["Y"]) * m["X"]).sum() + (torch.expm1(m["X"]) * m["Y"]).sum()),
    # named intermediates: a batch-norm layer with the variance written out
    ("mean((out - Yb)^2)",
     [("mu", "mean(H, 0)"), ("d", "H - mu"), ("d2", "d^2"), ("v", "sum(d2, 0) / 5"), ("inv", "(v + 1e-5)^-0.5"),
      ("xhat", "d * inv"), ("out", "Gm * xhat + Bt")],
     ["H", "Gm", "Bt", "mu", "d", "d2", "v", "inv", "xhat", "out"],
     lambda m, v: bn(m, v)),
    # batch norm with var(), and softmax with its log in a cross-entropy
    ("mean(tanh(bn) * Yb)", [("bn", "(H - mean(H, 0)) / sqrt(var(H, 0) + 1e-5) * Gm + Bt")], ["H", "Gm", "Bt", "bn"],
     lambda m, v: torch.mean(torch.tanh(setv(v, "bn", (m["H"] - Mn(m["H"], 0)) / torch.sqrt(torch.var(m["H"], 0, unbiased=False, keepdim=True) + 1e-5) * m["Gm"] + m["Bt"])) * m["Yb"])),
    ("-mean(sum(lp * Oh, 1)) + sum(P * Wz)", [("P", "softmax(Z, 1)"), ("lp", "log_softmax(Z, 1)")], ["Z", "P", "lp"],
     lambda m, v: -torch.mean((setv(v, "lp", torch.log_softmax(m["Z"], 1)) * m["Oh"]).sum(1, keepdim=True)) + (setv(v, "P", torch.softmax(m["Z"], 1)) * m["Wz"]).sum()),
    ("mean(h^2) + sum(max(A, 1) * Ck)", [("A", "conv2d(I, K, 1)"), ("h", "tanh(A)")], ["I", "K", "A", "h"],
     lambda m, v: conv_let(m, v)),
]

def setv(v, name, t):
    t.retain_grad()
    v[name] = t
    return t

def bn(m, v):
    mu = setv(v, "mu", Mn(m["H"], 0))
    d = setv(v, "d", m["H"] - mu)
    d2 = setv(v, "d2", d ** 2)
    var = setv(v, "v", S(d2, 0) / 5)
    inv = setv(v, "inv", (var + 1e-5) ** -0.5)
    xhat = setv(v, "xhat", d * inv)
    out = setv(v, "out", m["Gm"] * xhat + m["Bt"])
    return ((out - m["Yb"]) ** 2).mean()

def conv_let(m, v):
    A = setv(v, "A", conv(m["I"], m["K"], 1))
    h = setv(v, "h", torch.tanh(A))
    return (h ** 2).mean() + (Mx(A, 1) * m["Ck"]).sum()

out = {"matrices": {k: v.tolist() for k, v in M.items()}, "cases": []}
for src, lets, wrt, fn in cases:
    m = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in M.items()}
    v = {}
    L = fn(m, v)
    L.backward()
    grads = {k: (v[k] if k in v else m[k]).grad.tolist() for k in wrt}
    out["cases"].append({"expr": src, "let": [list(l) for l in lets], "wrt": wrt, "value": L.item(), "grads": grads})

# softmax at logit 1000 is finite and sums to 1 (a naive exp overflows)
p = torch.softmax(torch.tensor(M["Z"]), 1)
assert torch.isfinite(p).all() and abs(p.sum(1) - 1).max() < 1e-15

# experiments/08-softmax-and-batchnorm.yaml: its three items in torch, from
# the file's own matrices; the reference: blocks printed here are pasted
# into the file (12 decimals), and diff's tests compare the two
here = os.path.dirname(os.path.abspath(__file__))
import yaml
exp = yaml.safe_load(open(os.path.join(here, "..", "..", "experiments", "08-softmax-and-batchnorm.yaml")))
E = {k: torch.tensor(np.array(v, dtype=float), dtype=torch.float64, requires_grad=True) for k, v in exp["matrices"].items()}

def xent(m, v):
    lp = setv(v, "lp", torch.log_softmax(m["Z"], 1))
    return -torch.mean((m["Oh"] * lp).sum(1, keepdim=True))

def bnlayer(m, v):
    mu = setv(v, "mu", Mn(m["H"], 0))
    var = setv(v, "v", torch.var(m["H"], 0, unbiased=False, keepdim=True))
    xhat = setv(v, "xhat", (m["H"] - mu) / torch.sqrt(var + 1e-5))
    out = setv(v, "out", m["Gm"] * xhat + m["Bt"])
    return ((out - m["Yb"]) ** 2).mean()

def convlayer(m, v):
    A = setv(v, "A", conv(m["I"], m["K"], 1))
    return (torch.tanh(A) * m["Wc"]).sum()

out["experiment08"] = {}
for item, fn, wrt in (("xent", xent, ["Z", "lp"]), ("bn", bnlayer, ["H", "Gm", "Bt", "mu", "v", "xhat"]), ("conv", convlayer, ["I", "K", "A"])):
    for t in E.values():
        t.grad = None
    v = {}
    L = fn(E, v)
    L.backward()
    grads = {k: (v[k] if k in v else E[k]).grad.tolist() for k in wrt}
    out["experiment08"][item] = {"value": L.item(), "grads": grads}
    r = lambda x: repr(round(x, 12))
    print("  %s:\n    reference:\n      source: PyTorch 1.13 autograd in float64 (testdata/ref/gen_ops15.py)\n      decimals: 12\n      value: %s\n      gradient:" % (item, r(L.item())))
    for k in wrt:
        print("        %s: [%s]" % (k, ", ".join("[" + ", ".join(r(x) for x in row) + "]" for row in grads[k])))

with open(os.path.join(here, "ops15.json"), "w") as f:
    json.dump(out, f, indent=1)
print("wrote", len(out["cases"]), "cases")
