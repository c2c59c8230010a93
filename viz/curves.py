"""Loss against step for every run, and the 3-D view with the paths lifted onto the surface."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from viz.paths import PathLike, _listify, shown_aspect
from viz.spec_figure import SpecFigure
from viz.style import FONT, MINIMUM_COLOUR, style


def loss_quantity(runs: Sequence[PathLike], min_value: float | None) -> tuple[list[np.ndarray], str, bool]:
    """What the loss chart plots, its axis title, and whether a log axis suits it.

    Where the global minimum value is known the chart shows the gap ``loss − min`` (which a log axis
    can show all the way down); otherwise the raw loss, on a log axis only if it stays positive and
    spans more than two decades. A run that goes lower than ``min_value`` (a custom formula's minimum
    is only the lowest inside its window) makes the chart show the raw loss too: a gap clipped at 0
    would read as "reached the minimum".
    """
    if min_value is not None:
        lowest = min((float(np.nanmin(r.loss)) for r in runs if np.isfinite(r.loss).any()), default=np.inf)
        if lowest < min_value - 1e-9 * max(1.0, abs(min_value)):
            min_value = None
    if min_value is not None:
        ys = [np.maximum(r.loss - min_value, 1e-16) for r in runs]
        title = "loss − minimum (log)"
    else:
        ys = [r.loss for r in runs]
        title = "loss"
    finite = np.concatenate([y[np.isfinite(y)] for y in ys]) if ys else np.empty(0)
    log = bool(finite.size) and bool(np.all(finite > 0))
    if log and min_value is None:
        log = float(finite.max() / finite.min()) > 100.0
        title = "loss (log)" if log else title
    return ys, title, log


Bounds = tuple[tuple[float, float], tuple[float, float]]


def inside(points: np.ndarray, bounds: Bounds) -> np.ndarray:
    """Which of ``points`` (shape ``(n, 2)``) lie inside ``bounds`` (NaN does not)."""
    (x0, x1), (y0, y1) = bounds
    p = np.asarray(points, dtype=float).reshape(-1, 2)
    with np.errstate(invalid="ignore"):
        return (p[:, 0] >= x0) & (p[:, 0] <= x1) & (p[:, 1] >= y0) & (p[:, 1] <= y1)


def loss_view(points: Sequence[np.ndarray], values: Sequence[np.ndarray], bounds: Bounds) -> list[float] | None:
    """``[lowest, highest]`` of the plotted ``values`` (NaN where not plotted) at the ``points`` (same rows,
    shape ``(n, 2)``) that lie inside ``bounds``, the picture's; None if no plotted point does.

    A linear loss axis keeps near this range (:func:`capped_range`): a run that leaves the picture for a loss
    unbounded below (a saddle's) leaves the chart too instead of squashing every other curve flat.
    """
    seen = []
    for p, v in zip(points, values, strict=True):
        v = np.asarray(v, dtype=float)
        seen.append(v[inside(p, bounds) & np.isfinite(v)])
    shown = np.concatenate(seen) if seen else np.empty(0)
    return [float(shown.min()), float(shown.max())] if shown.size else None


def capped_range(
    lo: float, hi: float, start: float | None, log: bool, view: Sequence[float] | None = None
) -> tuple[float, float]:
    """``(lo, hi)``, the span of the plotted values (log10 units on a log scale), with the two caps that keep
    one run from making a loss chart or map unreadable: the top stays near ``start``, the highest start loss
    (two decades above it on a log scale, as far above it again as it is above ``lo`` on a linear one); and
    a linear scale keeps within ``view`` (:func:`loss_view`) and half its width again on either side."""
    if start is not None and np.isfinite(start):
        cap = start + 2.0 if log else start + max(start - lo, 1e-12)
        if cap > lo:
            hi = min(hi, cap)
    if not log and view is not None:
        reach = max(view[1] - view[0], 1e-12) * 0.5
        keep_lo, keep_hi = max(lo, view[0] - reach), min(hi, view[1] + reach)
        if keep_hi > keep_lo:
            lo, hi = keep_lo, keep_hi
    return lo, hi


def loss_range(values: Sequence[np.ndarray], log: bool, view: Sequence[float] | None = None) -> list[float]:
    """The loss axis's ``[bottom, top]``, in log10 units on a log axis (Plotly's convention): the plotted
    values (NaN where not plotted) with :func:`capped_range`'s caps, each run's first value its start
    loss, and 4 % padding."""
    fys = []
    for v in values:
        v = np.asarray(v, dtype=float)
        with np.errstate(all="ignore"):
            fys.append(np.where(np.isfinite(v) & (v > 0), np.log10(np.where(v > 0, v, 1.0)), np.nan) if log else v)
    flat = np.concatenate([f[np.isfinite(f)] for f in fys]) if fys else np.empty(0)
    lo, hi = (float(flat.min()), float(flat.max())) if flat.size else (0.0, 1.0)
    starts = [float(f[0]) for f in fys if len(f) and np.isfinite(f[0])]
    lo, hi = capped_range(lo, hi, max(starts) if starts else None, log, view)
    if hi - lo < 1e-12:
        lo, hi = lo - 0.5, hi + 0.5
    pad = (hi - lo) * 0.04 if np.isfinite(hi - lo) else 0.0  # ±1e308 would overflow: no padding then
    return [lo - pad, hi + pad]


def log_ticks(lo: float, hi: float, most: int = 8) -> tuple[list[float], list[str]] | None:
    """Ticks of a log axis over ``[lo, hi]`` at 1, 2 and 5 times each power of ten, where that makes at
    most ``most`` ticks.

    Over one to three decades Plotly labels every digit, 2 to 9, in small type: on a phone they ran
    together. Under a decade its few plain labels, and over more its powers of ten, read well.

    Returns:
        ``(values, labels)`` (labels as ``%g`` writes them: 0.0005, 2e-5), or None to keep Plotly's.
    """
    if not (np.isfinite(lo) and np.isfinite(hi) and 0 < lo < hi) or np.log10(hi / lo) < 1:
        return None
    decades = range(int(np.floor(np.log10(lo))), min(308, int(np.ceil(np.log10(hi)))) + 1)  # 10.0**309 overflows
    values = [m * 10.0**e for e in decades for m in (1, 2, 5) if lo <= m * 10.0**e <= hi]
    if len(values) > most:
        return None
    return values, [tick_label(v) for v in values]


def tick_label(v: float) -> str:
    """A log axis' tick as ``%g`` writes it, exponents short: 0.0005, 2e-5, 1e12."""
    return f"{v:g}".replace("e-0", "e-").replace("e+0", "e").replace("e+", "e")


