"""What only a browser shows: the chart renders, Play moves the paths, the surface stays drawn while
playing, the learning-rate slider redraws the paths, and no page errors. Headless Debian Chromium."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from PIL import Image

from tests.harness import CHROMIUM, launch_chromium, streamlit_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium on this machine (CI installs it)"),
]

READY = "(() => {{ const g = {}; return g && g.querySelector('.scatterlayer .trace'); }})()"
PATHS_PLOT = "Array.from(document.querySelectorAll('.js-plotly-plot')).find(g => g.layout && g.layout.sliders)"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with streamlit_server() as url:
        yield url


@pytest.fixture()
def page(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        pg = context.new_page()
        pg.errors = []  # type: ignore[attr-defined]
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
        yield pg
        browser.close()


def open_app(page: Any, url: str, query: str = "") -> None:
    page.goto(url + "/" + query)
    page.wait_for_function(READY.format(PATHS_PLOT), timeout=180_000)


def trail_length(page: Any, name: str) -> int:
    return int(
        page.evaluate(
            f"(() => {{ const g = {PATHS_PLOT}; "
            f"return g.data.find(t => t.name === {name!r} && t.mode === 'lines').x.length; }})()"
        )
    )


def surface_images(page: Any) -> int:
    return int(page.evaluate(f"{PATHS_PLOT}.querySelectorAll('.imagelayer image').length"))


def contrast(png: bytes) -> float:
    """Standard deviation of the luminance: a blank panel is near 0, drawn contour bands are not."""
    return float(np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float).std())


def test_chart_renders_without_errors(page: Any, server: str) -> None:
    open_app(page, server)
    assert page.locator('[data-testid="stException"]').count() == 0
    n_traces = page.evaluate(f"{PATHS_PLOT}.querySelectorAll('.scatterlayer .trace').length")
    assert n_traces >= 4
    assert surface_images(page) >= 4, "each panel has its surface image"
    assert page.errors == []


def test_play_moves_the_paths_and_the_surface_stays(page: Any, server: str) -> None:
    open_app(page, server, "?r=gd~lr:0.001&r=adam~lr:0.05&steps=300")
    plot = page.locator(".js-plotly-plot").first
    before = contrast(plot.screenshot())
    full = trail_length(page, "Gradient descent")
    page.locator(".updatemenu-button", has_text="Replay").click()
    # The animation restarts from step 0: the trail becomes short, then grows again.
    page.wait_for_function(
        f"(() => {{ const g = {PATHS_PLOT}; const t = g.data.find(t => t.name === "
        f"'Gradient descent' && t.mode === 'lines'); return t.x.length < {full} / 2; }})()"
    )
    early = trail_length(page, "Gradient descent")
    during = contrast(plot.screenshot())
    assert surface_images(page) >= 2
    page.wait_for_function(
        f"(() => {{ const g = {PATHS_PLOT}; const t = g.data.find(t => t.name === "
        f"'Gradient descent' && t.mode === 'lines'); return t.x.length > {early} + 5; }})()"
    )
    assert during > 0.7 * before, f"surface faded while playing: contrast {during:.1f} vs {before:.1f}"
    assert before > 5, "the surface is drawn with visible contrast"
    assert page.errors == []


def test_learning_rate_slider_redraws_the_paths(page: Any, server: str) -> None:
    open_app(page, server, "?r=gd~lr:0.001&r=adam~lr:0.05")
    x_before = page.evaluate(f"{PATHS_PLOT}.data.find(t => t.name === 'Gradient descent' && t.mode === 'lines').x")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stExpander"]', has_text="Gradient descent").locator("summary").click()
    slider = sidebar.locator('[data-testid="stSlider"]', has_text="learning rate η").first
    thumb = slider.locator('input[type="range"]')
    thumb.focus()
    for _ in range(4):
        thumb.press("ArrowRight")
    page.wait_for_url("**lr*0.002**", timeout=120_000)
    page.wait_for_function(
        f"(() => {{ const t = {PATHS_PLOT}.data.find(t => t.name === 'Gradient descent' && t.mode === 'lines'); "
        f"return JSON.stringify(t.x) !== {json.dumps(json.dumps(x_before))}; }})()",
        timeout=120_000,
    )
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.errors == []


def test_junk_url_shows_a_message_not_a_traceback(page: Any, server: str) -> None:
    page.goto(server + "/?ls=%3Cscript%3Ealert(1)%3C/script%3E&x0=NaN&steps=1e999&r=..%2F..%2Fetc%2Fpasswd")
    page.wait_for_selector('[data-testid="stAlert"]', timeout=180_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    text = page.locator('[data-testid="stAlert"]').first.inner_text()
    assert "not usable" in text
    page.wait_for_function(READY.format(PATHS_PLOT), timeout=180_000)
    assert page.errors == []


def test_clicking_the_surface_sets_the_start_point(page: Any, server: str) -> None:
    open_app(page, server, "?r=gd~lr:0.002&r=adam~lr:0.1")
    # Pixel of the data point (0.4, 2.0) in the first panel (a node of the clickable grid).
    x, y = page.evaluate(
        f"(() => {{ const g = {PATHS_PLOT}; const r = g.getBoundingClientRect(); const xa = g._fullLayout.xaxis, "
        "ya = g._fullLayout.yaxis; return [r.left + xa._offset + xa.l2p(0.4), r.top + ya._offset + ya.l2p(2.0)]; })()"
    )
    page.mouse.click(x, y)
    page.wait_for_url("**x0=0.4**", timeout=120_000)
    assert "y0=2" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.errors == []
