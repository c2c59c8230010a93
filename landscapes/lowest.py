"""The lowest points of a surface inside its window, found numerically (for custom formulas).

A built-in surface lists its minima from the literature. A formula typed into the app has none, so
`find_lowest` looks for them:

1. the value on a ``GRID`` × ``GRID`` grid over the window; the grid's local minima (no lower
   neighbour among the eight), lowest first, at most ``MAX_SEEDS`` of them, are the seeds;
2. each seed is refined by Levenberg–Marquardt with the exact gradient and Hessian: the step
   ``d = -(H + μI)⁻¹g`` with μ large enough that ``H + μI`` is positive definite, tried at 1, 2, 4, …,
   64 times its length (a degenerate minimum such as x⁴'s is approached a factor (n-1)/n at a time by
   plain Newton), kept where the value drops; μ shrinks after a success and grows tenfold after a
   failure, so a failing step becomes a short gradient step. Points stay inside the window;
3. a seed that ends where the gradient vanishes (its Newton step is below 1e-8 of the window's
   diagonal: a test that does not depend on the scale of the values) and the Hessian has no negative
   eigenvalue is a minimum. A seed that ends elsewhere (a kink such as ``abs(x)``'s, where the gradient never
   vanishes) is polished by a compass search on the value alone, and is a minimum if no point at the
   search's final step around it is lower;
4. minima within ``1e-3`` of the window's diagonal of each other are one (all of them, lowest first,
   are kept as ``local`` for basin maps); those at the lowest value
   (to ``1e-9`` of its size, plus ``1e-15`` of the grid's value range) are the answer, unless the
   grid has a lower value (the surface falls past the window's edge, or to a point no refinement
   reached): then there is none.
   More than ``CURVE_COUNT`` of them, or a refinement started off a minimum along its Hessian's flat
   direction that ends at another one, means the lowest value is reached along a curve: no points,
   but the value.

Two answers come before these. A surface whose value is the same at every grid point and whose gradient
is zero there is flat: no points and no value (every point is as low as any other, and no optimizer
moves). And a surface that falls without bound inside the window (a pole such as ``log(x² + y²)``'s or
``-1/x``'s, the edge of a domain such as ``log(x)``'s) has no lowest value at all, wherever the
refinements stopped (they follow the value down until floating point stops them, at -94.8 or -4e20): each
end point is probed from the eight compass directions at ``1e-2``, ``1e-3``, …, ``1e-9`` of the window's
diagonal. Where, from one direction, every decade closer is lower, and each of the last four falls is
at least 0.9 of the one before it, the surface falls without bound there (as it does where a probe is
-∞): a pole's ``log r`` falls by the same amount every decade and a ``-1/r`` by ten times more each
decade, while a cusp such as ``|x|^0.1``'s falls are 0.79 of the one before and a smooth surface's a
tenth. Then there is no point and no value, and ``near`` is the lowest such end point.

A well narrower than the grid's spacing (1/128 of the window) can fall between its points and be missed;
zooming the window in finds it. A cusp flatter than ``|x|^0.05`` looks like a pole to the probes, and a
pole cut off closer than ``1e-9`` of the window's diagonal (``log(x² + y² + 1e-30)``) counts as one.

Everything is deterministic (same formula and window, same answer) and bounded: at most
``MAX_SEEDS`` points for at most ``MAX_ITERATIONS`` Levenberg–Marquardt steps and ``MAX_COMPASS``
compass steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from .base import Array, Bounds

GRID = 129
MAX_SEEDS = 24
MAX_ITERATIONS = 100
MAX_COMPASS = 200
CURVE_COUNT = 8
MAX_LOCAL = 7  # a basin map tells at most seven minima apart by colour
_STRETCH = 2.0 ** np.arange(7)  # 1, 2, 4, …, 64 times the Levenberg–Marquardt step
_DIRECTIONS = (
    np.array([[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [1, -1], [-1, 1], [-1, -1]])
    / np.array([1, 1, 1, 1, np.sqrt(2), np.sqrt(2), np.sqrt(2), np.sqrt(2)])[:, None]
)

Kind = Literal["found", "curve", "edge", "none", "unbounded", "flat"]
Fn = Callable[[Array], Array]


@dataclass(frozen=True)
class Lowest:
    """What `find_lowest` found.

    Attributes:
        kind: ``"found"`` (``minima`` are the window's lowest points), ``"curve"`` (the lowest value
            ``value`` is reached along a curve: no points), ``"edge"`` (the surface is lowest at the
            window's edge, at ``near``, and may fall further beyond it), ``"none"`` (no minimum found;
            ``near`` is the grid's lowest point), ``"unbounded"`` (the surface falls without bound inside
            the window, near ``near``: it has no lowest value there) or ``"flat"`` (the same value and a
            zero gradient everywhere: no point is lower than another, and no optimizer moves).
        minima: shape ``(k, 2)``; empty unless ``kind == "found"``.
        value: the lowest value for ``"found"`` and ``"curve"``, else ``None``.
        near: for ``"edge"`` and ``"none"``, the lowest grid point; for ``"unbounded"``, where the surface
            falls without bound (rounded to about 1e-7 of the window's diagonal); else ``None``.
        local: for ``"found"``, every minimum the search reached, lowest first (the global ones, then the
            local ones; at most ``MAX_LOCAL``), for basin maps; else empty.
    """

    kind: Kind
    minima: Array
    value: float | None
    near: tuple[float, float] | None = None
    local: Array = field(default_factory=lambda: np.empty((0, 2)))


def _finite_or_inf(v: Array) -> Array:
    return np.where(np.isfinite(v), v, np.inf)


def _grid_seeds(value: Fn, bounds: Bounds) -> tuple[Array, Array, Array]:
    """Grid points, their values (+∞ where not finite) and the indices of the grid's local minima, lowest first."""
    (x0, x1), (y0, y1) = bounds
    xs, ys = np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID)
    points = np.stack(np.meshgrid(xs, ys), axis=-1)  # (GRID, GRID, 2), row = y
    f = _finite_or_inf(value(points))
    padded = np.pad(f, 1, constant_values=np.inf)
    local = np.isfinite(f)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if dy or dx:
                local &= f <= padded[1 + dy : 1 + dy + GRID, 1 + dx : 1 + dx + GRID]
    flat = np.flatnonzero(local.ravel())
    order = flat[np.argsort(f.ravel()[flat], kind="stable")]
    return points.reshape(-1, 2), f.ravel(), order[:MAX_SEEDS]