def significant(a: np.ndarray, digits: int) -> np.ndarray:
    """``a`` rounded to ``digits`` significant digits (NaN and inf pass through): short JSON."""
    with np.errstate(all="ignore"):
        mag = np.where(np.isfinite(a) & (a != 0), np.floor(np.log10(np.abs(a))), 0.0)
        scale = 10.0 ** (digits - 1 - mag)
        return np.round(a * scale) / scale


def loss_figure(
    runs: Sequence[PathLike],
    min_value: float | None,
    height: int = 340,
    line_width: float = 2.5,
    bounds: Bounds | None = None,
) -> go.Figure:
    """Loss (or the gap to the minimum) against step, one line per run, in the runs' styles.

    Args:
        runs: the runs (runs with an ``error`` are left out).
        min_value: the landscape's global minimum value, or ``None`` where it is unknown.
        height: figure height in pixels.
        line_width: line width (thicker in presentation mode).
        bounds: the picture's window: a linear axis keeps near the losses seen inside it (see
            :func:`loss_range`, which sets the axis range as the browser-drawn loss chart does).
    """
    ok = [(i, r) for i, r in enumerate(runs) if r.error is None]
    ys, title, log = loss_quantity([r for _, r in ok], min_value)
    view = loss_view([r.path for _, r in ok], ys, bounds) if bounds is not None and ok else None
    data = []
    for (i, r), y in zip(ok, ys, strict=True):
        st = style(i)
        keep = np.unique(np.round(np.geomspace(1, len(y), 400)).astype(int) - 1) if len(y) > 400 else np.arange(len(y))
        data.append(
            dict(
                type="scatter",
                x=keep.tolist(),
                y=_listify(significant(y[keep], 4)),
                mode="lines",
                name=r.label,
                line=dict(color=st["color"], dash=st["dash"], width=line_width),
                hovertemplate=f"{r.label}<br>step %{{x}}<br>%{{y:.4g}}<extra></extra>",
            )
        )
    span = loss_range(ys, log, view)
    with np.errstate(over="ignore"):  # a span past 1e308 has no round ticks to give (log_ticks: None)
        ticks = log_ticks(*np.power(10.0, span).tolist()) if log else None
    layout = dict(
        height=height,
        font=FONT,
        margin=dict(l=60, r=20, t=30, b=40, pad=0),
        plot_bgcolor="white",
        legend=dict(orientation="h", y=-0.3, yanchor="top", x=0),  # below: the mode bar is at the top
        hovermode="x unified",
        xaxis=dict(title=dict(text="step"), showgrid=True, gridcolor="#e5e8ec"),
        yaxis=dict(
            title=dict(text=title),
            type="log" if log else "linear",
            range=span,
            showgrid=True,
            gridcolor="#e5e8ec",
            exponentformat="power",
            **({"tickvals": ticks[0], "ticktext": ticks[1]} if ticks else {}),
        ),
    )
    fig = SpecFigure({"data": data, "layout": layout})
    return fig


