"""Evaluating a landscape on a grid and choosing how to colour it."""

from __future__ import annotations

import numpy as np

from .base import Array, Bounds, Landscape

LOG_LABEL = "log₁₀(loss − min)"
LINEAR_LABEL = "loss"
# Log scale when more than LOG_FRACTION of the finite values lie in the lowest LOG_BAND of their range:
# on a linear colour scale that part of the picture (Rosenbrock's valley, Beale's plateau) is one colour.
# On the grids of the registered landscapes this picks Rosenbrock (20 %), Beale and Goldstein–Price
# (> 50 %); quadratic bowls stay below 10 %.
LOG_BAND = 0.01
LOG_FRACTION = 0.15


def grid(landscape: Landscape, n: int = 120, bounds: Bounds | None = None) -> tuple[Array, Array, Array]:
    """Evaluate ``landscape`` on an ``n × n`` grid for contour or heatmap drawing.

    Args:
        landscape: any landscape.
        n: points per axis (at least 2).
        bounds: ``((xmin, xmax), (ymin, ymax))``; defaults to ``landscape.bounds``.

    Returns:
        ``(xs, ys, Z)`` with ``xs`` and ``ys`` of shape ``(n,)`` and ``Z`` of shape ``(n, n)``, where
        ``Z[i, j]`` is the value at ``(xs[j], ys[i])`` (Plotly's convention for ``z``).
    """
    n = int(n)
    if n < 2:
        raise ValueError(f"grid needs n >= 2, got {n}")
    (x0, x1), (y0, y1) = landscape.bounds if bounds is None else bounds
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    xx, yy = np.meshgrid(xs, ys)
    return xs, ys, landscape.value(np.stack([xx, yy], axis=-1))


def display_transform(z: Array) -> tuple[Array, str]:
    """Pick a colour scale for the values ``z``: ``log₁₀(z − min + δ)`` when they span decades, else ``z``.

    The log scale is chosen when more than 15 % of the finite values lie in the lowest 1 % of their range
    (Rosenbrock, Goldstein–Price, Beale: a linear scale would paint the valley one colour); then
    ``δ = 10⁻⁶ × range`` keeps the minimum finite. Non-finite inputs become NaN (gaps in the plot); the
    result never contains ``inf`` and no NumPy warning is emitted.

    Returns:
        ``(zt, label)``: transformed values of the same shape, and ``"log₁₀(loss − min)"`` or ``"loss"``.
    """
    z = np.asarray(z, dtype=float)
    finite = np.isfinite(z)
    out = np.where(finite, z, np.nan)
    if not finite.any():
        return out, LINEAR_LABEL
    with np.errstate(all="ignore"):
        vals = z[finite]
        zmin = vals.min()
        d = vals - zmin
        span = d.max()
        if not np.isfinite(span) or span <= 0:
            return out, LINEAR_LABEL
        if np.mean(d <= LOG_BAND * span) <= LOG_FRACTION:
            return out, LINEAR_LABEL
        zt = np.log10(np.where(finite, out - zmin, 0.0) + span * 1e-6)
        return np.where(finite & np.isfinite(zt), zt, np.nan), LOG_LABEL
