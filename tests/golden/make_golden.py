"""Generate the golden trajectories of the PyTorch-exact optimizers with ``torch.optim``.

Usage (needs ``pip install torch==2.13.0``, a CPU wheel; the test suite itself never imports torch)::

    python tests/golden/make_golden.py            # writes tests/golden/torch_trajectories.{json,npz}
    python tests/golden/make_golden.py --check    # also compares with optimizers.run and prints the gap

Every case runs each of its start points as its own ``torch.nn.Parameter`` of shape (2,) in float64
with its own optimizer (``foreach=False``: the single-tensor reference loop), so clipping is per run
and hyperparameters may differ per run, exactly as a batch does in ``optimizers.run``. Per step::

    p.grad = analytic gradient at p      (the same formula as in the tests, evaluated in torch)
    clip_grad_value_ / clip_grad_norm_   (if the case asks for it)
    optimizer.step(); scheduler.step()

Cases are non-chaotic: the script nudges each start coordinate by about 1e-12, reruns, and refuses any
case where the nudge grows more than 1e4-fold (there, rounding differences would grow too), or whose
path leaves |θ| < 50.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "torch_trajectories.json"
DATA = HERE / "torch_trajectories.npz"
STEPS = 120

# The surfaces, written once for any array module ``xp`` (torch here, numpy in the tests: the tests
# define the same formulas locally; see tests/test_optimizers_golden.py).


def grad_quadratic(x: Any, y: Any) -> tuple[Any, Any]:
    """f = x² + 10y² + 2xy (a tilted, ill-conditioned bowl)."""
    return 2 * x + 2 * y, 20 * y + 2 * x


def grad_rosenbrock(x: Any, y: Any) -> tuple[Any, Any]:
    """f = (1 - x)² + 100(y - x²)²."""
    return -2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)


def grad_himmelblau(x: Any, y: Any) -> tuple[Any, Any]:
    """f = (x² + y - 11)² + (x + y² - 7)²."""
    a = x * x + y - 11
    b = x + y * y - 7
    return 4 * x * a + 2 * b, 2 * a + 4 * y * b


SURFACES = {"quadratic": grad_quadratic, "rosenbrock": grad_rosenbrock, "himmelblau": grad_himmelblau}

TORCH_CLASS = {
    "sgd": "SGD",
    "adagrad": "Adagrad",
    "rmsprop": "RMSprop",
    "adam": "Adam",
    "adamw": "AdamW",
    "nadam": "NAdam",
    "radam": "RAdam",
    "adamax": "Adamax",
    "adadelta": "Adadelta",
}
COMMON = {"clip_norm", "clip_value", "schedule", "step_size", "gamma", "T_max", "eta_min", "decay"}

Q2 = [[1.5, 1.0], [-1.0, 0.5]]
R2 = [[-1.2, 1.0], [0.3, 0.2]]
R3 = [[-1.2, 1.0], [0.5, 1.5], [1.5, 1.5]]
H2 = [[0.0, 0.0], [-1.0, -1.0]]

# (id, optimizer, surface, start points, keyword arguments of optimizers.run). A list value is a
# per-run array (one entry per start point).
CASES: list[tuple[str, str, str, list[list[float]], dict[str, Any]]] = [
    # SGD
    ("sgd_plain_quadratic", "sgd", "quadratic", Q2, {"lr": 0.04}),
    ("sgd_momentum_rosenbrock", "sgd", "rosenbrock", R2, {"lr": 2e-4, "momentum": 0.9}),
    ("sgd_nesterov_himmelblau", "sgd", "himmelblau", H2, {"lr": 2e-3, "momentum": 0.8, "nesterov": True}),
    (
        "sgd_dampening_wd_quadratic",
        "sgd",
        "quadratic",
        Q2,
        {"lr": 0.03, "momentum": 0.7, "dampening": 0.3, "weight_decay": 0.2},
    ),
    ("sgd_clipnorm_rosenbrock", "sgd", "rosenbrock", R3, {"lr": 1e-3, "momentum": 0.5, "clip_norm": 1.0}),
    ("sgd_steplr_quadratic", "sgd", "quadratic", Q2, {"lr": 0.08, "schedule": "step", "step_size": 25, "gamma": 0.5}),
    (
        "sgd_inverse_time_himmelblau",
        "sgd",
        "himmelblau",
        H2,
        {"lr": 5e-3, "momentum": 0.5, "schedule": "inverse_time", "decay": 0.05},
    ),
    ("sgd_per_run_lr_quadratic", "sgd", "quadratic", R3, {"lr": [0.01, 0.03, 0.06], "momentum": [0.0, 0.5, 0.9]}),
    # Adagrad
    ("adagrad_default_quadratic", "adagrad", "quadratic", Q2, {"lr": 0.1}),
    (
        "adagrad_decay_acc_wd_rosenbrock",
        "adagrad",
        "rosenbrock",
        R2,
        {"lr": 0.05, "lr_decay": 0.01, "initial_accumulator_value": 0.1, "weight_decay": 0.01},
    ),
    ("adagrad_cosine_himmelblau", "adagrad", "himmelblau", H2, {"lr": 0.5, "schedule": "cosine", "T_max": 80}),
    # RMSprop
    ("rmsprop_default_quadratic", "rmsprop", "quadratic", Q2, {"lr": 0.01}),
    ("rmsprop_centered_rosenbrock", "rmsprop", "rosenbrock", R3[:2], {"lr": 1e-3, "alpha": 0.9, "centered": True}),
    ("rmsprop_momentum_himmelblau", "rmsprop", "himmelblau", H2, {"lr": 2e-3, "momentum": 0.8, "weight_decay": 0.1}),
    (
        "rmsprop_centered_momentum_quadratic",
        "rmsprop",
        "quadratic",
        Q2,
        {"lr": 5e-3, "centered": True, "momentum": 0.5, "eps": 1e-6},
    ),
    (
        "rmsprop_exponential_clipvalue_rosenbrock",
        "rmsprop",
        "rosenbrock",
        R3,
        {"lr": 3e-3, "schedule": "exponential", "gamma": 0.98, "clip_value": 5.0},
    ),
    # Adam
    ("adam_default_quadratic", "adam", "quadratic", Q2, {"lr": 0.05}),
    ("adam_amsgrad_rosenbrock", "adam", "rosenbrock", R3, {"lr": 0.01, "amsgrad": True}),
    ("adam_betas_wd_himmelblau", "adam", "himmelblau", H2, {"lr": 0.05, "betas": (0.8, 0.99), "weight_decay": 0.1}),
    (
        "adam_cosine_clipnorm_rosenbrock",
        "adam",
        "rosenbrock",
        R2,
        {"lr": 0.02, "schedule": "cosine", "T_max": 60, "eta_min": 1e-3, "clip_norm": 2.0},
    ),
    ("adam_per_run_lr_quadratic", "adam", "quadratic", R3, {"lr": [0.005, 0.02, 0.08]}),
    # AdamW
    ("adamw_default_himmelblau", "adamw", "himmelblau", H2, {"lr": 0.05}),
    ("adamw_amsgrad_wd_rosenbrock", "adamw", "rosenbrock", R2, {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True}),
    # NAdam
    ("nadam_default_quadratic", "nadam", "quadratic", Q2, {"lr": 0.05}),
    (
        "nadam_decay_wd_rosenbrock",
        "nadam",
        "rosenbrock",
        R2,
        {"lr": 0.01, "momentum_decay": 0.01, "weight_decay": 0.01},
    ),
    # RAdam
    ("radam_default_himmelblau", "radam", "himmelblau", H2, {"lr": 0.05}),
    (
        "radam_wd_step_rosenbrock",
        "radam",
        "rosenbrock",
        R2,
        {"lr": 1e-3, "weight_decay": 0.01, "schedule": "step", "step_size": 40, "gamma": 0.5},
    ),
    # Adamax
    ("adamax_default_quadratic", "adamax", "quadratic", Q2, {"lr": 0.05}),
    ("adamax_wd_rosenbrock", "adamax", "rosenbrock", R2, {"lr": 0.01, "betas": (0.85, 0.995), "weight_decay": 0.05}),
    # Adadelta
    ("adadelta_default_quadratic", "adadelta", "quadratic", Q2, {"lr": 1.0}),
    ("adadelta_rho_wd_himmelblau", "adadelta", "himmelblau", H2, {"lr": 5.0, "rho": 0.95, "weight_decay": 0.05}),
]


def _per_run(value: Any, i: int) -> Any:
    return value[i] if isinstance(value, list) else value


def _torch_run(optimizer: str, surface: str, x0: list[list[float]], hp: dict[str, Any], steps: int) -> np.ndarray:
    grad_fn = SURFACES[surface]
    cls = getattr(torch.optim, TORCH_CLASS[optimizer])
    params, opts, scheds = [], [], []
    for i, start in enumerate(x0):
        p = torch.nn.Parameter(torch.tensor(start, dtype=torch.float64))
        kw = {k: _per_run(v, i) for k, v in hp.items() if k not in COMMON}
        if "betas" in kw:
            kw["betas"] = tuple(kw["betas"])
        opt = cls([p], foreach=False, **kw)
        kind = hp.get("schedule", "none")
        if kind == "step":
            sched = torch.optim.lr_scheduler.StepLR(opt, step_size=hp["step_size"], gamma=hp["gamma"])
        elif kind == "exponential":
            sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=hp["gamma"])
        elif kind == "cosine":
            sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=hp["T_max"], eta_min=hp.get("eta_min", 0.0))
        elif kind == "inverse_time":
            k = hp["decay"]
            sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda e, k=k: 1.0 / (1.0 + k * e))
        else:
            sched = None
        params.append(p)
        opts.append(opt)
        scheds.append(sched)
    path = np.empty((steps + 1, len(x0), 2))
    path[0] = np.asarray(x0, dtype=float)
    for t in range(1, steps + 1):
        for i, (p, opt, sched) in enumerate(zip(params, opts, scheds, strict=True)):
            with torch.no_grad():
                gx, gy = grad_fn(p[0], p[1])
                p.grad = torch.stack([gx, gy])
            if hp.get("clip_value"):
                torch.nn.utils.clip_grad_value_([p], hp["clip_value"])
            if hp.get("clip_norm"):
                torch.nn.utils.clip_grad_norm_([p], hp["clip_norm"])
            opt.step()
            if sched is not None:
                sched.step()
            path[t, i] = p.detach().numpy()
    return path


def _rel_gap(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1.0)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with optimizers.run and print the gaps")
    args = parser.parse_args()
    assert torch.__version__.startswith("2.13.0"), f"golden data is made with torch 2.13.0, not {torch.__version__}"
    # float64 throughout, including the optimizers' scalar state (NAdam's μ-product is kept in the
    # default scalar dtype, float32 unless the default dtype is float64).
    torch.set_default_dtype(torch.float64)
    manifest = {"torch": torch.__version__, "steps": STEPS, "cases": []}
    arrays: dict[str, np.ndarray] = {}
    worst = 0.0
    for case_id, optimizer, surface, x0, hp in CASES:
        path = _torch_run(optimizer, surface, x0, hp, STEPS)
        if not np.all(np.isfinite(path)):
            raise SystemExit(f"{case_id}: the torch trajectory is not finite")
        if np.abs(path).max() > 50:
            raise SystemExit(f"{case_id}: the torch trajectory runs away (|θ| > 50); pick other settings")
        nudged = [[c * (1 + 1e-12) + 1e-12 for c in start] for start in x0]
        chaos = float(np.abs(_torch_run(optimizer, surface, nudged, hp, STEPS) - path).max()) / 1e-12
        if chaos > 1e4:
            raise SystemExit(f"{case_id}: chaotic (a 1e-12 nudge grows {chaos:.1e}-fold); pick other settings")
        jhp = {k: list(v) if isinstance(v, tuple) else v for k, v in hp.items()}
        manifest["cases"].append(
            {"id": case_id, "optimizer": optimizer, "surface": surface, "x0": x0, "hp": jhp, "amplification": chaos}
        )
        arrays[case_id] = path
        if args.check:
            sys.path.insert(0, str(HERE.parents[1]))
            import optimizers

            kw = {k: (np.asarray(v) if isinstance(v, list) else v) for k, v in hp.items()}

            def g(pts: np.ndarray, fn: Any = SURFACES[surface]) -> np.ndarray:
                return np.stack(fn(pts[..., 0], pts[..., 1]), axis=-1)

            ours = optimizers.run(optimizer, g, np.asarray(x0, dtype=float), STEPS, **kw)
            gap = _rel_gap(ours, path)
            worst = max(worst, gap)
            print(
                f"{case_id:45s} gap {gap:.2e}  amplification {chaos:.1e}  moved {np.abs(path[-1] - path[0]).max():.3f}"
            )
    MANIFEST.write_text(json.dumps(manifest, indent=1) + "\n")
    np.savez_compressed(DATA, **arrays)
    print(f"wrote {len(CASES)} cases to {MANIFEST.name} and {DATA.name} ({DATA.stat().st_size / 1024:.0f} KiB)")
    if args.check:
        print(f"worst relative gap to optimizers.run: {worst:.2e}")
    return 0 if worst < 1e-10 or not math.isfinite(worst) else 1


if __name__ == "__main__":
    sys.exit(main())
