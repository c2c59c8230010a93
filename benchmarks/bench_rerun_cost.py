"""What a rerun costs the browser as a page grows: the one-slider floor with extra elements, beside the app.

Serves ``benchmarks/floor_padded_app.py`` (the floor page plus ``k`` extra sidebar elements of one
kind, the slider and chart either rerunning the whole page or as a fragment) and the app, opens one
page per configuration in headless Chromium and moves each page's slider in turn (so that every
configuration sees the same load of the machine), and prints per configuration:

- the number of Streamlit elements on the page;
- slider→redraw ms (median of the moves), and its ratio to the bare floor's;
- the browser main thread's JavaScript ms per move (Chrome's ``ScriptDuration``, from keydown to the
  end of the rerun), and its ratio to the bare floor's.

It shows whether the gap between the app and the one-slider floor (issue 4's target, ≤ 1.5×) comes
from the app's own work or from what Streamlit's front end spends on every element of a page at each
rerun, the elements outside the fragment that reran included.

Usage: ``python benchmarks/bench_rerun_cost.py [--moves 9] [--k 40]``
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.harness import (  # noqa: E402
    ERROR_ELEMENTS,
    launch_chromium,
    slider_input,
    streamlit_server,
    timed_slider_move,
    wait_chart_ready,
)

PADDED = ROOT / "benchmarks" / "floor_padded_app.py"


@dataclass(frozen=True)
class Config:
    """One page to measure."""

    name: str
    script: Path
    query: str
    slider: str
    open_first_expander: bool = False


def configs(k: int) -> list[Config]:
    """The bare floor, the floor with ``k`` extra elements of each kind (whole-page rerun, and outside a
    fragment for the widgets), and the app's default scene."""
    out = [Config("floor", PADDED, "", "learning rate")]
    for kind in ("markdown", "slider", "selectbox"):
        out.append(Config(f"+{k} {kind}", PADDED, f"?k={k}&kind={kind}", "learning rate"))
        if kind != "markdown":
            out.append(
                Config(f"+{k} {kind}, outside a fragment", PADDED, f"?k={k}&kind={kind}&frag=1", "learning rate")
            )
    out.append(Config("the app (default scene)", ROOT / "app.py", "", "learning rate η", open_first_expander=True))
    return out


def script_ms(cdp) -> float:  # type: ignore[no-untyped-def]
    """The renderer main thread's JavaScript time so far, in ms."""
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return float(metrics["ScriptDuration"]) * 1000.0


def main() -> None:
    """Open every configuration, move the sliders in turn, print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=int, default=9, help="slider moves per page (median reported)")
    ap.add_argument("--k", type=int, default=40, help="extra elements on the padded floors (≤ 200)")
    args = ap.parse_args()
    cfgs = configs(args.k)
    t_start = time.perf_counter()
    errors: list[str] = []
    with sync_playwright() as pw, contextlib.ExitStack() as stack:
        browser = launch_chromium(pw)
        stack.callback(browser.close)
        urls = {script: stack.enter_context(streamlit_server(script)) for script in {c.script for c in cfgs}}
        pages = []
        for c in cfgs:
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            stack.callback(ctx.close)
            page = ctx.new_page()
            page.on("pageerror", lambda e, name=c.name: errors.append(f"{name}: {e}"))
            page.goto(urls[c.script] + "/" + c.query)
            wait_chart_ready(page, timeout_ms=120_000)
            if c.open_first_expander:
                page.locator('[data-testid="stSidebar"] [data-testid="stExpander"] summary').first.click()
            slider = slider_input(page, c.slider)
            slider.wait_for(state="attached")
            timed_slider_move(page, slider)  # warm-up, not counted
            cdp = ctx.new_cdp_session(page)
            cdp.send("Performance.enable")
            elements = page.locator('[data-testid="stElementContainer"]').count()
            pages.append((c, page, slider, cdp, elements))
        moves: dict[str, list[float]] = {c.name: [] for c in cfgs}
        scripts: dict[str, list[float]] = {c.name: [] for c in cfgs}
        for _ in range(args.moves):
            for c, page, slider, cdp, _ in pages:
                before = script_ms(cdp)
                moves[c.name].append(timed_slider_move(page, slider))
                scripts[c.name].append(script_ms(cdp) - before)
        for c, page, *_ in pages:
            errors += [f"{c.name}: {t[:200]}" for t in page.locator(ERROR_ELEMENTS).all_inner_texts()]
        counts = {c.name: n for c, *_, n in pages}

    med = statistics.median
    base_move, base_js = med(moves["floor"]), med(scripts["floor"])
    took = time.perf_counter() - t_start
    print(f"\nrerun cost in the browser ({args.moves} moves per page, interleaved; {took:.0f} s)")
    print(f"{'page':<40}{'elements':>9}{'slider→redraw':>15}{'ratio':>8}{'JS per move':>13}{'ratio':>8}")
    for c in cfgs:
        m, js = med(moves[c.name]), med(scripts[c.name])
        print(f"{c.name:<40}{counts[c.name]:>9}{m:>12.0f} ms{m / base_move:>7.2f}×{js:>10.0f} ms{js / base_js:>7.2f}×")
    print(f"errors: {'; '.join(errors) if errors else 'none'}")


if __name__ == "__main__":
    main()
