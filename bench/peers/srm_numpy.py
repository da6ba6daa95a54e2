"""NumPy peer for bench/srm.bench.mjs: exact Bernoulli log-likelihood and its gradient for a given
(clamped) spike train of an escape-noise SRM network, written from the equations in docs/srm.md
(independently of the neurodyn kernel), with the dense forward eligibility e += s phi^T.

stdin: JSON {n, steps, tauMem, tauAdapt, eta0, rho0 (Hz), vThreshold, deltaU, dt (ms), weights (row-major),
bias (list), spikes (list of 0/1, row t = step)}; stdout: JSON {logLik, dW (row-major), dBias,
seconds, stepsPerSecond}. Run with the Debian system Python (/usr/bin/python3, numpy 1.24).
"""
import json
import sys
import time

import numpy as np


def main():
    a = json.load(sys.stdin)
    n, steps = a["n"], a["steps"]
    W = np.array(a["weights"], dtype=np.float64).reshape(n, n)
    b = np.array(a["bias"], dtype=np.float64)
    X = np.array(a["spikes"], dtype=np.float64).reshape(steps, n)
    kp = np.exp(-a["dt"] / a["tauMem"])
    ka = np.exp(-a["dt"] / a["tauAdapt"])
    c = np.log(a["rho0"] / 1000.0 * a["dt"]) - a["vThreshold"] / a["deltaU"]  # rho0 in Hz, dt in ms
    inv = 1.0 / a["deltaU"]
    t0 = time.perf_counter()
    phi = np.zeros(n)
    ad = np.zeros(n)
    G = np.zeros((n, n))
    gb = np.zeros(n)
    ll = 0.0
    for t in range(steps):
        u = W @ phi + b - a["eta0"] * ad
        lam = np.exp(u * inv + c)
        x = X[t]
        ll += float(np.sum(np.where(x > 0, np.log(-np.expm1(-lam)), -lam)))
        s = inv * np.where(x > 0, lam / np.expm1(lam), -lam)
        G += np.outer(s, phi)
        gb += s
        phi = kp * (phi + x)
        ad = ka * (ad + x)
    sec = time.perf_counter() - t0
    json.dump({"logLik": ll, "dW": G.ravel().tolist(), "dBias": gb.tolist(), "seconds": sec, "stepsPerSecond": steps / sec}, sys.stdout)


if __name__ == "__main__":
    main()
