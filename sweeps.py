"""Hyperparameter sweeps and basins of attraction: a whole grid of runs in one vectorized call. NumPy only.

A sweep takes one run of a scene and replaces two of its settings by a grid: the x axis varies along the
columns, the y axis along the rows, and :func:`optimizers.run` runs every cell at once (``x0`` of shape
``(ny, nx, 2)``, the swept settings as arrays of shape ``(1, nx)`` and ``(ny, 1)``). Everything else — the
landscape, steps, seed, gradient noise, clipping, schedule, the shared η, the mini-batch gradient of a
data landscape — comes from :func:`simulate.run_inputs`, exactly as the animation view uses it.

The axis pairs (:data:`AXES`):

- ``lr-beta``: η × the optimizer's β-like decay (``beta`` of momentum, ``momentum`` μ of SGD, ``alpha`` of
  RMSprop, ``rho`` of Adadelta, ``beta1`` of the Adam family). SGD with Nesterov momentum needs μ > 0, so its
  μ × η sweep (which starts at μ = 0) is refused with that message;
- ``lr-eps``: η × ε;
- ``lr-start``: η × start point. The start moves along a horizontal line: its x coordinate runs across the
  landscape's x bounds, its y stays at the scene's start y;
- ``beta1-beta2``: β₁ × β₂ (Adam family).

Scales: η and ε are spaced evenly in log10 between the ends of their slider range; a β-like decay is spaced
evenly in ``-log10(1 - β)`` from 0 to the top of its slider range, so 0, 0.9, 0.99 and 0.999 are equally
far apart (the region near 1 is where decays differ); the start x is spaced linearly.

Each cell's outcome: the final loss (minus the landscape's ``min_value`` when known), the first step
within ``simulate.REACH_FRACTION`` of the plot diagonal of a known minimum ("never" is -1), and the step at
which it diverged (-1 when it did not). Divergence follows :func:`simulate.simulate`: the first row whose
position is NaN (the runner's mask) or whose loss is not finite.

Exactness: a cell equals the single run with that setting (same rules, same float64 operations) when the
gradient is deterministic. With gradient noise (σ > 0) or mini-batches, every cell draws its own random
numbers from a generator seeded for the whole grid, so a cell is a statistically equal but not identical
run.

Basins (:func:`basins`): a grid of start points over the landscape's bounds, each labelled by the known
minimum its run ends nearest to, when within :data:`BASIN_FRACTION` of the plot diagonal of it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

import landscapes
import optimizers
from scene import Scene, format_number, make_landscape, quote_value
from simulate import REACH_FRACTION, ended_early, run_inputs, run_labels

#: Axis pairs: key -> (x setting kind, y setting kind). Kinds: "lr", "beta", "eps", "beta1", "beta2", "x0".
AXES: dict[str, tuple[str, str]] = {
    "lr-beta": ("lr", "beta"),
    "lr-eps": ("lr", "eps"),
    "lr-start": ("lr", "x0"),
    "beta1-beta2": ("beta1", "beta2"),
}
AXES_LABELS = {
    "lr-beta": "η × β (momentum)",
    "lr-eps": "η × ε",
    "lr-start": "η × start x",
    "beta1-beta2": "β₁ × β₂",
}
METRICS = ("loss", "reach", "diverged")
METRIC_LABELS = {"loss": "final loss", "reach": "steps to reach", "diverged": "diverged"}
SIZES = (25, 50, 100, 200)
DEFAULT_SIZE = 50
#: Largest basin grid per optimizer (the basin map runs every optimizer of the scene).
MAX_BASIN_SIZE = 100
#: A basin run "ends in" a minimum when its final point is within this fraction of the plot diagonal of it.
BASIN_FRACTION = 0.05
#: Loss gaps below this are drawn as this (float64 cannot resolve them on these surfaces anyway).
LOSS_FLOOR = 1e-12
#: Largest number of cell-steps run in one call: bounds the memory of the path (16 bytes per cell-step).
CHUNK_CELL_STEPS = 6_000_000
#: Most work one sweep (or one scene's basin maps) may ask of the server, in Rosenbrock gradients of one
#: point (:func:`work`; 13.5 ns each on the development machine, so about 5 s). A 200 × 200 sweep of 2,000
#: Newton steps on logistic regression had taken eight minutes, and one server process runs every
#: student's page on one core.
MAX_WORK = 3.5e8
#: An optimizer's own update, per point and step, in Rosenbrock gradients: a GD step on Rosenbrock is 43 ns
#: of which the gradient is 13.5 ns; Adam's update is about a third dearer, Newton's 2 × 2 solve cheaper.
UPDATE_COST = 3.0
_NEAR_BLOCK = 1 << 16
#: Grids with more cells than this run in chunks of rows, so a progress bar can move.
PROGRESS_CELLS = 20_000

_TITLES = {
    "lr": "learning rate",
    "beta": "momentum decay",
    "beta1": "first-moment decay",
    "beta2": "second-moment decay",
    "momentum": "momentum",
    "alpha": "squared-gradient decay",
    "rho": "decay",
    "eps": "epsilon",
}
# The β-like decay of each optimizer that has one (the y axis of "lr-beta").
_BETA_NAMES = ("beta", "beta1", "alpha", "rho", "momentum")


@dataclass(frozen=True)
class Axis:
    """One axis of a sweep.

    Attributes:
        name: the keyword of :func:`optimizers.run` it sets, or ``"x0"`` for the start point's x.
        title: axis title, e.g. ``"learning rate η"``.
        symbol: e.g. ``"η"``.
        values: the setting of each grid line, shape ``(n,)``.
        coords: where each grid line is drawn: ``log10`` of η and ε, ``-log10(1 - β)`` of a decay,
            the value itself for the start x.
        scale: ``"log"``, ``"decay"`` or ``"linear"``.
    """

    name: str
    title: str
    symbol: str
    values: np.ndarray
    coords: np.ndarray
    scale: str

    def ticks(self) -> tuple[list[float], list[str]]:
        """Tick positions (in ``coords``) and their labels: powers of ten, or 0, 0.9, 0.99, … for decays."""
        lo, hi = float(self.coords[0]), float(self.coords[-1])
        if self.scale == "log":
            vals = [float(k) for k in range(math.ceil(lo - 1e-9), math.floor(hi + 1e-9) + 1)]
            return vals, [format_number(10.0**k) for k in vals]
        if self.scale == "decay":
            vals = [float(k) for k in range(0, math.floor(hi + 1e-9) + 1)]
            return vals, ["0" if k == 0 else "0." + "9" * int(k) for k in vals]
        return [], []


@dataclass(frozen=True)
class SweepResult:
    """The outcome of every cell of a sweep; arrays have shape ``(ny, nx)`` (rows follow the y axis).

    Attributes:
        optimizer: the registry key of the swept run.
        label: the run's label in the scene.
        x, y: the axes.
        steps: steps per run.
        final: the last finite position of each run, shape ``(ny, nx, 2)``.
        final_loss: loss at the end of the run (NaN when diverged).
        gap: ``final_loss - min_value`` when the landscape's minimum value is known, else ``final_loss``.
        gap_is_excess: whether ``gap`` is the excess over the known minimum value.
        start_gap: the same quantity as ``gap`` at each cell's start point.
        reach: first step within ``tol`` of a known minimum, -1 for never (or no known minimum).
        diverged_at: the step it diverged (or stopped) at, -1 when it did not.
        stopped: where ``diverged_at`` is a stop, not a divergence: the surface had no value or no gradient
            at the finite point the run reached (outside a custom formula's domain, at a pole or a kink).
        tol: the reach tolerance (distance).
        has_minima: whether the landscape lists minima (otherwise ``reach`` is meaningless).
    """

    optimizer: str
    label: str
    x: Axis
    y: Axis
    steps: int
    final: np.ndarray
    final_loss: np.ndarray
    gap: np.ndarray
    gap_is_excess: bool
    start_gap: np.ndarray
    reach: np.ndarray
    diverged_at: np.ndarray
    stopped: np.ndarray
    tol: float
    has_minima: bool

    @property
    def ended(self) -> tuple[int, int]:
        """``(diverged, stopped)``: how many cells' runs diverged, and how many stopped (see ``stopped``)."""
        stopped = int(self.stopped.sum())
        return int((self.diverged_at >= 0).sum()) - stopped, stopped

    def cell(self, i: int, j: int) -> dict[str, float]:
        """The settings of cell (row ``i``, column ``j``), keyed by the axes' names."""
        return {self.x.name: float(self.x.values[j]), self.y.name: float(self.y.values[i])}


@dataclass(frozen=True)
class BasinResult:
    """Which minimum each start point of a grid ends in, for one run.

    Attributes:
        label: the run's label.
        xs, ys: the start grid's coordinates, shapes ``(n,)``.
        labels: shape ``(n, n)`` (rows follow ``ys``): the index of the minimum in ``minima``, -1 when the
            run ends near none of them, -2 when it diverged or stopped.
        minima: the minima told apart (``landscape.basin_minima``), shape ``(k, 2)``.
        error: why the run could not start, else ``None``.
        stopped: how many of the -2 cells stopped where the surface had no value or gradient rather than
            diverged (see ``SweepResult.stopped``).
    """

    label: str
    xs: np.ndarray
    ys: np.ndarray
    labels: np.ndarray
    minima: np.ndarray
    error: str | None = None
    stopped: int = 0


@dataclass(frozen=True)
class SweepSettings:
    """What the sweep view shows (its part of the URL: ``sw_run``, ``sw_axes``, ``sw_n``, ``sw_metric``).

    Attributes:
        run: index of the swept run in the scene's runs (0-based; the URL counts from 1), or ``None`` for
            :func:`default_run`.
        axes: a key of :data:`AXES`.
        n: grid lines per axis, one of :data:`SIZES`.
        metric: one of :data:`METRICS`.
    """

    run: int | None = None
    axes: str = "lr-beta"
    n: int = DEFAULT_SIZE
    metric: str = "loss"


# --- axes -------------------------------------------------------------------------------------------
def beta_name(optimizer: str) -> str | None:
    """The optimizer's β-like decay (the y axis of ``lr-beta``), or ``None`` when it has none."""
    names = {hp.name for hp in optimizers.spec(optimizer).hyperparameters}
    return next((b for b in _BETA_NAMES if b in names), None)


def _resolve(kind: str, optimizer: str) -> str | None:
    names = {hp.name for hp in optimizers.spec(optimizer).hyperparameters}
    if kind == "beta":
        return beta_name(optimizer)
    if kind == "x0":
        return "x0"
    return kind if kind in names else None


def available_axes(optimizer: str) -> list[str]:
    """The keys of :data:`AXES` that ``optimizer`` has both settings of, in :data:`AXES` order."""
    return [k for k, (a, b) in AXES.items() if _resolve(a, optimizer) and _resolve(b, optimizer)]


def axes_label(key: str, optimizer: str) -> str:
    """``"η × μ"``-style label of an axis pair for ``optimizer`` (its own symbol for the β-like decay)."""
    if key == "lr-beta":
        name = beta_name(optimizer)
        if name is not None:
            hp = _hp(optimizer, name)
            return f"η × {hp.symbol} ({_TITLES.get(name, name)})"
    return AXES_LABELS[key]


def _hp(optimizer: str, name: str) -> optimizers.HyperParam:
    return next(hp for hp in optimizers.spec(optimizer).hyperparameters if hp.name == name)


def make_axis(name: str, optimizer: str, n: int, land: landscapes.Landscape) -> Axis:
    """The grid lines of setting ``name`` (a hyperparameter of ``optimizer``, or ``"x0"``).

    Args:
        name: the keyword, or ``"x0"`` for the start x across ``land``'s x bounds.
        optimizer: the registry key (its slider range sets the ends).
        n: number of grid lines (≥ 2).
        land: the landscape (for the start x's range).
    """
    if name == "x0":
        (x0, x1), _ = land.bounds
        values = np.linspace(float(x0), float(x1), n)
        return Axis("x0", "start x", "x₀", values, values, "linear")
    hp = _hp(optimizer, name)
    title = f"{_TITLES.get(name, name.replace('_', ' '))} {hp.symbol}"
    lo, hi = float(hp.low), float(hp.high)  # type: ignore[arg-type]
    if hp.log:
        coords = np.linspace(math.log10(lo), math.log10(hi), n)
        return Axis(name, title, hp.symbol, 10.0**coords, coords, "log")
    # a decay in [0, 1): evenly spaced in -log10(1 - β), from max(lo, 0) to hi
    coords = np.linspace(-math.log10(1.0 - max(lo, 0.0)), -math.log10(1.0 - hi), n)
    return Axis(name, title, hp.symbol, 1.0 - 10.0 ** (-coords), coords, "decay")


# --- running a grid -----------------------------------------------------------------------------------
def _chunks(ny: int, nx: int, steps: int) -> list[tuple[int, int]]:
    """Row ranges: one call when the grid is small, else row blocks bounded by memory and for progress."""
    cells = ny * nx
    rows = max(1, min(ny, CHUNK_CELL_STEPS // max(1, nx * (steps + 1))))
    if cells > PROGRESS_CELLS:
        rows = min(rows, max(1, math.ceil(ny / 10)))
    return [(a, min(ny, a + rows)) for a in range(0, ny, rows)]


Rows = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _outcomes(land: landscapes.Landscape, path: np.ndarray, tol: float) -> Rows:
    """``(final position, final loss, reach step, diverged step, stopped)`` of a batch of paths ``(steps+1, *b, 2)``.

    A run ends early, and stops rather than diverges, by the rule of :func:`simulate.ended_early`, which the
    Playground uses too (the runner NaNs both coordinates from a diverging row on, which gives most runs'
    ends without looking at the value). The value along a whole path is looked at only where
    it can matter: every run on a surface with a domain (a custom formula with log, sqrt, …), else the runs
    whose value at the end, or just before the runner stopped them, is not finite (on those surfaces the
    value is finite wherever the position is, but for overflow).
    """
    rows = path.shape[0]
    nan_row = np.isnan(path[..., 0])
    dead = nan_row[-1]  # stopped by the runner: the first NaN row is where
    diverged_at = np.where(dead, np.argmax(nan_row, axis=0), -1)
    stopped = np.zeros(dead.shape, dtype=bool)
    with np.errstate(all="ignore"):
        final_loss = np.asarray(land.value(path[-1]), dtype=float)
        if land.has_domain:
            whole = np.ones(dead.shape, dtype=bool)
        else:  # the value is finite wherever the position is, but for overflow: check the row before the end
            whole = ~dead & ~np.isfinite(final_loss)
            if dead.any():
                d = np.nonzero(dead)
                k = diverged_at[d]
                before = path[(np.maximum(k - 1, 0), *d)]
                stopped[d] = (k >= 1) & ~np.isfinite(land.gradient(before)).all(axis=-1)
                whole[d] = (k >= 1) & ~np.isfinite(np.asarray(land.value(before), dtype=float))
        if whole.any():  # the first row without a finite position or value, along the whole path
            idx = np.nonzero(whole)
            sub = path[(slice(None), *idx)]
            diverged_at[idx], stopped[idx] = ended_early(land, sub, np.asarray(land.value(sub), dtype=float))
        diverged = diverged_at >= 0
        last = np.where(diverged, np.maximum(diverged_at - 1, 0), rows - 1)
        final = np.take_along_axis(path, last[None, ..., None], axis=0)[0]
        final_loss = np.where(diverged, np.nan, final_loss)
        minima = land.minima
        reach = np.full(diverged.shape, -1, dtype=int)
        if len(minima):
            reach = _first_near(path, minima, tol)
            reach = np.where(diverged & (reach >= diverged_at), -1, reach)
    return final, final_loss, reach, diverged_at, stopped


def _first_near(path: np.ndarray, minima: np.ndarray, tol: float) -> np.ndarray:
    """First row of each path within ``tol`` of one of ``minima`` (-1 for never); NaN rows never are.

    Works through the rows in blocks of about ``_NEAR_BLOCK`` numbers so the temporaries stay in cache.
    """
    batch = path.shape[1:-1]
    flat = path.reshape(path.shape[0], -1, 2)
    cells = flat.shape[1]
    reach = np.full(cells, -1, dtype=int)
    todo = np.ones(cells, dtype=bool)
    rows = max(1, _NEAR_BLOCK // max(cells, 1))
    tol2 = tol * tol
    for a in range(0, flat.shape[0], rows):
        block = flat[a : a + rows]
        near = np.zeros(block.shape[:2], dtype=bool)
        for mx, my in minima:
            d2 = (block[..., 0] - mx) ** 2 + (block[..., 1] - my) ** 2
            near |= d2 <= tol2
        hit = near.any(axis=0) & todo
        if hit.any():
            reach[hit] = a + np.argmax(near[:, hit], axis=0)
            todo &= ~hit
            if not todo.any():
                break
    return reach.reshape(batch)


@dataclass(frozen=True)
class _Setup:
    land: landscapes.Landscape
    optimizer: str
    start: np.ndarray
    grad: Callable[[np.ndarray], np.ndarray]
    kwargs: dict[str, Any]
    x: Axis
    y: Axis
    tol: float


def _setup(scene: Scene, run_index: int, axes: str, n: int) -> _Setup:
    if not 0 <= run_index < len(scene.runs):
        raise ValueError(f"the scene has no run number {run_index + 1}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"a sweep needs at least 2 grid lines per axis, got {n!r}")
    run = scene.runs[run_index]
    opt = run.optimizer
    kx, ky = swept_names(opt, axes)
    land, _ = make_landscape(scene)
    start = np.asarray(scene.start if scene.start is not None else land.start, dtype=float)
    grad, kwargs = run_inputs(scene, land, run)
    (bx0, bx1), (by0, by1) = land.bounds
    tol = REACH_FRACTION * float(np.hypot(bx1 - bx0, by1 - by0))
    x, y = make_axis(kx, opt, n, land), make_axis(ky, opt, n, land)
    return _Setup(land, opt, start, grad, kwargs, x, y, tol)


def swept_names(optimizer: str, axes: str) -> tuple[str, str]:
    """The keywords the x and y axes of ``axes`` set for ``optimizer`` (``"x0"`` for the start x).

    Raises:
        ValueError: ``axes`` is unknown or the optimizer lacks one of its settings.
    """
    if axes not in AXES:
        raise ValueError(f"unknown sweep axes {axes!r}; choose one of {', '.join(AXES)}")
    kx, ky = (_resolve(k, optimizer) for k in AXES[axes])
    if kx is None or ky is None:
        raise ValueError(f"{optimizers.spec(optimizer).label} has no {AXES_LABELS[axes]} to sweep")
    return kx, ky


def current_setting(scene: Scene, run_index: int, axes: str) -> dict[str, float]:
    """Where the scene is now on the sweep's axes: the run's own value of each swept setting, keyed by name
    (the shared η when the scene has one; the start point's x for ``"x0"``)."""
    land, _ = make_landscape(scene)
    run = scene.runs[run_index]
    _grad, kwargs = run_inputs(scene, land, run)
    start = scene.start if scene.start is not None else land.start
    return {k: float(start[0]) if k == "x0" else float(kwargs[k]) for k in swept_names(run.optimizer, axes)}


def default_run(scene: Scene) -> int:
    """The run a sweep starts on: the first whose optimizer has a β-like decay (η × β is the default), else 0."""
    return next((i for i, r in enumerate(scene.runs) if beta_name(r.optimizer) is not None), 0)


def chunks(n: int, steps: int) -> list[tuple[int, int]]:
    """The row ranges an ``n × n`` sweep of ``steps`` steps runs in (one range for small grids).

    Rows are split so that a chunk holds at most :data:`CHUNK_CELL_STEPS` cell-steps of path, and into about
    ten chunks when the grid has more than :data:`PROGRESS_CELLS` cells (so a progress bar can move).
    """
    return _chunks(n, n, steps)


def sweep_rows(scene: Scene, run_index: int, axes: str, n: int, rows: tuple[int, int]) -> Rows:
    """Rows ``rows[0]:rows[1]`` of a sweep (see :func:`sweep`), in one vectorized :func:`optimizers.run` call.

    Returns:
        ``(final position, final loss, reach step, diverged step, stopped)`` of those rows, shapes
        ``(r, n, 2)`` and ``(r, n)`` (see :func:`_outcomes`).
    """
    su = _setup(scene, run_index, axes, n)
    a, b = rows
    x0 = np.broadcast_to(su.start, (b - a, n, 2)).copy()
    kw: dict[str, Any] = dict(su.kwargs)
    kw[su.x.name] = su.x.values[None, :]
    if su.y.name == "x0":
        x0[..., 0] = su.y.values[a:b, None]
    else:
        kw[su.y.name] = su.y.values[a:b, None]
    path = optimizers.run(su.optimizer, su.grad, x0, scene.steps, **kw)
    return _outcomes(su.land, path, su.tol)


RowsFn = Callable[[Scene, int, str, int, tuple[int, int]], Rows]


def sweep(
    scene: Scene,
    run_index: int,
    axes: str,
    n: int,
    progress: Callable[[float], None] | None = None,
    rows_fn: RowsFn | None = None,
) -> SweepResult:
    """Run the grid of settings ``axes`` (``n × n`` cells) of run ``run_index`` of ``scene``.

    Args:
        scene: the scene (landscape, steps, seed, start point and the run's other settings).
        run_index: which of ``scene.runs`` to sweep.
        axes: a key of :data:`AXES` that the run's optimizer has (see :func:`available_axes`).
        n: grid lines per axis (≥ 2).
        progress: called with the fraction done after each chunk of rows (see :func:`chunks`).
        rows_fn: computes a chunk of rows; :func:`sweep_rows` by default (the page passes a cached copy).

    Returns:
        A :class:`SweepResult`.

    Raises:
        ValueError: an unknown axis pair, one the optimizer lacks, a bad ``n`` or ``run_index``, or
            settings that :func:`optimizers.run` rejects (the message names them).
    """
    su = _setup(scene, run_index, axes, n)
    rows_fn = rows_fn or sweep_rows
    final = np.empty((n, n, 2))
    final_loss = np.empty((n, n))
    reach = np.empty((n, n), dtype=int)
    diverged_at = np.empty((n, n), dtype=int)
    stopped = np.empty((n, n), dtype=bool)
    plan = chunks(n, scene.steps)
    for c, (a, b) in enumerate(plan):
        final[a:b], final_loss[a:b], reach[a:b], diverged_at[a:b], stopped[a:b] = rows_fn(
            scene, run_index, axes, n, (a, b)
        )
        if progress is not None:
            progress((c + 1) / len(plan))
    starts = np.broadcast_to(su.start, (n, n, 2)).copy()
    if su.y.name == "x0":
        starts[..., 0] = su.y.values[:, None]
    min_value = su.land.min_value
    offset = float(min_value) if min_value is not None else 0.0
    with np.errstate(all="ignore"):
        gap = final_loss - offset
        start_gap = su.land.value(starts) - offset
    return SweepResult(
        optimizer=su.optimizer,
        label=run_labels(scene.runs, scene.shared_lr)[run_index],
        x=su.x,
        y=su.y,
        steps=scene.steps,
        final=final,
        final_loss=final_loss,
        gap=gap,
        gap_is_excess=min_value is not None,
        start_gap=start_gap,
        reach=reach,
        diverged_at=diverged_at,
        stopped=stopped,
        tol=su.tol,
        has_minima=len(su.land.minima) > 0,
    )


def basin_grid(land: landscapes.Landscape, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The start points of a basin map: ``n`` cell centres across each of ``land``'s bounds."""
    (x0, x1), (y0, y1) = land.bounds
    hx, hy = (x1 - x0) / (2 * n), (y1 - y0) / (2 * n)
    return np.linspace(x0 + hx, x1 - hx, n), np.linspace(y0 + hy, y1 - hy, n)


def nearest_minimum(points: np.ndarray, minima: np.ndarray, radius: float) -> np.ndarray:
    """Index of the minimum nearest to each point when within ``radius`` of it, else -1; NaN points get -2.

    Args:
        points: shape ``(..., 2)``.
        minima: shape ``(k, 2)``.
        radius: the largest distance that counts as "in" a minimum.
    """
    pts = np.asarray(points, dtype=float)
    bad = ~np.isfinite(pts).all(axis=-1)
    if len(minima) == 0:
        return np.where(bad, -2, -1)
    with np.errstate(invalid="ignore"):
        d = np.linalg.norm(pts[..., None, :] - np.asarray(minima)[None, :], axis=-1)
        idx = np.argmin(np.where(np.isfinite(d), d, np.inf), axis=-1)
        close = np.take_along_axis(d, idx[..., None], axis=-1)[..., 0] <= radius
    return np.where(bad, -2, np.where(close, idx, -1))


def basins(scene: Scene, run_index: int, n: int) -> BasinResult:
    """Run ``scene.runs[run_index]`` from an ``n × n`` grid of start points and label where each ends.

    Args:
        scene: the scene (its start point is not used: every grid cell is a start).
        run_index: which run.
        n: grid lines per axis.

    Returns:
        A :class:`BasinResult`; invalid settings become its ``error`` instead of raising.
    """
    land, _ = make_landscape(scene)
    run = scene.runs[run_index]
    label = run_labels(scene.runs, scene.shared_lr)[run_index]
    xs, ys = basin_grid(land, n)
    gx, gy = np.meshgrid(xs, ys)
    x0 = np.stack([gx, gy], axis=-1)
    (bx0, bx1), (by0, by1) = land.bounds
    radius = BASIN_FRACTION * float(np.hypot(bx1 - bx0, by1 - by0))
    minima = land.basin_minima
    try:
        grad, kwargs = run_inputs(scene, land, run)
        path = optimizers.run(run.optimizer, grad, x0, scene.steps, **kwargs)
    except ValueError as e:
        return BasinResult(label, xs, ys, np.full((n, n), -1), minima, str(e))
    final, _loss, _reach, diverged_at, stopped = _outcomes(land, path, 0.0)
    labels = nearest_minimum(final, minima, radius)
    labels = np.where(diverged_at >= 0, -2, labels)
    return BasinResult(label, xs, ys, labels, minima, stopped=int(stopped.sum()))


# --- how much work a grid is ----------------------------------------------------------------------------
def work(
    land: landscapes.Landscape,
    optimizer_names: Sequence[str],
    cells: int,
    steps: int,
    batch_sizes: Sequence[int] = (),
) -> float:
    """The work of running every optimizer of ``optimizer_names`` from ``cells`` starts for ``steps``
    steps on ``land``, in Rosenbrock gradients of one point: per cell and step, the landscape's gradient
    (``gradient_cost`` of the run's mini-batch size, ``batch_sizes[i]``; missing or 0: the full
    gradient), its Hessian for optimizers that need one (``hessian_cost``) and the update
    (:data:`UPDATE_COST`). Mini-batches were left out: on linear regression, where the full gradient is
    cheap, a 200 × 200 sweep of 2,000 steps with mini-batches of 4 kept the server busy 7.6 s, not about 5."""
    per = 0.0
    for i, name in enumerate(optimizer_names):
        hessian = land.hessian_cost if optimizers.spec(name).needs_hessian else 0.0
        batch = int(batch_sizes[i]) if i < len(batch_sizes) else 0
        per += UPDATE_COST + land.gradient_cost(batch) + hessian
    return float(cells) * steps * per


def affordable_size(
    land: landscapes.Landscape,
    optimizer_names: Sequence[str],
    n: int,
    steps: int,
    sizes: Sequence[int] = SIZES,
    batch_sizes: Sequence[int] = (),
) -> int | None:
    """The largest grid size of ``sizes`` up to ``n`` whose :func:`work` is within :data:`MAX_WORK`
    (``n`` itself when it is); None when not even the smallest is."""
    fits = [k for k in (*sizes, n) if k <= n and work(land, optimizer_names, k * k, steps, batch_sizes) <= MAX_WORK]
    return max(fits) if fits else None


def affordable_steps(
    land: landscapes.Landscape, optimizer_names: Sequence[str], n: int, batch_sizes: Sequence[int] = ()
) -> int:
    """The most steps an ``n × n`` grid may run within :data:`MAX_WORK` (at least 1)."""
    return max(1, int(MAX_WORK // work(land, optimizer_names, n * n, 1, batch_sizes)))


# --- the URL part -----------------------------------------------------------------------------------
#: The query parameters of the sweep settings (:func:`encode_settings`).
QUERY_KEYS = ("sw_run", "sw_axes", "sw_n", "sw_metric")


def encode_settings(s: SweepSettings, auto_run: int = 0) -> dict[str, str]:
    """The sweep settings as ``sw_`` query parameters, leaving out the defaults.

    Args:
        s: the settings.
        auto_run: the run the sweep would pick by itself (:func:`default_run`); ``sw_run`` is left out then.
    """
    d = SweepSettings()
    out: dict[str, str] = {}
    if s.run is not None and s.run != auto_run:
        out["sw_run"] = str(s.run + 1)
    if s.axes != d.axes:
        out["sw_axes"] = s.axes
    if s.n != d.n:
        out["sw_n"] = str(s.n)
    if s.metric != d.metric:
        out["sw_metric"] = s.metric
    return out


def decode_settings(query: Mapping[str, Any], n_runs: int, auto_run: int = 0) -> tuple[SweepSettings, list[str]]:
    """Read the ``sw_`` query parameters (strings or lists of strings). Never raises.

    Args:
        query: the page's query parameters.
        n_runs: how many runs the scene has (``sw_run`` counts from 1 up to it).
        auto_run: the run (from 0) swept when ``sw_run`` is missing or rejected (:func:`default_run`), which
            a message about a rejected one names.

    Returns:
        ``(settings, messages)``: every rejected value replaced by its default, one message each.
    """
    d = SweepSettings()
    msgs: list[str] = []

    def first(name: str) -> str | None:
        v = query.get(name)
        if isinstance(v, (list, tuple)):
            v = v[-1] if v else None
        return None if v is None else str(v)

    kw: dict[str, Any] = {}
    raw = first("sw_run")
    if raw is not None:
        try:
            k = int(raw.strip())
        except ValueError:
            k = 0
        if 1 <= k <= max(n_runs, 1):
            kw["run"] = k - 1
        else:
            msgs.append(
                f"Sweep run {quote_value(raw)} is not a run number from 1 to {max(n_runs, 1)}; "
                f"sweeping run {auto_run + 1}."
            )
    raw = first("sw_axes")
    if raw is not None:
        if raw in AXES:
            kw["axes"] = raw
        else:
            msgs.append(f"Sweep axes {quote_value(raw)} are not one of {', '.join(AXES)}; using {d.axes}.")
    raw = first("sw_n")
    if raw is not None:
        try:
            k = int(raw.strip())
        except ValueError:
            k = -1
        if k in SIZES:
            kw["n"] = k
        else:
            sizes = ", ".join(str(s) for s in SIZES)
            msgs.append(f"Sweep grid size {quote_value(raw)} is not one of {sizes}; using {d.n}.")
    raw = first("sw_metric")
    if raw is not None:
        if raw in METRICS:
            kw["metric"] = raw
        else:
            msgs.append(f"Sweep outcome {quote_value(raw)} is not one of {', '.join(METRICS)}; using {d.metric}.")
    return SweepSettings(**kw), msgs