def _eig_min_max(h: Array) -> tuple[Array, Array]:
    """Smallest and largest eigenvalue of symmetric 2 × 2 matrices ``(..., 2, 2)``."""
    a, b, c = h[..., 0, 0], h[..., 0, 1], h[..., 1, 1]
    mid, rad = (a + c) / 2, np.hypot((a - c) / 2, b)
    return mid - rad, mid + rad


def _damped_step(g: Array, h: Array, mu: Array | float, diag: float) -> tuple[Array, Array, Array, Array]:
    """``(d, μ', λ_min, λ_max)``: the Levenberg–Marquardt step ``d = -(H + μ'I)⁻¹g`` for rows ``g`` ``(n, 2)``
    and ``h`` ``(n, 2, 2)``, where ``μ' ≥ μ`` is raised until ``H + μ'I`` is positive definite. Curvature
    is measured against the larger of |λ| and |g|/diag, so that a flat region (H = 0) still gets a step."""
    lam_min, lam_max = _eig_min_max(h)
    scale = np.maximum(np.maximum(np.abs(lam_max), np.abs(lam_min)), np.linalg.norm(g, axis=-1) / diag) + 1e-300
    mu = np.maximum(mu, -lam_min + 1e-9 * scale)
    a, b, c = h[..., 0, 0] + mu, h[..., 0, 1], h[..., 1, 1] + mu
    det = a * c - b * b
    d = -np.stack([c * g[:, 0] - b * g[:, 1], a * g[:, 1] - b * g[:, 0]], axis=-1) / det[:, None]
    return d, mu, lam_min, lam_max


