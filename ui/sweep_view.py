"""The Sweeps tab: a heatmap of one run's outcome over a grid of two settings, and basin maps.

Widget keys: ``sw_run`` (which run), ``sw_axes`` (a key of :data:`sweeps.AXES`), ``sw_metric`` (a key of
:data:`sweeps.METRICS`), ``sw_n`` (grid lines per axis), ``sweep_chart`` (the heatmap; clicking a cell loads
its setting into the sidebar), ``basin_chart``. The same ``sw_`` names are the tab's query parameters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import streamlit as st

import optimizers
import sweeps
from landscapes import Landscape
from scene import BATCH_PARAM, Run, Scene, make_landscape, settings_of
from simulate import run_labels, run_name
from sweeps import SweepResult, SweepSettings
from ui import widgets
from ui.controls import SHARED_LR, hp_key
from ui.screen import measure
from ui.state import TAB, TABS, query_dict
from ui.views import chart_config, is_phone
from ui.widgets import counted
from viz.curves import Bounds, capped_range, loss_view, nice_step
from viz.sweep import basin_figure, sweep_figure

CHART = "sweep_chart"
BASIN_CHART = "basin_chart"
_INIT = "_sweep_initialised"
_MESSAGES = "_sweep_messages"
_LAST = "_sweep_last"
_LOADED = "_sweep_loaded"
MAX_ENTRIES = 48


def _scene_hash(scene: Scene) -> str:
    return repr(scene)


def _sweep_part(scene: Scene, run_index: int, axes: str) -> Scene:
    """The part of a scene a sweep depends on: its landscape, steps, seed, start and the swept run with the
    swept settings left at their defaults (moving η in the sidebar moves the marker, it does not re-run)."""
    run = scene.runs[run_index]
    names = sweeps.swept_names(run.optimizer, axes)
    kept = {k: v for k, v in run.params if k not in names}
    return Scene(
        landscape=scene.landscape,
        landscape_params=scene.landscape_params,
        formula=scene.formula,
        formula_bounds=scene.formula_bounds,
        runs=(Run.make(run.optimizer, **kept),),
        start=scene.start,
        steps=scene.steps,
        seed=scene.seed,
        shared_lr=None if "lr" in names else scene.shared_lr,
    )


def _basin_part(scene: Scene, run_index: int) -> Scene:
    """The part of a scene one basin panel depends on (not the start point: every cell is a start)."""
    return Scene(
        landscape=scene.landscape,
        landscape_params=scene.landscape_params,
        formula=scene.formula,
        formula_bounds=scene.formula_bounds,
        runs=(scene.runs[run_index],),
        steps=scene.steps,
        seed=scene.seed,
        shared_lr=scene.shared_lr,
    )


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False, hash_funcs={Scene: _scene_hash})
def cached_rows(scene: Scene, run_index: int, axes: str, n: int, rows: tuple[int, int]) -> sweeps.Rows:
    """:func:`sweeps.sweep_rows`, cached per chunk (so a progress bar can move between chunks)."""
    return sweeps.sweep_rows(scene, run_index, axes, n, rows)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False, hash_funcs={Scene: _scene_hash})
def cached_basins(scene: Scene, n: int) -> sweeps.BasinResult:
    """:func:`sweeps.basins` of the scene's only run, cached."""
    return sweeps.basins(scene, 0, n)


# --- settings ---------------------------------------------------------------------------------------
def _init(scene: Scene) -> None:
    """On a session's first run, set the sweep's widgets from the URL (messages for what was rejected)."""
    ss = st.session_state
    if ss.get(_INIT):
        return
    auto, query = sweeps.default_run(scene), query_dict()
    settings, msgs = sweeps.decode_settings(query, len(scene.runs), auto_run=auto)
    ss["sw_run"] = settings.run if settings.run is not None else auto
    # Axes the link does not name are the run's first pair (settings_ui), without a note that the default
    # η × β does not apply to it: nobody asked for η × β.
    ss["sw_axes"] = settings.axes if "sw_axes" in query else None
    ss["sw_n"] = settings.n
    ss["sw_metric"] = settings.metric
    ss[_MESSAGES] = msgs
    ss[_INIT] = True


