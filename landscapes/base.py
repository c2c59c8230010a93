"""The `Landscape` base class and the registry that discovers its subclasses.

A landscape is a loss surface over two parameters with an analytic value, gradient and Hessian,
all vectorized over arrays of points of shape ``(..., 2)``. Defining a subclass with a ``key``
registers it: there is no other list to edit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

Bounds = tuple[tuple[float, float], tuple[float, float]]
Array = np.ndarray

REGISTRY: dict[str, type[Landscape]] = {}


@dataclass(frozen=True)
class Param:
    """One parameter of a landscape, enough to build a slider for it.

    Attributes:
        name: keyword accepted by the landscape's constructor.
        label: human label (may contain a symbol, e.g. ``"condition number κ"``).
        default: default value.
        low, high: the inclusive range a slider offers and the constructor accepts.
        log: whether the slider should move on a log scale.
        integer: whether the value must be a whole number.
        help: one sentence of help text.
    """

    name: str
    label: str
    default: float
    low: float
    high: float
    log: bool = False
    integer: bool = False
    help: str = ""


class Landscape:
    """Base class of every loss surface.

    Subclasses set the class attributes below and implement ``_value``, ``_gradient`` and
    ``_hessian`` on coordinate arrays ``x`` and ``y`` of equal shape. The public methods take
    points of shape ``(..., 2)`` and return arrays of shape ``(...)``, ``(..., 2)`` and
    ``(..., 2, 2)``.

    The public methods silence floating-point warnings: a diverging optimizer may hand in points like
    ``1e200``, where values may be ``inf`` or ``nan`` but nothing raises or warns. Inside ``bounds``
    every value is finite.
    """

    key: ClassVar[str] = ""
    title: ClassVar[str] = ""
    latex: ClassVar[str] = ""
    teaches: ClassVar[str] = ""
    params: ClassVar[tuple[Param, ...]] = ()
    default_bounds: ClassVar[Bounds] = ((-2.0, 2.0), (-2.0, 2.0))
    default_start: ClassVar[tuple[float, float]] = (1.5, 1.5)
    # Literature global minimizers (the ``minima`` property returns them as a ``(k, 2)`` array) and the
    # global-minimum value, ``None`` where there is none (saddles, unbounded surfaces).
    default_minima: ClassVar[tuple[tuple[float, float], ...]] = ()
    min_value: ClassVar[float | None] = None
    # True for landscapes that also offer mini-batch gradients (see ``stochastic_gradient``).
    stochastic: ClassVar[bool] = False
    # True where the value may be undefined at finite points (a custom formula's log(x) at x < 0); built-in
    # surfaces are finite wherever the position is (up to floating-point overflow).
    has_domain: ClassVar[bool] = False
    # True where ``minima`` are the window's lowest points found numerically (a custom formula), not the
    # literature's global minimizers.
    numeric_minima: ClassVar[bool] = False
    # What one gradient and one Hessian cost per point, in Rosenbrock gradients (measured on batches of
    # 10,000 points and rounded up; ``benchmarks/bench_sweep.py --costs`` prints them): how much work a
    # sweep is (``sweeps.work``).
    step_cost: float = 1.0
    hessian_cost: float = 6.0

    def gradient_cost(self, batch_size: int = 0) -> float:
        """What one point's gradient costs, in Rosenbrock gradients: ``step_cost`` (a data landscape's
        mini-batch of ``batch_size`` samples costs what it draws; 0 is the full gradient)."""
        return self.step_cost

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        key = cls.__dict__.get("key")
        if key:
            if key in REGISTRY and REGISTRY[key] is not cls:
                raise RuntimeError(f"two landscapes share the key {key!r}")
            REGISTRY[key] = cls

    def __init__(self, **params: float) -> None:
        """Validate and store the landscape's own parameters.

        Args:
            **params: values for the entries of ``params``; missing ones take their default.

        Raises:
            ValueError: an unknown name, a non-finite value, a value outside its range, or a
                non-integer value for an integer parameter.
        """
        known = {p.name: p for p in self.params}
        unknown = set(params) - set(known)
        if unknown:
            raise ValueError(f"{self.key}: unknown parameter(s) {sorted(unknown)}; known: {sorted(known)}")
        values: dict[str, float] = {}
        for p in self.params:
            raw = params.get(p.name, p.default)
            try:
                v = float(raw)
            except (TypeError, ValueError):
                raise ValueError(f"{self.key}: parameter {p.name!r} must be a number, got {raw!r}") from None
            if not math.isfinite(v) or not (p.low <= v <= p.high):
                raise ValueError(f"{self.key}: parameter {p.name!r} must be in [{p.low}, {p.high}], got {raw!r}")
            if p.integer:
                if v != round(v):
                    raise ValueError(f"{self.key}: parameter {p.name!r} must be a whole number, got {raw!r}")
                v = float(round(v))
            values[p.name] = v
        self.p: dict[str, float] = values

    # --- what subclasses implement -------------------------------------------------------------
    def _value(self, x: Array, y: Array) -> Array:
        raise NotImplementedError

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        raise NotImplementedError

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        """Return ``(h_xx, h_xy, h_yy)``."""
        raise NotImplementedError

    # --- public, vectorized API ----------------------------------------------------------------
    @staticmethod
    def _split(points: Any) -> tuple[Array, Array]:
        p = np.asarray(points, dtype=float)
        if p.ndim == 0 or p.shape[-1] != 2:
            raise ValueError(f"points must have shape (..., 2), got {p.shape}")
        return p[..., 0], p[..., 1]

    def value(self, points: Any) -> Array:
        """Loss at ``points`` of shape ``(..., 2)``; returns shape ``(...)``."""
        x, y = self._split(points)
        with np.errstate(all="ignore"):
            return np.asarray(self._value(x, y), dtype=float) + np.zeros_like(x)

    def gradient(self, points: Any) -> Array:
        """Gradient at ``points`` of shape ``(..., 2)``; returns shape ``(..., 2)``."""
        x, y = self._split(points)
        with np.errstate(all="ignore"):
            gx, gy = self._gradient(x, y)
        out = np.empty((*x.shape, 2))  # assignment broadcasts constant components (faster than stack)
        out[..., 0] = gx
        out[..., 1] = gy
        return out

    def hessian(self, points: Any) -> Array:
        """Hessian at ``points`` of shape ``(..., 2)``; returns shape ``(..., 2, 2)`` (symmetric)."""
        x, y = self._split(points)
        with np.errstate(all="ignore"):
            hxx, hxy, hyy = self._hessian(x, y)
            z = np.zeros_like(x)
            hxx, hxy, hyy = hxx + z, hxy + z, hyy + z
        return np.stack([np.stack([hxx, hxy], axis=-1), np.stack([hxy, hyy], axis=-1)], axis=-2)

    @property
    def bounds(self) -> Bounds:
        """Plotting window ``((xmin, xmax), (ymin, ymax))``; may depend on the parameters."""
        return self.default_bounds

    @property
    def minima(self) -> Array:
        """All known global minimizers, shape ``(k, 2)``; ``(0, 2)`` where there is none."""
        return np.asarray(self.default_minima, dtype=float).reshape(-1, 2)

    @property
    def basin_minima(self) -> Array:
        """The minima a basin map tells apart, shape ``(k, 2)``: the known minima (a custom formula adds its
        window's local minima, lowest first)."""
        return self.minima

    @property
    def start(self) -> Array:
        """A start point that makes a good demonstration, shape ``(2,)``."""
        return np.asarray(self.default_start, dtype=float)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v:g}" for k, v in self.p.items())
        return f"{type(self).__name__}({args})"