def _refine(value: Fn, gradient: Fn, hessian: Fn, x: Array, bounds: Bounds) -> Array:
    """Levenberg–Marquardt from each row of ``x`` (shape ``(n, 2)``), inside ``bounds``; returns the end points.

    A point stops when no step improves it and its step has shrunk below 1e-12 of the window's diagonal
    (at a minimum, or where μ has grown until only tiny gradient steps were left and none helped).
    """
    lo = np.array([bounds[0][0], bounds[1][0]])
    hi = np.array([bounds[0][1], bounds[1][1]])
    diag = float(np.hypot(*(hi - lo)))
    x = x.copy()
    f = _finite_or_inf(value(x))
    mu = np.zeros(len(x))
    active = np.isfinite(f)
    for _ in range(MAX_ITERATIONS):
        if not active.any():
            break
        xa, fa = x[active], f[active]
        g, h = gradient(xa), hessian(xa)
        d, mua, lam_min, lam_max = _damped_step(g, h, mu[active], diag)
        trial = np.clip(xa[:, None, :] + _STRETCH[None, :, None] * d[:, None, :], lo, hi)  # (n, 7, 2)
        ft = _finite_or_inf(value(trial))
        best = np.argmin(ft, axis=1)
        f_new = ft[np.arange(len(xa)), best]
        ok = np.isfinite(d).all(axis=-1) & (f_new < fa)
        idx = np.flatnonzero(active)
        x[idx[ok]] = trial[ok, best[ok]]
        f[idx[ok]] = f_new[ok]
        scale = np.maximum(np.maximum(np.abs(lam_max), np.abs(lam_min)), np.linalg.norm(g, axis=-1) / diag)
        mu[idx] = np.where(ok, mua / 4, np.maximum(mua * 10, 1e-3 * scale))  # a failed step: damp more
        stuck = ~ok & ~(np.linalg.norm(d, axis=-1) > 1e-12 * diag)  # a NaN step is stuck too
        active[idx[stuck]] = False
    return x


def _compass(value: Fn, x: Array, bounds: Bounds, step: float, finest: float) -> tuple[Array, Array]:
    """Compass search on the value from each row of ``x``: returns the end points and whether each converged."""
    lo = np.array([bounds[0][0], bounds[1][0]])
    hi = np.array([bounds[0][1], bounds[1][1]])
    x = x.copy()
    f = _finite_or_inf(value(x))
    h = np.full(len(x), step)
    for _ in range(MAX_COMPASS):
        active = h >= finest
        if not active.any():
            break
        idx = np.flatnonzero(active)
        trial = np.clip(x[idx, None, :] + h[idx, None, None] * _DIRECTIONS[None], lo, hi)
        ft = _finite_or_inf(value(trial))
        best = np.argmin(ft, axis=1)
        f_new = ft[np.arange(len(idx)), best]
        ok = f_new < f[idx]
        x[idx[ok]] = trial[ok, best[ok]]
        f[idx[ok]] = f_new[ok]
        h[idx[~ok]] /= 2
    return x, h < finest


def _merge(points: Array, values: Array, radius: float) -> tuple[Array, Array]:
    """One point per cluster (the lowest), clusters being points within ``radius``; sorted by value."""
    order = np.argsort(values, kind="stable")
    kept: list[int] = []
    for i in order:
        if all(np.hypot(*(points[i] - points[j])) > radius for j in kept):
            kept.append(i)
    return points[kept], values[kept]


def _tidy(value: Fn, m: Array, diag: float, tol: float) -> Array:
    """Round each minimum's coordinates to about 1e-9 of the window where the value is no higher
    (so a degenerate minimum found at 3e-12 is shown at 0)."""
    decimals = int(np.ceil(-np.log10(1e-9 * diag)))
    rounded = np.round(m, decimals)
    v = value(rounded)
    keep = np.isfinite(v) & (v <= _finite_or_inf(value(m)) + tol)
    return np.where(keep[:, None], rounded, m)