def _copy_of(runs: tuple[Run, ...], i: int) -> int:
    """Which copy of its optimizer run ``i`` is (the sidebar's widget keys count copies from 1)."""
    return sum(1 for r in runs[:i] if r.optimizer == runs[i].optimizer) + 1


SETTINGS_KEY = "sweep_settings"  # the key of the controls' container
BASIN_SCREEN = "basin_screen"  # the reporter of the basin maps' column width (ui.screen)
BASIN_PANEL_PX = 200  # the least width of a basin map's cell: its title ("Gradient descent") and its plot
# Four controls a row need a column of about 920 px ("Colour by" takes a third, its three options ~300 px):
# with the sidebar open, 1280 px windows cut off "Diverged" and 1000 px ones hid it. There they stand two a
# row, and one a row under 640 px.
_SETTINGS_CSS = widgets.wrap_columns_css(SETTINGS_KEY, [(920, "calc(50% - 0.5rem)"), (640, "100%")])

#: The tab's controls (drawn whenever the tab shows a scene with runs).
CONTROL_KEYS = ("sw_run", "sw_axes", "sw_metric", "sw_n")


def settings_ui(scene: Scene) -> tuple[SweepSettings, list[str]]:
    """The run, axes, outcome and grid-size controls; returns the settings and a list of notes to show."""
    ss = st.session_state
    notes: list[str] = []
    labels = run_labels(scene.runs, scene.shared_lr)
    n_runs = len(scene.runs)
    if not isinstance(ss.get("sw_run"), int) or not 0 <= ss["sw_run"] < n_runs:
        ss["sw_run"] = sweeps.default_run(scene)
    c1, c2, c3, c4 = st.columns([3, 3, 4, 2])
    run_index = c1.selectbox(
        "Sweep the run", list(range(n_runs)), key="sw_run", format_func=lambda i: f"{i + 1}. {labels[i]}"
    )
    opt = scene.runs[run_index].optimizer
    options = sweeps.available_axes(opt)
    if ss.get("sw_axes") not in options:
        wanted = ss.get("sw_axes")
        if wanted in sweeps.AXES:
            notes.append(
                f"{optimizers.spec(opt).label} has no {sweeps.AXES_LABELS[wanted]} to sweep; "
                f"showing {sweeps.axes_label(options[0], opt)}."
            )
        ss["sw_axes"] = options[0]
    axes = c2.selectbox(
        "Axes (x × y)",
        options,
        key="sw_axes",
        format_func=lambda k: sweeps.axes_label(k, opt),
        help="η × start x: the start moves across the landscape's x range at the scene's start y. Decays "
        "(β, μ, α, ρ) are spaced so that 0, 0.9, 0.99 and 0.999 are equally far apart.",
    )
    if ss.get("sw_metric") not in sweeps.METRICS:
        ss["sw_metric"] = SweepSettings().metric
    metric = c3.segmented_control(
        "Colour by",
        sweeps.METRICS,
        key="sw_metric",
        format_func=lambda m: sweeps.METRIC_LABELS[m].capitalize(),
        width="stretch",
    )
    metric = metric if metric in sweeps.METRICS else SweepSettings().metric
    if ss.get("sw_n") not in sweeps.SIZES:
        ss["sw_n"] = SweepSettings().n
    n = c4.selectbox(
        "Grid",
        sweeps.SIZES,
        key="sw_n",
        format_func=lambda k: f"{k} × {k}",
        help="Runs per axis. 200 × 200 is 40,000 runs: it takes a few seconds. A grid that would keep the "
        "server busy much longer (many steps on an expensive surface) runs smaller, and the page says so.",
    )
    return SweepSettings(run=run_index, axes=axes, n=int(n), metric=metric), notes


