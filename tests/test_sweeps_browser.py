"""In Chromium: the sweep heatmap renders, and clicking one of its cells loads that setting into the run."""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.harness import CHROMIUM, RUN_FINISHED, launch_chromium, streamlit_server, wait_chart_ready, watch_runs

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing"),
]

# The sweep figure: the graph div whose data has the invisible cell trace.
CELL_PIXEL = """
([i, j]) => {
  const gd = [...document.querySelectorAll('[role=tabpanel] .js-plotly-plot')]
    .find(g => g.data && g.data.some(t => t.meta === 'sweep-cells'));
  if (!gd || !gd._fullLayout || !gd._fullLayout.xaxis._length) return null;
  const heat = gd.data[0];
  if (heat.type !== 'heatmap' || !gd.querySelector('.hm image, .heatmaplayer image')) return null;
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.querySelector('.draglayer .nsewdrag, .nsewdrag').getBoundingClientRect();
  return {
    px: box.left + xa.d2p(heat.x[j]),
    py: box.top + ya.d2p(heat.y[i]),
    x: heat.x[j], y: heat.y[i], nx: heat.x.length,
  };
}
"""


def _lr_of(query: dict[str, list[str]], optimizer: str) -> float | None:
    for r in query.get("r", []):
        parts = r.split("~")
        if parts[0] == optimizer:
            for p in parts[1:]:
                k, _, v = p.partition(":")
                if k == "lr":
                    return float(v)
    return None


def test_heatmap_renders_and_a_click_loads_the_setting() -> None:
    from playwright.sync_api import expect, sync_playwright

    query = "?r=momentum~lr:0.002&steps=60&sw_n=25"
    with streamlit_server() as url, sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = watch_runs(browser.new_context(viewport={"width": 1400, "height": 1100})).new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "/" + query)
        wait_chart_ready(page, 180_000)
        # A session's second run (the update rules, once the panels are drawn) follows the first: let it
        # finish before switching tabs, so the click is not part of the page's first-load sequence.
        page.wait_for_function("() => !!document.querySelector('.katex')", timeout=120_000)
        page.wait_for_function(RUN_FINISHED, timeout=120_000)
        tab = page.get_by_role("tab", name="Sweeps")
        tab.click(timeout=120_000)
        expect(tab).to_have_attribute("aria-selected", "true", timeout=60_000)
        handle = page.wait_for_function(CELL_PIXEL, arg=[20, 18], timeout=120_000)
        cell = handle.json_value()
        assert cell["nx"] == 25
        panel = page.locator("[role=tabpanel]:visible")
        panel.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
        page.wait_for_function(RUN_FINISHED, timeout=120_000)
        cell = page.evaluate(CELL_PIXEL, [20, 18])  # positions after scrolling
        chart = panel.locator(".js-plotly-plot").first
        top = chart.bounding_box()["y"]
        page.mouse.move(cell["px"], cell["py"])
        page.mouse.click(cell["px"], cell["py"])
        loaded = page.get_by_text(re.compile(r"Loaded η = .* into"))
        expect(loaded).to_be_visible(timeout=60_000)
        # The message stands under the map: above it, it pushed the map 128 px down under the pointer.
        assert abs(chart.bounding_box()["y"] - top) <= 1
        # It names the run, not its old label; η snaps to the slider's steps, which it says.
        message = loaded.inner_text()
        assert "into Momentum (EMA):" in message, message
        # the setting reached the sidebar, so it is in the shared URL: η ≈ 10^x, β ≈ 1 - 10^-y
        page.wait_for_function("() => decodeURIComponent(location.search).includes('beta:')", timeout=60_000)
        q = parse_qs(urlparse(page.url).query)
        lr = _lr_of(q, "momentum")
        assert lr is not None and lr != 0.002
        assert abs(math.log10(lr) - cell["x"]) < 0.05  # the sidebar's log slider snaps to 1-1.2-1.5-2-…
        if abs(math.log10(lr) - cell["x"]) > 1e-3:
            assert "rounded to the nearest value the sidebar's slider holds" in message, message
        beta = float(next(p for p in q["r"][0].split("~") if p.startswith("beta:")).split(":")[1])
        assert abs(beta - (1 - 10 ** -cell["y"])) < 2e-4
        assert q.get("sw_n") == ["25"]
        # the marker of the current setting moved onto the clicked cell
        marker = page.wait_for_function(
            """([x, y]) => {
                const gd = [...document.querySelectorAll('[role=tabpanel] .js-plotly-plot')]
                  .find(g => g.data && g.data.some(t => t.meta === 'sweep-cells'));
                const m = gd && gd.data.find(t => String(t.name).includes('now'));
                return m && Math.abs(m.x[0] - x) < 0.05 && Math.abs(m.y[0] - y) < 0.05 ? m.name : null;
            }""",
            arg=[cell["x"], cell["y"]],
            timeout=60_000,
        ).json_value()
        assert "Momentum" in marker
        # The run controls and the Playground are a fragment; with this tab open, a run's setting moved
        # in the sidebar reruns the whole page, so the marker follows it.
        sidebar = page.locator('[data-testid="stSidebar"]')
        lr_slider = sidebar.locator('[data-testid="stSlider"]', has_text="learning rate η")
        if not lr_slider.count():
            sidebar.locator('[data-testid="stExpander"]', has_text="Momentum").locator("summary").click()
        page.wait_for_function(RUN_FINISHED, timeout=120_000)
        before = math.log10(lr)  # where the marker is now
        thumb = lr_slider.locator('input[type="range"]').first
        thumb.focus()
        thumb.press("ArrowRight")
        moved = page.wait_for_function(
            """(x) => {
                const gd = [...document.querySelectorAll('[role=tabpanel] .js-plotly-plot')]
                  .find(g => g.data && g.data.some(t => t.meta === 'sweep-cells'));
                const m = gd && gd.data.find(t => String(t.name).includes('now'));
                return m && Math.abs(m.x[0] - x) > 0.01 ? m.x[0] : null;
            }""",
            arg=before,
            timeout=60_000,
        ).json_value()
        page.wait_for_function(RUN_FINISHED, timeout=120_000)
        new_lr = _lr_of(parse_qs(urlparse(page.url).query), "momentum")
        assert new_lr is not None and new_lr > lr and abs(math.log10(new_lr) - moved) < 1e-6
        assert not errors, errors
        browser.close()
