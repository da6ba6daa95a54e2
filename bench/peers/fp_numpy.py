"""Vectorised NumPy version of neurodyn's semi-implicit Scharfetter-Gummel v-step (the same scheme
as assembly/fp/index.ts stepV and src/fp/reference.ts: the same matrix and right-hand side; the kernel
rearranges the recurrences, so the last bits differ): drift -v + c_k per w-slice, SG fluxes,
absorbing V_F with the outflow reinjected at V_R inside the implicit solve (bordered Thomas on the
increment). Arrays are (nv, nw) so every Thomas row operation is one vector op over the w-slices,
the way this would be written in NumPy. Prints one JSON line: cell-updates per second.

usage: /usr/bin/python3 bench/peers/fp_numpy.py [nv nw steps]
"""
import json
import sys
import time

import numpy as np


def make(nv, h, a):
    return np.exp(-(np.arange(nv) + 0.5) * h * h / a)


def step(p, c, vmin, h, a, dt, iR, G):
    nv, nw = p.shape
    hoa = h / a
    dtD = dt * a / (h * h)
    vhalf = vmin + (np.arange(nv) + 0.5) * h
    z = hoa * (c[None, :] - vhalf[:, None])
    e = np.exp(hoa * (c - vmin))[None, :] * G[:, None]
    small = np.abs(z) < 0.01
    z2 = z * z
    b = np.where(small, 1 - 0.5 * z + z2 * (1 / 12 - z2 / 720), z / np.where(small, 1.0, e - 1))
    bm = b + z
    pn = np.empty_like(p)
    pn[:-1] = p[1:]
    pn[-1] = 0
    J = bm * p - b * pn
    rhs = -dtD * J
    rhs[1:] += dtD * J[:-1]
    rhs[iR] += dtD * J[-1]
    lower = np.zeros_like(p)
    lower[1:] = -dtD * bm[:-1]
    diag = 1 + dtD * bm
    diag[1:] += dtD * b[:-1]
    upper = -dtD * b
    cp = np.empty_like(p)
    dp = np.empty_like(p)
    ep = np.zeros_like(p)
    den = diag[0].copy()
    cp[0] = upper[0] / den
    dp[0] = rhs[0] / den
    if iR == 0:
        ep[0] = 1 / den
    for i in range(1, nv):
        den = diag[i] - lower[i] * cp[i - 1]
        inv = 1 / den
        cp[i] = upper[i] * inv
        dp[i] = (rhs[i] - lower[i] * dp[i - 1]) * inv
        if i == iR:
            ep[i] = inv
        elif i > iR:
            ep[i] = -lower[i] * ep[i - 1] * inv
    g = dtD * bm[-1]
    d = dp[-1] / (1 - g * ep[-1])
    s = g * d
    p[-1] += d
    for i in range(nv - 2, -1, -1):
        d = dp[i] - cp[i] * d + (s * ep[i] if i >= iR else 0)
        p[i] += d
    return (a / h) * bm[-1] * p[-1]


def main():
    nv, nw, steps = (int(x) for x in (sys.argv[1:4] if len(sys.argv) >= 4 else (400, 200, 20)))
    vmin, vR, vF, a, dt = -6.0, 1.0, 2.0, 1.0, 0.01
    h = (vF - vmin) / nv
    iR = round((vR - vmin) / h)
    w = -1 + (np.arange(nw) + 0.5) / nw
    v = vmin + np.arange(nv) * h
    p = np.exp(-0.5 * (v[:, None] / 0.5) ** 2) * np.ones(nw)[None, :]
    p /= p.sum() * h * (1.0 / nw)
    G = make(nv, h, a)
    nbar = 0.1
    step(p, 0.5 + w * nbar, vmin, h, a, dt, iR, G)  # warm-up
    t0 = time.perf_counter()
    for _ in range(steps):
        N = step(p, 0.5 + w * nbar, vmin, h, a, dt, iR, G)
        nbar = N.sum() / nw
    t = time.perf_counter() - t0
    mass = p.sum() * h / nw
    print(json.dumps({"peer": "numpy", "numpy": np.__version__, "nv": nv, "nw": nw, "steps": steps,
                      "seconds": t, "cellUpdatesPerSecond": nv * nw * steps / t, "nbar": nbar, "mass": mass}))


if __name__ == "__main__":
    main()
