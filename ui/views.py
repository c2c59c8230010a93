"""The main area: result -> page elements. No maths here beyond picking what to show."""

from __future__ import annotations

import html
import io
import json
from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import landscapes
import optimizers
from landscapes.lowest import Lowest
from scene import BATCH_PARAM, Run, Scene, format_number, format_point, to_json
from simulate import Result, RunResult, run_inputs, run_labels
from ui.cache import IMAGE_GRID, IMAGE_GRID_LARGE, cached_eye, cached_grid, cached_surface, surface_part
from ui.paths_canvas import SUMMARY_CSS, paths_canvas
from ui.screen import fill_height, measure
from ui.widgets import display_math, wrap_columns_css
from viz.canvas import paths_payload, summary_html
from viz.curves import Bounds, choose_eye, inside, loss_figure, surface_3d_figure
from viz.gif import scene_gif
from viz.paths import trajectory_figure
from viz.style import style

PATHS_CHART = "paths_chart"
SCREEN = "screen_3d"  # the reporter of the space left for the 3-D view and of its width
IS_PHONE = "_is_phone"  # session state: the answer of is_phone()


def is_phone() -> bool:
    """Whether the browser says it is a phone (its User-Agent has "Mobi", as every mobile browser's does).

    Asked once per session (the browser does not change; reading the headers costs ~2 ms a rerun).
    """
    ss = st.session_state
    if IS_PHONE not in ss:
        try:
            ss[IS_PHONE] = "mobi" in str(st.context.headers.get("User-Agent", "")).lower()
        except Exception:  # no request context (AppTest, bare mode)
            ss[IS_PHONE] = False
    return bool(ss[IS_PHONE])


_PHONE_CSS = "<style>.block-container, [data-testid='stMainBlockContainer'] { padding-top: 3.5rem !important; }</style>"


def phone_style() -> None:
    """On a phone: less space above the title (Streamlit leaves 6rem; the header's » needs 3.5)."""
    if is_phone():
        st.markdown(_PHONE_CSS, unsafe_allow_html=True)


def chart_config(**extra: object) -> dict[str, object]:
    """Plotly's ``config`` for a chart of the page: no logo and, on a phone, no mode bar (shown at once on a
    touch screen, its buttons covered the charts' legends and titles, and do little a finger needs)."""
    return {"displaylogo": False, **({"displayModeBar": False} if is_phone() else {}), **extra}


def auto_columns(n: int) -> int:
    """Panels per row: 1–3 side by side, 4 as 2 × 2, more in rows of 3 or 4."""
    return {1: 1, 2: 2, 3: 3, 4: 2}.get(n, 3 if n in (5, 6, 9) else 4)


def _start_curvature(result: Result) -> float | None:
    """The largest eigenvalue of the Hessian at the start point, or ``None`` where it cannot be had."""
    try:
        with np.errstate(all="ignore"):
            return float(np.linalg.eigvalsh(np.asarray(result.landscape.hessian(result.start), dtype=float))[-1])
    except (ValueError, np.linalg.LinAlgError):
        return None


def _over_limit(result: Result, r: RunResult, curvature: float | None) -> tuple[float, float] | None:
    """``(η*, η)`` when run ``r``'s η is above :func:`optimizers.stable_lr` at ``curvature``, else ``None``."""
    if curvature is None:
        return None
    _grad, kw = run_inputs(result.scene, result.landscape, r.run)
    kw.pop("hess", None)
    lr = kw.get("lr")
    limit = optimizers.stable_lr(r.run.optimizer, curvature, **kw)
    if limit is None or not isinstance(lr, (int, float)) or lr <= limit:
        return None
    return limit, float(lr)


