"""Animated trajectories: one panel per run side by side (or all in one), one Play and one scrubber.

Every panel shares one Plotly figure, so a single Play/Pause and a single step slider move all of
them in sync. Each run has three traces: a faint *ghost* of its whole path at full resolution (every
step, so a zig-zag is never aliased), a bright *trail* that grows frame by frame through the frame
steps, and a *head* marker at the current step. The surface is a layout image (see
:mod:`viz.surface`), so it stays drawn while frames play with ``redraw: False``.

Payload: a trail that grows over F frames costs F²/2 points per run, so frames default to 50 and
coordinates are rounded to 1/2000 of the window (finer than a pixel of a panel).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import plotly.graph_objects as go

from viz.spec_figure import SpecFigure
from viz.style import FONT, MINIMUM_COLOUR, style
from viz.surface import SurfaceImage, layout_image

DEFAULT_FRAMES = 50
MAX_FRAMES = 150
FRAME_MS = 80


class PathLike(Protocol):
    """What a figure needs of a run (``simulate.RunResult`` is one)."""

    label: str
    path: np.ndarray
    loss: np.ndarray
    diverged_at: int | None
    error: str | None
    ended: str  # "diverged at step k", "stopped at step k" (no surface there), or "" if it ran on


def frame_indices(steps: int, frames: int = DEFAULT_FRAMES) -> np.ndarray:
    """The steps shown by the animation frames: ``0 … steps``, at most ``frames + 1`` of them.

    The first two fifths of the frames are the first steps one by one (where most optimizers do
    their most visible moves: the first zig-zags, the first overshoot), the rest are spread evenly.
    """
    n = max(1, min(int(frames), MAX_FRAMES))
    if steps <= n:
        return np.arange(steps + 1)
    head = (2 * n) // 5
    tail = np.round(np.linspace(head, steps, n - head + 1)).astype(int)
    return np.unique(np.concatenate([np.arange(head), tail]))


def coordinate_decimals(bounds: tuple[tuple[float, float], tuple[float, float]]) -> int:
    """Enough decimals for 1/2000 of the window: finer than a pixel of a panel, short in JSON."""
    span = max(bounds[0][1] - bounds[0][0], bounds[1][1] - bounds[1][0], 1e-12)
    return max(0, math.ceil(-math.log10(span / 2000)))


def _coords(points: np.ndarray, decimals: int) -> tuple[list[Any], list[Any]]:
    """x and y lists for JSON: rounded, with NaN as ``None`` (a gap in the line)."""
    if points.size == 0:
        return [], []
    r = np.round(points, decimals)
    return _listify(r[:, 0]), _listify(r[:, 1])


def _listify(a: np.ndarray) -> list[Any]:
    out = a.astype(object)
    out[~np.isfinite(a)] = None
    return out.tolist()


def _last_finite(run: PathLike, k: int) -> int:
    """The last row at or before ``k`` that is a real position."""
    if run.diverged_at is not None and k >= run.diverged_at:
        return max(run.diverged_at - 1, 0)
    return k


def _trail(run: PathLike, k: int, idx: np.ndarray) -> np.ndarray:
    """Trail up to step ``k``: the frame steps before it, then step ``k`` itself (the exact head)."""
    k = _last_finite(run, k)
    rows = np.append(idx[idx < k], k)
    return run.path[rows]


def trajectory_figure(
    runs: Sequence[PathLike],
    surface: SurfaceImage,
    start: np.ndarray,
    minima: np.ndarray,
    *,
    overlay: bool = False,
    columns: int = 2,
    frames: int = DEFAULT_FRAMES,
    hidden: bool = False,
    line_width: float = 2.5,
    click_grid: int = 0,
    narrow: bool = False,
    scale: float = 1.0,
    panel_px: int | None = None,
) -> go.Figure:
    """The animated figure of a scene's runs.

    Args:
        runs: the runs (those with an ``error`` get an empty panel with the error as its note).
        surface: the rendered background.
        start: the common start point, shape ``(2,)``.
        minima: known global minima, shape ``(k, 2)``; drawn as white stars.
        overlay: all paths in one panel instead of one panel per run.
        columns: panels per row (panels wrap onto more rows).
        frames: how many animation frames (at most :data:`MAX_FRAMES`).
        hidden: draw the surface but no paths (predict-then-reveal).
        line_width: width of the trail lines (presentation mode uses thicker ones).
        click_grid: when > 0, an invisible ``click_grid × click_grid`` grid of points on the first
            panel that reports hover values and can be clicked to choose a start point.
        narrow: lay out for a phone: one panel per row, shorter panels, the step slider under the buttons.
        scale: multiplies every font size (presentation mode on a projector uses 1.5).
        panel_px: height of one row of panels in pixels (default 430, 340 when ``narrow``).

    Returns:
        A Plotly figure with frames, a Play / Pause / Replay button group and a step slider.
    """
    n_panels = 1 if overlay else max(1, len(runs))
    cols = 1 if overlay or narrow else max(1, min(columns, n_panels))
    rows = math.ceil(n_panels / cols)
    dec = coordinate_decimals(surface.bounds)
    steps = max((len(r.path) - 1 for r in runs if r.error is None), default=0)
    idx = frame_indices(steps, frames) if steps > 0 else np.array([0])
    (x0, x1), (y0, y1) = surface.bounds

    gap_x, gap_y = 0.09 / cols, 0.14 / rows
    width_x = (1 - gap_x * (cols - 1)) / cols
    height_y = (1 - gap_y * (rows - 1)) / rows
    layout: dict[str, Any] = {}
    annotations: list[dict[str, Any]] = []
    images = []
    data: list[dict[str, Any]] = []
    animated: list[int] = []

    for p in range(n_panels):
        r, c = divmod(p, cols)
        ax = "" if p == 0 else str(p + 1)
        xd = [c * (width_x + gap_x), c * (width_x + gap_x) + width_x]
        yd = [1 - r * (height_y + gap_y) - height_y, 1 - r * (height_y + gap_y)]
        for axis, domain, span, other in (("x", xd, [x0, x1], "y"), ("y", yd, [y0, y1], "x")):
            layout[f"{axis}axis{ax}"] = dict(
                domain=domain,
                range=span,
                anchor=f"{other}{ax}",
                showgrid=False,
                zeroline=False,
                ticks="outside",
                tickfont=dict(size=round(12 * min(scale, 1.25))),  # ticks sit between panels: grow them less
                showline=True,
                linecolor="#9aa5b1",
                constrain="domain",  # equal scales (below) shrink the plot, never stretch the window
            )
        # Equal scales on both axes, as the app's panels draw them (a window up to 3:1 either way; a longer
        # one is stretched to 3:1), the plot at the top of its cell, under its title.
        layout[f"yaxis{ax}"].update(scaleanchor=f"x{ax}", scaleratio=scale_ratio(surface.bounds), constraintoward="top")
        images.append(layout_image(surface, f"x{ax}", f"y{ax}"))
        if not overlay and p < len(runs):
            run = runs[p]
            st = style(p)
            title = f"<b style='color:{st['color']}'>{run.label}</b>"
            annotations.append(
                dict(
                    text=title,
                    x=(xd[0] + xd[1]) / 2,
                    y=yd[1],
                    xref="paper",
                    yref="paper",
                    xanchor="center",
                    yanchor="bottom",
                    showarrow=False,
                    font=dict(size=round(16 * scale)),
                )
            )
            note = run_note(run)
            if note:
                annotations.append(
                    dict(
                        text=note,
                        x=xd[0] + 0.01,
                        y=yd[0] + 0.02,
                        xref="paper",
                        yref="paper",
                        xanchor="left",
                        yanchor="bottom",
                        showarrow=False,
                        align="left",
                        font=dict(size=round(13 * scale), color="#b00020"),
                        bgcolor="rgba(255,255,255,0.85)",
                    )
                )

    def axes(p: int) -> dict[str, str]:
        ax = "" if p == 0 or overlay else str(p + 1)
        return {"xaxis": f"x{ax}", "yaxis": f"y{ax}"}

    if click_grid > 0:
        gx, gy = np.meshgrid(np.linspace(x0, x1, click_grid), np.linspace(y0, y1, click_grid))
        data.append(
            dict(
                type="scatter",
                x=np.round(gx.ravel(), dec).tolist(),
                y=np.round(gy.ravel(), dec).tolist(),
                mode="markers",
                marker=dict(size=14, opacity=0),
                name="click to start here",
                hovertemplate="start here: (%{x}, %{y})<extra></extra>",
                showlegend=False,
                meta="click-grid",
                **axes(0),
            )
        )

    # Start and minima first, under the runs: a run that ends at a minimum shows its marker on the ☆ (the star,
    # drawn after it, hid the marker).
    for p in range(n_panels):
        data.append(
            dict(
                type="scatter",
                x=[round(float(start[0]), dec)],
                y=[round(float(start[1]), dec)],
                mode="markers",
                name="start",
                marker=dict(color="#1f2933", size=10, symbol="circle-open", line=dict(width=2.5)),
                hovertemplate="start (%{x}, %{y})<extra></extra>",
                showlegend=False,
                **axes(p),
            )
        )
        if len(minima):
            mx, my = _coords(np.asarray(minima, dtype=float), dec)
            data.append(
                dict(
                    type="scatter",
                    x=mx,
                    y=my,
                    mode="markers",
                    name="global minimum",
                    marker=dict(color=MINIMUM_COLOUR, size=15, symbol="star", line=dict(color="#1f2933", width=1.2)),
                    hovertemplate="minimum (%{x}, %{y})<extra></extra>",
                    showlegend=False,
                    **axes(p),
                )
            )

    for i, run in enumerate(runs):
        st = style(i)
        panel = 0 if overlay else i
        common = dict(legendgroup=f"run{i}", **axes(panel))
        if run.error is not None or hidden:
            continue
        gx, gy = _coords(run.path, dec)
        data.append(
            dict(
                type="scatter",
                x=gx,
                y=gy,
                mode="lines",
                name=f"{run.label} (whole path)",
                line=dict(color=st["color"], width=1, dash=st["dash"]),
                opacity=0.35,
                customdata=np.arange(len(run.path)).tolist(),
                hovertemplate=f"{run.label}<br>step %{{customdata}}<br>(%{{x}}, %{{y}})<extra></extra>",
                showlegend=False,
                **common,
            )
        )
        # At rest the figure shows the last frame: the whole trail and the head at the final step.
        k_last = int(idx[-1])
        tx, ty = _coords(_trail(run, k_last, idx), dec)
        animated.append(len(data))
        data.append(
            dict(
                type="scatter",
                x=tx,
                y=ty,
                mode="lines",
                name=run.label,
                line=dict(color=st["color"], width=line_width, dash=st["dash"]),
                hoverinfo="skip",
                showlegend=overlay,
                **common,
            )
        )
        j = _last_finite(run, k_last)
        hx, hy = _coords(run.path[j : j + 1], dec)
        animated.append(len(data))
        data.append(
            dict(
                type="scatter",
                x=hx,
                y=hy,
                mode="markers",
                name=f"{run.label} (now)",
                marker=dict(color=st["color"], size=13, symbol=st["symbol"], line=dict(color="white", width=1.5)),
                hoverinfo="skip",
                showlegend=False,
                **common,
            )
        )

    fig_frames = []
    if not hidden and animated:
        for k in idx:
            fdata = []
            for run in runs:
                if run.error is not None:
                    continue
                tx, ty = _coords(_trail(run, int(k), idx), dec)
                j = _last_finite(run, int(k))
                hx, hy = _coords(run.path[j : j + 1], dec)
                fdata += [dict(x=tx, y=ty), dict(x=hx, y=hy)]
            fig_frames.append(dict(name=str(int(k)), data=fdata, traces=animated))

    panel_px = panel_px or (340 if narrow else 430)
    height = panel_px * rows + 120 if not overlay else panel_px + 220
    layout.update(
        images=images,
        annotations=annotations,
        height=height,
        font={**FONT, "size": round(FONT["size"] * scale)},
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin=dict(l=50, r=20, t=40, b=10, pad=0),
        hovermode="closest",
        dragmode=False,
        showlegend=overlay,
        legend=dict(orientation="h", y=1.0, yanchor="bottom", x=0, font=dict(size=round(14 * scale))),
        uirevision="paths",
    )
    if fig_frames:
        _add_controls(layout, idx, narrow, scale)
    return SpecFigure({"data": data, "layout": layout, "frames": fig_frames})


MAX_ASPECT = 3.0  # a window longer than 3:1 either way is drawn at 3:1 (the panels get it in their data)


def shown_aspect(bounds: tuple[tuple[float, float], tuple[float, float]]) -> float:
    """The width / height at which a plot shows the window ``bounds``: its own shape (equal scales), within
    1:3 … 3:1."""
    (x0, x1), (y0, y1) = bounds
    return min(MAX_ASPECT, max(1 / MAX_ASPECT, (x1 - x0) / (y1 - y0)))


def scale_ratio(bounds: tuple[tuple[float, float], tuple[float, float]]) -> float:
    """Plotly's ``scaleratio`` (on screen, a y unit's length in x units' lengths) that draws the window
    ``bounds`` at :func:`shown_aspect`: 1 unless the window is longer than 3:1 either way."""
    (x0, x1), (y0, y1) = bounds
    return float((x1 - x0) / (y1 - y0) / shown_aspect(bounds))


def run_note(run: PathLike) -> str:
    """The line a panel shows under its title: why the run did not run, or where it diverged ("" if neither)."""
    if run.error is not None:
        return f"not run: {run.error}"[:120]
    return run.ended


def _add_controls(layout: dict[str, Any], idx: np.ndarray, narrow: bool = False, scale: float = 1.0) -> None:
    """Play / Pause / Replay buttons and a step slider (starting at the last frame) under the panels;
    on a narrow screen the slider goes under the buttons."""
    top = 70 if layout.get("showlegend") else 40
    bottom = 170 if narrow else 120
    layout["height"] = float(layout["height"]) + (bottom - 120) + (top - 40)
    plot_px = float(layout["height"]) - top - bottom
    y = -34.0 / plot_px  # paper units: just below the lowest panels' tick labels
    buttons_end = min(0.5, 0.3 * scale)  # the buttons grow with the font
    slider_x, slider_y, slider_len = (0.0, -84.0 / plot_px, 1.0) if narrow else (buttons_end, y, 1 - buttons_end)
    play = dict(
        frame=dict(duration=FRAME_MS, redraw=False), transition=dict(duration=0), fromcurrent=True, mode="immediate"
    )
    names = [str(int(k)) for k in idx]
    layout["updatemenus"] = [
        dict(
            type="buttons",
            direction="left",
            showactive=False,
            x=0,
            y=y,
            xanchor="left",
            yanchor="top",
            pad=dict(t=4, r=8),
            font=dict(size=round(14 * scale)),
            buttons=[
                dict(label="▶ Play", method="animate", args=[None, play]),
                dict(
                    label="❚❚ Pause",
                    method="animate",
                    args=[
                        [None],
                        dict(frame=dict(duration=0, redraw=False), mode="immediate", transition=dict(duration=0)),
                    ],
                ),
                dict(label="⟲ Replay", method="animate", args=[names, {**play, "fromcurrent": False}]),
            ],
        )
    ]
    layout["sliders"] = [
        dict(
            active=len(idx) - 1,
            x=slider_x,
            y=slider_y,
            len=slider_len,
            xanchor="left",
            yanchor="top",
            pad=dict(t=4),
            currentvalue=dict(prefix="step ", font=dict(size=round(14 * scale))),
            font=dict(size=round(11 * scale)),
            steps=[
                dict(
                    label=n,
                    method="animate",
                    args=[
                        [n],
                        dict(mode="immediate", frame=dict(duration=0, redraw=False), transition=dict(duration=0)),
                    ],
                )
                for n in names
            ],
        )
    ]
    layout["margin"] = dict(l=50, r=20, t=top, b=bottom, pad=0)