ASPECT = (1.3, 1.3, 0.7)  # the 3-D box's proportions (x, y, z) for a square window
_TOP_MARGIN = 10  # the 3-D figure's top margin (px)


def box_aspect(x_span: float, y_span: float) -> tuple[float, float, float]:
    """The 3-D box's proportions (x, y, z) for a window ``x_span`` wide and ``y_span`` high: the longer side
    as :data:`ASPECT`'s, the other in the window's proportion (equal scales in x and y, within 1:3 … 3:1, as
    the 2-D plots), z as :data:`ASPECT`'s."""
    a = shown_aspect(((0.0, x_span), (0.0, y_span)))
    side = ASPECT[0]
    return (side, side / a, ASPECT[2]) if a >= 1 else (side * a, side, ASPECT[2])


DEFAULT_EYE = (1.35, -1.35, 0.9)  # from the front right, a little above
_EYE_DISTANCE = float(np.hypot(np.hypot(DEFAULT_EYE[0], DEFAULT_EYE[1]), DEFAULT_EYE[2]))


def _candidate_eyes() -> list[tuple[float, float, float]]:
    """The default eye first; then, at its height, the other three diagonals (nearest first); then the
    same higher up, looking down into trenches (a little further away, so that the box still fits the
    figure)."""
    eyes = []
    for z, distance in ((DEFAULT_EYE[2], _EYE_DISTANCE), (1.5, _EYE_DISTANCE * 1.08), (2.0, _EYE_DISTANCE * 1.2)):
        r = float(np.sqrt(distance**2 - z**2))
        for turn in (0, 90, -90, 180):  # diagonals only: from an axis' side its tick labels pile up
            a = np.deg2rad(-45.0 + turn)  # the default looks from azimuth -45° (front right)
            eyes.append((round(r * np.cos(a), 3), round(r * np.sin(a), 3), z))
    return eyes