def divergence_message(result: Result) -> str | None:
    """One message (Markdown) for every run of ``result`` that diverged or stopped, or ``None`` when none did.

    Says at which step each run stopped and why. A run that diverged gets, where the start point's
    curvature explains it, the limit of :func:`optimizers.stable_lr` at the largest eigenvalue λ_max of
    the Hessian there (2/λ_max for gradient descent). A run that stopped because the surface has no
    finite value or gradient where it got to (a custom formula's log of a negative number, a cone's tip)
    is said to have stopped there instead: a smaller η would not help it. Several such runs share one
    message, so that they do not push the panels off the screen.
    """
    stopped = [r for r in result.runs if r.error is None and r.diverged_at is not None]
    if not stopped:
        return None
    curvature = _start_curvature(result)
    diverged = [r for r in stopped if r.stop_reason is None]
    over = {id(r): _over_limit(result, r, curvature) for r in diverged}
    at_start = f"At the start the steepest curvature is λ_max ≈ {format_number(curvature or 0.0)}"
    blew_up = "became infinite or absurdly large"

    def line(r: RunResult) -> str:
        if r.stop_reason is not None:
            return f"**{r.label}** stopped at step {r.diverged_at}: {r.stop_reason}."
        limit = over[id(r)]
        text = f"**{r.label}** diverged at step {r.diverged_at}"
        if limit is not None:
            text += f": stable there only for η < {format_number(limit[0])}; it used η = {format_number(limit[1])}"
        return text + "."

    if len(stopped) == 1:
        r = stopped[0]
        if r.stop_reason is not None:
            return line(r) + " The path ends there."
        text = (
            f"**{r.label}** diverged at step {r.diverged_at}: its position {blew_up}, so the path stops there. "
            "Try a smaller learning rate or gradient clipping."
        )
        limit = over[id(r)]
        if limit is not None:
            text += (
                f" {at_start}, and there this rule is stable only for η < {format_number(limit[0])}; "
                f"this run used η = {format_number(limit[1])}."
            )
        return text
    advice = "Try smaller learning rates or gradient clipping." + (
        f" {at_start}." if any(o is not None for o in over.values()) else ""
    )
    if len(diverged) == len(stopped):
        head = f"**{len(stopped)} runs diverged**: their positions {blew_up}, so their paths stop there. {advice}"
    elif diverged:
        head = f"**{len(stopped)} runs stopped early.** Those that diverged: their positions {blew_up}. {advice}"
    else:
        head = f"**{len(stopped)} runs stopped early**, where the surface has no finite value or gradient."
    return "\n".join([head, *(f"- {line(r)}" for r in stopped)])


def run_messages(result: Result) -> None:
    """The landscape's messages, one line per run that could not run, and :func:`divergence_message`."""
    for m in result.messages:
        st.warning(m)
    for r in result.runs:
        if r.error is not None:
            # the core's message starts with its registry key ("sgd: nesterov requires …"): the label says whose
            error = r.error.removeprefix(f"{r.run.optimizer}: ")
            st.error(f"**{r.label}** did not run: {error}")
    diverged = divergence_message(result)
    if diverged is not None:
        st.warning(diverged)


def _on_click_start() -> None:
    """A click on a panel (the component's ``start`` trigger, ``[x, y]``) sets the start point.

    The value comes from the browser, so it is checked: two finite numbers within the start inputs' range.
    """
    value = (st.session_state.get(PATHS_CHART) or {}).get("start")
    try:
        x, y = (float(v) for v in value)
    except (TypeError, ValueError):
        return
    if all(np.isfinite(v) and abs(v) <= 1e6 for v in (x, y)):
        st.session_state["x0"], st.session_state["y0"] = x, y
        st.rerun()  # the whole page: the sidebar's start inputs show the point (the panels are a fragment)


def build_paths_figure(
    result: Result,
    *,
    overlay: bool,
    columns: int,
    hidden: bool = False,
    presentation: bool = False,
    narrow: bool = False,
) -> go.Figure:
    """The animated trajectories of ``result`` on its surface (thick lines and large fonts when presenting;
    one row of panels then fits with the question on a 720-pixel projector)."""
    large = overlay or narrow or len(result.runs) == 1
    surface = cached_surface(surface_part(result.scene), IMAGE_GRID_LARGE if large else IMAGE_GRID)
    return trajectory_figure(
        result.runs,
        surface,
        result.start,
        result.landscape.minima,
        overlay=overlay,
        columns=columns,
        hidden=hidden,
        line_width=5 if presentation else 2.5,
        click_grid=0,  # the offline file cannot start a run where it is clicked: no "start here" to hover
        narrow=narrow,
        scale=1.5 if presentation else 1.0,
        panel_px=330 if presentation else None,
    )


