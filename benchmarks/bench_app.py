"""Speed of the page (issue 4): time to first chart, slider→redraw and payload, beside the floor app.

Starts the app and ``benchmarks/floor_app.py`` (a one-slider, one-chart page) the same way
(``streamlit run``, headless, loopback), drives each in headless Chromium and prints:

- time to first chart: navigation start → the first Plotly chart has rendered traces (the first
  load of a fresh server, then the median of warm loads in fresh browser contexts);
- slider→redraw: keydown on a slider → the chart's traces change (median and max of several moves);
- websocket bytes the browser received for the first page and per move;
- the default scene's figure JSON size (paths figure and all charts, through AppTest);
- with ``--interleave N``: slider→redraw of the app, the floor and ``benchmarks/floor_controls_app.py``
  (the floor with the app's controls around it: the same sidebar widgets, tabs and typeset rules, one
  Plotly line chart, no computation) served at the same time, their moves alternating (N each), so that
  all see the same load of the machine: on a shared machine the sequential medians above can drift by
  tens of milliseconds between pages. The second floor shows what Streamlit's rerun of a page with the
  app's controls costs by itself.

Run by hand: ``python benchmarks/bench_app.py [--moves 9] [--loads 5] [--query "?..."] [--interleave 15]``.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.harness import (  # noqa: E402
    ERROR_ELEMENTS,
    FIRST_CHART_PROBE,
    WEBSOCKET_PROBE,
    components,
    last_move_breakdown,
    launch_chromium,
    slider_input,
    streamlit_server,
    timed_slider_move,
    wait_chart_ready,
    watch_runs,
)

TARGET = 1.5
med = statistics.median
APP_SLIDER = "learning rate η"
FLOOR_SLIDER = "learning rate"


@dataclass
class Target:
    """One page to measure."""

    name: str
    script: str
    slider: str
    expand_first_run: bool
    query: str = ""


@dataclass
class Measured:
    """What one target measured."""

    cold_first_chart_ms: float = 0.0
    first_chart_ms: list[float] = field(default_factory=list)
    moves_ms: list[float] = field(default_factory=list)
    first_page_ws_bytes: int = 0
    move_ws_bytes: list[int] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    client_ms: list[float] = field(default_factory=list)
    reload_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def prepare(page, target: Target) -> None:  # type: ignore[no-untyped-def]
    """Open the sidebar run expander that holds the slider (the app's learning rates live there)."""
    if target.expand_first_run:
        page.locator('[data-testid="stSidebar"] [data-testid="stExpander"] summary').first.click()
        slider_input(page, target.slider).wait_for(state="attached")


def load(browser, url: str, target: Target):  # type: ignore[no-untyped-def]
    """A fresh browser context and page on ``url``; returns (context, page, ms to first chart)."""
    ctx = watch_runs(browser.new_context(viewport={"width": 1400, "height": 1000}))  # runs' ends seen
    ctx.add_init_script(FIRST_CHART_PROBE)
    ctx.add_init_script(WEBSOCKET_PROBE)
    page = ctx.new_page()
    page.goto(url + "/" + target.query)
    wait_chart_ready(page, timeout_ms=120_000)
    return ctx, page, float(page.evaluate("() => window.__firstChart"))


def reload(page) -> float:  # type: ignore[no-untyped-def]
    """Reload ``page`` (browser cache warm, new Streamlit session); returns ms to first chart."""
    page.reload()
    wait_chart_ready(page, timeout_ms=120_000)
    return float(page.evaluate("() => window.__firstChart"))


def measure(browser, target: Target, moves: int, loads: int) -> Measured:  # type: ignore[no-untyped-def]
    """Serve ``target`` on a fresh server and measure it."""
    m = Measured()
    with streamlit_server(ROOT / target.script) as url:
        ctx, page, m.cold_first_chart_ms = load(browser, url, target)
        m.first_page_ws_bytes = int(page.evaluate("() => window.__ws.reduce((s, m) => s + m[1], 0)"))
        page.on("pageerror", lambda e: m.errors.append(str(e)))
        prepare(page, target)
        slider = slider_input(page, target.slider)
        timed_slider_move(page, slider)  # warm-up, not counted (the expander's opening may still be drawing)
        for _ in range(moves):
            m.moves_ms.append(timed_slider_move(page, slider))
            server, client, nbytes = last_move_breakdown(page)
            m.server_ms.append(server)
            m.client_ms.append(client)
            m.move_ws_bytes.append(nbytes)
        m.errors += [f"error element: {t[:200]}" for t in page.locator(ERROR_ELEMENTS).all_inner_texts()]
        for _ in range(loads):
            m.reload_ms.append(reload(page))
        ctx.close()
        for _ in range(loads):
            ctx, _page, ms = load(browser, url, target)
            m.first_chart_ms.append(ms)
            ctx.close()
    return m


def interleaved(browser, targets: list[Target], moves: int) -> list[list[float]]:  # type: ignore[no-untyped-def]
    """Serve every target at once and alternate one slider move on each, ``moves`` rounds; their times."""
    with contextlib.ExitStack() as stack:
        pages = []
        for target in targets:
            url = stack.enter_context(streamlit_server(ROOT / target.script))
            ctx, page, _ = load(browser, url, target)
            stack.callback(ctx.close)
            prepare(page, target)
            slider = slider_input(page, target.slider)
            timed_slider_move(page, slider)  # warm-up, not counted
            pages.append((page, slider))
        times: list[list[float]] = [[] for _ in targets]
        for _ in range(moves):
            for (page, slider), out in zip(pages, times, strict=True):
                out.append(timed_slider_move(page, slider))
        return times


def figure_bytes(script: str, query: str) -> tuple[int, int, list[int]]:
    """Through AppTest: (the animated panels' JSON bytes, all charts' JSON bytes, each chart's) of a scene.

    The panels are the browser-drawn component (``ui/paths_canvas``: its data, the paths, loss curves and
    surface image); the other charts are Plotly figures (the 3-D view, the sweeps).
    """
    from urllib.parse import parse_qs

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / script), default_timeout=120)
    for k, v in parse_qs(query.lstrip("?")).items():
        at.query_params[k] = v
    at.run()
    # the panels' UTF-8 JSON (ui/paths_canvas.py); the tab bar's small data is left out
    panels = [len(c.proto.bytes) for c in components(at, "paths_chart")]
    sizes = panels + [len(c.proto.spec.encode()) for c in at.get("plotly_chart")]
    return (panels[0] if panels else 0), sum(sizes), sizes


