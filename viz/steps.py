"""Figures of the step-by-step view: effective step size over time, and the arrows at one step."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from viz.curves import log_ticks
from viz.style import FONT

COORD_COLOURS = ("#D55E00", "#0072B2")
ARROW_COLOURS = {"gradient": "#CC79A7", "moment": "#009E73", "step": "#D55E00", "lookahead": "#0072B2"}


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
    ticks = log_ticks(float(shown.min()), float(shown.max())) if shown.size else None
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
) -> go.Figure:
    """A static, zoomed figure around ``point`` with arrows (Plotly annotations in data coordinates).

    Args:
        point: the current position θ_{t-1}.
        arrows: what to draw; zero vectors are skipped.
        window: ``((xmin, xmax), (ymin, ymax))`` of the zoom, with equal scales on both axes.
        contour: optional ``(xs, ys, Z)`` of the surface in the window, drawn as level lines.
        path: optional nearby path points, drawn faintly.
        marks: optional extra points ``((x, y), label, colour)`` (e.g. Nesterov's look-ahead point).

    Returns:
        The figure; a legend entry per arrow kind (a line trace of the arrow's colour).
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
    for a in arrows:
        if not np.any(a.vector) or not np.all(np.isfinite(a.vector)):
            continue
        colour = ARROW_COLOURS.get(a.kind, "#1f2933")
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
            arrowsize=1.3,
            arrowwidth=3,
            arrowcolor=colour,
            text="",
        )
        if a.text not in seen:
            seen.add(a.text)
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=dict(color=colour, width=3), name=a.text))
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
    entries = len(fig.data) - (contour is not None)  # legend entries: a row each on a phone
    fig.update_layout(
        font=FONT,
        height=500 + 16 * max(0, entries - 4),
        margin=dict(l=50, r=10, t=10, b=40, pad=0),
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