def trajectories(
    result: Result,
    *,
    hidden: bool = False,
    presentation: bool = False,
    on_drawn: Callable[[], None] | None = None,
) -> Callable[..., go.Figure] | None:
    """The panels (or overlay, or 3-D view) of the scene.

    The 2-D panels are drawn in the browser (:mod:`ui.paths_canvas`; ``on_drawn`` runs once the browser
    has drawn them). Returns a function that builds the same animation as a Plotly figure (for the
    offline HTML export), or None where the browser draws no panels (no runs, or the 3-D view).
    """
    scene = result.scene
    if not result.runs:
        st.info("Choose at least one optimizer in the sidebar.")
        return None
    if scene.view == "3d" and not hidden:  # hidden: the 2-D panels without paths give nothing away
        # The browser reports the space below this point and the column's width. Presenting, the figure with
        # its legend fills the screen below the question (440 px fit a 720-pixel projector). The camera fits
        # the box to the width (a phone's or a laptop's narrow column cut its sides off), and a narrow column
        # gets a shorter figure: the box would leave most of a tall one empty.
        screen = measure(SCREEN)
        width = screen.column(is_phone())
        if presentation:  # 440 px until the browser reports; then down to 360, the box fitting whatever size
            height = fill_height(screen.below, least=440 if screen.below is None else 360, most=1400)
        else:
            height = int(min(640, max(360, 0.85 * width + 60)))  # 60: about the legend's rows
        fig = surface_3d(
            result, height=height, legend_size=20 if presentation else 14, large_text=presentation, width=int(width)
        )
        st.plotly_chart(fig, key="surface_3d", config=chart_config())
        return None
    overlay = scene.view == "overlay"
    narrow = is_phone()
    large = overlay or narrow or len(result.runs) == 1
    surface = cached_surface(surface_part(scene), IMAGE_GRID_LARGE if large else IMAGE_GRID)
    payload = paths_payload(
        result.runs,
        surface,
        result.start,
        result.landscape.minima,
        overlay=overlay,
        # Presenting, up to four panels may share one row; the browser picks the grid that makes the plots
        # largest on the screen (one row on a 1280 × 720 projector, 2 × 2 on a 1024 × 768 one).
        columns=len(result.runs) if presentation and len(result.runs) <= 4 else auto_columns(len(result.runs)),
        hidden=hidden,
        line_width=5 if presentation else 2.5,
        scale=1.5 if presentation else 1.0,
        panel_px=330 if presentation else 340 if narrow else 430,
        # One plot in a row (the overlay, a single run) is drawn at equal scales, narrower than the page: it
        # may be taller where the screen has room.
        grow_px=560 if (overlay or len(result.runs) == 1) and not (presentation or narrow) else None,
        fit=presentation,
        keys=presentation,
        loss_min=getattr(result.landscape, "min_value", None),
        show_loss=not presentation,
        summary=result.summary,
        caption=(
            f"Shading: {surface.label}, dark = low. "
            + ("Hatched: undefined (f has no value there). " if surface.undefined else "")
            + f"{star_legend(result.landscape)}○ start. "
            + (
                ""  # the paths hidden: no Play bar, and the keys do nothing
                if hidden
                else "Keys: Space plays and pauses, ← → step, Home and End jump to the ends."  # one projector line
                if presentation
                else "Click a panel to start there; ▶ Play animates every panel in step, the slider scrubs, "
                "hovering a path shows its step."
            )
            + start_outside_note(result.start, surface.bounds)
        ),
    )
    paths_canvas(payload, key=PATHS_CHART, on_start=_on_click_start, on_drawn=on_drawn)
    return lambda narrow=narrow: build_paths_figure(
        result, overlay=overlay, columns=auto_columns(len(result.runs)), hidden=hidden, narrow=narrow
    )


def start_outside_note(start: np.ndarray, bounds: Bounds) -> str:
    """A sentence for the panels' caption when the start lies outside the picture (its ○ is not drawn and
    the paths come in from an edge, or never); empty otherwise."""
    if inside(start, bounds)[0]:
        return ""
    return f" The start {format_point(start)} lies outside the picture, so its ○ is not shown."


def surface_3d(
    result: Result, height: int = 640, legend_size: int = 14, large_text: bool = False, width: int | None = None
) -> go.Figure:
    """The 3-D view: the surface with every path lifted onto it, on one display scale chosen from the
    surface (and its minima) alone: a diverging run's losses (1e24 and more) would otherwise set the
    scale and flatten the surface. ``width`` (pixels), where known, fits the camera to the figure."""
    grid = cached_grid(surface_part(result.scene))
    losses = [r.loss if r.error is None else np.empty(0) for r in result.runs]
    minima = result.landscape.minima
    min_z = result.landscape.value(minima) if len(minima) else np.empty(0)
    scale = landscapes.display_scale(np.concatenate([grid.Z.ravel(), min_z]))
    lifted = [scale(loss) for loss in losses]
    Zt = scale(grid.Z)
    return surface_3d_figure(
        grid.xs,
        grid.ys,
        Zt,
        scale.label,
        result.runs,
        lifted,
        minima,
        scale(min_z),
        height=height,
        legend_size=legend_size,
        lowest_nearby=grid.refine > 1,
        tick_size=16 if large_text else None,
        minima_name="lowest in the window" if result.landscape.numeric_minima else "global minimum",
        width=width,
        eye=cached_eye(
            surface_part(result.scene),
            result.start,
            lambda: choose_eye(grid.xs, grid.ys, Zt, _where_paths_go(result, grid.xs, grid.ys, Zt, scale)),
        ),
    )


