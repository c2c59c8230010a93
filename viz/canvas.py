"""What the browser-side panels (``ui/paths_canvas.js``) draw: a scene's paths as plain JSON data.

The animation runs in the browser: Python sends each path once (rounded to 1/2000 of the window, at
most :data:`MAX_ROWS` rows per run) with the surface image, and the page animates, scrubs and shows
hover read-outs locally. Nothing here depends on Streamlit, so the payload is tested directly.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

import numpy as np

from viz.curves import Bounds, inside, loss_quantity, loss_range, loss_view, significant
from viz.paths import PathLike, coordinate_decimals, frame_indices, run_note, shown_aspect
from viz.style import INK, style
from viz.surface import SurfaceImage

CANVAS_FRAMES = 120  # animation frames (the first two fifths are the first steps one by one)
CANVAS_FRAME_MS = 50
MAX_ROWS = 2000  # rows per run sent to the browser; longer runs are subsampled (frame steps kept)


def sent_rows(steps: int, frames: Sequence[int]) -> np.ndarray:
    """The path rows sent: every step up to :data:`MAX_ROWS`, else an even subsample plus the frame steps."""
    if steps + 1 <= MAX_ROWS:
        return np.arange(steps + 1)
    even = np.round(np.linspace(0, steps, MAX_ROWS)).astype(int)
    return np.unique(np.concatenate([even, np.asarray(frames, dtype=int)]))


def _finite_rows(run: PathLike) -> int:
    """How many leading rows of the run's path are real positions (the runner NaNs a run from its first bad row)."""
    if run.diverged_at is not None:
        return int(run.diverged_at)
    ok = np.isfinite(run.path).all(axis=-1)
    return int(len(ok) if ok.all() else np.argmin(ok))


def _fmt(v: float) -> str:
    return f"{v:.4g}"


def paths_payload(
    runs: Sequence[PathLike],
    surface: SurfaceImage,
    start: np.ndarray,
    minima: np.ndarray,
    *,
    overlay: bool = False,
    columns: int = 2,
    hidden: bool = False,
    line_width: float = 2.5,
    scale: float = 1.0,
    panel_px: int = 430,
    grow_px: int | None = None,
    fit: bool = False,
    keys: bool = False,
    clickable: bool = True,
    loss_min: float | None = None,
    show_loss: bool = False,
    summary: Sequence[Mapping[str, Any]] | None = None,
    caption: str = "",
) -> dict[str, Any]:
    """The JSON data of the animated panels.

    Args:
        runs: the runs (those with an ``error`` get a panel with the error as its note and no path).
        surface: the rendered background image.
        start: the common start point, shape ``(2,)``.
        minima: known global minima, shape ``(k, 2)``; drawn as white stars.
        overlay: all paths in one panel (with a legend) instead of one panel per run.
        columns: panels per row on a wide screen (the browser stacks them on a narrow one); with ``fit``,
            the most per row (the browser takes fewer where more rows make the plots larger).
        hidden: the surface without paths (predict-then-reveal).
        line_width: width of the trails (presentation mode uses thicker ones).
        scale: multiplies fonts and markers (presentation mode on a projector uses 1.5).
        panel_px: the largest panel height in CSS pixels (with ``fit``, the least the panels shrink to).
        grow_px: with one row of panels (the overlay, a single run), the height it may grow to, past
            ``panel_px``, as far as the browser's window has room below what stands above it.
        fit: grow the panels to fill the browser's window below what stands above them (presentation
            mode: a projector's screen), at most as tall as the plot at equal scales.
        keys: the keyboard drives the animation (presentation mode): Space plays and pauses, ← and →
            step, Home and End jump to the first and last step.
        clickable: a click on a panel reports the point (to start there).
        loss_min: the landscape's global minimum value (the loss chart then shows the gap to it, on a log
            axis), or None where it is unknown.
        show_loss: add the loss-against-step chart under the panels (its cursor follows the animation).
        summary: with ``show_loss``, the summary rows (``simulate.Result.summary``) for a table under it.
        caption: a line under the Play bar (what the shading shows, what a click does).

    Returns:
        ``{"bounds", "image", "decimals", "start", "minima", "rows", "frames", "runs", "panels", ...,
        "signature"}``: ``rows`` are the step numbers of the sent rows, each run's ``x``/``y`` the
        positions at those rows up to its last finite one and ``sig`` a digest of the run (the browser
        redraws only the panels whose runs changed); ``frames`` the steps the animation shows;
        ``loss`` the loss chart's data or None; ``summary`` the table's columns and rows or None;
        ``signature`` a digest of everything else (the browser redraws only when it changes).
    """
    dec = coordinate_decimals(surface.bounds)
    live = [r for r in runs if r.error is None]
    steps = max((len(r.path) - 1 for r in live), default=0)
    frames = frame_indices(steps, CANVAS_FRAMES) if steps > 0 else np.array([0])
    rows = sent_rows(steps, frames)
    out_runs: list[dict[str, Any]] = []
    panels: list[dict[str, Any]] = []
    for i, run in enumerate(runs):
        st = style(i)
        n_ok = _finite_rows(run) if run.error is None else 0
        if not overlay:
            note = _note(run, hidden, surface.bounds)
            panels.append({"title": run.label, "color": st["color"], "note": note, "aria": _aria(run, n_ok, hidden)})
        if run.error is not None or hidden or n_ok == 0:
            continue
        pts = np.ascontiguousarray(np.round(run.path[rows[rows < n_ok]], dec))
        item = {
            "panel": 0 if overlay else i,
            "label": run.label,
            "color": st["color"],
            "dash": st["dash"],
            "symbol": st["symbol"],
        }
        item["sig"] = _run_signature(item, pts)
        item["x"], item["y"] = pts[:, 0].tolist(), pts[:, 1].tolist()
        out_runs.append(item)
    if overlay:
        notes = "; ".join(f"{r.label}: {n}" for r in runs if (n := _note(r, hidden, surface.bounds)))
        aria = " ".join(_aria(r, _finite_rows(r) if r.error is None else 0, hidden) for r in runs)
        panels.append({"title": "All optimizers on one surface", "color": INK, "note": notes, "aria": aria})
    (x0, x1), (y0, y1) = surface.bounds
    loss = _loss_data(runs, rows, loss_min, surface.bounds) if show_loss and not hidden else None
    data: dict[str, Any] = {
        "bounds": [[float(x0), float(x1)], [float(y0), float(y1)]],
        "image": surface.uri,
        "decimals": dec,
        "start": [round(float(start[0]), dec), round(float(start[1]), dec)],
        "minima": np.round(np.asarray(minima, dtype=float).reshape(-1, 2), dec).tolist(),
        "rows": rows.tolist(),
        "frames": frames.tolist(),
        "runs": out_runs,
        "panels": panels,
        "overlay": overlay,
        "hidden": hidden,
        "clickable": clickable and not hidden,
        "columns": 1 if overlay else max(1, columns),
        "lineWidth": line_width,
        "scale": scale,
        "panelPx": panel_px,
        "growPx": grow_px,
        # width / height of the plot: the window's own shape (equal scales), within 1:3 … 3:1
        "aspect": shown_aspect(surface.bounds),
        "fit": fit,
        "keys": keys,
        "frameMs": CANVAS_FRAME_MS,
        "loss": loss,
        "summary": _summary_data(summary) if loss is not None and summary else None,
        "caption": caption,
    }
    data["signature"] = _signature(data)
    return data


