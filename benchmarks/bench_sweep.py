"""Benchmark: a 100 × 100 sweep of 500 steps on Rosenbrock (5 million optimizer steps) through ``sweeps.sweep``.

Prints, for Adam (η × β₁), momentum (η × β) and GD (η × start x): the best of ``--repeat`` wall-clock times of
the whole sweep (one vectorized ``optimizers.run`` call plus the outcome of every cell), the part spent in
``optimizers.run`` alone, and steps per second. Then the default 50 × 50 × 300 sweep, a 200 × 200 sweep (run
in chunks of rows for the progress bar) and the basin maps of Himmelblau's default scene.

With ``--costs`` it prints instead what one gradient and one Hessian cost per point on every landscape
(batches of 10,000 points), in Rosenbrock gradients, beside the ``step_cost`` and ``hessian_cost`` the
landscapes declare for the sweeps' work budget (``sweeps.MAX_WORK``), and on the data landscapes what a
mini-batch gradient costs beside their ``gradient_cost(B)``.

Usage: ``python benchmarks/bench_sweep.py [--n 100] [--steps 500] [--repeat 3] [--costs]``
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import landscapes
import optimizers
import sweeps
from scene import Run, Scene

TARGET_S = 1.0


def best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """The fastest of ``repeat`` calls of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def core_only(opt: str, axes: str, n: int, steps: int) -> float:
    """Time of the bare ``optimizers.run`` call the sweep makes (same shapes, same arrays)."""
    land = landscapes.get("rosenbrock")
    kx, ky = sweeps.swept_names(opt, axes)
    ax = sweeps.make_axis(kx, opt, n, land)
    ay = sweeps.make_axis(ky, opt, n, land)
    x0 = np.broadcast_to(land.start, (n, n, 2)).copy()
    kw = {kx: ax.values[None, :]}
    if ky == "x0":
        x0[..., 0] = ay.values[:, None]
    else:
        kw[ky] = ay.values[:, None]
    t = time.perf_counter()
    optimizers.run(opt, land.gradient, x0, steps, **kw)
    return time.perf_counter() - t


def costs(repeat: int) -> None:
    """Measured per-point costs of each landscape's gradient and Hessian beside the declared ones."""
    rng = np.random.default_rng(0)
    ros = landscapes.get("rosenbrock")
    pts = np.column_stack([rng.uniform(-2, 2, 10_000), rng.uniform(-1, 3, 10_000)])
    unit = best(lambda: ros.gradient(pts), repeat)
    print(f"Rosenbrock's gradient: {unit / len(pts) * 1e9:.1f} ns a point (best of {repeat})")
    print(f"{'landscape':<22}{'gradient':>9}{'declared':>10}{'Hessian':>9}{'declared':>10}")
    for name in landscapes.names():
        land = landscapes.get(name)
        (x0, x1), (y0, y1) = land.bounds
        p = np.column_stack([rng.uniform(x0, x1, len(pts)), rng.uniform(y0, y1, len(pts))])
        g = best(lambda la=land, q=p: la.gradient(q), repeat) / unit
        h = best(lambda la=land, q=p: la.hessian(q), repeat) / unit
        print(f"{name:<22}{g:>9.1f}{land.step_cost:>10.1f}{h:>9.1f}{land.hessian_cost:>10.1f}")
        if land.stochastic:
            minibatch_costs(name, repeat)


def minibatch_costs(name: str, repeat: int) -> None:
    """A data landscape's mini-batch gradients as a sweep pays for them: a 100 × 100 sweep of 100 SGD steps
    per mini-batch size, timed against the same sweep with the full gradient, whose work per cell and step
    is ``UPDATE_COST + step_cost``; printed beside ``gradient_cost(B)``. (A gradient timed alone on 10,000
    points in cache costs several times more, relative to Rosenbrock's, than inside a sweep.)"""

    def timed(batch: int) -> float:
        extra = (("batch_size", batch),) if batch else ()
        scene = Scene(landscape=name, runs=(Run("sgd", (("lr", 0.01), *extra)),), steps=100)
        sweeps.sweep(scene, 0, "lr-start", 10)  # warm-up
        return best(lambda: sweeps.sweep(scene, 0, "lr-start", 100), repeat)

    land = landscapes.get(name)
    full = timed(0)
    for b in (1, 4, 16, 64, 128):
        cost = (sweeps.UPDATE_COST + land.step_cost) * timed(b) / full - sweeps.UPDATE_COST
        print(f"{'  mini-batch ' + str(b):<22}{cost:>9.1f}{land.gradient_cost(b):>10.1f}")


def main() -> None:
    """Run the benchmark and print a table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--steps", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--costs", action="store_true", help="print the landscapes' per-point costs instead")
    args = ap.parse_args()
    if args.costs:
        costs(max(args.repeat, 5))
        return
    n, steps, rep = args.n, args.steps, args.repeat
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{n} × {n} sweep, {steps} steps, Rosenbrock: {n * n * steps / 1e6:.1f} M optimizer steps")
    print(f"(best of {rep}; CPU count {os.cpu_count()}, load average {load:.1f}; target < {TARGET_S:.1f} s)")
    print(f"{'optimizer':<10} {'axes':<12} {'sweep s':>8} {'core s':>8} {'M steps/s':>10}  verdict")
    for opt, axes in (("adam", "lr-beta"), ("momentum", "lr-beta"), ("gd", "lr-start")):
        scene = Scene(landscape="rosenbrock", runs=(Run.make(opt),), steps=steps)
        sweeps.sweep(scene, 0, axes, 10)  # warm-up
        t = best(lambda s=scene, a=axes: sweeps.sweep(s, 0, a, n), rep)
        c = min(core_only(opt, axes, n, steps) for _ in range(rep))
        verdict = "ok" if t < TARGET_S else "SLOW"
        print(f"{opt:<10} {axes:<12} {t:8.3f} {c:8.3f} {n * n * steps / t / 1e6:10.1f}  {verdict}")

    print()
    default = Scene()
    t = best(lambda: sweeps.sweep(default, 1, "lr-beta", 50), rep)
    print(f"default view: 50 × 50 × {default.steps} momentum sweep on Rosenbrock: {t:.3f} s")
    big = Scene(runs=(Run.make("adam"),), steps=300)
    t = time.perf_counter()
    sweeps.sweep(big, 0, "lr-beta", 200)
    print(
        f"200 × 200 × 300 Adam sweep ({len(sweeps.chunks(200, 300))} chunks of rows): {time.perf_counter() - t:.3f} s"
    )
    hb = Scene(landscape="himmelblau", steps=300)
    t = best(lambda: [sweeps.basins(hb, i, 50) for i in range(len(hb.runs))], rep)
    print(f"Himmelblau basin maps, {len(hb.runs)} optimizers × 50 × 50 starts × 300 steps: {t:.3f} s")


if __name__ == "__main__":
    main()
