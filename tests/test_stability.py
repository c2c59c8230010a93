"""``optimizers.stable_lr``: the learning-rate limit of the linear optimizers on a quadratic, checked by
running them just below and just above it."""

from __future__ import annotations

import numpy as np
import pytest

import optimizers
from optimizers import stable_lr

LAMBDA = 50.0
CASES = [
    ("gd", {}),
    ("momentum", {"beta": 0.9}),
    ("momentum", {"beta": 0.5}),
    ("sgd", {}),
    ("sgd", {"momentum": 0.5}),
    ("sgd", {"momentum": 0.9, "dampening": 0.3}),
    ("sgd", {"momentum": 0.9, "nesterov": True}),
    ("sgd", {"momentum": 0.9, "weight_decay": 5.0}),
]


def final_size(name: str, lr: float, kw: dict[str, object]) -> float:
    """|θ| over the last 200 of 3,000 steps on L = ½λx² from x = 1 (∞ if the run diverged)."""
    path = optimizers.run(name, lambda p: LAMBDA * p * np.array([1.0, 0.0]), np.array([1.0, 0.0]), 3000, lr=lr, **kw)
    return float(np.abs(path[-200:, 0]).max()) if np.isfinite(path[-1]).all() else np.inf


@pytest.mark.parametrize(("name", "kw"), CASES)
def test_runs_converge_just_below_the_limit_and_diverge_just_above(name: str, kw: dict[str, object]) -> None:
    limit = stable_lr(name, LAMBDA, **kw)
    assert limit is not None and limit > 0
    assert final_size(name, 0.98 * limit, kw) < 1e-6
    assert final_size(name, 1.02 * limit, kw) == np.inf


def test_the_limits_by_hand() -> None:
    # GD: |1 - ηλ| < 1. Heavy ball (EMA form, c = 1 - β): ηcλ < 2(1 + β).
    assert stable_lr("gd", 4.0) == pytest.approx(0.5)
    assert stable_lr("momentum", 4.0, beta=0.5) == pytest.approx(2 * 1.5 / (0.5 * 4.0))
    assert stable_lr("sgd", 4.0, momentum=0.0, dampening=0.5) == pytest.approx(0.5), "no buffer without momentum"


@pytest.mark.parametrize("name", ["adam", "rmsprop", "adagrad", "newton"])
def test_no_limit_for_adaptive_or_second_order_rules(name: str) -> None:
    assert stable_lr(name, LAMBDA) is None


@pytest.mark.parametrize("curvature", [0.0, -3.0, float("inf"), float("nan")])
def test_no_limit_without_a_positive_curvature(curvature: float) -> None:
    assert stable_lr("gd", curvature) is None
