#!/usr/bin/python3
"""Reference draws of np.random.binomial(1, p, size) from NumPy's legacy
generator (np.random.seed, Debian's python3-numpy), interleaved with randn
and rand on the same stream, as an experiment file's matrices draw them in
declaration order. p covers 0 and 1, both sides of ½ (where NumPy inverts
for 1 − p), and values near the edges. Run from the repository root:
    /usr/bin/python3 testdata/ref/gen_binomial.py
"""
import json, os
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
ps = [0.0, 1e-9, 0.1, 0.25, 0.5, 0.5000000000000001, 0.7, 0.9, 1 - 1e-12, 1.0, 0.3333333333333333]
streams = []
for seed in (0, 1, 42, 12345, 2**32 - 1):
    np.random.seed(seed)
    calls = []
    for k, p in enumerate(ps):
        calls.append(["binomial", [3, 5], np.random.binomial(1, p, (3, 5)).astype(float).ravel().tolist(), p])
        if k % 3 == 0:
            calls.append(["randn", [1, 3], np.random.randn(1, 3).ravel().tolist()])   # odd: a cached normal carries over
        elif k % 3 == 1:
            calls.append(["rand", [2, 2], np.random.rand(2, 2).ravel().tolist()])
    calls.append(["binomial", [40, 50], np.random.binomial(1, 0.37, (40, 50)).astype(float).ravel().tolist(), 0.37])
    calls.append(["randn", [1, 1], np.random.randn(1, 1).ravel().tolist()])
    streams.append({"seed": seed, "calls": calls})

with open(os.path.join(here, "binomial.json"), "w") as f:
    json.dump({"numpy": np.__version__, "streams": streams}, f)