# --- the heatmap ------------------------------------------------------------------------------------
def run_sweep(scene: Scene, s: SweepSettings) -> SweepResult:
    """The sweep of ``s`` (cached per chunk of rows), with a progress bar for grids of many cells."""
    assert s.run is not None
    part = _sweep_part(scene, s.run, s.axes)
    plan = sweeps.chunks(s.n, scene.steps)
    cells = s.n * s.n
    if len(plan) == 1:
        with st.spinner(f"Running {cells:,} runs of {scene.steps} steps…", show_time=cells > 5000):
            return sweeps.sweep(part, 0, s.axes, s.n, rows_fn=cached_rows)
    bar = st.progress(0.0, text=f"Running {cells:,} runs of {scene.steps} steps…")

    def progress(f: float) -> None:
        bar.progress(f, text=f"Running {cells:,} runs of {scene.steps} steps… {f:.0%}")

    try:
        return sweeps.sweep(part, 0, s.axes, s.n, progress=progress, rows_fn=cached_rows)
    finally:
        bar.empty()


def _value_text(axis: sweeps.Axis, v: float, sep: str = " = ") -> str:
    return f"{axis.symbol}{sep}{sweeps.format_number(v) if axis.scale != 'linear' else f'{v:.3g}'}"


def _coord(axis: sweeps.Axis, v: float) -> float:
    """Where setting value ``v`` is drawn on ``axis``."""
    with np.errstate(all="ignore"):
        if axis.scale == "log":
            return float(np.log10(v)) if v > 0 else float("nan")
        if axis.scale == "decay":
            return float(-np.log10(1.0 - v)) if v < 1 else float("nan")
    return float(v)


def hover_data(r: SweepResult) -> tuple[np.ndarray, list[tuple[str, list[int]]], np.ndarray]:
    """Hover numbers per cell ``(x value, y value, loss gap, reach step, diverged step)``, the templates of
    reached, diverged, never-reached and stopped cells, and which template each cell uses."""
    gx, gy = np.meshgrid(r.x.values, r.y.values)
    data = np.stack([gx, gy, r.gap, r.reach.astype(float), r.diverged_at.astype(float)], axis=-1)

    def fmt(axis: sweeps.Axis, k: int) -> str:
        return f"{axis.symbol} = %{{customdata[{k}]:{'.3g' if axis.scale == 'log' else '.4g'}}}"

    head = f"{fmt(r.x, 0)}, {fmt(r.y, 1)}<br>"
    loss = f"{'final loss − min' if r.gap_is_excess else 'final loss'} %{{customdata[2]:.4g}}"
    reached = "<br>reached a minimum at step %{customdata[3]}" if r.has_minima else ""
    never = f"<br>never reached a minimum in {counted(r.steps, 'step')}" if r.has_minima else ""
    templates = [
        (head + loss + reached, [0, 1, 2, 3] if r.has_minima else [0, 1, 2]),
        (head + "<b>diverged at step %{customdata[2]}</b>", [0, 1, 4]),
        (head + loss + never, [0, 1, 2]),
        (head + "<b>stopped at step %{customdata[2]}</b>: the surface has no value or gradient there", [0, 1, 4]),
    ]
    codes = np.where(r.diverged_at >= 0, 1, np.where(r.has_minima & (r.reach < 0), 2, 0))
    codes = np.where(r.stopped, 3, codes)
    return data, templates, codes


def ended_label(diverged: int, stopped: int) -> str:
    """The legend name of black cells: runs that diverged, stopped where the surface has no value or gradient,
    or both."""
    if stopped and not diverged:
        return "stopped (no value or gradient)"
    return "diverged / stopped" if stopped else "diverged"