SUMMARY_HELP = {
    "final loss": "The loss at the last step (at the last real position for a run that diverged).",
    "distance to minimum": "From the last position to the nearest minimum marked ☆.",
    "steps to reach": "First step within 1% of the plot's diagonal of a minimum marked ☆.",
    "status": "“ok”; “ended outside the picture” when its last position lies beyond the plot; or the step at"
    " which it diverged (its position became infinite or larger than 10¹²) or stopped (no surface there).",
}


def _summary_data(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The summary table as JSON: column names, their help, and rows of numbers, text or None (no NaN)."""
    columns = list(rows[0]) if rows else []

    def cell(v: Any) -> Any:
        if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
            return float(v) if np.isfinite(v) else None
        return v if v is None else str(v)

    return {
        "columns": columns,
        "help": [SUMMARY_HELP.get(c, "") for c in columns],
        "rows": [[cell(r.get(c)) for c in columns] for r in rows],
    }


#: How the 3-D view's summary writes its numbers: the same significant digits as the panels' table
#: (paths_canvas.js, ``toPrecision``), without its trailing zeros.
SUMMARY_FORMATS = {"final loss": "%.4g", "distance to minimum": "%.3g", "steps to reach": "%d"}


def summary_html(rows: Sequence[Mapping[str, Any]]) -> str:
    """The summary table as HTML, as the panels draw it (class ``pp-table``, styled by ``ui/summary_table.css``):
    a header row whose cells carry each column's help as a tooltip, then a row per run, each cell with its
    column's name in ``data-label`` (a phone shows each run as a block, every value after its name).

    Args:
        rows: ``simulate.Result.summary``: a mapping per run, column name -> value.

    Returns:
        One line of HTML (no blank line: it goes through Markdown); numbers in :data:`SUMMARY_FORMATS`,
        a missing or non-finite value as "–", every text escaped. Empty if there are no rows.
    """
    data = _summary_data(rows)
    if not data["rows"]:
        return ""
    head = "".join(
        f'<th title="{escape(tip)}">{escape(c)}</th>' if tip else f"<th>{escape(c)}</th>"
        for c, tip in zip(data["columns"], data["help"], strict=True)
    )
    body = []
    for row in data["rows"]:
        cells = []
        for c, v in zip(data["columns"], row, strict=True):
            number = isinstance(v, float)
            text = "–" if v is None else SUMMARY_FORMATS.get(c, "%.4g") % v if number else str(v)
            cls = ' class="pp-num"' if number else ""
            cells.append(f'<td{cls} data-label="{escape(c)}">{escape(text)}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f'<table class="pp-table"><tr>{head}</tr>{"".join(body)}</table>'


def _run_signature(style: Mapping[str, Any], pts: np.ndarray) -> str:
    """A digest of one sent run (its style, label, panel and points): the browser redraws only the panels
    whose runs changed."""
    h = hashlib.sha1(pts.tobytes())
    h.update(json.dumps(style, sort_keys=True).encode())
    return h.hexdigest()[:12]


def _signature(data: dict[str, Any]) -> str:
    """A digest of the payload: the numbers of every path and loss curve as float64 bytes, the rest as JSON
    (encoding the whole payload here would double the encoding ``ui.paths_canvas`` does to send it)."""
    h = hashlib.sha1()
    curves = [*data["runs"], *((data["loss"] or {}).get("runs", []))]
    for c in curves:
        for k in ("x", "y"):
            if k in c:
                h.update(np.array(c[k], dtype=float).tobytes())  # None (a gap) becomes NaN
    h.update(data["image"].encode())
    small = {k: v for k, v in data.items() if k not in ("runs", "loss", "image")}  # the summary is small
    small["curves"] = [{k: v for k, v in c.items() if k not in ("x", "y")} for c in curves]
    small["loss"] = {k: v for k, v in (data["loss"] or {}).items() if k != "runs"}
    h.update(json.dumps(small, separators=(",", ":"), sort_keys=True).encode())
    return h.hexdigest()[:16]


def _note(run: PathLike, hidden: bool, bounds: Bounds) -> str:
    """A panel's note: why a run did not run, where it diverged, or where it ended when that is outside
    the picture (its path is then cut off at the edge, or not drawn at all). While the class predicts
    only a run that could not run says so (the others would give the answer away)."""
    if run.error is not None or hidden:
        return run_note(run) if run.error is not None else ""
    note = run_note(run)
    if note or len(run.path) == 0 or inside(run.path[-1], bounds)[0]:
        return note
    x, y = run.path[-1]
    return f"ends outside the picture, at ({_unbroken(float(x))}, {_unbroken(float(y))})"


def _unbroken(v: float) -> str:
    """``v`` to 4 digits with a short exponent (4.277e9, -1.567e-5) and non-breaking hyphens: a narrow
    panel's title had wrapped a coordinate after the "e-" of its exponent."""
    mantissa, _, exponent = f"{v:.4g}".partition("e")
    text = mantissa + (f"e{int(exponent)}" if exponent else "")
    return text.replace("-", "\u2011")


def _aria(run: PathLike, n_ok: int, hidden: bool = False) -> str:
    """A sentence describing a panel for screen readers (nothing of the path while it is hidden)."""
    if run.error is not None:
        return f"{run.label}: not run ({run.error})."
    if hidden:
        return f"{run.label}: the path is hidden until Reveal."
    if n_ok == 0:
        return f"{run.label}: no finite position."
    p0, p1 = run.path[0], run.path[n_ok - 1]
    end = run.ended or f"{len(run.path) - 1} steps"
    loss = run.loss[n_ok - 1] if len(run.loss) >= n_ok else float("nan")
    return (
        f"{run.label}: from ({_fmt(p0[0])}, {_fmt(p0[1])}) to ({_fmt(p1[0])}, {_fmt(p1[1])}), {end}, "
        f"loss {_fmt(float(loss))}."
    )


def _loss_data(
    runs: Sequence[PathLike],
    rows: np.ndarray,
    loss_min: float | None,
    bounds: Bounds | None = None,
) -> dict[str, Any] | None:
    """The loss chart: per run, the plotted quantity at the sent rows (4 significant digits, None where not
    finite), its axis title, whether the axis is logarithmic (see :func:`viz.curves.loss_quantity`) and its
    ``range`` (:func:`viz.curves.loss_range`, log10 units on a log axis).

    With the panels' ``bounds``, ``view`` is the ``[lowest, highest]`` plotted value at the sent rows whose
    position lies inside the picture (:func:`viz.curves.loss_view`; None if none does), which a linear
    axis's range keeps near.
    """
    ok = [(i, r) for i, r in enumerate(runs) if r.error is None]
    if not ok:
        return None
    ys, title, log = loss_quantity([r for _, r in ok], loss_min)
    lines, plotted, points = [], [], []
    for (i, r), y in zip(ok, ys, strict=True):
        st = style(i)
        at = rows[rows < min(len(y), len(r.path))]
        v = significant(np.asarray(y, dtype=float)[at], 4)
        finite = np.isfinite(v) & ((v > 0) if log else True)
        values = [float(a) if f else None for a, f in zip(v.tolist(), finite.tolist(), strict=True)]
        lines.append({"label": r.label, "color": st["color"], "dash": st["dash"], "y": values})
        plotted.append(np.where(finite, v, np.nan))
        points.append(np.asarray(r.path, dtype=float)[at])
    view = loss_view(points, plotted, bounds) if bounds is not None else None
    return {"title": title, "log": log, "runs": lines, "view": view, "range": loss_range(plotted, log, view)}
