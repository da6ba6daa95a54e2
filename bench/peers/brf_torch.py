"""PyTorch CPU peer for bench/brf.bench.mjs: one S-MNIST training batch (forward over 784 steps,
BPTT, Adam step) of the same BRF-RSNN (Algorithm 1 of seed 002 in the reference-code order:
b = p(w) - b' - q; simultaneous Euler step of (u, v); z = [u - 1 - q > 0]; q = 0.9 q + z;
leaky-integrator readout; label-last cross-entropy; double-Gaussian surrogate).
Written for this bench from the equations (no code copied).

usage: /usr/bin/python3 bench/peers/brf_torch.py DIGITS_DIR [--hidden 256] [--batch 32]
       [--dtype float32|float64] [--reps 3] [--threads N] [--passive]
--threads: intra-op threads (default 1; 0 = all cores, os.cpu_count()). Inter-op threads, OpenMP
and the BLAS library's own threads (Debian's torch calls the system BLAS, e.g. OpenBLAS through
libblas.so.3, which otherwise starts one thread per core) are set to the same number, so the run
uses exactly that many cores. Install an optimised BLAS (apt-get install libopenblas0-pthread):
with Debian's reference libblas3 alone the GEMMs are several times slower.
prints one JSON line: {"samplesPerSecond": ..., "samplesPerCpuSecond": ..., ...} (wall and
process CPU time; on a shared machine CPU time is the fairer comparison)
"""
import json
import math
import os
import sys
import time

args = sys.argv[1:]


def opt(name, default):
    return args[args.index(name) + 1] if name in args else default


threads = int(opt('--threads', 1)) or os.cpu_count()
for var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ[var] = str(threads)  # before torch (and its BLAS) is loaded
# --passive: OpenMP threads sleep instead of spinning at barriers (much faster when the machine has
# more runnable threads than cores; slower on an idle machine)
passive = '--passive' in args
if passive:
    os.environ['OMP_WAIT_POLICY'] = 'PASSIVE'

import torch  # noqa: E402

torch.set_num_threads(threads)
torch.set_num_interop_threads(threads)
digits_dir = args[0]
H = int(opt('--hidden', 256))
B = int(opt('--batch', 32))
reps = int(opt('--reps', 3))
dtype = {'float32': torch.float32, 'float64': torch.float64}[opt('--dtype', 'float32')]
T, C, DT = 784, 10, 0.01  # DT: the Euler step in s (10 ms)

xs, ys = [], []
for d in range(10):
    data = json.load(open(f'{digits_dir}/{d}.json'))['data']
    for k in range(B // 10 + 1):
        xs.append(data[k * 784:(k + 1) * 784])
        ys.append(d)
x = torch.tensor(xs[:B], dtype=dtype).t().unsqueeze(-1)  # [T, B, 1]
y = torch.tensor(ys[:B])

SQ2PI = math.sqrt(2 * math.pi)


class Spike(torch.autograd.Function):
    @staticmethod
    def forward(ctx, s):
        ctx.save_for_backward(s)
        return (s > 0).to(s.dtype)

    @staticmethod
    def backward(ctx, g):
        (s,) = ctx.saved_tensors
        h, sig, k, gain = 0.15, 0.5, 6.0, 0.5
        n1 = torch.exp(-s * s / (2 * sig * sig)) / (sig * SQ2PI)
        n2 = torch.exp(-s * s / (2 * (k * sig) ** 2)) / (k * sig * SQ2PI)
        return g * gain * ((1 + h) * n1 - 2 * h * n2)


torch.manual_seed(0)
lin = torch.nn.Linear(1 + H, H, bias=False).to(dtype)
torch.nn.init.xavier_uniform_(lin.weight)
out = torch.nn.Linear(H, C, bias=False).to(dtype)
torch.nn.init.xavier_uniform_(out.weight)
omega = torch.nn.Parameter(torch.empty(H, dtype=dtype).uniform_(15, 50))
boff = torch.nn.Parameter(torch.empty(H, dtype=dtype).uniform_(0.1, 1))
tau = torch.nn.Parameter(torch.empty(C, dtype=dtype).normal_(20, 5))
params = [lin.weight, out.weight, omega, boff, tau]
optim = torch.optim.Adam(params, lr=0.1)


def batch():
    w = omega.abs()
    p = (-1 + torch.sqrt(1 - (DT * w) ** 2)) / DT
    bo = boff.abs()
    a = torch.exp(-1 / tau.abs())
    u = torch.zeros(B, H, dtype=dtype)
    v = torch.zeros(B, H, dtype=dtype)
    q = torch.zeros(B, H, dtype=dtype)
    z = torch.zeros(B, H, dtype=dtype)
    uo = torch.zeros(B, C, dtype=dtype)
    for t in range(T):
        cur = lin(torch.cat([x[t], z], dim=1))
        b = p - bo - q
        u, v = u + DT * (b * u - w * v + cur), v + DT * (w * u + b * v)
        z = Spike.apply(u - 1.0 - q)
        q = 0.9 * q + z
        uo = a * uo + (1 - a) * out(z)
    loss = torch.nn.functional.cross_entropy(uo, y)
    optim.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    optim.step()
    return loss.item()


batch()  # warm-up
times, cpu = [], []
for _ in range(reps):
    t0, c0 = time.perf_counter(), time.process_time()
    loss = batch()
    times.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
sec = sorted(times)[len(times) // 2]
csec = sorted(cpu)[len(cpu) // 2]
blas = 'openblas' if os.path.realpath('/usr/lib/x86_64-linux-gnu/libblas.so.3').find('openblas') >= 0 else 'reference'
print(json.dumps({'peer': 'torch', 'version': torch.__version__, 'threads': torch.get_num_threads(), 'ompPassive': passive, 'blas': blas, 'dtype': str(dtype),
                  'hidden': H, 'batch': B, 'secondsPerBatch': sec, 'samplesPerSecond': B / sec,
                  'cpuSecondsPerBatch': csec, 'samplesPerCpuSecond': B / csec, 'loss': loss}))