def find_lowest(value: Fn, gradient: Fn, hessian: Fn, bounds: Bounds) -> Lowest:
    """The lowest points of a surface inside ``bounds``, found numerically (see the module docstring).

    Args:
        value, gradient, hessian: vectorized functions of points ``(..., 2)`` returning ``(...)``,
            ``(..., 2)`` and ``(..., 2, 2)`` (a `Landscape`'s methods); they may return NaN or ∞.
        bounds: the window ``((xmin, xmax), (ymin, ymax))``.

    Returns:
        A `Lowest`.
    """
    (x0, x1), (y0, y1) = bounds
    diag = float(np.hypot(x1 - x0, y1 - y0))
    with np.errstate(all="ignore"):
        points, f_grid, seeds = _grid_seeds(value, bounds)
        finite = np.isfinite(f_grid)
        if not finite.any():
            return Lowest("none", np.empty((0, 2)), None)
        lowest_grid = int(np.argmin(f_grid))
        near = (float(points[lowest_grid, 0]), float(points[lowest_grid, 1]))
        f_range = float(f_grid[finite].max() - f_grid[finite].min())
        if f_range == 0.0:  # the same value at every grid point
            if np.all(gradient(points[finite]) == 0):  # flat: no point is lower, no optimizer moves
                return Lowest("flat", np.empty((0, 2)), None)
            return Lowest("curve", np.empty((0, 2)), float(f_grid[lowest_grid]))
        ends = _refine(value, gradient, hessian, points[seeds], bounds)
        # a minimum: the gradient vanishes (its Newton step is below 1e-8 of the window) and the Hessian has
        # no negative eigenvalue (to 1e-6 of its largest)
        g_end = gradient(ends)
        newton, _, lam_min, lam_max = _damped_step(g_end, hessian(ends), 0.0, diag)
        flat = (np.linalg.norm(g_end, axis=-1) == 0) | (np.linalg.norm(newton, axis=-1) <= 1e-8 * diag)
        critical = flat & (lam_min >= -1e-6 * np.abs(lam_max))
        spacing = min(x1 - x0, y1 - y0) / (GRID - 1)
        polished, converged = _compass(value, ends[~critical], bounds, spacing / 4, 1e-10 * diag)
        inside = (polished[:, 0] > x0) & (polished[:, 0] < x1) & (polished[:, 1] > y0) & (polished[:, 1] < y1)
        # a kink is a minimum only inside the window and the surface's domain (log(x) falls to x = 0+)
        around = value(polished[:, None, :] + 1e-6 * diag * _DIRECTIONS[None])
        defined = np.isfinite(around).all(axis=-1)
        # a pole or a domain's edge where the value falls without bound: no lowest value at all
        reached = np.concatenate([ends, polished])
        falling = _falls_without_bound(value, reached, bounds)
        if falling.any():
            f_reached = np.where(falling, _finite_or_inf(value(reached)), np.inf)
            if not np.isfinite(f_reached).any():  # only -∞ probes: the end point itself is as good a place
                f_reached = np.where(falling, 0.0, np.inf)
            deepest = reached[int(np.argmin(f_reached))]
            decimals = int(np.ceil(-np.log10(1e-7 * diag)))
            where = np.round(deepest, decimals) + 0.0  # + 0.0: no "-0"
            return Lowest("unbounded", np.empty((0, 2)), None, (float(where[0]), float(where[1])))
        candidates = np.concatenate([ends[critical], polished[converged & inside & defined]])
        f_cand = _finite_or_inf(value(candidates))
        good = np.isfinite(f_cand)
        low = float(f_cand[good].min()) if good.any() else np.inf
        # one level: rounding at symmetric minima is far below this; the grid's range only sets a floor
        tol = 1e-9 * (abs(low) + 1e-6 * f_range) if np.isfinite(low) else 0.0
        if f_grid[lowest_grid] < low - tol:  # the grid found lower ground than any minimum
            on_edge = near[0] in (x0, x1) or near[1] in (y0, y1)
            return Lowest("edge" if on_edge else "none", np.empty((0, 2)), None, near)
        every, f_every = _merge(candidates[good], f_cand[good], 1e-3 * diag)
        minima = every[f_every <= low + tol]
        if len(minima) > CURVE_COUNT or _along_a_curve(value, gradient, hessian, minima, bounds, low + tol):
            return Lowest("curve", np.empty((0, 2)), low)
        minima = _tidy(value, minima, diag, tol)
        minima = minima[np.lexsort((minima[:, 1], minima[:, 0]))]
        higher = _tidy(value, every[f_every > low + tol], diag, tol)
        local = np.concatenate([minima, higher])[:MAX_LOCAL]
    return Lowest("found", minima, low, local=local)


