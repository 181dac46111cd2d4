#!/usr/bin/python3
"""Data files as NumPy writes them, for the CSV reader (spec/load
csvformat_test.go): a 4×3 matrix A of values that need all 17 digits,
saved by numpy.savetxt (NumPy 1.24) in the layouts people have:
    default.txt        np.savetxt(f, A)                       spaces, %.18e
    header.txt         np.savetxt(f, A, header="a b c")       a "# a b c" line first
    header.csv         np.savetxt(f, A, delimiter=",", header="a,b,c", comments="")
    tabs.tsv           np.savetxt(f, A, delimiter="\t", fmt="%.17g")
and A itself as A.npy (np.save), the values the files must read as.
Run from the repository root:
    /usr/bin/python3 testdata/ref/gen_savetxt.py
"""
import os
import numpy as np

np.random.seed(17)
A = np.random.randn(4, 3) * np.array([1e-300, 1.0, 1e300])
A[0, 0] = -0.0
A[1, 1] = 1.0 / 3.0
d = os.path.join(os.path.dirname(__file__), "savetxt")
os.makedirs(d, exist_ok=True)
np.save(os.path.join(d, "A.npy"), A)
np.savetxt(os.path.join(d, "default.txt"), A)
np.savetxt(os.path.join(d, "header.txt"), A, header="a b c")
np.savetxt(os.path.join(d, "header.csv"), A, delimiter=",", header="a,b,c", comments="")
np.savetxt(os.path.join(d, "tabs.tsv"), A, delimiter="\t", fmt="%.17g")
for f in ["default.txt", "header.txt", "header.csv", "tabs.tsv"]:
    B = np.loadtxt(os.path.join(d, f), delimiter="," if f.endswith(".csv") else None, skiprows=1 if "header" in f else 0)
    assert np.array_equal(A, B), f