def _where_paths_go(
    result: Result, xs: np.ndarray, ys: np.ndarray, Zt: np.ndarray, scale: landscapes.DisplayScale
) -> np.ndarray:
    """Points ``(x, y, display value)`` the 3-D camera should see: the start, the minima and the lowest
    twentieth of the surface (its valley floors), which depend on the surface and the start only, so the
    view holds still while a run's settings move."""
    land = result.landscape
    ends = np.concatenate([np.asarray(result.start, dtype=float).reshape(1, 2), land.minima])
    with np.errstate(all="ignore"):
        z_ends = scale(land.value(ends))
    gx, gy = np.meshgrid(xs, ys)
    flat = np.nan_to_num(Zt, nan=np.inf).ravel()
    low = np.argsort(flat, kind="stable")[: max(1, flat.size // 20)][:: max(1, flat.size // 20 // 60)]
    floor = np.column_stack([gx.ravel()[low], gy.ravel()[low], Zt.ravel()[low]])
    points = np.concatenate([np.column_stack([ends, z_ends]), floor])
    return points[np.isfinite(points).all(axis=1)]


MINI_BATCH_GRADIENT = r"\nabla L_{B_t}(\theta_{t-1})"


def run_rule(scene: Scene, run: Run) -> str:
    """``run``'s update rule as it is configured (:func:`optimizers.rule`): its flags, noise, clipping,
    schedule and, on a data landscape with a mini-batch size, the mini-batch gradient."""
    settings = run.effective()
    batch = int(settings.pop(BATCH_PARAM.name, 0))
    kind = landscapes.REGISTRY.get(scene.landscape)  # None for a custom formula
    gradient = MINI_BATCH_GRADIENT if kind is not None and kind.stochastic and batch > 0 else None
    return optimizers.rule(run.optimizer, gradient=gradient, **settings)


def rule_texts(scene: Scene) -> list[str]:
    """Each run's update rule as markdown: its label in its colour, then its rule as configured
    (:func:`run_rule`) as display maths."""
    return [
        f"<span style='color:{style(i)['color']};font-weight:700'>■ {html.escape(label)}</span>\n\n"
        f"$$\n{run_rule(scene, run)}\n$$"
        for i, (run, label) in enumerate(zip(scene.runs, run_labels(scene.runs, scene.shared_lr), strict=True))
    ]


RULES_KEY = "update_rules"  # the key of the update rules' container (its class: st-key-update_rules)
# Two rules a row need about 600 px: NAdam's with noise, clipping and a schedule is 275 px wide. In a narrower
# column (a 900-pixel window with the sidebar open leaves 440 px) the rules stand one a row instead of each
# scrolling sideways in half of it.
_RULES_CSS = wrap_columns_css(RULES_KEY, [(600, "100%")])


def update_rules(texts: list[str]) -> None:
    """The update rules (:func:`rule_texts`): one element per run, two a row, in the runs' order (one a row
    in a column narrower than 600 px).

    Each row is its own pair of columns: a phone stacks columns, so two columns for all the rules had
    read 1, 3, 2, 4 there.
    """
    if not texts:
        return
    width = min(len(texts), 2)
    for row in range(0, len(texts), width):
        for j, (col, text) in enumerate(zip(st.columns(width), texts[row : row + width], strict=False)):
            style = _RULES_CSS if row == j == 0 else ""  # with the first rule: no element of its own
            col.markdown(style + text, unsafe_allow_html=True)


def loss_and_summary(result: Result, presentation: bool = False) -> None:
    """The loss curves and the summary table where the animated panels do not draw them (the 3-D view)."""
    ok = [r for r in result.runs if r.error is None]
    if not ok or result.scene.view != "3d":
        return
    # One above the other, as under the animated panels: beside the chart, the table's five columns were
    # cut off.
    st.markdown("**Loss against step**")
    st.plotly_chart(
        loss_figure(
            result.runs,
            getattr(result.landscape, "min_value", None),
            line_width=4 if presentation else 2.5,
            bounds=result.landscape.bounds,
        ),
        key="loss_chart",
        config=chart_config(),
    )
    # The panels' table (a phone shows each run as a block): a data grid cut its last columns off there.
    st.markdown("**Summary**")
    st.markdown(
        f'<style>{SUMMARY_CSS}</style><div class="pp-summary">{summary_html(result.summary)}</div>',
        unsafe_allow_html=True,
    )


def surface_about(result: Result) -> None:
    """What the surface is: its formula and parameters, what it shows, its window and known minima."""
    land = result.landscape
    display_math(land.latex if "=" in land.latex else f"f(x, y) = {land.latex}")  # a custom formula's is bare
    params = ", ".join(f"{p.label} = {format_number(land.p[p.name])}" for p in land.params)
    if params:
        st.caption(f"Parameters: {params}.")
    st.markdown(land.teaches)
    facts = []
    (x0, x1), (y0, y1) = land.bounds
    facts.append(
        f"Shown: x from {format_number(x0)} to {format_number(x1)}, y from {format_number(y0)} to {format_number(y1)}."
    )
    minima = np.asarray(land.minima, dtype=float).reshape(-1, 2)
    low = getattr(land, "min_value", None)
    where = ", ".join(format_point(m) for m in minima)
    if land.numeric_minima:  # a custom formula's, found in the window
        facts.append(lowest_note(land.lowest))  # type: ignore[attr-defined]
    elif len(minima) and low is not None:
        facts.append(
            f"Global minim{'um' if len(minima) == 1 else 'a'}: loss {format_number(float(low))} at {where} (☆)."
        )
    elif len(minima):
        facts.append(f"Known minima (☆): {where}.")
    elif low is not None:
        facts.append(f"Lowest loss: {format_number(float(low))}.")
    st.caption(" ".join(facts))


def star_legend(land: landscapes.Landscape) -> str:
    """What ☆ marks on this surface's panels ("" where it has none), for the caption."""
    k = len(land.minima)
    if not k:
        return ""
    if land.numeric_minima:  # found numerically, inside the window only
        return f"☆ lowest point{'s' if k > 1 else ''} in the window, "
    return f"☆ global minim{'a' if k > 1 else 'um'}, "


def lowest_note(found: Lowest) -> str:
    """One sentence on what the numerical search of a custom formula's window found (see `landscapes.lowest`)."""

    if found.kind == "found" and found.value is not None:
        k = len(found.minima)
        where = ", ".join(format_point(m) for m in found.minima)
        return (
            f"Lowest point{'s' if k > 1 else ''} in the window (found numerically): loss "
            f"{format_number(found.value)} at {where} (☆)."
        )
    if found.kind == "curve" and found.value is not None:
        value = format_number(found.value)
        return f"Lowest loss in the window (found numerically): {value}, along a curve or everywhere."
    if found.kind == "unbounded" and found.near is not None:
        return f"No lowest value in the window: f falls without bound near {format_point(found.near)}."
    if found.kind == "flat":
        return "The surface is flat: its gradient is zero everywhere, so no optimizer moves."
    near = f", near {format_point(found.near)}" if found.near is not None else ""
    if found.kind == "edge":
        return f"No minimum in the window: the surface is lowest at its edge{near}, and may fall further beyond it."
    return f"No minimum found in the window where the gradient vanishes or at a kink (lowest sampled point{near})."


CSV_COLUMNS = ["run", "optimizer", "step", "x", "y", "loss", "status"]


def trajectories_csv(result: Result) -> str:
    """Every run's path and loss as long-format CSV (run, optimizer, step, x, y, loss, status).

    ``status`` is "ok" up to a run's end; from the step at which it diverged or stopped it is "diverged" or
    "stopped" (those rows have no position: the empty cells were unexplained), except the step a run stopped
    at, which keeps the point it landed on where the surface has no value (its loss stays empty).
    """
    frames = []
    for r in result.runs:
        if r.error is not None:
            continue
        steps = np.arange(len(r.path))
        status = np.where(steps < r.diverged_at, "ok", r.end_kind) if r.diverged_at is not None else "ok"
        path = r.path
        if r.stopped_at is not None and r.diverged_at is not None:
            path = path.copy()
            path[r.diverged_at] = r.stopped_at
        frames.append(
            pd.DataFrame(
                {
                    "run": r.label,
                    "optimizer": r.run.optimizer,
                    "step": steps,
                    "x": path[:, 0],
                    "y": path[:, 1],
                    "loss": r.loss,
                    "status": status,
                }
            )
        )
    df = pd.concat(frames) if frames else pd.DataFrame(columns=CSV_COLUMNS)
    buf = io.StringIO()
    df.to_csv(buf, index=False, float_format="%.10g")
    return buf.getvalue()


#: Below this window width the offline animation takes its phone layout (one panel a row), if it carries one.
NARROW_HTML_PX = 600


def animation_html(fig: go.Figure, title: str, narrow: go.Figure | None = None) -> str:
    """The animated figure as a standalone HTML page that plays offline (plotly.js inlined), under a heading
    that names it (``title``, escaped); a phone lays it out at its own width.

    Args:
        fig: the animation (:func:`build_paths_figure`).
        title: the page's title and heading.
        narrow: the same animation laid out for a phone (one panel a row). Given, the file switches to its
            layout when opened in a window narrower than :data:`NARROW_HTML_PX`: a file saved on a laptop
            showed three tiny panels on a phone, their titles over each other. Its surface images are the
            file's own (same axes), so they are not written twice.

    Returns:
        The HTML page.
    """
    name = html.escape(title)
    head = f'<head><meta name="viewport" content="width=device-width, initial-scale=1"><title>{name}</title>'
    heading = f'<body><h1 style="font: 600 20px system-ui, sans-serif; margin: 12px 8px 0">{name}</h1>'
    div = "optimizer-playground"
    page = fig.to_html(
        include_plotlyjs=True,
        full_html=True,
        auto_play=False,
        config={"displaylogo": False},  # a file for any device: the mode bar stays
        default_width="100%",
        div_id=div,
    )
    page = page.replace("<head>", head, 1).replace("<body>", heading, 1)
    if narrow is None:
        return page
    # What the phone layout changes, as Plotly.relayout's "attribute path: value" pairs (an axis container
    # given whole is not replaced)
    mine, theirs = fig.to_plotly_json()["layout"], narrow.to_plotly_json()["layout"]
    changes: dict[str, object] = {}
    for key, value in theirs.items():
        if key in ("images", "template") or mine.get(key) == value:
            continue
        if isinstance(value, dict) and isinstance(mine.get(key), dict):
            changes.update({f"{key}.{k}": v for k, v in value.items() if mine[key].get(k) != v})
        else:
            changes[key] = value
    # "</" cannot end the script early: JSON escapes it
    data = json.dumps(changes, separators=(",", ":")).replace("</", "<\\/")
    script = (
        "<script>window.addEventListener('load', function () {"
        f" if (window.innerWidth < {NARROW_HTML_PX})"
        f" Plotly.relayout(document.getElementById('{div}'), {data}); }});</script>"
    )
    return page.replace("</body>", script + "</body>", 1)


def downloads(result: Result, fig: Callable[..., go.Figure] | None) -> None:
    """CSV of the trajectories, the animation as offline HTML (``fig`` builds its figure when asked), the
    scene as JSON."""
    scene: Scene = result.scene
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        "Trajectories (CSV)",
        data=lambda: trajectories_csv(result),
        file_name="trajectories.csv",
        mime="text/csv",
        key="dl_csv",
        width="stretch",
        on_click="ignore",
    )
    if fig is not None:
        title = f"Optimizer Playground: {result.landscape.title}"
        c2.download_button(
            "Animation (HTML, plays offline)",
            # a file saved on a laptop also carries the phone layout, which it takes in a narrow window
            data=lambda: animation_html(fig(), title, None if is_phone() else fig(narrow=True)),
            file_name="optimizer-playground.html",
            mime="text/html",
            key="dl_html",
            width="stretch",
            on_click="ignore",
        )
    elif scene.view == "3d":
        c2.caption("The offline HTML animation is of the 2-D panels: choose side by side or overlay to get it.")
    if any(r.error is None for r in result.runs):
        surface = cached_surface(surface_part(scene))
        c2.download_button(
            "Animation (GIF, for slides)",
            data=lambda: scene_gif(result, surface, width=720, frames=48),
            file_name="optimizer-playground.gif",
            mime="image/gif",
            key="dl_gif",
            width="stretch",
            on_click="ignore",
            help="All runs on one surface, 48 frames, 720 px wide: embeds in PowerPoint, Keynote or Google Slides.",
        )
    c3.download_button(
        "Scene (JSON)",
        data=to_json(scene),
        file_name="scene.json",
        mime="application/json",
        key="dl_json",
        width="stretch",
        on_click="ignore",
    )
