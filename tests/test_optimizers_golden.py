"""The PyTorch-exact optimizers against golden trajectories made with torch==2.13.0.

The data (tests/golden/torch_trajectories.{json,npz}) and the script that made it
(tests/golden/make_golden.py) live next to each other; this file never imports torch. The gradients
are the same formulas as in the script, written here again in NumPy.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import optimizers

GOLDEN = Path(__file__).parent / "golden"
MANIFEST = json.loads((GOLDEN / "torch_trajectories.json").read_text())
with np.load(GOLDEN / "torch_trajectories.npz") as _data:
    PATHS = {k: _data[k] for k in _data.files}
CASES = MANIFEST["cases"]


def _quadratic(p: np.ndarray) -> np.ndarray:  # f = x² + 10y² + 2xy
    x, y = p[..., 0], p[..., 1]
    return np.stack([2 * x + 2 * y, 20 * y + 2 * x], axis=-1)


def _rosenbrock(p: np.ndarray) -> np.ndarray:  # f = (1 - x)² + 100(y - x²)²
    x, y = p[..., 0], p[..., 1]
    return np.stack([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)], axis=-1)


def _himmelblau(p: np.ndarray) -> np.ndarray:  # f = (x² + y - 11)² + (x + y² - 7)²
    x, y = p[..., 0], p[..., 1]
    a, b = x * x + y - 11, x + y * y - 7
    return np.stack([4 * x * a + 2 * b, 2 * a + 4 * y * b], axis=-1)


GRADIENTS = {"quadratic": _quadratic, "rosenbrock": _rosenbrock, "himmelblau": _himmelblau}
PYTORCH_EXACT = [n for n in optimizers.names() if optimizers.spec(n).pytorch]


def _kwargs(hp: dict) -> dict:
    out = {}
    for k, v in hp.items():
        if k == "betas":
            out[k] = tuple(v)
        elif isinstance(v, list):
            out[k] = np.asarray(v, dtype=float)
        else:
            out[k] = v
    return out


def test_golden_data_is_from_torch_2_13_and_long_enough() -> None:
    assert MANIFEST["torch"].startswith("2.13.0")
    assert MANIFEST["steps"] >= 100
    assert set(PATHS) == {c["id"] for c in CASES}
    total = sum(f.stat().st_size for f in GOLDEN.iterdir() if f.is_file())
    assert total < 400 * 1024


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_matches_torch(case: dict) -> None:
    expected = PATHS[case["id"]]
    steps = expected.shape[0] - 1
    got = optimizers.run(
        case["optimizer"], GRADIENTS[case["surface"]], np.asarray(case["x0"], dtype=float), steps, **_kwargs(case["hp"])
    )
    assert got.shape == expected.shape
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)
    assert np.abs(expected[-1] - expected[0]).max() > 0.1  # the case really moves


def test_golden_cases_cover_every_pytorch_optimizer_and_setting() -> None:
    by_opt: dict[str, list[dict]] = {}
    for c in CASES:
        by_opt.setdefault(c["optimizer"], []).append(c)
    assert set(by_opt) == set(PYTORCH_EXACT)
    for name, cases in by_opt.items():
        assert len(cases) >= 2, name
        assert len({c["surface"] for c in cases}) >= 2, name
    used = [(c["optimizer"], k, v) for c in CASES for k, v in c["hp"].items()]
    keys = {(o, k) for o, k, v in used if v not in (False, 0, 0.0)}
    for needed in [
        ("sgd", "momentum"),
        ("sgd", "nesterov"),
        ("sgd", "dampening"),
        ("sgd", "weight_decay"),
        ("rmsprop", "centered"),
        ("rmsprop", "momentum"),
        ("adam", "amsgrad"),
        ("adamw", "amsgrad"),
        ("adam", "weight_decay"),
        ("adagrad", "lr_decay"),
        ("adagrad", "initial_accumulator_value"),
        ("nadam", "momentum_decay"),
        ("adadelta", "rho"),
    ]:
        assert needed in keys, needed
    assert {v for o, k, v in used if k == "schedule"} >= {"step", "exponential", "cosine", "inverse_time"}
    assert any(k == "clip_norm" for o, k, v in used)
    assert any(k == "clip_value" for o, k, v in used)
    assert any(isinstance(v, list) and k == "lr" for o, k, v in used)  # per-run hyperparameters