def visible_fraction(
    xs: np.ndarray, ys: np.ndarray, Zt: np.ndarray, points: np.ndarray, eye: tuple[float, float, float]
) -> float:
    """Which share of ``points`` (shape ``(n, 3)``: x, y and the display value, on the surface) the surface
    ``Zt`` does not hide from a camera at ``eye``.

    Plotly draws the scene's box centred on the origin, ``±box_aspect`` in each direction, and puts the camera
    at ``eye`` in the same units (the renders bear this out: from the default eye a bowl's floor is seen,
    Rosenbrock's log-scale trench floor is not). Each point is followed in a straight line towards the
    eye, in steps of 1% of the box's width, until it leaves the box; it is hidden if the surface (bilinear
    between the grid's nodes; NaN hides nothing) rises more than 1.4% of the box's height above that line
    anywhere past the first 3% of the way (a path lies on the surface: its own bump must not hide it).
    """
    zlo, zhi = float(np.nanmin(Zt)), float(np.nanmax(Zt))
    if not zhi > zlo or len(points) == 0:
        return 1.0
    half = np.array(box_aspect(xs[-1] - xs[0], ys[-1] - ys[0]))
    lo = np.array([xs[0], ys[0], zlo])
    size = np.array([xs[-1] - xs[0], ys[-1] - ys[0], zhi - zlo])
    p = (np.asarray(points, dtype=float) - lo) / size * 2 * half - half  # box units, centred
    to_eye = np.asarray(eye, dtype=float) - p
    d = to_eye / np.linalg.norm(to_eye, axis=1, keepdims=True)
    width = 2 * half[0]
    t = np.arange(0.03 * width, 2 * np.linalg.norm(half), 0.01 * width)
    q = p[:, None, :] + t[None, :, None] * d[:, None, :]  # (n, steps, 3)
    inside = (np.abs(q[..., 0]) <= half[0]) & (np.abs(q[..., 1]) <= half[1]) & (q[..., 2] <= half[2])
    # bilinear surface height at the samples, in box units
    fx = np.clip((q[..., 0] + half[0]) / (2 * half[0]) * (len(xs) - 1), 0, len(xs) - 1.000001)
    fy = np.clip((q[..., 1] + half[1]) / (2 * half[1]) * (len(ys) - 1), 0, len(ys) - 1.000001)
    i, j = fy.astype(int), fx.astype(int)
    u, v = fx - j, fy - i
    z = (1 - v) * ((1 - u) * Zt[i, j] + u * Zt[i, j + 1]) + v * ((1 - u) * Zt[i + 1, j] + u * Zt[i + 1, j + 1])
    with np.errstate(invalid="ignore"):
        above = (z - lo[2]) / size[2] * 2 * half[2] - half[2] > q[..., 2] + 0.014 * 2 * half[2]
    hidden = (above & inside).any(axis=1)
    return float(1.0 - hidden.mean())


def choose_eye(
    xs: np.ndarray, ys: np.ndarray, Zt: np.ndarray, points: np.ndarray, keep: float = 0.9
) -> tuple[float, float, float]:
    """The camera eye for the 3-D view: the first candidate (the default, then the others at its height
    nearest it first, then higher up) that shows at least ``keep`` of the most any candidate shows of
    ``points`` (where the paths go: the start, the minima, the valley floor; see
    :func:`visible_fraction`). A trench seen from the side hides its floor; seen from higher up, not."""
    eyes = _candidate_eyes()
    seen = [visible_fraction(xs, ys, Zt, points, e) for e in eyes]
    best = max(seen)
    return next(e for e, v in zip(eyes, seen, strict=True) if v >= keep * best)  # lowest, nearest first


#: plotly.js's 3-D camera: a perspective projection with this vertical field of view (gl-plot3d's ``fovy``),
#: looking from the eye at the camera's centre with z up; the box spans ±aspectratio/2 about the origin.
FOVY = np.pi / 4
#: Room left between the box's corners and the plot's edges for the tick labels and axis titles (pixels: left,
#: right, top and bottom): the z axis' ticks and title stand left of the box, the x and y tick labels under it.
LABEL_ROOM = (80, 35, 30)


