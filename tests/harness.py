"""Start the app (or any Streamlit script) on a free local port, and Chromium through Playwright.

Used by the browser tests and by the benchmarks. Chromium is Debian's ``/usr/bin/chromium``; no
browser is downloaded.
"""

from __future__ import annotations

import contextlib
import os
import re
import string
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from deploy.run_cluster import free_port, streamlit_command

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def wait_healthy(url: str, proc: subprocess.Popen[bytes] | None = None, timeout: float = 60.0) -> None:
    """Poll Streamlit's health endpoint until it answers ``ok`` (raises if the process dies or time runs out)."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError as e:
            last = e
        time.sleep(0.1)  # polling interval of a readiness probe, not a synchronisation sleep
    raise TimeoutError(f"{url} did not become healthy: {last}")


@contextlib.contextmanager
def streamlit_server(
    script: str | Path = "app.py", port: int | None = None, extra: tuple[str, ...] = ()
) -> Iterator[str]:
    """Run ``streamlit run script`` on 127.0.0.1 and yield its base URL."""
    port = port or free_port()
    cmd = [*streamlit_command(Path(script), port), *extra]
    log = open(os.devnull, "wb")  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def launch_chromium(playwright):  # type: ignore[no-untyped-def]
    """Headless Debian Chromium through Playwright."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)


# --- measuring the page in the browser (benchmarks and the deployment test) --------------------------
#: Installed before any page script: records ``window.__firstChart``, the ``performance.now()`` (ms since
#: navigation start) at which the first Plotly chart has a rendered trace.
FIRST_CHART_PROBE = """
(() => {
  const seen = () => document.querySelector('.js-plotly-plot .scatterlayer .trace, .pp-host[data-draws]');
  const o = new MutationObserver(() => {
    if (window.__firstChart === undefined && seen()) { window.__firstChart = performance.now(); o.disconnect(); }
  });
  o.observe(document, {childList: true, subtree: true});
})();
"""


def _on_websocket_message(setup: str, on_message: str) -> str:
    """A script to install before any page script: runs ``setup``, then calls ``on_message(event)`` for every
    message of every websocket the page opens, before the page's own handlers see it."""
    return f"""
(() => {{
  {setup}
  const Orig = window.WebSocket;
  const onMessage = {on_message};
  function Watched(...args) {{
    const ws = new Orig(...args);
    ws.addEventListener('message', onMessage);
    return ws;
  }}
  Watched.prototype = Orig.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Watched[k] = Orig[k];
  window.WebSocket = Watched;
}})();
"""


#: Installed before any page script: every websocket message's arrival, ``[performance.now(), bytes]``,
#: in ``window.__ws`` (recorded before Streamlit handles the message).
WEBSOCKET_PROBE = _on_websocket_message(
    "window.__ws = [];",
    """(e) => {
    const d = e.data;
    window.__ws.push([performance.now(), d.byteLength ?? d.size ?? d.length ?? 0]);
  }""",
)

#: Arms a redraw probe on chart ``index`` (the page's charts in document order: the app's browser-drawn
#: panels, ``.pp-host``, and Plotly charts): ``t0`` = the next keydown, ``t1`` = the first DOM change after
#: it at which the chart shows other data (the panels' data signature, which they set when they have
#: redrawn with new paths; a Plotly chart's trace paths and marker positions).
ARM_REDRAW = """
(index) => {
  const sig = () => {
    const chart = document.querySelectorAll('.pp-host, .js-plotly-plot')[index];
    if (!chart) return '';
    if (chart.classList.contains('pp-host')) return chart.dataset.signature || '';
    return Array.from(chart.querySelectorAll('.scatterlayer .trace path'))
      .map(p => (p.getAttribute('d') || '') + (p.getAttribute('transform') || '')).join('|');
  };
  if (window.__redraw && window.__redraw.observer) window.__redraw.observer.disconnect();
  const r = {t0: null, t1: null, base: sig()};
  r.onkey = () => { if (r.t0 === null) r.t0 = performance.now(); };
  document.addEventListener('keydown', r.onkey, {capture: true, once: true});
  r.observer = new MutationObserver(() => {
    if (r.t0 === null || r.t1 !== null) return;
    const now = sig();  // '' while a chart is being replaced: not a redraw yet
    if (now !== '' && now !== r.base) { r.t1 = performance.now(); r.observer.disconnect(); }
  });
  r.observer.observe(document.body, {childList: true, subtree: true, attributes: true,
                                     attributeFilter: ['d', 'transform', 'data-signature']});
  window.__redraw = r;
  return r.base.length;
}
"""

#: Installed before any page script (:func:`watch_runs`): whether the server is running a script, in
#: ``window.__runs.running``, read from each websocket message's top-level protobuf fields as it arrives: a
#: ``new_session`` message (ForwardMsg field 4) starts a run or fragment run, ``script_finished`` (field 6)
#: ends the current one. (A run cut short by the next one may send no ``script_finished`` of its own, as
#: quick key presses show: counting the two kinds would not do.)
RUN_PROBE = _on_websocket_message(
    "window.__runs = {running: false};",
    """(e) => {
    if (!(e.data instanceof ArrayBuffer)) return;
    const b = new Uint8Array(e.data);
    let i = 0;
    const varint = () => {
      let v = 0, m = 1, c;
      do { c = b[i++]; v += (c & 127) * m; m *= 128; } while (c & 128 && i < b.length);
      return v;
    };
    while (i < b.length) {
      const key = varint(), field = Math.floor(key / 8), wire = key % 8;
      if (field === 4) window.__runs.running = true;
      if (field === 6) window.__runs.running = false;
      if (wire === 0) varint();
      else if (wire === 1) i += 8;
      else if (wire === 2) { const n = varint(); i += n; }
      else if (wire === 5) i += 4;
      else return;  // groups: not used by Streamlit
    }
  }""",
)

