"""The textbook shapes: an ill-conditioned, rotated quadratic ravine and two saddles."""

from __future__ import annotations

import math

import numpy as np

from .base import Array, Landscape, Param


class Quadratic(Landscape):
    """``f = ½ (λ_min u² + λ_max v²)`` in coordinates ``(u, v)`` rotated by ``θ`` from ``(x, y)``.

    ``u = x cos θ + y sin θ`` runs along the valley floor, ``v = −x sin θ + y cos θ`` across it.
    The steep curvature is fixed, ``λ_max = 10``, and the condition number ``κ`` sets the flat one,
    ``λ_min = λ_max / κ``. So GD is stable for every ``κ`` exactly when ``lr < 2/λ_max = 0.2``: at
    ``lr ≈ 0.1–0.19`` it zig-zags across the valley (the factor ``1 − lr·λ_max`` is negative), while the
    progress along the floor, ``1 − lr·λ_min`` per step, gets slower as ``κ`` grows. Momentum damps the
    zig-zag and accumulates speed along the floor. The minimum is 0 at the origin.

    Attributes:
        lambda_max: the largest Hessian eigenvalue (10).
        lambda_min: the smallest Hessian eigenvalue, ``λ_max / κ``.
    """

    key = "quadratic"
    title = "A quadratic ravine"
    latex = (
        r"f = \tfrac12\left(\lambda_{\min} u^2 + \lambda_{\max} v^2\right),\quad "
        r"u = x\cos\theta + y\sin\theta,\; v = -x\sin\theta + y\cos\theta"
    )
    teaches = (
        "Ill-conditioning in its purest form: GD zig-zags across the steep direction and crawls along the flat "
        "one, while momentum swings across but races down the valley. GD diverges once lr exceeds 2/λ_max."
    )
    params = (
        Param("kappa", "condition number κ", 10.0, 1.0, 100.0, log=True, help="κ = λ_max/λ_min; 1 is a round bowl."),
        Param("theta", "rotation θ (degrees)", 30.0, 0.0, 90.0, help="Angle of the valley floor from the x axis."),
    )
    default_bounds = ((-3.0, 3.0), (-3.0, 3.0))
    default_start = (-2.4, 1.2)  # in (u, v): far along the floor, a bit up the wall; rotated by ``start``
    default_minima = ((0.0, 0.0),)
    min_value = 0.0
    LAMBDA_MAX = 10.0

    def __init__(self, **params: float) -> None:
        """Validate ``kappa`` and ``theta`` and precompute the (constant) Hessian."""
        super().__init__(**params)
        self.lambda_max: float = self.LAMBDA_MAX
        self.lambda_min: float = self.LAMBDA_MAX / self.p["kappa"]
        t = math.radians(self.p["theta"])
        c, s = math.cos(t), math.sin(t)
        # H = λ_min e_u e_uᵀ + λ_max e_v e_vᵀ with e_u = (c, s), e_v = (−s, c)
        self._h = (
            self.lambda_min * c * c + self.lambda_max * s * s,
            (self.lambda_min - self.lambda_max) * c * s,
            self.lambda_min * s * s + self.lambda_max * c * c,
        )
        self._rot = np.array([[c, -s], [s, c]])

    def _value(self, x: Array, y: Array) -> Array:
        a, b, d = self._h
        return 0.5 * (a * x * x + 2 * b * x * y + d * y * y)

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        a, b, d = self._h
        return a * x + b * y, b * x + d * y

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        return self._h

    @property
    def start(self) -> Array:
        """``default_start`` given in the valley's ``(u, v)`` coordinates, rotated into ``(x, y)``."""
        return self._rot @ np.asarray(self.default_start, dtype=float)


class Saddle(Landscape):
    """The saddle ``x² − y²``: a critical point at the origin that is not a minimum; unbounded below."""

    key = "saddle"
    title = "A saddle point"
    latex = r"f(x, y) = x^2 - y^2"
    teaches = (
        "Started almost on the ridge line, GD slides towards the saddle, lingers where the gradient vanishes, "
        "and escapes only as the tiny y-offset grows; noise and momentum escape sooner."
    )
    default_bounds = ((-2.0, 2.0), (-2.0, 2.0))
    default_start = (1.8, 0.01)

    def _value(self, x: Array, y: Array) -> Array:
        return x * x - y * y

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        return 2 * x, -2 * y

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        return 2.0, 0.0, -2.0


class MonkeySaddle(Landscape):
    """The monkey saddle ``x³ − 3xy²``: a degenerate critical point (zero Hessian) at the origin."""

    key = "monkey-saddle"
    title = "The monkey saddle"
    latex = r"f(x, y) = x^3 - 3xy^2"
    teaches = (
        "Three valleys meet at a flat point where gradient and curvature both vanish: GD slows to a crawl near "
        "the origin, and second-order information does not help there."
    )
    default_bounds = ((-2.0, 2.0), (-2.0, 2.0))
    default_start = (1.5, 0.05)

    def _value(self, x: Array, y: Array) -> Array:
        return x**3 - 3 * x * y * y

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        return 3 * x * x - 3 * y * y, -6 * x * y

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        return 6 * x, -6 * y, -6 * x