def _project(points: np.ndarray, eyes: np.ndarray, centres: np.ndarray, aspect: float) -> tuple[np.ndarray, np.ndarray]:
    """Normalised screen coordinates (−1 … 1 across the plot) of ``points`` (n, 3) seen from each of ``eyes``
    (…, 3) looking at ``centres`` (…, 3), z up, in a plot ``aspect`` times as wide as high: shapes (…, n)."""
    f = centres - eyes
    f = f / np.linalg.norm(f, axis=-1, keepdims=True)
    side = np.cross(f, [0.0, 0.0, 1.0])
    side = side / np.linalg.norm(side, axis=-1, keepdims=True)
    up = np.cross(side, f)
    rel = points - eyes[..., None, :]  # (…, n, 3)
    depth = np.einsum("...nk,...k->...n", rel, f)
    t = np.tan(FOVY / 2)
    x = np.einsum("...nk,...k->...n", rel, side) / depth / (t * aspect)
    y = np.einsum("...nk,...k->...n", rel, up) / depth / t
    return x, y


@functools.lru_cache(maxsize=256)
def fit_camera(
    eye: tuple[float, float, float], box: tuple[float, float, float], width_px: float, height_px: float
) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """The camera that shows the whole 3-D box, with room for its labels, as large as a plot of this size allows.

    The eye keeps its direction from the box's centre (what :func:`choose_eye` chose to show); it moves
    nearer or further, and eye and centre move together, up or down and sideways, so that the box is drawn
    in the middle of the room its labels leave. Plotly's fixed vertical field of view otherwise cut the
    box's sides off in a plot narrower than about 1.2 times its height (a phone, a laptop with the sidebar
    open), and a camera high above a trench drew the box's near corner below the plot.

    Args:
        eye: the camera's eye (scene units, the box centred on the origin).
        box: the box's proportions (``scene.aspectratio``: x, y, z).
        width_px, height_px: the scene's size in pixels (the figure less its margins and legend).

    Returns:
        ``(eye, centre)`` for ``scene.camera`` (cached: the same scene at the same size gets it again).
    """
    eye_v = np.asarray(eye, dtype=float)
    half = np.asarray(box, dtype=float) / 2
    corners = np.array([[a, b, c] for a in (-1, 1) for b in (-1, 1) for c in (-1, 1)]) * half
    aspect = width_px / height_px
    lo_x, hi_x = -1 + 2 * LABEL_ROOM[0] / width_px, 1 - 2 * LABEL_ROOM[1] / width_px
    fit_y = max(0.2, 1 - 2 * LABEL_ROOM[2] / height_px)
    if hi_x - lo_x < 0.4:
        return tuple(eye_v), (0.0, 0.0, 0.0)  # type: ignore[return-value]
    lifts = np.arange(-1.0, 1.0001, 0.05)  # eye and centre moved up together
    pans = np.arange(-0.6, 0.6001, 0.05)  # eye and centre moved sideways (to the screen's right) together
    side = np.cross(-eye_v, [0.0, 0.0, 1.0])
    side = side / np.linalg.norm(side)
    c, q = np.meshgrid(lifts, pans, indexing="ij")
    centres = c[..., None] * np.array([0.0, 0.0, 1.0]) + q[..., None] * side

    def placements(zoom: float) -> np.ndarray:
        """How far each place (lift, pan) at this distance is from the middle of the room; inf where it does
        not fit."""
        x, y = _project(corners, eye_v * zoom + centres, centres, aspect)
        top, bottom, xl, xr = y.max(axis=-1), y.min(axis=-1), x.min(axis=-1), x.max(axis=-1)
        fits = (xl >= lo_x) & (xr <= hi_x) & (top <= fit_y) & (bottom >= -fit_y)
        return np.where(fits, np.abs(top + bottom) + np.abs(xl + xr - lo_x - hi_x), np.inf)

    near, far = 0.6, 4.0  # distance as a multiple of the eye's: the box fits at some place, or not
    if not np.isfinite(placements(far)).any():
        return tuple(eye_v), (0.0, 0.0, 0.0)  # type: ignore[return-value]
    if np.isfinite(placements(near)).any():
        far = near
    while far - near > 0.01:  # the nearest distance at which the box fits, by bisection
        mid = (near + far) / 2
        near, far = (near, mid) if np.isfinite(placements(mid)).any() else (mid, far)
    off = placements(far)
    j, m = np.unravel_index(int(np.argmin(off)), off.shape)
    centre = np.array([0.0, 0.0, float(lifts[j])]) + float(pans[m]) * side
    new_eye = eye_v * far + centre
    return (
        (round(float(new_eye[0]), 4), round(float(new_eye[1]), 4), round(float(new_eye[2]), 4)),
        (round(float(centre[0]), 4), round(float(centre[1]), 4), round(float(centre[2]), 4)),
    )


