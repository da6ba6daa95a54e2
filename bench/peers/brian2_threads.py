"""Brian2 peer of bench/lif-threads.bench.mjs: C++ standalone with T OpenMP threads on the two models.

- noisy: uncoupled noisy LIF, Euler-Maruyama, the S1 parameters of brian2_noisy_lif.py, 10^5 neurons;
- cuba: the CUBA example (brian2_cuba.py) scaled to 40 000 neurons (80 % E) at the same in-degree
  (p = 80 / N), method 'exact', refractory 5 ms.

Each model is built once per thread count (prefs.devices.cpp_standalone.openmp_threads = T); a
10 ms run first, then the timed run. Time: device._last_run_time of the last run(), which Brian2
measures with omp_get_wtime() (wall time of the simulation loop; no code generation, compilation or
synapse creation) when OpenMP is on (T >= 1).

Usage: /usr/bin/python3 bench/peers/brian2_threads.py [--threads 1,2] [--models noisy,cuba]
  [--noisy-ms 50] [--cuba-ms 500]
Prints one JSON line per (model, threads): {"model","threads","neurons","steps","seconds","neuronStepsPerSecond","spikes"}.
"""
import argparse
import json
import shutil
import tempfile
import warnings

warnings.filterwarnings("ignore")
from brian2 import (  # noqa: E402
    NeuronGroup, Network, SpikeMonitor, Synapses, defaultclock, device, ms, mV, prefs, seed, set_device,
)

NOISY_EQS = """
dv/dt = -gL*(v - VL) + I : 1
dI/dt = -(I - mu)/tauS + sigma*sqrt(2/tauS)*xi : hertz
"""
NOISY_NS = dict(gL=0.05 / ms, VL=0.0, tauS=5 * ms, mu=0.055 / ms, sigma=0.02 / ms)

CUBA_EQS = """
dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
dge/dt = -ge/taue : volt
dgi/dt = -gi/taui : volt
"""
CUBA_NS = dict(taum=20 * ms, taue=5 * ms, taui=10 * ms, Vt=-50 * mV, Vr=-60 * mV, El=-49 * mV)


def build_noisy(n):
    g = NeuronGroup(n, NOISY_EQS, threshold="v > 1", reset="v = 0", method="euler", namespace=NOISY_NS)
    g.v = "rand()"
    g.I = 0.055 / ms
    mon = SpikeMonitor(g)
    return Network(g, mon), mon


def build_cuba(n):
    ne = int(round(0.8 * n))
    p = 80.0 / n
    P = NeuronGroup(n, CUBA_EQS, threshold="v>Vt", reset="v = Vr", refractory=5 * ms, method="exact", namespace=CUBA_NS)
    P.v = "Vr + rand() * (Vt - Vr)"
    Ce = Synapses(P, P, on_pre="ge += we", namespace={"we": 1.62 * mV})
    Ci = Synapses(P, P, on_pre="gi += wi", namespace={"wi": -9 * mV})
    Ce.connect(f"i<{ne}", p=p)
    Ci.connect(f"i>={ne}", p=p)
    mon = SpikeMonitor(P)
    return Network(P, Ce, Ci, mon), mon


def run(model, n, T, dur):
    d = tempfile.mkdtemp(prefix="brian2_thr_")
    set_device("cpp_standalone", directory=d, build_on_run=False)
    prefs.devices.cpp_standalone.openmp_threads = T
    defaultclock.dt = 0.1 * ms
    seed(1)
    net, mon = build_noisy(n) if model == "noisy" else build_cuba(n)
    net.run(10 * ms)
    net.run(dur * ms)
    device.build(directory=d, compile=True, run=True)
    secs = float(device._last_run_time)
    spikes = int(mon.num_spikes)
    device.reinit()
    device.activate()
    shutil.rmtree(d, ignore_errors=True)
    steps = int(round(dur / 0.1))
    return {"model": model, "threads": T, "neurons": n, "steps": steps, "seconds": secs,
            "neuronStepsPerSecond": n * steps / secs, "spikes": spikes}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--models", default="noisy,cuba")
    ap.add_argument("--noisy-ms", type=float, default=50.0)
    ap.add_argument("--cuba-ms", type=float, default=500.0)
    a = ap.parse_args()
    for model in a.models.split(","):
        n = 100000 if model == "noisy" else 40000
        dur = a.noisy_ms if model == "noisy" else a.cuba_ms
        for T in [int(x) for x in a.threads.split(",")]:
            print(json.dumps(run(model, n, T, dur)), flush=True)


if __name__ == "__main__":
    main()
