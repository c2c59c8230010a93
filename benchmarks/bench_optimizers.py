"""Benchmark: 10,000 runs × 1,000 steps of Rosenbrock with per-run learning rates.

For Adam, SGD with momentum and RMSprop, prints runs·steps per second of ``optimizers.run`` and, when
torch is installed, of ``torch.optim`` stepping one (10000, 2) float64 tensor in the same process (the
same analytic Rosenbrock gradient, computed with torch ops, and the same path recording into a
preallocated tensor; torch's lr is a scalar since a single tensor cannot have per-element learning
rates) and the ratio. torch is timed with 1 intra-op thread and with its default thread count, and the
faster is the baseline (NumPy's elementwise loops are single-threaded; on a busy 2-core machine
torch's thread pool can be several times slower than one thread). Every figure is the best of
``--repeat`` interleaved runs; CPU time (process time, torch at 1 thread) is printed too, as it is far
less disturbed than wall-clock time when other work shares the machine, and so is the ratio of CPU
time with the gradient's own CPU time (timed alone) taken out of both. Last, the CPU ratios of each
repeat's pair (numpy, then torch at 1 thread right after it): their spread shows how much the load of
the machine moved the best-of figures. Target: at least 2× torch.optim on each.

Usage: ``python benchmarks/bench_optimizers.py [--runs 10000] [--steps 1000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import optimizers


class RosenbrockGrad:
    """∇[(1-x)² + 100(y-x²)²] for a fixed batch shape, with preallocated buffers (no per-call allocation)."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.out = np.empty(shape)
        self.r = np.empty(shape[:-1])
        self.s = np.empty(shape[:-1])

    def __call__(self, p: np.ndarray) -> np.ndarray:
        x, y = p[..., 0], p[..., 1]
        r, s, gx, gy = self.r, self.s, self.out[..., 0], self.out[..., 1]
        np.multiply(x, x, out=r)
        np.subtract(y, r, out=r)  # r = y - x²
        np.multiply(r, 200.0, out=gy)  # ∂/∂y = 200 r
        np.multiply(x, r, out=s)
        s *= -400.0  # -400 x r
        np.subtract(x, 1.0, out=gx)
        gx *= 2.0  # -2(1 - x)
        gx += s
        return self.out


class TorchRosenbrockGrad:
    """The same gradient with torch ops, op for op, into preallocated tensors (``out=``)."""

    def __init__(self, p: Any) -> None:
        import torch

        self.torch = torch
        self.out = torch.empty_like(p, requires_grad=False)
        self.r = torch.empty_like(p[:, 0], requires_grad=False)
        self.s = torch.empty_like(p[:, 0], requires_grad=False)

    def __call__(self, p: Any) -> Any:
        torch = self.torch
        with torch.no_grad():
            x, y = p[:, 0], p[:, 1]
            r, s, gx, gy = self.r, self.s, self.out[:, 0], self.out[:, 1]
            torch.mul(x, x, out=r)
            torch.sub(y, r, out=r)
            torch.mul(r, 200.0, out=gy)
            torch.mul(x, r, out=s)
            s.mul_(-400.0)
            torch.sub(x, 1.0, out=gx)
            gx.mul_(2.0)
            gx.add_(s)
        return self.out


def time_gradients(x0: np.ndarray, steps: int) -> tuple[float, float | None]:
    """CPU seconds of ``steps`` gradient evaluations alone: NumPy, and torch at 1 thread (or None)."""
    grad = RosenbrockGrad(x0.shape)
    c0 = time.process_time()
    for _ in range(steps):
        grad(x0)
    t_np = time.process_time() - c0
    try:
        import torch
    except ImportError:
        return t_np, None
    default_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    p = torch.tensor(x0, dtype=torch.float64)
    tgrad = TorchRosenbrockGrad(p)
    c0 = time.process_time()
    for _ in range(steps):
        tgrad(p)
    t_torch = time.process_time() - c0
    torch.set_num_threads(default_threads)
    return t_np, t_torch


CASES: list[tuple[str, str, dict[str, Any], tuple[float, float]]] = [
    # (name, torch class, extra keyword arguments, per-run lr range)
    ("adam", "Adam", {}, (1e-4, 1e-2)),
    ("sgd", "SGD", {"momentum": 0.9}, (1e-5, 1e-4)),
    ("rmsprop", "RMSprop", {}, (1e-4, 1e-3)),
]