def main() -> None:
    """Measure the app and the floor, print the table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--moves", type=int, default=9, help="slider moves per page (median reported; ≥ 7)")
    ap.add_argument("--loads", type=int, default=5, help="warm page loads for time to first chart")
    ap.add_argument("--query", default="", help="the app's scene as a query string, e.g. '?seed=1'")
    ap.add_argument("--script", default="app.py", help="the app script to measure (e.g. a variant under test)")
    ap.add_argument("--interleave", type=int, default=0, help="also: N moves on each page, alternating")
    args = ap.parse_args()
    app = Target("app", args.script, APP_SLIDER, True, args.query)
    floor = Target("floor", "benchmarks/floor_app.py", FLOOR_SLIDER, False)
    controls = Target("floor with the app's controls", "benchmarks/floor_controls_app.py", FLOOR_SLIDER, True)
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        t = time.perf_counter()
        res = {tg.name: measure(browser, tg, args.moves, args.loads) for tg in (app, floor)}
        paired = interleaved(browser, [app, floor, controls], args.interleave) if args.interleave else None
        browser.close()
    paths, total, each = figure_bytes(args.script, args.query)
    a, f = res["app"], res["floor"]

    def row(name: str, va: float, vf: float, unit: str = "ms", target: bool = False) -> None:
        ratio = va / vf if vf else float("inf")
        verdict = ("ok" if ratio <= TARGET else "OVER") if target else ""
        print(f"{name:<34}{va:>12.0f}{vf:>12.0f}  {unit:<5}{ratio:>7.2f}×  {verdict}")

    took = time.perf_counter() - t
    print(f"\nspeed benchmark ({args.moves} moves, {args.loads} reloads and new-browser loads; {took:.0f} s)")
    print(f"{'':<34}{'app':>12}{'floor':>12}  {'':<5}{'ratio':>8}  (target ≤ {TARGET}×)")
    row("first chart, cold server", a.cold_first_chart_ms, f.cold_first_chart_ms)
    row("first chart, reload (median)", med(a.reload_ms), med(f.reload_ms), target=True)
    row("first chart, new browser (median)", med(a.first_chart_ms), med(f.first_chart_ms), target=True)
    row("slider→redraw (median)", med(a.moves_ms), med(f.moves_ms), target=True)
    row("slider→redraw (max)", max(a.moves_ms), max(f.moves_ms))
    row("  keydown→chart message (median)", med(a.server_ms), med(f.server_ms))
    row("  chart message→redrawn (median)", med(a.client_ms), med(f.client_ms))
    row("websocket bytes, first page", a.first_page_ws_bytes, f.first_page_ws_bytes, "B")
    row("websocket bytes per move (median)", med(a.move_ws_bytes), med(f.move_ws_bytes), "B")
    print(f"\nthe app's moves (ms): {[round(x) for x in a.moves_ms]}")
    print(f"the floor's moves (ms): {[round(x) for x in f.moves_ms]}")
    if paired is not None:
        row(f"slider→redraw, {args.interleave} interleaved (median)", med(paired[0]), med(paired[1]), target=True)
        print(f"interleaved, the app's moves (ms): {[round(x) for x in paired[0]]}")
        print(f"interleaved, the floor's moves (ms): {[round(x) for x in paired[1]]}")
        print(f"interleaved, the floor with the app's controls (ms): {[round(x) for x in paired[2]]}")
        print(
            f"  the floor with the app's controls: {med(paired[2]):.0f} ms, {med(paired[2]) / med(paired[1]):.2f}× "
            f"the floor; the app is {med(paired[0]) / med(paired[2]):.2f}× that page"
        )
    scene = f"scene {args.query}" if args.query else "default scene"
    print(f"{scene}: animated panels {paths} B of JSON data, all charts {total} B {each}")
    errors = a.errors + f.errors
    print(f"errors: {errors if errors else 'none'}")


if __name__ == "__main__":
    main()
