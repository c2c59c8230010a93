"""Gradient-descent optimizers on 2-D loss surfaces, vectorized over batches of runs. NumPy only.

Public API:

- :func:`names` — the registry keys;
- :func:`spec` — an :class:`OptimizerSpec` (label, description, LaTeX rule, hyperparameters) for the UI;
- :data:`COMMON` — the transforms every optimizer takes (gradient noise, clipping, learning-rate schedules);
- :func:`run` — a batch of paths, shape ``(steps + 1, *x0.shape)``;
- :func:`trace` / :func:`trace_symbols` — every intermediate quantity of the rule, step by step;
- :func:`rule` — the LaTeX update rule as one run is configured (only the variants its settings switch on);
- :func:`stable_lr` — the largest stable η of the linear optimizers on a quadratic of given curvature.

The PyTorch-exact optimizers (``sgd``, ``adagrad``, ``rmsprop``, ``adam``, ``adamw``, ``nadam``,
``radam``, ``adamax``, ``adadelta``) reproduce ``torch.optim`` in float64; ``gd``, ``momentum`` (EMA
form) and ``newton`` are the seeds' textbook forms. This package never imports the landscapes: an
optimizer only sees a gradient callable.
"""

from __future__ import annotations

# Importing the optimizer modules registers them; the order here is the order of names().
from . import adam_family, adaptive, first_order, second_order  # noqa: F401
from .rules import rule
from .runner import DIVERGENCE_LIMIT, run, trace, trace_symbols
from .spec import REGISTRY, HyperParam, OptimizerSpec, UnknownOptimizerError, get
from .stability import stable_lr
from .transforms import COMMON, SCHEDULES

__all__ = [
    "COMMON",
    "DIVERGENCE_LIMIT",
    "SCHEDULES",
    "HyperParam",
    "OptimizerSpec",
    "UnknownOptimizerError",
    "names",
    "rule",
    "run",
    "spec",
    "stable_lr",
    "trace",
    "trace_symbols",
]

_FAMILY_ORDER = ("first-order", "first-order + momentum", "adaptive", "adaptive + momentum", "second-order")


def names() -> list[str]:
    """The registry keys, grouped by family (first-order, momentum, adaptive, Adam-like, second-order)."""

    def rank(name: str) -> int:
        family = REGISTRY[name].spec.family
        return _FAMILY_ORDER.index(family) if family in _FAMILY_ORDER else len(_FAMILY_ORDER)

    return sorted(REGISTRY, key=rank)  # stable: registration order within a family


def spec(name: str) -> OptimizerSpec:
    """The :class:`OptimizerSpec` of ``name``; raises :class:`UnknownOptimizerError` (a KeyError and ValueError)."""
    return get(name).spec
