"""Evaluating a landscape on a grid and choosing how to colour it."""

from __future__ import annotations

from dataclasses import dataclass

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
# The log scale's offset δ: at most 10⁻⁶ of the range (six decades), less where the lowest LOG_OFFSET_QUANTILE
# of the values lie closer than that to the minimum. A surface spanning more decades (exp(exp(x + y)), 1 to
# 5e23 in ±2) then keeps its lower values apart instead of painting them all in the darkest band; on the
# registered landscapes' grids that quantile is 4–200 times 10⁻⁶ of the range, so theirs is unchanged.
LOG_DECADES = 6
LOG_OFFSET_QUANTILE = 0.01


def grid(
    landscape: Landscape, n: int = 120, bounds: Bounds | None = None, refine: int = 1
) -> tuple[Array, Array, Array]:
    """Evaluate ``landscape`` on an ``n × n`` grid for contour, heatmap or surface drawing.

    Args:
        landscape: any landscape.
        n: points per axis (at least 2).
        bounds: ``((xmin, xmax), (ymin, ymax))``; defaults to ``landscape.bounds``.
        refine: with ``k > 1``, each value is the lowest of the landscape at the points of a ``k``-times
            finer grid within half a step of its node (the node included). A valley narrower than a step
            then stays one continuous trough: sampled at the nodes alone, Rosenbrock's valley on a log
            scale is a row of spikes where nodes happen to fall into it and ridges where they do not.

    Returns:
        ``(xs, ys, Z)`` with ``xs`` and ``ys`` of shape ``(n,)`` and ``Z`` of shape ``(n, n)``, where
        ``Z[i, j]`` is the value at ``(xs[j], ys[i])`` (Plotly's convention for ``z``), or with ``refine``
        the lowest value around it.
    """
    n, k = int(n), int(refine)
    if n < 2:
        raise ValueError(f"grid needs n >= 2, got {n}")
    if k < 1:
        raise ValueError(f"grid needs refine >= 1, got {k}")
    (x0, x1), (y0, y1) = landscape.bounds if bounds is None else bounds
    fine = (n - 1) * k + 1
    xs, ys = np.linspace(x0, x1, fine), np.linspace(y0, y1, fine)
    xx, yy = np.meshgrid(xs, ys)
    Z = landscape.value(np.stack([xx, yy], axis=-1))
    if k == 1:
        return xs, ys, Z
    # A window of (k + 1)² fine points around each node: ±k/2 fine steps (k odd: one more on the far
    # side). At the bounds the padding repeats the edge values, so no point outside them counts. fmin
    # skips NaN (a custom formula's undefined region) unless the whole window is NaN.
    half = k // 2
    padded = np.pad(Z, ((half, k - half), (half, k - half)), mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, (k + 1, k + 1))[::k, ::k]
    return xs[::k], ys[::k], np.fmin.reduce(windows, axis=(-2, -1))


@dataclass(frozen=True)
class DisplayScale:
    """A display transform fixed by reference values (:func:`display_scale`): ``log₁₀(z − zmin + δ)``
    (values below ``zmin`` count as ``zmin``) when ``log``, else ``z``. Non-finite values become NaN."""

    log: bool = False
    zmin: float = 0.0
    delta: float = 1.0

    @property
    def label(self) -> str:
        """What the transformed values show: ``"log₁₀(loss − min)"`` or ``"loss"``."""
        return LOG_LABEL if self.log else LINEAR_LABEL

    def __call__(self, z: Array) -> Array:
        """The transformed values of ``z`` (same shape, never ``inf``, no NumPy warning)."""
        z = np.asarray(z, dtype=float)
        finite = np.isfinite(z)
        if not self.log:
            return np.where(finite, z, np.nan)
        with np.errstate(all="ignore"):
            zt = np.log10(np.maximum(np.where(finite, z - self.zmin, 0.0), 0.0) + self.delta)
        return np.where(finite & np.isfinite(zt), zt, np.nan)


def display_scale(z: Array) -> DisplayScale:
    """Pick a colour scale for the values ``z``: ``log₁₀(z − min + δ)`` when they span decades, else ``z``.

    The log scale is chosen when more than 15 % of the finite values lie in the lowest 1 % of their range
    (Rosenbrock, Goldstein–Price, Beale: a linear scale would paint the valley one colour); then
    ``δ = 10⁻⁶ × range`` keeps the minimum finite, or, where the values span more than six decades, the
    1 % quantile of ``z − min`` over its positive values: the shading then spreads over every decade the
    values fill (``LOG_OFFSET_QUANTILE``). Apply it to other values (a path's losses) to draw them on the
    same scale without letting them change it.
    """
    z = np.asarray(z, dtype=float)
    vals = z[np.isfinite(z)]
    if not vals.size:
        return DisplayScale()
    with np.errstate(all="ignore"):
        zmin = float(vals.min())
        d = vals - zmin
        span = float(d.max())
        if not np.isfinite(span) or span <= 0 or np.mean(d <= LOG_BAND * span) <= LOG_FRACTION:
            return DisplayScale()
        delta = span * 10.0**-LOG_DECADES
        above = d[d > 0]
        low = float(np.quantile(above, LOG_OFFSET_QUANTILE))  # above is not empty: span > 0
        if 0 < low < delta:
            delta = low
    return DisplayScale(True, zmin, delta)


def display_transform(z: Array) -> tuple[Array, str]:
    """:func:`display_scale` of ``z`` applied to ``z``. Non-finite inputs become NaN (gaps in the plot);
    the result never contains ``inf`` and no NumPy warning is emitted.

    Returns:
        ``(zt, label)``: transformed values of the same shape, and ``"log₁₀(loss − min)"`` or ``"loss"``.
    """
    scale = display_scale(z)
    return scale(z), scale.label
