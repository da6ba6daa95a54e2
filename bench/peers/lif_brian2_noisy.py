"""Brian2 peer of bench/lif.bench.mjs (a): uncoupled noisy LIF, Euler-Maruyama, S1 parameters.

dv/dt = -gL (v - VL) + I;  dI/dt = -(I - mu)/tauS + sigma sqrt(2/tauS) xi;  v > 1 -> v = 0.
gL = 0.05/ms, VL = 0, tauS = 5 ms, mu = 0.055/ms, sigma = 0.02/ms, dt = 0.1 ms.

Times the simulation loop only, as process CPU time (the machine is shared; Brian2's own
cpp_standalone timer, device._last_run_time, is std::clock() CPU time without OpenMP): numpy/cython
modes time a second run() of the same network (code already generated and compiled by a warm-up
run) with time.process_time(); cpp_standalone reports device._last_run_time (the main loop of the
compiled binary, not compilation).

Usage: /usr/bin/python3 bench/peers/lif_brian2_noisy.py [--n 10000] [--ms 1000] [--modes numpy,cython,cpp_standalone]
Prints one JSON line per mode: {"mode","neurons","steps","seconds","neuronStepsPerSecond","rateHz","cv"}.
"""
import argparse
import json
import os
import shutil
import tempfile
import time
import warnings

warnings.filterwarnings("ignore")
import numpy as np  # noqa: E402
from brian2 import (  # noqa: E402
    NeuronGroup, SpikeMonitor, Network, defaultclock, device, ms, prefs, set_device, seed, start_scope,
)

EQS = """
dv/dt = -gL*(v - VL) + I : 1
dI/dt = -(I - mu)/tauS + sigma*sqrt(2/tauS)*xi : hertz
"""
NS = dict(gL=0.05 / ms, VL=0.0, tauS=5 * ms, mu=0.055 / ms, sigma=0.02 / ms)


def build(n, record):
    g = NeuronGroup(n, EQS, threshold="v > 1", reset="v = 0", method="euler", namespace=NS)
    g.v = "rand()"
    g.I = 0.055 / ms
    objs = [g]
    mon = None
    if record:
        mon = SpikeMonitor(g)
        objs.append(mon)
    return Network(*objs), g, mon


def stats(mon, n, T, t0=0.0):
    """Rate (Hz) and pooled ISI CV of the spikes in [t0, t0 + T) ms (the timed window)."""
    if mon is None:
        return None, None
    i = np.asarray(mon.i)
    t = np.asarray(mon.t / ms)
    keep = (t >= t0) & (t < t0 + T)
    i, t = i[keep], t[keep]
    rate = len(i) / n / (T / 1000.0)
    cvs = []
    order = np.argsort(i, kind="stable")
    i, t = i[order], t[order]
    bounds = np.searchsorted(i, np.arange(n + 1))
    isis = []
    for k in range(n):
        tk = t[bounds[k]:bounds[k + 1]]
        if len(tk) > 2:
            isis.append(np.diff(tk))
    if isis:
        allisi = np.concatenate(isis)
        cvs = float(np.std(allisi) / np.mean(allisi))
    return rate, cvs


def run_runtime(mode, n, T, record):
    start_scope()
    prefs.codegen.target = mode
    defaultclock.dt = 0.1 * ms
    seed(1)
    net, g, mon = build(n, record)
    net.run(10 * ms)  # warm-up: code generation and compilation
    if mon is not None:
        mon.active = True
    t0 = time.process_time()
    net.run(T * ms)
    dt = time.process_time() - t0
    return dt, mon


def run_standalone(n, T, record):
    d = tempfile.mkdtemp(prefix="brian2_lif_")
    set_device("cpp_standalone", directory=d, build_on_run=False)
    prefs.devices.cpp_standalone.openmp_threads = 0
    defaultclock.dt = 0.1 * ms
    seed(1)
    net, g, mon = build(n, record)
    net.run(10 * ms)  # same window as the runtime modes: statistics over [10, 10 + T) ms
    net.run(T * ms)
    device.build(directory=d, compile=True, run=True)
    dt = float(device._last_run_time)  # the last run() only
    out = stats(mon, n, T, 10.0)
    device.reinit()
    device.activate()
    shutil.rmtree(d, ignore_errors=True)
    return dt, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--ms", type=float, default=1000.0)
    ap.add_argument("--modes", default="numpy,cython,cpp_standalone")
    ap.add_argument("--record", action="store_true", help="record spikes (rate and ISI CV)")
    a = ap.parse_args()
    steps = int(round(a.ms / 0.1))
    # Runtime modes first: cpp_standalone switches the device for the rest of the process.
    modes = sorted(a.modes.split(","), key=lambda m: m == "cpp_standalone")
    for mode in modes:
        if mode == "cpp_standalone":
            secs, (rate, cv) = run_standalone(a.n, a.ms, a.record)
        else:
            secs, mon = run_runtime(mode, a.n, a.ms, a.record)
            rate, cv = stats(mon, a.n, a.ms, 10.0) if a.record else (None, None)
        print(json.dumps({"model": "noisy-lif", "mode": mode, "neurons": a.n, "steps": steps, "seconds": secs,
                          "neuronStepsPerSecond": a.n * steps / secs, "rateHz": rate, "cv": cv}), flush=True)


if __name__ == "__main__":
    main()