def _along_a_curve(value: Fn, gradient: Fn, hessian: Fn, minima: Array, bounds: Bounds, level: float) -> bool:
    """Whether a refinement started off a minimum, along its Hessian's flat direction, ends at another
    point at the lowest level (a valley floor such as (x - y)²'s or a ring's)."""
    (x0, x1), (y0, y1) = bounds
    diag = float(np.hypot(x1 - x0, y1 - y0))
    h = hessian(minima)
    lam_min, lam_max = _eig_min_max(h)
    flat = (lam_max > 0) & (np.abs(lam_min) <= 1e-6 * lam_max)  # rank one: one flat direction
    if not flat.any():
        return False
    a, b = h[flat, 0, 0] - lam_min[flat], h[flat, 0, 1]
    v = np.stack([-b, a], axis=-1)  # null vector of H - λ_min I, from its first row
    v = np.where((np.abs(v).sum(axis=-1) > 0)[:, None], v, np.array([0.0, 1.0]))
    v /= np.linalg.norm(v, axis=-1, keepdims=True)
    m = minima[flat]
    starts = np.concatenate([m + 0.05 * diag * v, m - 0.05 * diag * v])
    lo, hi = np.array([x0, y0]), np.array([x1, y1])
    starts = np.clip(starts, lo, hi)
    ends = _refine(value, gradient, hessian, starts, bounds)
    at_level = _finite_or_inf(value(ends)) <= level
    origin = np.concatenate([m, m])
    moved = np.linalg.norm(ends - origin, axis=-1) > 1e-2 * diag
    return bool((at_level & moved).any())


FALL_RADII = 10.0 ** -np.arange(2, 10)  # the probes' distances, in window diagonals: 1e-2, 1e-3, …, 1e-9
FALL_RATIO = 0.9


def _falls_without_bound(value: Fn, points: Array, bounds: Bounds) -> Array:
    """Whether the surface falls without bound towards each row of ``points`` ``(n, 2)`` (see the module
    docstring): from one of the eight compass directions, the value at ``FALL_RADII`` of the window's
    diagonal away falls with every decade closer, and each of the last four falls is at least
    ``FALL_RATIO`` of the one before it; or a probe's value is -∞. Probes stay inside the window."""
    lo = np.array([bounds[0][0], bounds[1][0]])
    hi = np.array([bounds[0][1], bounds[1][1]])
    diag = float(np.hypot(*(hi - lo)))
    rho = diag * FALL_RADII
    probes = np.clip(points[:, None, None, :] + rho[None, None, :, None] * _DIRECTIONS[None, :, None, :], lo, hi)
    p = value(probes)  # (n, direction, radius), farthest first
    falls = p[..., :-1] - p[..., 1:]  # how much lower each decade closer is
    noise = 1e-12 * np.maximum(np.abs(p[..., :-1]), np.abs(p[..., 1:]))  # rounding, not a fall
    steady = (falls[..., 3:] >= FALL_RATIO * falls[..., 2:-1]).all(axis=-1)
    falling = (falls > noise).all(axis=-1) & steady
    return falling.any(axis=-1) | (p == -np.inf).any(axis=(-2, -1))