def legend_height(names: Sequence[str], width_px: float, size: int = 14) -> float:
    """About how tall (px) Plotly's horizontal legend of ``names`` at font ``size`` is in a ``width_px`` figure.

    Plotly gives every item of a legend that wraps the width of the widest (a 40 px symbol and its text, half
    an em a character) and fills rows of as many as fit, 24 px a row at 14 px (measured in Chromium).
    """
    if not names:
        return 0.0
    item = 40 + 0.5 * size * max(len(name) for name in names)
    per_row = max(1, int((width_px - 10) // item))
    return math.ceil(len(names) / per_row) * 24 * size / 14 + 14


def nice_step(raw: float, up: bool = False) -> float:
    """A tick step of 1, 2 or 5 times a power of ten: the least one at or above ``raw`` (``up``), else the one
    nearest to it by ratio. ``raw`` must be positive and finite."""
    power = 10.0 ** np.floor(np.log10(raw))
    if up:
        return float(power * next(m for m in (1, 2, 5, 10) if m * power >= raw))
    return float(power * min((1, 2, 5, 10), key=lambda m: abs(np.log(m * power / raw))))


def inner_ticks(lo: float, hi: float, target: int) -> list[float]:
    """About ``target`` round tick values (a step of 1, 2 or 5 times a power of ten) within ``[lo, hi]``,
    none within 4 % of the span of either end.

    In the 3-D view the x and y axes end at the box's corners, where the z axis stands: a tick at the end
    of x or y wrote its label over the z axis's lowest one.
    """
    span = hi - lo
    if not (np.isfinite(span) and span > 0):
        return []
    step = nice_step(span / max(1, target))
    first, last = np.ceil((lo + 0.04 * span) / step), np.floor((hi - 0.04 * span) / step)
    return [float(f"{k * step:.12g}") + 0.0 for k in np.arange(first, last + 1)]  # + 0.0: no -0


def surface_3d_figure(
    xs: np.ndarray,
    ys: np.ndarray,
    Zt: np.ndarray,
    z_label: str,
    runs: Sequence[PathLike],
    lifted: Sequence[np.ndarray],
    minima: np.ndarray,
    minima_z: np.ndarray,
    height: int = 640,
    legend_size: int = 14,
    lowest_nearby: bool = False,
    tick_size: int | None = None,
    minima_name: str = "global minimum",
    eye: tuple[float, float, float] = DEFAULT_EYE,
    width: int | None = None,
) -> go.Figure:
    """The surface in 3-D with each path drawn on it.

    Args:
        xs, ys, Zt: the grid and its display-transformed values (``Zt[i, j]`` at ``(xs[j], ys[i])``).
        z_label: what ``Zt`` shows.
        runs: the runs, for labels and styles.
        lifted: per run, the display-transformed loss along its path (same transform as ``Zt``).
        minima, minima_z: known minima and their display values.
        height: figure height in pixels.
        legend_size: the legend's text size (larger in presentation mode, to read from the back of a hall).
        lowest_nearby: ``Zt`` holds the lowest value around each node (``landscapes.grid(refine=…)``); the
            hover text says so.
        tick_size: larger axis text (presentation mode), with fewer ticks so that they do not overlap.
        minima_name: the minima's legend entry.
        eye: the camera's eye (see :func:`choose_eye`).
        width: the figure's width in pixels where known: the camera then moves to fit the box to the
            figure (:func:`fit_camera`); None keeps ``eye``.

    The axes span the grid's window; a path's points outside it are left out (its line breaks there), so
    a run that leaves the picture cannot stretch the axes and squash the surface into a sliver. Lifted
    values beyond the surface's are drawn at its lowest or highest.
    """
    zlo, zhi = float(np.nanmin(Zt)), float(np.nanmax(Zt))
    (x0, x1), (y0, y1) = (float(xs[0]), float(xs[-1])), (float(ys[0]), float(ys[-1]))
    data: list[go.BaseTraceType] = [
        go.Surface(
            x=np.round(xs, 4),
            y=np.round(ys, 4),
            z=np.round(Zt, 4),
            colorscale="Cividis",
            opacity=0.8,
            showscale=False,
            contours=dict(z=dict(show=True, usecolormap=True, project=dict(z=True))),
            hovertemplate="(%{x:.3g}, %{y:.3g})<br>"
            + ("lowest nearby: " if lowest_nearby else "")
            + z_label
            + " %{z:.3g}<extra></extra>",
            name="surface",
        )
    ]
    for i, (r, z) in enumerate(zip(runs, lifted, strict=True)):
        if r.error is not None:
            continue
        st = style(i)
        xyz = np.column_stack([r.path, np.clip(z, zlo, zhi)])
        xyz[~inside(r.path, ((x0, x1), (y0, y1)))] = np.nan
        data.append(
            go.Scatter3d(
                x=_listify(np.round(xyz[:, 0], 4)),
                y=_listify(np.round(xyz[:, 1], 4)),
                z=_listify(np.round(xyz[:, 2], 4)),
                mode="lines+markers",
                name=r.label,
                line=dict(color=st["color"], width=9),
                marker=dict(size=3.5, color=st["color"]),
            )
        )
    if len(minima):
        data.append(
            go.Scatter3d(
                x=minima[:, 0],
                y=minima[:, 1],
                z=minima_z,
                mode="markers",
                name=minima_name,
                marker=dict(size=6, color=MINIMUM_COLOUR, symbol="diamond", line=dict(color="#1f2933", width=1)),
            )
        )
    fig = go.Figure(data)

    def axis(title: str, span: list[float] | None = None) -> dict[str, object]:
        out: dict[str, object] = dict(title=dict(text=title))
        if span is not None:
            out.update(range=span, tickvals=inner_ticks(span[0], span[1], 5 if tick_size is not None else 6))
        if tick_size is not None:
            out.update(title=dict(text=title, font=dict(size=tick_size + 2)), tickfont=dict(size=tick_size), nticks=5)
        return out

    box = box_aspect(x1 - x0, y1 - y0)
    camera: dict[str, object] = dict(eye=dict(x=eye[0], y=eye[1], z=eye[2]))
    if width is not None:
        names = [str(trace.name) for trace in data[1:]]
        scene_px = height - _TOP_MARGIN - legend_height(names, width, legend_size)
        fitted, centre = fit_camera(tuple(eye), box, float(width), max(100.0, scene_px))
        camera = dict(eye=dict(zip("xyz", fitted, strict=True)), center=dict(zip("xyz", centre, strict=True)))
    z_axis = axis(z_label)
    if eye[2] > DEFAULT_EYE[2]:  # seen from high up the z axis is short on screen: its labels would run together
        z_axis.setdefault("nticks", 6)
    fig.update_layout(
        height=height,
        font=FONT,
        margin=dict(l=0, r=0, t=_TOP_MARGIN, b=0),
        legend=dict(orientation="h", y=0, yanchor="top", x=0, font=dict(size=legend_size)),  # below the mode bar
        scene=dict(
            xaxis=axis("x", [x0, x1]),
            yaxis=axis("y", [y0, y1]),
            zaxis=z_axis,
            camera=camera,
            aspectmode="manual",
            aspectratio=dict(zip("xyz", box, strict=True)),
        ),
    )
    return fig
