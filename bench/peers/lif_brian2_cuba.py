"""Brian2 peer of bench/lif.bench.mjs (b): the CUBA example network (Brian2 examples/CUBA.py).

4000 neurons (3200 E / 800 I), p = 0.02, taum 20 ms, taue 5 ms, taui 10 ms, Vt -50 mV,
Vr -60 mV, El -49 mV, refractory 5 ms, we = 1.62 mV, wi = -9 mV, method 'exact', dt 0.1 ms, 1 s.

Times the simulation loop only, as process CPU time (see lif_brian2_noisy.py). Prints one JSON line per mode and seed:
{"mode","seed","seconds","spikes","rateHz","synapses"}.
Usage: /usr/bin/python3 bench/peers/lif_brian2_cuba.py [--modes numpy,cython,cpp_standalone] [--seeds 1]
"""
import argparse
import json
import shutil
import tempfile
import time
import warnings

warnings.filterwarnings("ignore")
from brian2 import (  # noqa: E402
    NeuronGroup, SpikeMonitor, Synapses, Network, defaultclock, device, ms, mV, prefs, set_device, seed,
    start_scope,
)

EQS = """
dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
dge/dt = -ge/taue : volt
dgi/dt = -gi/taui : volt
"""
NS = dict(taum=20 * ms, taue=5 * ms, taui=10 * ms, Vt=-50 * mV, Vr=-60 * mV, El=-49 * mV)


def build(s):
    seed(s)
    P = NeuronGroup(4000, EQS, threshold="v>Vt", reset="v = Vr", refractory=5 * ms, method="exact", namespace=NS)
    P.v = "Vr + rand() * (Vt - Vr)"
    P.ge = 0 * mV
    P.gi = 0 * mV
    we = (60 * 0.27 / 10) * mV
    wi = (-20 * 4.5 / 10) * mV
    Ce = Synapses(P, P, on_pre="ge += we", namespace={"we": we})
    Ci = Synapses(P, P, on_pre="gi += wi", namespace={"wi": wi})
    Ce.connect("i<3200", p=0.02)
    Ci.connect("i>=3200", p=0.02)
    mon = SpikeMonitor(P)
    return Network(P, Ce, Ci, mon), mon, Ce, Ci


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--modes", default="numpy,cython,cpp_standalone")
    ap.add_argument("--seeds", default="1")
    a = ap.parse_args()
    # Runtime modes first: cpp_standalone switches the device for the rest of the process.
    modes = sorted(a.modes.split(","), key=lambda m: m == "cpp_standalone")
    for mode in modes:
        for s in [int(x) for x in a.seeds.split(",")]:
            if mode == "cpp_standalone":
                d = tempfile.mkdtemp(prefix="brian2_cuba_")
                set_device("cpp_standalone", directory=d, build_on_run=False)
                prefs.devices.cpp_standalone.openmp_threads = 0
                defaultclock.dt = 0.1 * ms
                net, mon, Ce, Ci = build(s)
                net.run(1000 * ms)
                device.build(directory=d, compile=True, run=True)
                secs = float(device._last_run_time)
                spikes = int(mon.num_spikes)
                syn = int(len(Ce) + len(Ci))
                device.reinit()
                device.activate()
                shutil.rmtree(d, ignore_errors=True)
            else:
                start_scope()
                prefs.codegen.target = mode
                defaultclock.dt = 0.1 * ms
                net, mon, Ce, Ci = build(s)
                # Warm-up on a copy would change the state; instead time the full second and a
                # separate 1 ms run before it triggers code generation and compilation.
                net.run(0.1 * ms)
                n0 = int(mon.num_spikes)
                t0 = time.process_time()
                net.run(999.9 * ms)
                secs = time.process_time() - t0
                spikes = int(mon.num_spikes)
                syn = int(len(Ce) + len(Ci))
                del n0
            print(json.dumps({"model": "cuba", "mode": mode, "seed": s, "seconds": secs, "spikes": spikes,
                              "rateHz": spikes / 4000.0, "synapses": syn}), flush=True)


if __name__ == "__main__":
    main()