def _ticks(lo: float, hi: float, low_cut: bool, high_cut: bool, log: bool) -> tuple[list[float], list[str]]:
    """Colour-bar ticks from ``lo`` to ``hi`` (powers of ten on a log scale, given as exponents; about five
    multiples of 1, 2 or 5 × 10^k on a linear one); an end where the colours were cut is labelled "≤ …" or
    "≥ …"."""
    if log:
        ks = list(range(int(np.floor(lo)), int(np.ceil(hi)) + 1))
        step = max(1, len(ks) // 8)
        vals = [float(k) for k in ks[::step] if lo <= k <= hi and not (high_cut and k > hi - 0.35)]
        # Within a decade or so the powers of ten leave a bar with one label or none: 1-2-5 steps, then
        # every digit, until there are three.
        for mantissas in ((1, 2, 5), tuple(range(1, 10))):
            if len(vals) >= 3:
                break
            fine = sorted(k + float(np.log10(m)) for k in ks for m in mantissas)
            vals = [v for v in fine if lo - 1e-9 <= v <= hi + 1e-9 and not (high_cut and v > hi - 0.1)]
        if len(vals) < 2 and hi > lo:  # narrower still: the two ends
            vals = [lo] if high_cut else [lo, hi]
        if high_cut:
            vals.append(hi)
        texts = [sweeps.format_number(10.0**v) for v in vals]
    else:  # multiples of 1, 2 or 5 × 10^k, about five; the cut ends get their own ticks
        step = nice_step((hi - lo) / 5 if np.isfinite(hi - lo) and hi > lo else 1.0, up=True)
        margin = 0.3 * step if (low_cut or high_cut) else 0.0
        vals = [float(k * step) for k in range(int(np.ceil(lo / step)), int(np.floor(hi / step)) + 1)]
        vals = [v for v in vals if (not low_cut or v >= lo + margin) and (not high_cut or v <= hi - margin)]
        vals = ([lo] if low_cut else []) + vals + ([hi] if high_cut else [])
        texts = [sweeps.format_number(float(f"{v:.3g}")) for v in vals]
    if low_cut:
        texts[0] = f"≤ {texts[0]}"
    if high_cut:
        texts[-1] = f"≥ {texts[-1]}"
    return vals, texts


def loss_colours(
    r: SweepResult, status: np.ndarray, bounds: Bounds
) -> tuple[np.ndarray, tuple[list[float], list[str]] | None, str]:
    """``(values, colour ticks, title)`` of the final-loss map: the loss (or its gap to the minimum) on a
    log scale where it stays positive, else linear.

    The colours get the loss charts' caps (:func:`viz.curves.capped_range`), so one part of the grid cannot
    stretch them over the rest: on a log scale they stop two decades above the highest start loss (runs
    blowing up, if not yet diverged, take the top colour); on a linear one they keep near the losses of the
    runs that ended inside the picture (on a saddle, runs escaping to -1e23 take the bottom colour). Cut
    ends are labelled.
    """
    gap = r.gap
    alive = (status == 0) & np.isfinite(gap)
    title = "final loss − min" if r.gap_is_excess else "final loss"
    with np.errstate(all="ignore"):
        log = r.gap_is_excess or (bool(alive.any()) and bool((gap[alive] > 0).all()))
        if log:
            values = np.log10(np.maximum(gap, sweeps.LOSS_FLOOR))
            shown = values[alive]
            lo, hi = (float(shown.min()), float(shown.max())) if shown.size else (0.0, 1.0)
            starts = np.log10(np.maximum(r.start_gap[np.isfinite(r.start_gap)], sweeps.LOSS_FLOOR))
            _, top = capped_range(lo, hi, float(starts.max()) if starts.size else None, log=True)
            return np.minimum(values, top), _ticks(lo, top, False, top < hi, log=True), title
        if not alive.any():
            return gap, None, title
        lo, hi = float(gap[alive].min()), float(gap[alive].max())
        view = loss_view([r.final.reshape(-1, 2)], [np.where(alive, gap, np.nan).ravel()], bounds)
        keep_lo, keep_hi = capped_range(lo, hi, None, log=False, view=view)
        if (keep_lo, keep_hi) == (lo, hi):
            return gap, None, title
        return np.clip(gap, keep_lo, keep_hi), _ticks(keep_lo, keep_hi, keep_lo > lo, keep_hi < hi, log=False), title


def sweep_chart(scene: Scene, s: SweepSettings, r: SweepResult, label: str) -> Any:
    """Build the heatmap of ``r`` coloured by ``s.metric``."""
    status = np.where(r.diverged_at >= 0, 1, 0)
    colour_ticks = None
    metric = s.metric
    never_label = "never reached"
    finite_label = None
    if metric == "loss":
        values, colour_ticks, title = loss_colours(r, status, make_landscape(scene)[0].bounds)
    elif metric == "reach":
        values = r.reach.astype(float)
        status = np.where(status == 1, 1, np.where(r.reach < 0, 2, 0))
        title = "steps to reach"
        never_label = f"never reached (in {counted(r.steps, 'step')})"
    else:
        values = np.zeros(status.shape)
        title = ""
        finite_label = f"stayed finite for {counted(r.steps, 'step')}"
    current = sweeps.current_setting(scene, s.run or 0, s.axes)
    cx, cy = (_coord(r.x, current[r.x.name]), _coord(r.y, current[r.y.name]))
    now = ", ".join(_value_text(a, current[a.name]) for a in (r.x, r.y))
    cells, templates, codes = hover_data(r)
    return sweep_figure(
        r.x.coords,
        r.y.coords,
        values,
        status,
        cells,
        templates,
        codes,
        x_title=r.x.title + (" (log scale)" if r.x.scale == "log" else ""),
        y_title=r.y.title + (" (log scale)" if r.y.scale == "log" else ""),
        x_ticks=r.x.ticks(),
        y_ticks=r.y.ticks(),
        colour_title=title,
        colour_ticks=colour_ticks,
        current=(cx, cy),
        current_label=f"{label} now ({now})",
        never_label=never_label,
        narrow=is_phone(),
        finite_label=finite_label,
        diverged_label=ended_label(*r.ended),
    )


def _on_cell_click() -> None:
    """A click on a cell loads its setting into the swept run's sidebar controls."""
    ss = st.session_state
    last = ss.get(_LAST)
    try:
        points = ss[CHART]["selection"]["points"]
    except (KeyError, TypeError):
        return
    if not last or not points:
        return
    p = next((q for q in points if "x" in q and "y" in q), None)
    if p is None:
        return
    j = int(np.argmin(np.abs(np.asarray(last["x_coords"]) - float(p["x"]))))
    i = int(np.argmin(np.abs(np.asarray(last["y_coords"]) - float(p["y"]))))
    opt, copy = last["optimizer"], last["copy"]
    declared = settings_of(opt)
    shown, rounded = [], []
    for name, symbol, values in (
        (last["x_name"], last["x_symbol"], last["x_values"]),
        (last["y_name"], last["y_symbol"], last["y_values"]),
    ):
        cell = float(values[j if name == last["x_name"] else i])
        if name == "x0":
            v = cell
            ss["x0"] = v
            shown.append(f"start x = {v:.4g}")
        elif name == "lr" and ss.get("same_lr"):
            v = widgets.coerce(SHARED_LR, cell)
            ss["shared_lr"] = v
            shown.append(f"shared η = {sweeps.format_number(v)}")
        else:
            v = widgets.coerce(declared[name], cell)
            ss[hp_key(opt, copy, name)] = v
            shown.append(f"{symbol} = {sweeps.format_number(v)}")
        if not math.isclose(v, cell, rel_tol=1e-3, abs_tol=1e-12):
            rounded.append(f"{symbol} = {sweeps.format_number(cell)}")
    # the run's name, not its label: the label names the settings this click has just replaced
    ss[_LOADED] = f"Loaded {', '.join(shown)} into **{last['name']}**: watch it run in the Playground." + (
        f" The cell's {' and '.join(rounded)} {'is' if len(rounded) == 1 else 'are'} rounded to the nearest value "
        "the sidebar's slider holds, so the run there may end differently from the cell."
        if rounded
        else ""
    )


def _open_playground() -> None:
    st.session_state[TAB] = TABS["play"]


def heatmap_section(scene: Scene, s: SweepSettings, notes: list[str]) -> None:
    """The heatmap with its messages and caption."""
    assert s.run is not None
    for m in notes:
        st.info(m)
    labels = run_labels(scene.runs, scene.shared_lr)
    label = labels[s.run]
    land, _ = make_landscape(scene)
    if s.metric == "reach" and len(land.minima) == 0:
        st.info(f"{land.title} has no known minimum, so there is no “steps to reach”; showing the final loss.")
        s = SweepSettings(run=s.run, axes=s.axes, n=s.n, metric="loss")
    n = affordable(land, [scene.runs[s.run]], s.n, scene.steps, f"sweep of {label}")
    if n is None:
        return
    s = SweepSettings(run=s.run, axes=s.axes, n=n, metric=s.metric)
    try:
        r = run_sweep(scene, s)
    except ValueError as e:
        st.error(f"The sweep of **{label}** could not run: {e}")
        return
    fig = sweep_chart(scene, s, r, label)
    run = scene.runs[s.run]
    st.session_state[_LAST] = {
        "optimizer": run.optimizer,
        "copy": _copy_of(scene.runs, s.run),
        "name": run_name(scene.runs, s.run),
        "x_name": r.x.name,
        "y_name": r.y.name,
        "x_symbol": r.x.symbol,
        "y_symbol": r.y.symbol,
        "x_values": r.x.values.tolist(),
        "y_values": r.y.values.tolist(),
        "x_coords": np.round(r.x.coords, 6).tolist(),
        "y_coords": np.round(r.y.coords, 6).tolist(),
    }
    st.plotly_chart(
        fig,
        key=CHART,
        on_select=_on_cell_click,
        selection_mode="points",
        config=chart_config(scrollZoom=False),
    )
    # Under the map: above it, the message pushed the map down under the pointer, onto another cell.
    loaded = st.session_state.pop(_LOADED, None)
    if loaded:
        st.success(loaded)
        st.button("▶ Watch it in the Playground", key="sw_watch", on_click=_open_playground)
    diverged, stopped = r.ended
    ran = f"{s.n * s.n:,} runs of {label}, {counted(r.steps, 'step')} each"
    ended = [f"{diverged:,} diverged"] if diverged else []
    if stopped:
        ended.append(f"{stopped:,} stopped where the surface has no value or gradient")
    extra = f"; {', '.join(ended)} (black)" if ended else "; none diverged"
    st.caption(
        f"{ran}{extra}. ○ marks the run's current setting. Hover a cell for its outcome; click it to load that "
        "setting into the sidebar. Gradient noise and mini-batches draw different random numbers per cell, so "
        "with them a cell is a run like the one you would get, not the identical run."
    )


def affordable(land: Landscape, runs: Sequence[Run], n: int, steps: int, what: str) -> int | None:
    """The grid size to run for an ``n × n`` ``what`` of ``runs`` (:func:`sweeps.affordable_size`, with each
    run's mini-batch size), saying so when it is smaller than asked; None, with a message, when even the
    smallest grid is too much work."""
    sizes = [k for k in sweeps.SIZES if k <= n]
    names = [r.optimizer for r in runs]
    batches = [int(r.effective().get(BATCH_PARAM.name, 0) or 0) for r in runs]
    k = sweeps.affordable_size(land, names, n, steps, sizes, batches)
    if k is None:
        least = min(sizes, default=n)
        most = sweeps.affordable_steps(land, names, least, batches)
        st.warning(
            f"Even a {least} × {least} {what} on {land.title}, {steps:,} steps a run, is more work than one page "
            f"may ask of a shared server; with at most {most:,} steps it runs."
        )
    elif k < n:
        st.info(
            f"A {n} × {n} {what} on {land.title}, {steps:,} steps a run, is more work than one page may ask of "
            f"a shared server; showing {k} × {k}. Fewer steps allow a larger grid."
        )
    return k


# --- basin maps -------------------------------------------------------------------------------------
def basin_section(scene: Scene, n: int) -> None:
    """Basin maps of every run of the scene side by side, or why there are none."""
    land, _ = make_landscape(scene)
    st.subheader("Basins of attraction")
    told_apart = land.basin_minima
    if len(told_apart) < 2:
        k = len(told_apart)
        what = f"{'no' if k == 0 else 'only one'} known minim{'a' if k == 0 else 'um'}"
        if land.numeric_minima:  # a custom formula: found numerically, in the window
            what = f"{'no' if k == 0 else 'only one'} minimum in its window"
        st.info(
            f"{land.title} has {what}, so every start ends in the same place or nowhere: a basin map needs at "
            "least two minima. Try Himmelblau (four minima) or the six-hump camel (two)"
            + (", or a double well such as (x^2 - 1)^2 + y^2." if land.numeric_minima else ".")
        )
        return
    m = affordable(land, scene.runs, min(n, sweeps.MAX_BASIN_SIZE), scene.steps, "basin map")
    if m is None:
        return
    labels = run_labels(scene.runs, scene.shared_lr)
    panels = []
    ended = stopped = 0  # cells that ended early (label -2), and those of them that stopped
    with st.spinner(f"Running {m * m:,} starts for each of {len(scene.runs)} optimizers…"):
        for i in range(len(scene.runs)):
            b = cached_basins(_basin_part(scene, i), m)
            if b.error is not None:
                st.error(f"**{labels[i]}**: no basin map: {b.error}")
                continue
            panels.append((labels[i], b.labels))
            xs, ys = b.xs, b.ys
            ended += int((b.labels == -2).sum())
            stopped += b.stopped
    if not panels:
        return
    black = ended_label(ended - stopped, stopped)
    # Four a row in a 540 px column (1000 px with the sidebar open) were 100 px panels whose titles ran
    # together: as many a row as get about 200 px, from the width the browser reports (a phone: two a row,
    # which basin_figure lays out for it).
    phone = is_phone()
    width = None if phone else measure(BASIN_SCREEN).column(phone)  # a phone's layout is fixed: no report
    fig = basin_figure(
        panels,
        xs,
        ys,
        told_apart,
        land.bounds,
        columns=max(1, min(4, len(panels), 2 if width is None else int(width // BASIN_PANEL_PX))),
        narrow=phone,
        width=width,
        ended_label=black,
        # a custom formula's local minima are listed too: say which are the lowest (its ☆)
        lowest=len(land.minima) if land.numeric_minima and len(land.minima) < len(told_apart) else 0,
    )
    st.plotly_chart(fig, key=BASIN_CHART, config=chart_config(scrollZoom=False))
    st.caption(
        f"Each cell is a start point ({m} × {m} per optimizer, {scene.steps} steps, each run's own settings); its "
        f"colour is the listed minimum the run ends within {sweeps.BASIN_FRACTION:.0%} of the plot diagonal of. "
        "Grey: it ended elsewhere (another local minimum, or still moving); black: it diverged"
        + (" or stopped where the surface has no value or gradient" if stopped else "")
        + ". Momentum and Adam carry runs over ridges, so their basins differ from gradient descent's."
    )


def sweep_query(scene: Scene) -> dict[str, str]:
    """The tab's ``sw_`` query parameters while it is not drawn (from the kept control state)."""
    _init(scene)
    ss = st.session_state
    d = SweepSettings()
    run = ss.get("sw_run")
    s = SweepSettings(
        run=run if isinstance(run, int) and 0 <= run < len(scene.runs) else None,
        axes=ss.get("sw_axes", d.axes) if ss.get("sw_axes") in sweeps.AXES else d.axes,
        n=ss.get("sw_n", d.n) if ss.get("sw_n") in sweeps.SIZES else d.n,
        metric=ss.get("sw_metric", d.metric) if ss.get("sw_metric") in sweeps.METRICS else d.metric,
    )
    return sweeps.encode_settings(s, sweeps.default_run(scene))


def sweep_view(scene: Scene) -> dict[str, str]:
    """Draw the Sweeps tab for ``scene``.

    Returns:
        The tab's ``sw_`` query parameters, for :func:`ui.state.sync_url`.
    """
    _init(scene)
    msgs = st.session_state.get(_MESSAGES) or []
    if msgs:
        st.warning(
            "Some sweep settings in the link were not usable and were replaced:\n\n" + "\n".join(f"- {m}" for m in msgs)
        )
        if st.button("Dismiss", key="sw_dismiss"):
            st.session_state[_MESSAGES] = []
            st.rerun()
    if not scene.runs:
        st.info("Choose at least one optimizer in the sidebar to sweep its settings.")
        return {}
    st.markdown(
        _SETTINGS_CSS + "Every cell of the map is a whole run of one optimizer with one setting, all computed at "
        "once. Pick a run, two settings and what the colour shows.",
        unsafe_allow_html=True,
    )
    with st.container(key=SETTINGS_KEY):
        s, notes = settings_ui(scene)
    heatmap_section(scene, s, notes)
    basin_section(scene, s.n)
    return sweeps.encode_settings(s, sweeps.default_run(scene))
