"""Scale-out deployment: two app processes behind nginx (deploy/nginx.conf via deploy/run_cluster.py).

Checks the sticky-session contract (one route cookie → one process; a new browser gets a cookie,
a returning one does not), then drives a real Chromium session through nginx: the chart renders
over the proxied websocket, a slider move redraws it, and nothing errors.
"""

from __future__ import annotations

import gzip
import re
import shutil
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import pytest

from tests.harness import (
    CHROMIUM,
    ERROR_ELEMENTS,
    launch_chromium,
    slider_input,
    timed_slider_move,
    wait_chart_ready,
    watch_runs,
)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed (apt-get install nginx)"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not found at {CHROMIUM}"),
]
COOKIE = "playground_route"


def _get(url: str, cookie: str | None = None) -> urllib.request.addinfourl:
    req = urllib.request.Request(url, headers={"Cookie": f"{COOKIE}={cookie}"} if cookie else {})
    return urllib.request.urlopen(req, timeout=10)


def _log(path: Path) -> list[tuple[str, str, str, str]]:
    """(route, upstream, status, request line) of each access-log line."""
    rows = []
    for line in path.read_text().splitlines():
        route, upstream, status, request = line.split(" ", 3)
        rows.append((route, upstream, status, request.strip('"')))
    return rows


@pytest.fixture(scope="module")
def two_processes():  # type: ignore[no-untyped-def]
    from deploy.run_cluster import cluster

    with cluster(2) as c:
        yield c


def test_route_cookie_is_sticky_and_spreads_browsers(two_processes) -> None:  # type: ignore[no-untyped-def]
    c = two_processes
    first = _get(c.url + "/")
    assert first.status == 200
    set_cookie = [h for h in first.headers.get_all("Set-Cookie") or [] if h.startswith(COOKIE + "=")]
    assert len(set_cookie) == 1, first.headers.get_all("Set-Cookie")
    value = set_cookie[0].split(";")[0].split("=", 1)[1]
    assert len(value) == 32 and all(ch in "0123456789abcdef" for ch in value)  # nginx's $request_id
    again = _get(c.url + "/", cookie=value)
    assert not [h for h in again.headers.get_all("Set-Cookie") or [] if h.startswith(COOKIE + "=")]

    # Streamlit's JavaScript leaves nginx gzipped (Streamlit itself sends it uncompressed).
    script = re.search(r'src="\.?/?(static/js/[^"]+\.js)"', first.read().decode()).group(1)
    plain = urllib.request.urlopen(f"{c.backends[0]}/{script}", timeout=10)
    assert plain.headers.get("Content-Encoding") is None
    size = len(plain.read())
    req = urllib.request.Request(f"{c.url}/{script}", headers={"Accept-Encoding": "gzip", "Cookie": f"{COOKIE}=x"})
    with urllib.request.urlopen(req, timeout=10) as zipped:
        assert zipped.headers.get("Content-Encoding") == "gzip"
        body = zipped.read()
    assert len(body) < size and len(gzip.decompress(body)) == size

    routes = [f"student-{i}" for i in range(16)]
    for _ in range(3):
        for r in routes:
            assert _get(c.url + "/_stcore/health", cookie=r).read() == b"ok"
    upstreams: dict[str, set[str]] = defaultdict(set)
    for route, upstream, status, request in _log(c.access_log):
        if route in routes:
            assert status == "200" and request.startswith("GET /_stcore/health")
            upstreams[route].add(upstream)
    assert set(upstreams) == set(routes)
    assert all(len(u) == 1 for u in upstreams.values()), upstreams  # each browser stays on one process
    used = set().union(*upstreams.values())
    assert used == {b.removeprefix("http://") for b in c.backends}  # and the class spreads over both


def test_browser_session_through_nginx(two_processes) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    c = two_processes
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        ctx = watch_runs(browser.new_context(viewport={"width": 1400, "height": 1000}))
        page = ctx.new_page()
        errors: list[str] = []
        sockets: list[str] = []
        closed: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("websocket", lambda ws: (sockets.append(ws.url), ws.on("close", lambda w: closed.append(w.url))))
        page.goto(c.url + "/")
        wait_chart_ready(page, timeout_ms=120_000)
        assert sockets and all(s.startswith(c.url.replace("http", "ws", 1) + "/_stcore/stream") for s in sockets)
        route = next(k["value"] for k in ctx.cookies() if k["name"] == COOKIE)

        page.locator('[data-testid="stSidebar"] [data-testid="stExpander"] summary').first.click()
        slider = slider_input(page, "learning rate η")
        before = slider.get_attribute("aria-valuetext")
        ms = timed_slider_move(page, slider)  # raises if the chart's traces never change
        assert ms > 0
        assert slider.get_attribute("aria-valuetext") != before
        assert page.locator(ERROR_ELEMENTS).count() == 0
        assert not errors and not closed
        ctx.close()
        browser.close()

    # Every request of that browser, the websocket included, went to one process. nginx writes the
    # websocket's line when it closes, so poll the log briefly for it.
    deadline = time.monotonic() + 15
    while True:
        mine = [row for row in _log(c.access_log) if row[0] == route]
        if any("/_stcore/stream" in row[3] for row in mine) or time.monotonic() > deadline:
            break
        time.sleep(0.1)  # polling interval while nginx flushes the closed websocket's log line
    assert any("/_stcore/stream" in row[3] and row[2] == "101" for row in mine), mine
    assert len({row[1] for row in mine}) == 1, mine
