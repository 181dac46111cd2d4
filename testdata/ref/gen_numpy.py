#!/usr/bin/python3
"""Reference draws from NumPy's legacy generator (np.random.seed and the
calls named below), .npy files of every kind the runner reads, and correctly
rounded logarithms from mpmath at 50 digits. Debian's python3-numpy 1.24 and
python3-mpmath. Run from the repository root:
    /usr/bin/python3 testdata/ref/gen_numpy.py
"""
import json, os, random
import numpy as np
from mpmath import mp, mpf, log

here = os.path.dirname(os.path.abspath(__file__))
out = {}

# 1. Draws, each list in call order on one stream per seed.
streams = []
for seed in (0, 1, 42, 190203, 190204, 2**32 - 1):
    np.random.seed(seed)
    streams.append({"seed": seed, "calls": [
        ["randn", [4, 3], np.random.randn(4, 3).ravel().tolist()],
        ["rand", [2, 3], np.random.rand(2, 3).ravel().tolist()],
        ["randn", [1, 3], np.random.randn(1, 3).ravel().tolist()],   # odd count: the cached value carries over
        ["uniform", [2, 2], np.random.uniform(-2.0, 3.0, (2, 2)).ravel().tolist(), -2.0, 3.0],
        ["randn", [3, 1], np.random.randn(3, 1).ravel().tolist()],
    ]})
out["streams"] = streams

# 2. Many normals from one seed, to measure how often glibc's log (which NumPy
#    calls, and which is not always correctly rounded) changes the last bit.
np.random.seed(7)
out["seed7_randn_5000"] = np.random.randn(5000).tolist()

# 3. Correctly rounded natural logarithms.
rnd = random.Random(3)
xs = [rnd.random() for _ in range(1500)] + [rnd.uniform(1, 1e6) for _ in range(300)] + \
     [2.0 ** rnd.randint(-1000, 1000) * rnd.random() for _ in range(200)] + [1.0, 0.5, 2.0, 1e-300, 1.7976931348623157e308]
xs = [x for x in xs if x > 0]
mp.dps = 50
out["log"] = [[x, float(log(mpf(x)))] for x in xs]

with open(os.path.join(here, "numpy.json"), "w") as f:
    json.dump(out, f)

# 4. .npy files: float64 C and Fortran order, float32, 1-D, big-endian, int (refused).
m = np.array([[1.5, -2.25, 3.0], [4.0, 5.5, -6.125]])
np.save(os.path.join(here, "m_f8_c.npy"), m)
np.save(os.path.join(here, "m_f8_fortran.npy"), np.asfortranarray(m))
np.save(os.path.join(here, "m_f4.npy"), m.astype(np.float32))
np.save(os.path.join(here, "v_f8_1d.npy"), np.array([0.1, 0.2, 0.3]))
np.save(os.path.join(here, "m_f8_big.npy"), m.astype(">f8"))
np.save(os.path.join(here, "m_i8.npy"), np.array([[1, 2], [3, 4]]))
np.save(os.path.join(here, "t_f8_3d.npy"), np.zeros((2, 2, 2)))
print("ok")
