"""Sweep heatmaps and basin maps (pure Plotly: arrays in, figures out).

Colours: the outcome scale is Viridis without its darkest fifth, so black is free for **diverged** cells
(black with the hover text "diverged at step k" and a legend entry) and light grey marks "never reached"
(steps-to-reach) — both read apart from the scale by lightness alone, which survives colour-vision
deficiencies and a projector. Basin maps colour each start by its minimum in the Okabe–Ito palette, with
the same black for diverged and grey for "ended near no minimum".

Clicks: Plotly reports no selection on heatmap cells, so every sweep figure carries an invisible scatter
of the cell centres (``meta="sweep-cells"``, one trace per cell status so each has its own hover
template) that owns the hover text and the click. It is drawn with WebGL (``scattergl``): as SVG, the
40,000 markers of a 200 × 200 grid took the browser about 5 s to draw on every redraw (1.2–1.5 s now).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from scene import format_point
from viz.paths import scale_ratio, shown_aspect
from viz.style import FONT, MINIMUM_COLOUR, PALETTE

DIVERGED_COLOUR = "#000000"
NEVER_COLOUR = "#c8c8c8"
MARKER_COLOUR = "#ffffff"
# Viridis from its 20 % point on: no near-black end, so black means only "diverged".
SCALE = [
    [0.0, "#414487"],
    [0.125, "#355f8d"],
    [0.25, "#2a788e"],
    [0.375, "#21918c"],
    [0.5, "#22a884"],
    [0.625, "#44bf70"],
    [0.75, "#7ad151"],
    [0.875, "#bddf26"],
    [1.0, "#fde725"],
]
CELLS_META = "sweep-cells"
_MINIMA_COLOURS = tuple(c for c in PALETTE if c != "#000000")


def sig(a: np.ndarray, digits: int = 4) -> np.ndarray:
    """``a`` rounded to ``digits`` significant digits (NaN and inf pass through)."""
    a = np.asarray(a, dtype=float)
    with np.errstate(all="ignore"):
        mag = np.where(np.isfinite(a) & (a != 0), np.floor(np.log10(np.abs(a))), 0.0)
        scale = 10.0 ** (digits - 1 - mag)
        return np.where(np.isfinite(a), np.round(a * scale) / scale, a)


def _listify(a: np.ndarray) -> list[Any]:
    """A nested list for JSON with NaN as ``None`` (a transparent cell)."""
    out = np.asarray(a, dtype=float).astype(object)
    out[~np.isfinite(np.asarray(a, dtype=float))] = None
    return out.tolist()


def _legend_square(name: str, colour: str, group: str) -> dict[str, Any]:
    """A legend-only entry (heatmaps have no legend items of their own)."""
    return dict(
        type="scatter",
        x=[None],
        y=[None],
        mode="markers",
        marker=dict(symbol="square", size=14, color=colour, line=dict(color="#555555", width=1)),
        name=name,
        legendgroup=group,
        showlegend=True,
        hoverinfo="skip",
    )


def sweep_figure(
    x_coords: np.ndarray,
    y_coords: np.ndarray,
    values: np.ndarray,
    status: np.ndarray,
    cell_data: np.ndarray,
    templates: Sequence[tuple[str, Sequence[int]]],
    hover_codes: np.ndarray,
    *,
    x_title: str,
    y_title: str,
    x_ticks: tuple[list[float], list[str]],
    y_ticks: tuple[list[float], list[str]],
    colour_title: str,
    colour_ticks: tuple[list[float], list[str]] | None = None,
    current: tuple[float, float] | None = None,
    current_label: str = "current setting",
    never_label: str = "never reached",
    finite_label: str | None = None,
    title: str = "",
    narrow: bool = False,
    diverged_label: str = "diverged",
) -> go.Figure:
    """A sweep heatmap with diverged / never cells, the current setting and clickable cells.

    Args:
        x_coords, y_coords: where the grid lines are drawn, shapes ``(nx,)`` and ``(ny,)`` (e.g. log10 η).
        values: the colour of each cell, shape ``(ny, nx)``; NaN for cells drawn by ``status`` instead.
        status: per cell: 0 = coloured by ``values``, 1 = diverged (black), 2 = never (grey).
        cell_data: numbers shown on hover, shape ``(ny, nx, m)`` (rounded to 4 significant digits).
        templates: ``(hover template, columns of cell_data)``: the template's ``%{customdata[k]}`` is its
            k-th column (numbers, not 40,000 strings, keep a 200 × 200 grid's payload small).
        hover_codes: which template each cell uses, shape ``(ny, nx)``.
        x_title, y_title: axis titles.
        x_ticks, y_ticks: tick positions and labels (empty lists for Plotly's own ticks).
        colour_title: the colour bar's title.
        colour_ticks: tick positions and labels of the colour bar (e.g. powers of ten), or ``None``.
        current: where the scene's own setting is (in coordinates), or ``None``.
        current_label: legend name of that marker.
        never_label: legend name of status 2.
        finite_label: when given, every status-0 cell is drawn in one colour with this legend name and no
            colour bar (the "diverged or not" map).
        title: figure title.
        narrow: a phone's width: the colour bar lies under the map instead of taking its width.
        diverged_label: legend name of status 1 (runs that ended early: diverged, or stopped where the
            surface has no value).

    Returns:
        The figure. Trace 0 is the outcome heatmap, trace 1 the diverged/never overlay, the traces with
        ``meta == "sweep-cells"`` the invisible clickable cell centres (row-major within each status).
    """
    xs = np.asarray(x_coords, dtype=float)
    ys = np.asarray(y_coords, dtype=float)
    if finite_label is not None:
        values = np.ones(status.shape)
    z = np.where(status == 0, sig(values), np.nan)
    finite = z[np.isfinite(z)]
    zmin = float(finite.min()) if finite.size else 0.0
    zmax = float(finite.max()) if finite.size else 1.0
    if zmax <= zmin:
        zmax = zmin + 1.0
    if finite_label is not None:
        zmin, zmax = 0.0, 1.0
    if narrow:
        # Shorter than the plot and centred: a label at either end (the cap "≥ 2420") would stick out past
        # the figure's edge, and Plotly hides such a label.
        colorbar: dict[str, Any] = dict(
            title=dict(text=colour_title, side="top"),
            orientation="h",
            thickness=12,
            len=0.84,
            x=0.5,
            xanchor="center",
            y=-0.2,
            yanchor="top",
        )
    else:
        colorbar = dict(title=dict(text=colour_title, side="right"), thickness=16, len=0.8)
    if colour_ticks is not None:
        tv, tt = colour_ticks
        if narrow and len(tv) > 5:  # a phone's bar is about 290 px long: five labels fit upright
            every = math.ceil(len(tv) / 5)
            tv, tt = tv[::-1][::every][::-1], tt[::-1][::every][::-1]  # the top of the range keeps its label
        colorbar.update(tickvals=tv, ticktext=tt)
    rx, ry = np.round(xs, 5), np.round(ys, 5)
    data: list[dict[str, Any]] = [
        dict(
            type="heatmap",
            x=rx.tolist(),
            y=ry.tolist(),
            z=_listify(z),
            zmin=zmin,
            zmax=zmax,
            colorscale=SCALE,
            colorbar=colorbar,
            showscale=finite_label is None,
            hoverinfo="skip",
            name="outcome",
        ),
        dict(
            type="heatmap",
            x=rx.tolist(),
            y=ry.tolist(),
            z=_listify(np.where(status == 0, np.nan, status.astype(float))),
            zmin=1,
            zmax=2,
            colorscale=[[0.0, DIVERGED_COLOUR], [0.5, DIVERGED_COLOUR], [0.5, NEVER_COLOUR], [1.0, NEVER_COLOUR]],
            showscale=False,
            hoverinfo="skip",
            name="diverged / never",
        ),
    ]
    gx, gy = np.meshgrid(rx, ry)
    cd = sig(np.asarray(cell_data, dtype=float))
    size = max(4, min(18, 600 // max(len(xs), 1)))
    for code, (template, columns) in enumerate(templates):
        mask = hover_codes == code
        if not mask.any():
            continue
        data.append(
            dict(
                type="scattergl",
                x=gx[mask].tolist(),
                y=gy[mask].tolist(),
                customdata=_listify(cd[mask][:, list(columns)]),
                mode="markers",
                marker=dict(size=size, opacity=0, color="#000000"),
                hovertemplate=template + "<extra></extra>",
                showlegend=False,
                name="cells",
                meta=CELLS_META,
            )
        )
    if finite_label is not None and (status == 0).any():
        data.append(_legend_square(finite_label, SCALE[-1][1], "finite"))
    if (status == 1).any():
        data.append(_legend_square(diverged_label, DIVERGED_COLOUR, "diverged"))
    if (status == 2).any():
        data.append(_legend_square(never_label, NEVER_COLOUR, "never"))
    dx = (xs[-1] - xs[0]) / max(len(xs) - 1, 1) / 2 if len(xs) > 1 else 0.5
    dy = (ys[-1] - ys[0]) / max(len(ys) - 1, 1) / 2 if len(ys) > 1 else 0.5
    if current is not None and all(math.isfinite(v) for v in current):
        # A setting beyond the map's axes (η = 5 on an η axis up to 1) has no ○ to show: the legend says so.
        inside = xs[0] - dx <= current[0] <= xs[-1] + dx and ys[0] - dy <= current[1] <= ys[-1] + dy
        data.append(
            dict(
                type="scatter",
                x=[round(current[0], 6)],
                y=[round(current[1], 6)],
                mode="markers",
                marker=dict(symbol="circle", size=14, color=MARKER_COLOUR, line=dict(color="#000000", width=2.5)),
                name=current_label if inside else f"{current_label}: outside the map",
                hoverinfo="skip",
                showlegend=True,
            )
        )

    def axis(title: str, ticks: tuple[list[float], list[str]], lo: float, hi: float) -> dict[str, Any]:
        a: dict[str, Any] = dict(
            title=dict(text=title), range=[lo, hi], showgrid=False, zeroline=False, ticks="outside", showline=True
        )
        if ticks[0]:
            a.update(tickmode="array", tickvals=ticks[0], ticktext=ticks[1])
        return a

    layout = dict(
        title=dict(text=title, x=0, font=dict(size=16)) if title else None,
        xaxis=axis(x_title, x_ticks, float(xs[0] - dx), float(xs[-1] + dx)),
        yaxis=axis(y_title, y_ticks, float(ys[0] - dy), float(ys[-1] + dy)),
        height=600 if narrow else 560,
        font=FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin=dict(
            l=60 if narrow else 70, r=24 if narrow else 20, t=50 if title else 20, b=150 if narrow else 60, pad=0
        ),
        hovermode="closest",
        dragmode=False,
        clickmode="event+select",
        legend=dict(orientation="h", y=1.02, x=0, xanchor="left", yanchor="bottom"),
        hoverlabel=dict(bgcolor="white", font=dict(size=14, color=FONT["color"])),
        uirevision="sweep",
    )
    return go.Figure(data=data, layout=layout, _validate=False)


def basin_colours(k: int) -> list[str]:
    """The colour of each of ``k`` minima (Okabe–Ito, black left out for "diverged")."""
    return [_MINIMA_COLOURS[i % len(_MINIMA_COLOURS)] for i in range(k)]


def basin_figure(
    panels: Sequence[tuple[str, np.ndarray]],
    xs: np.ndarray,
    ys: np.ndarray,
    minima: np.ndarray,
    bounds: tuple[tuple[float, float], tuple[float, float]],
    *,
    columns: int = 4,
    none_label: str = "elsewhere (another local minimum, or still moving)",
    narrow: bool = False,
    ended_label: str = "diverged",
    lowest: int = 0,
    width: float | None = None,
) -> go.Figure:
    """Basin maps side by side: each start cell coloured by the minimum its run ends in.

    Args:
        panels: ``(title, labels)`` per optimizer; ``labels`` has shape ``(len(ys), len(xs))``: the minimum's
            index, -1 for none, -2 for diverged.
        xs, ys: the start grid's coordinates.
        minima: the minima, shape ``(k, 2)``, marked with stars numbered from 1.
        bounds: the plotting window (every panel has the same axes).
        columns: panels per row.
        none_label: legend name of -1.
        ended_label: legend name of -2 (diverged, or stopped where the surface has no value).
        lowest: the first ``lowest`` minima are the lowest ones and the rest only local minima (their legend
            names say so); 0 when all are alike (the known global minima).
        narrow: a phone's width: at most two panels a row, shorter, and further apart (their tick labels
            and titles would touch).
        width: the column's width in CSS pixels, if the browser has reported it (else a desktop's ~860 is
            assumed): the rows are about as high as a panel is wide at equal scales.

    Returns:
        The figure, one heatmap panel per entry of ``panels``.
    """
    k = len(minima)
    colours = [DIVERGED_COLOUR, NEVER_COLOUR, *basin_colours(k)]
    n_codes = len(colours)
    scale: list[list[Any]] = []
    for c, colour in enumerate(colours):
        scale += [[c / n_codes, colour], [(c + 1) / n_codes, colour]]
    names = [
        ended_label,
        none_label,
        *[
            f"minimum {i + 1} {format_point(m)}" + ("" if not lowest else ", the lowest" if i < lowest else ", local")
            for i, m in enumerate(minima)
        ],
    ]
    n = max(1, len(panels))
    cols = max(1, min(columns, 2 if narrow else columns, n))
    rows = math.ceil(n / cols)
    (x0, x1), (y0, y1) = bounds
    # A row about as high as its panels are at equal scales in a main column of ~860 px (a phone's ~330): too
    # high, each row leaves a band empty under its plots; too low, the plots narrow inside their cells.
    # Between rows, room for the tick labels above (~22 px) and the titles below (~30 px) with space between
    # them (at 50 px the second row's titles touched the first row's tick labels).
    row_gap = 64
    cell_px = 120 if narrow else (width or 860) / cols - 40
    row_px = min(330, max(110, cell_px / shown_aspect(bounds)))
    plot_px = rows * row_px + (rows - 1) * row_gap + 20  # the plotting area: the figure less its margins
    gap_x, gap_y = (0.12 if narrow else 0.04), row_gap / plot_px
    width = (1 - gap_x * (cols - 1)) / cols
    height = (1 - gap_y * (rows - 1)) / rows
    layout: dict[str, Any] = {}
    annotations = []
    data: list[dict[str, Any]] = []
    rx, ry = np.round(np.asarray(xs, dtype=float), 6).tolist(), np.round(np.asarray(ys, dtype=float), 6).tolist()
    for p, (title, labels) in enumerate(panels):
        r, c = divmod(p, cols)
        ax = "" if p == 0 else str(p + 1)
        xd = [c * (width + gap_x), c * (width + gap_x) + width]
        yd = [max(0.0, 1 - r * (height + gap_y) - height), 1 - r * (height + gap_y)]  # rounding: never below 0
        common = dict(showgrid=False, zeroline=False, ticks="outside", showline=True, mirror=True)
        # Equal scales (a basin's shape is geometry): the plot shrinks inside its cell, under its title.
        layout[f"xaxis{ax}"] = dict(domain=xd, range=[x0, x1], anchor=f"y{ax}", constrain="domain", **common)
        layout[f"yaxis{ax}"] = dict(
            domain=yd,
            range=[y0, y1],
            anchor=f"x{ax}",
            showticklabels=c == 0,
            scaleanchor=f"x{ax}",
            scaleratio=scale_ratio(bounds),
            constrain="domain",
            constraintoward="top",
            **common,
        )
        annotations.append(
            dict(
                text=f"<b>{title}</b>",
                # on the plot as drawn (equal scales may shrink it inside its cell), clear of the y axis's top
                # tick label where the title is wider than the plot
                x=0.5,
                y=1,
                xref=f"x{ax} domain",
                yref=f"y{ax} domain",
                xanchor="center",
                yanchor="bottom",
                yshift=9,
                showarrow=False,
                font=dict(size=15),
            )
        )
        codes = np.asarray(labels, dtype=int) + 2
        text = np.asarray(names, dtype=object)[codes]
        data.append(
            dict(
                type="heatmap",
                x=rx,
                y=ry,
                z=codes.tolist(),
                zmin=-0.5,
                zmax=n_codes - 0.5,
                colorscale=scale,
                showscale=False,
                text=text.tolist(),
                hovertemplate=f"{title}<br>start (%{{x:.3g}}, %{{y:.3g}})<br>→ %{{text}}<extra></extra>",
                xaxis=f"x{ax}",
                yaxis=f"y{ax}",
                name=title,
            )
        )
        if k:
            data.append(
                dict(
                    type="scatter",
                    x=np.round(minima[:, 0], 6).tolist(),
                    y=np.round(minima[:, 1], 6).tolist(),
                    mode="markers+text",
                    text=[str(i + 1) for i in range(k)],
                    textposition="top center",
                    textfont=dict(color="#ffffff", size=13),
                    marker=dict(symbol="star", size=15, color=MINIMUM_COLOUR, line=dict(color="#000000", width=1.5)),
                    hoverinfo="skip",
                    showlegend=False,
                    xaxis=f"x{ax}",
                    yaxis=f"y{ax}",
                )
            )
    present = set()
    for _title, labels in panels:
        present |= set(np.unique(np.asarray(labels, dtype=int) + 2).tolist())
    for code in range(n_codes):
        if code in present or code >= 2:
            data.append(_legend_square(names[code], colours[code], f"code{code}"))
    # Room under the plots for the x tick labels and the legend, which Plotly would otherwise take from the
    # plots (and from the gaps between rows): on a phone its entries stand one a line.
    entries = sum(1 for d in data if d.get("showlegend"))
    bottom = 50 + 29 * entries if narrow else 90
    layout.update(
        annotations=annotations,
        height=int(plot_px + 40 + bottom),
        font=FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin=dict(l=50, r=20, t=40, b=bottom, pad=0),
        hovermode="closest",
        dragmode=False,
        hoverlabel=dict(bgcolor="white", font=dict(size=14, color=FONT["color"])),
        legend=dict(orientation="h", y=0, x=0, yanchor="bottom", yref="container"),
    )
    return go.Figure(data=data, layout=layout, _validate=False)
