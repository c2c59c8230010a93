"""Loss against step for every run, and the 3-D view with the paths lifted onto the surface."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from viz.paths import PathLike, _listify
from viz.spec_figure import SpecFigure
from viz.style import FONT, MINIMUM_COLOUR, style


def loss_quantity(runs: Sequence[PathLike], min_value: float | None) -> tuple[list[np.ndarray], str, bool]:
    """What the loss chart plots, its axis title, and whether a log axis suits it.

    Where the global minimum value is known the chart shows the gap ``loss − min`` (which a log axis
    can show all the way down); otherwise the raw loss, on a log axis only if it stays positive and
    spans more than two decades.
    """
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


def significant(a: np.ndarray, digits: int) -> np.ndarray:
    """``a`` rounded to ``digits`` significant digits (NaN and inf pass through): short JSON."""
    with np.errstate(all="ignore"):
        mag = np.where(np.isfinite(a) & (a != 0), np.floor(np.log10(np.abs(a))), 0.0)
        scale = 10.0 ** (digits - 1 - mag)
        return np.round(a * scale) / scale


def loss_figure(
    runs: Sequence[PathLike], min_value: float | None, height: int = 340, line_width: float = 2.5
) -> go.Figure:
    """Loss (or the gap to the minimum) against step, one line per run, in the runs' styles.

    Args:
        runs: the runs (runs with an ``error`` are left out).
        min_value: the landscape's global minimum value, or ``None`` where it is unknown.
        height: figure height in pixels.
        line_width: line width (thicker in presentation mode).
    """
    ok = [(i, r) for i, r in enumerate(runs) if r.error is None]
    ys, title, log = loss_quantity([r for _, r in ok], min_value)
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
    layout = dict(
        height=height,
        font=FONT,
        margin=dict(l=60, r=20, t=30, b=40, pad=0),
        plot_bgcolor="white",
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        hovermode="x unified",
        xaxis=dict(title=dict(text="step"), showgrid=True, gridcolor="#e5e8ec"),
        yaxis=dict(
            title=dict(text=title),
            type="log" if log else "linear",
            showgrid=True,
            gridcolor="#e5e8ec",
            exponentformat="power",
        ),
    )
    fig = SpecFigure({"data": data, "layout": layout})
    return fig


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
) -> go.Figure:
    """The surface in 3-D with each path drawn on it.

    Args:
        xs, ys, Zt: the grid and its display-transformed values (``Zt[i, j]`` at ``(xs[j], ys[i])``).
        z_label: what ``Zt`` shows.
        runs: the runs, for labels and styles.
        lifted: per run, the display-transformed loss along its path (same transform as ``Zt``).
        minima, minima_z: known minima and their display values.
        height: figure height in pixels.
    """
    zlo, zhi = float(np.nanmin(Zt)), float(np.nanmax(Zt))
    data: list[go.BaseTraceType] = [
        go.Surface(
            x=np.round(xs, 4),
            y=np.round(ys, 4),
            z=np.round(Zt, 4),
            colorscale="Cividis",
            opacity=0.8,
            showscale=False,
            contours=dict(z=dict(show=True, usecolormap=True, project=dict(z=True))),
            hovertemplate="(%{x:.3g}, %{y:.3g})<br>" + z_label + " %{z:.3g}<extra></extra>",
            name="surface",
        )
    ]
    for i, (r, z) in enumerate(zip(runs, lifted, strict=True)):
        if r.error is not None:
            continue
        st = style(i)
        zz = np.clip(z, zlo, zhi)
        data.append(
            go.Scatter3d(
                x=_listify(np.round(r.path[:, 0], 4)),
                y=_listify(np.round(r.path[:, 1], 4)),
                z=_listify(np.round(zz, 4)),
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
                name="global minimum",
                marker=dict(size=6, color=MINIMUM_COLOUR, symbol="diamond", line=dict(color="#1f2933", width=1)),
            )
        )
    fig = go.Figure(data)
    fig.update_layout(
        height=height,
        font=FONT,
        margin=dict(l=0, r=0, t=10, b=0),
        legend=dict(orientation="h", y=1.0, x=0),
        scene=dict(
            xaxis_title="x",
            yaxis_title="y",
            zaxis_title=z_label,
            camera=dict(eye=dict(x=1.35, y=-1.35, z=0.9)),
            aspectmode="manual",
            aspectratio=dict(x=1.3, y=1.3, z=0.7),
        ),
    )
    return fig