def time_numpy(name: str, kw: dict[str, Any], x0: np.ndarray, lr: np.ndarray, steps: int) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of one ``optimizers.run``."""
    grad = RosenbrockGrad(x0.shape)
    t0, c0 = time.perf_counter(), time.process_time()
    path = optimizers.run(name, grad, x0, steps, lr=lr, **kw)
    elapsed = time.perf_counter() - t0, time.process_time() - c0
    assert path.shape == (steps + 1, *x0.shape) and np.isfinite(path[-1]).all()
    return elapsed


def time_torch(
    cls_name: str, kw: dict[str, Any], x0: np.ndarray, lr: float, steps: int, threads: int
) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of the same run with ``torch.optim`` (CPU time includes all threads)."""
    import torch

    default_threads = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        p = torch.nn.Parameter(torch.tensor(x0, dtype=torch.float64))
        opt = getattr(torch.optim, cls_name)([p], lr=lr, **kw)
        path = torch.empty((steps + 1, *x0.shape), dtype=torch.float64)
        path[0].copy_(p.detach())
        grad = TorchRosenbrockGrad(p)
        t0, c0 = time.perf_counter(), time.process_time()
        for t in range(1, steps + 1):
            p.grad = grad(p)
            opt.step()
            path[t].copy_(p.detach())
        return time.perf_counter() - t0, time.process_time() - c0
    finally:
        torch.set_num_threads(default_threads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x0 = np.column_stack([rng.uniform(-2, 2, args.runs), rng.uniform(-1, 3, args.runs)])
    work = args.runs * args.steps
    try:
        import torch

        torch_version = f"torch {torch.__version__} ({torch.get_num_threads()} threads)"
    except ImportError:
        torch = None
        torch_version = "torch not installed"
    print(f"{args.runs} runs × {args.steps} steps of Rosenbrock, per-run lr; numpy {np.__version__}; {torch_version}")
    g_np = g_torch = np.inf
    for _ in range(args.repeat):
        a, b = time_gradients(x0, args.steps)
        g_np, g_torch = min(g_np, a), min(g_torch, b if b is not None else np.inf)
    line = f"gradient alone: numpy {g_np:.2f} s CPU"
    print(line + (f", torch {g_torch:.2f} s CPU (1 thread)" if torch is not None else ""))
    for name, cls_name, kw, (lo, hi) in CASES:
        lr = np.exp(rng.uniform(np.log(lo), np.log(hi), args.runs))
        np_wall = np_cpu = torch_wall = torch_cpu = np.inf
        paired: list[float] = []  # CPU ratio of each repeat (torch at 1 thread right after numpy)
        threads = sorted({1, torch.get_num_threads()}) if torch is not None else []
        for _ in range(args.repeat):  # interleaved, so that both see the same machine load
            wall, cpu = time_numpy(name, kw, x0, lr, args.steps)
            np_wall, np_cpu = min(np_wall, wall), min(np_cpu, cpu)
            numpy_cpu = cpu
            for n in threads:
                wall, cpu = time_torch(cls_name, kw, x0, float(np.sqrt(lo * hi)), args.steps, n)
                torch_wall = min(torch_wall, wall)
                if n == 1:
                    torch_cpu = min(torch_cpu, cpu)
                    paired.append(cpu / numpy_cpu)
        line = f"{name:8s} numpy {work / np_wall:12,.0f} runs·steps/s ({np_wall:.2f} s wall, {np_cpu:.2f} s CPU)"
        if torch is not None:
            line += f" | torch.optim.{cls_name} {work / torch_wall:12,.0f} runs·steps/s ({torch_wall:.2f} s wall"
            line += f", {torch_cpu:.2f} s CPU at 1 thread) | ratio {torch_wall / np_wall:.2f}× wall"
            line += f", {torch_cpu / np_cpu:.2f}× CPU"
            line += f", {(torch_cpu - g_torch) / (np_cpu - g_np):.2f}× CPU without the gradient"
            line += f" | paired CPU ratios {min(paired):.2f}–{max(paired):.2f}×, median {np.median(paired):.2f}×"
        print(line, flush=True)


if __name__ == "__main__":
    main()
