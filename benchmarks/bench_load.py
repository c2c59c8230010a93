"""A class at once (issue 7): N concurrent browser sessions against one server, beside the floor app.

One app server (``streamlit run app.py``, loopback) and N headless-Chromium sessions that open the
page (a few at a time, see ``--opening``) and then, all together, each move a slider M times (with a
short, jittered think time). Each session
asks for its own scene (``?seed=i``), so the sessions do not share cache entries: the worst case for
the server. Reports errors (page errors, Streamlit exception boxes, "connection" dialogs, websocket
closes, redraws that never came), time to first chart, p50/p95 slider→redraw, the server's CPU time
per slider move (from the moment every page is up; for the app it includes each session's one opening
of the run expander) and its resident memory, then the same for ``benchmarks/floor_app.py`` under the
same load, and the ratio; last, p50/p95 for ``benchmarks/floor_controls_app.py`` (the floor with the
app's controls around it, no computation: what Streamlit's reruns of a page with that many controls
cost by themselves).

Run by hand: ``python benchmarks/bench_load.py [--sessions 6] [--moves 8] [--think 0.5]``.
Every session runs in the same Chromium (one browser context each) on this machine, so the
browsers' rendering competes with the server for the CPU: the figures are pessimistic for a real
class, where each student's laptop renders its own page.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import DEVNULL, Popen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.async_api import async_playwright  # noqa: E402

from deploy.run_cluster import free_port, streamlit_command, wait_ok  # noqa: E402
from tests.harness import (  # noqa: E402
    ARM_REDRAW,
    CHART_READY,
    CHROMIUM,
    CHROMIUM_ARGS,
    ERROR_ELEMENTS,
    FIRST_CHART_PROBE,
    RUN_FINISHED,
)

TARGET = 1.5


@dataclass
class Page:
    """A page to load: its script, the label of the slider to move, and whether it hides in an expander."""

    name: str
    script: str
    slider: str
    expander: bool
    query: str


@dataclass
class Session:
    """What one browser session saw."""

    first_chart_ms: float = math.nan
    moves_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Load:
    """The result of one load run."""

    sessions: list[Session]
    wall_s: float
    rss_mb: float
    cpu_s: float  # the server's CPU seconds from the moment every page was up to the end

    @property
    def cpu_ms_per_move(self) -> float:
        """The server's CPU milliseconds per measured slider move."""
        return 1000 * self.cpu_s / len(self.moves) if self.moves else math.nan

    @property
    def moves(self) -> list[float]:
        """Every session's slider→redraw times."""
        return [m for s in self.sessions for m in s.moves_ms]

    @property
    def errors(self) -> list[str]:
        """Every session's errors."""
        return [e for s in self.sessions for e in s.errors]


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank) of ``values``; NaN if empty."""
    if not values:
        return math.nan
    v = sorted(values)
    return v[max(0, math.ceil(q / 100 * len(v)) - 1)]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of process ``pid`` so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MiB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return math.nan


@contextlib.contextmanager
def server(script: str) -> Iterator[tuple[str, Popen[bytes]]]:
    """``streamlit run script`` on a free loopback port; yields (url, process)."""
    port = free_port()
    proc = Popen(streamlit_command(ROOT / script, port), cwd=ROOT, stdout=DEVNULL, stderr=DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ok(f"{url}/_stcore/health", [proc])
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except Exception:
            proc.kill()


async def session(  # type: ignore[no-untyped-def]
    browser,
    url: str,
    page_spec: Page,
    i: int,
    moves: int,
    think: float,
    timeout_ms: float,
    opening: asyncio.Semaphore,
    ready: asyncio.Barrier,
    on_ready: Callable[[], None],
) -> Session:
    """One student: open the page (at most ``opening``'s count at once), wait for the chart, wait until every
    session has its chart (``ready``), then move the slider ``moves`` times."""
    s = Session()
    rng = random.Random(i)
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await ctx.add_init_script(FIRST_CHART_PROBE)
    page = await ctx.new_page()
    page.on("pageerror", lambda e: s.errors.append(f"page error: {e}"))
    page.on("websocket", lambda ws: ws.on("close", lambda _ws: s.errors.append("websocket closed")))
    arrived = False
    try:
        async with opening:
            await page.goto(url + "/" + page_spec.query.format(i=i), timeout=timeout_ms)
            await page.wait_for_function(CHART_READY, timeout=timeout_ms)
        s.first_chart_ms = float(await page.evaluate("() => window.__firstChart"))
        arrived = True
        await ready.wait()
        on_ready()
        if page_spec.expander:
            await page.locator('[data-testid="stSidebar"] [data-testid="stExpander"] summary').first.click()
        slider = page.locator(f'[data-testid="stSlider"] input[type="range"][aria-label="{page_spec.slider}"]').first
        for _ in range(moves):
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))  # a student's think time, not synchronisation
            await slider.focus()
            await page.evaluate(ARM_REDRAW, 0)
            await slider.press("ArrowRight")
            await page.wait_for_function("() => window.__redraw.t1 !== null", timeout=timeout_ms)
            await page.wait_for_function(RUN_FINISHED, timeout=timeout_ms)
            s.moves_ms.append(float(await page.evaluate("() => window.__redraw.t1 - window.__redraw.t0")))
        for text in await page.locator(ERROR_ELEMENTS).all_inner_texts():
            s.errors.append(f"error element: {text[:160]}")
    except Exception as e:  # a timeout or a crash is an error of this session, not of the benchmark
        s.errors.append(f"{type(e).__name__}: {str(e).splitlines()[0][:160]}")
        if not arrived:
            await ready.wait()  # release the others
    finally:
        await ctx.close()
    return s


async def run_load(page_spec: Page, n: int, moves: int, think: float, timeout_ms: float, opening: int) -> Load:
    """Serve ``page_spec`` and run ``n`` concurrent sessions against it (``opening`` page loads at a time)."""
    with server(page_spec.script) as (url, proc):
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            t = time.perf_counter()
            gate, ready = asyncio.Semaphore(opening), asyncio.Barrier(n)
            cpu_ready: list[float] = []

            def on_ready() -> None:  # the first session past the barrier: every page is up
                if not cpu_ready:
                    cpu_ready.append(cpu_seconds(proc.pid))

            args = (moves, think, timeout_ms, gate, ready, on_ready)
            sessions = await asyncio.gather(*(session(browser, url, page_spec, i, *args) for i in range(n)))
            wall = time.perf_counter() - t
            cpu = cpu_seconds(proc.pid) - (cpu_ready[0] if cpu_ready else math.nan)
            mem = rss_mb(proc.pid)
            await browser.close()
    return Load(list(sessions), wall, mem, cpu)


def main() -> None:
    """Run the load against the app and the floor; print the table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", "-n", type=int, default=6, help="concurrent browser sessions")
    ap.add_argument("--moves", "-m", type=int, default=8, help="slider moves per session")
    ap.add_argument("--think", type=float, default=0.5, help="mean seconds between a redraw and the next move")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds before a wait counts as an error")
    ap.add_argument("--script", default="app.py", help="the app script to load (e.g. a variant under test)")
    ap.add_argument(
        "--opening",
        type=int,
        default=2,
        help="pages loading at once (the browsers share this machine's CPU, so opening all at once measures "
        "Chromium parsing Plotly, not the server); the slider moves start together once every page is up",
    )
    args = ap.parse_args()
    if not 1 <= args.sessions <= 40 or not 1 <= args.moves <= 100:
        ap.error("keep it sane: 1–40 sessions, 1–100 moves")
    app = Page("app", args.script, "learning rate η", True, "?seed={i}")
    floor = Page("floor", "benchmarks/floor_app.py", "learning rate", False, "")
    controls = Page("controls", "benchmarks/floor_controls_app.py", "learning rate", True, "")
    res = {
        p.name: asyncio.run(run_load(p, args.sessions, args.moves, args.think, args.timeout * 1000, args.opening))
        for p in (app, floor, controls)
    }
    a, f = res["app"], res["floor"]

    def row(name: str, va: float, vf: float, unit: str = "ms", target: bool = False) -> None:
        ratio = va / vf if vf else (math.nan if va == vf else math.inf)
        verdict = ("ok" if ratio <= TARGET else "OVER") if target else ""
        print(f"{name:<30}{va:>10.0f}{vf:>10.0f}  {unit:<4}{ratio:>7.2f}×  {verdict}")

    print(
        f"\nload benchmark: {args.sessions} sessions × {args.moves} moves, think {args.think} s, "
        f"{args.opening} page loads at a time, one server each"
    )
    print(f"{'':<30}{'app':>10}{'floor':>10}  {'':<4}{'ratio':>8}  (target ≤ {TARGET}×, zero errors)")
    row("errors", len(a.errors), len(f.errors), "")
    firsts_a = [s.first_chart_ms for s in a.sessions if not math.isnan(s.first_chart_ms)]
    firsts_f = [s.first_chart_ms for s in f.sessions if not math.isnan(s.first_chart_ms)]
    row("first chart (median)", statistics.median(firsts_a or [math.nan]), statistics.median(firsts_f or [math.nan]))
    row("first chart (max)", max(firsts_a, default=math.nan), max(firsts_f, default=math.nan))
    row("slider→redraw p50", percentile(a.moves, 50), percentile(f.moves, 50))
    row("slider→redraw p95", percentile(a.moves, 95), percentile(f.moves, 95), target=True)
    row("moves measured", len(a.moves), len(f.moves), "")
    row("server CPU per move", a.cpu_ms_per_move, f.cpu_ms_per_move)
    row("server memory after", a.rss_mb, f.rss_mb, "MiB")
    row("wall time", a.wall_s, f.wall_s, "s")
    c = res["controls"]
    p50, p95 = percentile(c.moves, 50), percentile(c.moves, 95)
    vs_floor, app_vs = p95 / percentile(f.moves, 95), percentile(a.moves, 95) / p95
    print(
        f"the floor with the app's controls: {len(c.errors)} errors, slider→redraw p50 {p50:.0f} ms, p95 {p95:.0f} ms "
        f"({vs_floor:.2f}× the floor's p95; the app's p95 is {app_vs:.2f}× it), server CPU per move "
        f"{c.cpu_ms_per_move:.0f} ms"
    )
    for name, load in res.items():
        for e in load.errors[:10]:
            print(f"{name} error: {e}")


if __name__ == "__main__":
    main()
