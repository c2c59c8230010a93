"""Figures of the step-by-step view: effective step size over time, and the arrows at one step."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from viz.curves import legend_height, log_ticks, tick_label
from viz.style import FONT

COORD_COLOURS = ("#D55E00", "#0072B2")
ARROW_COLOURS = {
    "gradient": "#CC79A7",
    "moment": "#009E73",
    "correction": "#56B4E9",  # Nesterov's gradient part, from the look-ahead point
    "step": "#D55E00",
    "lookahead": "#0072B2",
}
#: Line width (px) of each kind of arrow. The arrows often point the same way from the same point (GD's step
#: along −g, Adam's −m along −g), so they are drawn widest first, each narrower one on top of the wider
#: ones: a hidden arrow shows as the band around the one above it, and every vector stays where it is.
ARROW_WIDTHS = {"gradient": 10.0, "moment": 4.5, "correction": 4.5, "step": 2.5}
_MARGIN_X, _MARGIN_Y = 86, 76  # the arrows figure's margins as drawn: left + right, top + bottom (grown for the titles)


def full_log_ticks(lo: float, hi: float, most: int = 8) -> tuple[list[float], list[str]] | None:
    """Ticks of a log axis over ``[lo, hi]`` whose every label is the whole value (0.02, not Plotly's bare "2"
    between two powers of ten, which a student reads as 2).

    :func:`viz.curves.log_ticks` (1, 2 and 5 times the powers of ten) where it gives at most ``most``; under
    a decade, the first of 1-2-5, 1-2-3-5, every digit, every half digit that gives three ticks or more;
    over many decades, every k-th power of ten.

    Returns:
        ``(values, labels)``, or None when the range is empty or not finite and positive.
    """
    if not (math.isfinite(lo) and math.isfinite(hi) and 0 < lo <= hi):
        return None
    ticks = log_ticks(lo, hi, most)
    if ticks:
        return ticks
    first, last = math.floor(math.log10(lo)), min(307, math.ceil(math.log10(hi)))
    if math.log10(hi / lo) < 1:
        for mantissas in ((1, 2, 5), (1, 2, 3, 5), range(1, 10), [k / 2 for k in range(2, 20)]):
            values = [m * 10.0**e for e in range(first, last + 1) for m in mantissas if lo <= m * 10.0**e <= hi]
            if len(values) >= 3:
                return values, [tick_label(float(f"{v:.3g}")) for v in values]
        return None  # a range this narrow: Plotly writes whole values itself
    stride = max(1, math.ceil((last - first + 1) / most))
    values = [10.0**e for e in range(first, last + 1) if e % stride == 0 and lo <= 10.0**e <= hi]
    return values, [tick_label(v) for v in values]


def effective_lr_figure(eff: np.ndarray, current: int | None = None, title: str = "") -> go.Figure:
    """Per-coordinate effective step size over the steps, log y.

    Args:
        eff: shape ``(steps, 2)``; row ``t-1`` is step ``t``. Non-finite or non-positive values are gaps.
        current: the step (1-based) to mark with a vertical line, or ``None``.
        title: the y-axis title (what ``eff`` is).

    Returns:
        A line figure with one trace per coordinate.
    """
    steps = np.arange(1, len(eff) + 1)
    fig = go.Figure()
    for i, name in enumerate(("x", "y")):
        col = np.asarray(eff[:, i], dtype=float)
        col = np.where(np.isfinite(col) & (col > 0), col, np.nan)
        fig.add_trace(
            go.Scatter(
                x=steps,
                y=col,
                mode="lines+markers" if len(steps) <= 60 else "lines",
                name=f"{name} coordinate",
                line=dict(color=COORD_COLOURS[i], width=2.5, dash="solid" if i == 0 else "dash"),
                marker=dict(size=5),
            )
        )
    if current is not None:
        fig.add_vline(x=current, line=dict(color="#888", width=1, dash="dot"))
    shown = eff[np.isfinite(eff) & (eff > 0)]
    ticks = full_log_ticks(float(shown.min()), float(shown.max())) if shown.size else None
    fig.update_layout(
        font=FONT,
        height=320,
        margin=dict(l=60, r=20, t=30, b=45, pad=0),
        xaxis=dict(title="step t"),
        yaxis=dict(
            title=title or "effective step size",
            type="log",
            exponentformat="power",
            **({"tickvals": ticks[0], "ticktext": ticks[1]} if ticks else {}),
        ),
        legend=dict(orientation="h", y=1.12, x=0),
        plot_bgcolor="#fafafa",
    )
    return fig


@dataclass(frozen=True)
class Arrow:
    """A vector drawn from ``start``: ``vector`` in data units (already scaled), with its legend text."""

    kind: str
    start: tuple[float, float]
    vector: tuple[float, float]
    text: str


def scale_to(v: np.ndarray, length: float) -> np.ndarray:
    """``v`` rescaled to Euclidean ``length`` (zero or non-finite vectors become zero)."""
    v = np.asarray(v, dtype=float)
    n = float(np.hypot(*v)) if np.all(np.isfinite(v)) else 0.0
    return v * (length / n) if n > 0 else np.zeros(2)


def arrows_figure(
    point: np.ndarray,
    arrows: list[Arrow],
    window: tuple[tuple[float, float], tuple[float, float]],
    contour: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    path: np.ndarray | None = None,
    marks: list[tuple[tuple[float, float], str, str]] | None = None,
    width: float | None = None,
) -> go.Figure:
    """A static, zoomed figure around ``point`` with arrows (Plotly annotations in data coordinates).

    Args:
        point: the current position θ_{t-1}.
        arrows: what to draw; zero vectors are skipped.
        window: ``((xmin, xmax), (ymin, ymax))`` of the zoom, with equal scales on both axes.
        contour: optional ``(xs, ys, Z)`` of the surface in the window, drawn as level lines.
        path: optional nearby path points, drawn faintly.
        marks: optional extra points ``((x, y), label, colour)`` (e.g. Nesterov's look-ahead point).
        width: the figure's width in pixels where known: the height then follows it (the plotting area
            takes the window's shape, so a fixed height left a narrow column's figure small over a gap).

    Returns:
        The figure; a legend entry per arrow kind (a line trace of the arrow's colour and width), arrows
        drawn widest first.
    """
    fig = go.Figure()
    if contour is not None:
        xs, ys, Z = contour
        fig.add_trace(
            go.Contour(
                x=xs,
                y=ys,
                z=Z,
                contours=dict(coloring="lines", showlabels=False),
                line=dict(width=1),
                colorscale=[[0, "#9aa5b1"], [1, "#cbd2d9"]],
                showscale=False,
                hoverinfo="skip",
                ncontours=18,
                name="level lines",
            )
        )
    if path is not None and len(path):
        fig.add_trace(
            go.Scatter(
                x=path[:, 0],
                y=path[:, 1],
                mode="lines+markers",
                line=dict(color="#52606d", width=1.5),
                marker=dict(size=4),
                name="path",
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(x=[point[0]], y=[point[1]], mode="markers", marker=dict(size=11, color="#1f2933"), name="θₜ₋₁")
    )
    seen: set[str] = set()
    # widest first: a narrower arrow along the same line is drawn on top of it (see ARROW_WIDTHS)
    for a in sorted(arrows, key=lambda a: -ARROW_WIDTHS.get(a.kind, 3.0)):
        if not np.any(a.vector) or not np.all(np.isfinite(a.vector)):
            continue
        colour = ARROW_COLOURS.get(a.kind, "#1f2933")
        line_width = ARROW_WIDTHS.get(a.kind, 3.0)
        x0, y0 = a.start
        x1, y1 = x0 + a.vector[0], y0 + a.vector[1]
        fig.add_annotation(
            x=x1,
            y=y1,
            ax=x0,
            ay=y0,
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=3,
            arrowsize=min(1.3, 10.0 / line_width),  # a wider arrow's head is larger: it shows around a narrower one
            arrowwidth=line_width,
            arrowcolor=colour,
            text="",
        )
        if a.text not in seen:
            seen.add(a.text)
            line = dict(color=colour, width=min(line_width, 7))
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=line, name=a.text))
    for (mx, my), label, colour in marks or []:
        fig.add_trace(
            go.Scatter(
                x=[mx],
                y=[my],
                mode="markers",
                marker=dict(size=12, color="white", line=dict(color=colour, width=2.5), symbol="diamond"),
                name=label,
            )
        )
    (xa, xb), (ya, yb) = window
    names = [str(t.name) for t in fig.data if t.type != "contour"]
    if width is None:
        height = 500 + 16 * max(0, len(names) - 4)  # legend entries: a row each on a phone
    else:
        plot = min(width - _MARGIN_X, 520) * (yb - ya) / (xb - xa)
        height = round(legend_height(names, width) + _MARGIN_Y + plot)
    fig.update_layout(
        font=FONT,
        height=height,
        margin=dict(l=50, r=10, t=10, b=40, pad=0),  # _MARGIN_X, _MARGIN_Y
        # Equal scales by shrinking the plotting area to the window's shape ("domain"), under the legend:
        # stretching an axis's range instead ran it past the level lines, which cover only the window.
        xaxis=dict(range=[xa, xb], title="x", showgrid=False, zeroline=False, constrain="domain"),
        yaxis=dict(
            range=[ya, yb],
            title="y",
            scaleanchor="x",
            scaleratio=1,
            showgrid=False,
            zeroline=False,
            constrain="domain",
            constraintoward="top",
        ),
        # Above the plot, in rows: beside it, the legend took a third of a half-page column and more of a
        # narrow window's.
        legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"),
        plot_bgcolor="white",
    )
    return fig