_IDLE = """!document.querySelector('[data-stale="true"]') && !document.querySelector('[data-testid="stStatusWidget"]')
  && !(window.__runs && window.__runs.running)"""

#: True once Streamlit has finished the rerun: the server's last run has finished (where
#: :data:`RUN_PROBE` is installed: Streamlit shows its "running" widget only after a delay, so a short run
#: may show nothing), nothing is marked stale and no "running" status widget shows.
RUN_FINISHED = f"() => {_IDLE}"


def finished_with(condition: str) -> str:
    """A ``wait_for_function`` body: the JavaScript expression ``condition`` holds and Streamlit is idle."""
    return f"() => ({condition}) && {_IDLE}"


#: A JavaScript expression: the page's layout has settled for what the browser reported to the server: the
#: sidebar is drawn and nothing moves (its opening slides the column narrower), and every screen reporter
#: (``ui/screen.js``) last sent the width its column has now (within the reporter's slack). With
#: :data:`_IDLE` (:func:`finished_with`), the page is drawn for the column it stands in.
LAYOUT_SETTLED = """(
  !!document.querySelector('[data-testid=stSidebarUserContent] [data-testid=stElementContainer]')
  && document.getAnimations().every((a) => a.playState !== 'running')
  && [...document.querySelectorAll('[data-sent-width]')].every(
       (b) => Math.abs(Number(b.dataset.sentWidth) - b.getBoundingClientRect().width) <= 24)
)"""

#: A chart drawn (Plotly traces, or the app's panels), Streamlit idle.
CHART_READY = f"""
() => !!document.querySelector('.js-plotly-plot .scatterlayer .trace, .pp-host[data-draws]')
  && {_IDLE}
"""


def watch_runs(context: Any) -> Any:
    """Install :data:`RUN_PROBE` in every page of the Playwright browser ``context``; returns the context."""
    context.add_init_script(RUN_PROBE)
    return context


#: What a broken page shows: Streamlit exception boxes, error boxes, or the "connection lost" dialog.
ERROR_ELEMENTS = '[data-testid="stException"], [data-testid="stConnectionStatus"]'


def slider_input(page, label: str):  # type: ignore[no-untyped-def]
    """The keyboard-focusable input of the Streamlit slider (or select slider) labelled ``label``."""
    return page.locator(f'[data-testid="stSlider"] input[type="range"][aria-label="{label}"]').first


def wait_chart_ready(page, timeout_ms: float = 60_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until a Plotly chart has rendered traces and Streamlit is idle."""
    page.wait_for_function(CHART_READY, timeout=timeout_ms)


def timed_slider_move(page, slider, key: str = "ArrowRight", chart: int = 0, timeout_ms: float = 60_000) -> float:  # type: ignore[no-untyped-def]
    """Press ``key`` on ``slider`` and return the milliseconds from the keydown to the redraw of chart ``chart``.

    Waits for the chart's traces to change after the key press, then for Streamlit's rerun to finish,
    so moves can be chained. Raises ``playwright`` ``TimeoutError`` if the chart does not change.
    """
    slider.focus()
    page.evaluate(ARM_REDRAW, chart)
    slider.press(key)
    page.wait_for_function("() => window.__redraw.t1 !== null", timeout=timeout_ms)
    page.wait_for_function(RUN_FINISHED, timeout=timeout_ms)
    return float(page.evaluate("() => window.__redraw.t1 - window.__redraw.t0"))


def last_move_breakdown(page) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """For the last :func:`timed_slider_move` on a page with :data:`WEBSOCKET_PROBE`: (ms from keydown to the
    arrival of the largest websocket message, ms from that arrival to the redraw, bytes received in between)."""
    t0, t1, arrival, _size, total = page.evaluate(
        """() => {
      const r = window.__redraw, msgs = (window.__ws || []).filter(([t]) => t >= r.t0 && t <= r.t1);
      if (!msgs.length) return [r.t0, r.t1, r.t1, 0, 0];
      const big = msgs.reduce((a, b) => (b[1] > a[1] ? b : a));
      return [r.t0, r.t1, big[0], big[1], msgs.reduce((s, m) => s + m[1], 0)];
    }"""
    )
    return float(arrival - t0), float(t1 - arrival), int(total)


# --- AppTest ------------------------------------------------------------------------------------------
def components(at: Any, key: str) -> list[Any]:
    """An ``AppTest`` page's browser-side components keyed ``key`` (``paths_chart``: the panels;
    ``page_tabs``: the tab bar)."""
    return [el for el in at.get("bidi_component") if el.proto.id.endswith(key)]


# --- what Markdown shows ------------------------------------------------------------------------------
#: CommonMark: a backslash before an ASCII punctuation character shows that character, never markup.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def markdown_shown(markdown: str) -> str:
    """``markdown`` with its backslash escapes resolved (the text a reader sees, markup aside)."""
    return _ESCAPED.sub(r"\1", markdown)


def unescaped_punctuation(markdown: str) -> str:
    """The ASCII punctuation characters of ``markdown`` that are not backslash-escaped: what Markdown may
    read as markup."""
    return "".join(ch for ch in _ESCAPED.sub("", markdown) if ch in string.punctuation)
