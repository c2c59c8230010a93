"""What only a browser shows: the panels render, Play/Pause/Replay and the scrubber move the paths, the
surface stays drawn while playing, the learning-rate slider redraws the paths, a click sets the start,
and no page errors. Headless Debian Chromium."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import re
import socket
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import lessons
import optimizers
from tests.harness import (
    CHROMIUM,
    LAYOUT_SETTLED,
    ROOT,
    RUN_FINISHED,
    finished_with,
    launch_chromium,
    streamlit_server,
    watch_runs,
)
from ui import state

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium on this machine (CI installs it)"),
]

HOST = "document.querySelector('.pp-host')"
READY = "() => { const h = document.querySelector('.pp-host'); return !!h && Number(h.dataset.draws) > 0; }"
GD_ORANGE = (213, 94, 0)  # the first run's colour (viz.style.PALETTE[0])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with streamlit_server() as url:
        yield url


@pytest.fixture()
def page(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        context = watch_runs(browser.new_context(viewport={"width": 1400, "height": 1000}))
        pg = context.new_page()
        pg.errors = []  # type: ignore[attr-defined]
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
        yield pg
        browser.close()


def open_app(page: Any, url: str, query: str = "") -> None:
    page.goto(url + "/" + query)
    page.wait_for_function(READY, timeout=180_000)


def host(page: Any, key: str) -> str:
    return str(page.evaluate(f"{HOST}.dataset.{key}"))


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


def contrast(png: bytes) -> float:
    """Standard deviation of the luminance: a blank panel is near 0, drawn contour bands are not."""
    return float(np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float).std())


def coloured(png: bytes, rgb: tuple[int, int, int] = GD_ORANGE, tol: float = 40.0) -> int:
    """How many pixels are close to ``rgb`` (a path and its marker in that colour)."""
    return int((np.abs(pixels(png) - np.array(rgb)).sum(axis=-1) < tol).sum())


def test_chart_renders_without_errors(page: Any, server: str) -> None:
    open_app(page, server)
    assert page.locator('[data-testid="stException"]').count() == 0
    canvases = page.locator(".pp-host canvas.pp-canvas")
    assert canvases.count() == 4, "one panel per default optimizer"
    titles = page.locator(".pp-host .pp-title").all_inner_texts()
    assert titles == ["Gradient descent", "Momentum (EMA)", "RMSprop", "Adam"]
    first = canvases.first.screenshot()
    assert contrast(first) > 5, "the surface is drawn with visible contrast"
    assert coloured(first) > 50, "the gradient-descent path is drawn in its colour"
    assert "Gradient descent: from (-1.2, 1) to" in str(canvases.first.get_attribute("aria-label"))
    loss = page.locator(".pp-host canvas.pp-loss-canvas")
    assert loss.is_visible() and coloured(loss.screenshot()) > 50, "the loss curves are drawn under the panels"
    assert page.locator(".pp-loss .pp-key").all_inner_texts() == titles, "with a key for every run"
    rows = page.locator(".pp-summary tr").all_inner_texts()
    assert len(rows) == 5 and rows[0].split("\t")[:2] == ["optimizer", "final loss"], "the summary table"
    # The first run holds the update rules back until the panels report that they are drawn; then they
    # come by themselves, typeset.
    rules = page.locator('[data-testid="stMainBlockContainer"] .katex-display')
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stMainBlockContainer\"] .katex-display').length === 4",
        timeout=60_000,
    )
    assert "Gradient descent" in rules.first.locator("xpath=../../..").inner_text()
    assert page.errors == []


def test_the_websocket_offers_compression(server: str) -> None:
    # Each slider move sends the panels' data and the component's JS and CSS (about 86 kB for the default
    # scene); with permessage-deflate (.streamlit/config.toml) about 34 kB of it crosses the network. The
    # server agrees to it in the handshake that a browser opens.
    host, port = urlparse(server).hostname, urlparse(server).port
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n"
        f"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\nOrigin: {server}\r\n\r\n"
    )
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                break
            head += chunk
    lines = head.decode(errors="replace").lower().split("\r\n")
    assert lines[0].startswith("http/1.1 101"), lines[0]
    assert any(line.startswith("sec-websocket-extensions:") and "permessage-deflate" in line for line in lines), lines


# Eight runs whose rules have every variant the page can write: ε under the root, no bias correction,
# AMSGrad, noise, both clippings, weight decay, every schedule, centered RMSprop with momentum, Nesterov,
# dampening, Adagrad's decay, and the three longest rules (NAdam, RAdam, AdamW).
EVERY_RULE = (
    "?r=adam~amsgrad:1~bias_correction:0~clip_norm:1~clip_value:2~eps_inside:1~noise:0.5~schedule:cosine"
    "~weight_decay:0.1&r=rmsprop~centered:1~eps_inside:1~momentum:0.9~schedule:step~weight_decay:0.01"
    "&r=sgd~momentum:0.9~nesterov:1~schedule:inverse_time~weight_decay:0.01&r=sgd~dampening:0.5~momentum:0.9"
    "&r=adagrad~initial_accumulator_value:0.1~lr_decay:0.01~schedule:exponential&r=nadam"
    "&r=radam~weight_decay:0.1&r=adamw~amsgrad:1&steps=50"
)
RULES = '[data-testid="stMainBlockContainer"] .katex-display'


@pytest.mark.parametrize("width", [1400, 900, 360])  # 900: the sidebar open leaves a 440-pixel column
def test_update_rules_typeset_and_fit_their_column(page: Any, server: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    open_app(page, server, EVERY_RULE)
    page.wait_for_function(f"() => document.querySelectorAll('{RULES}').length === 8", timeout=60_000)
    assert page.locator(".katex-error").count() == 0, "every rule parses"
    # A rule wider than its column is cut off (or scrolls): on a desktop two rules share the width, on a
    # phone each has the whole of it.
    overflow = page.evaluate(f"() => [...document.querySelectorAll('{RULES}')].map(e => e.scrollWidth - e.clientWidth)")
    assert max(overflow) <= 1, overflow
    # Two rules a row where they fit (a column of 600 px or more), else one: in half of a 440-pixel column the
    # longest scrolled sideways.
    lefts = page.evaluate(f"() => [...document.querySelectorAll('{RULES}')].map(e => e.getBoundingClientRect().left)")
    column = page.evaluate("document.querySelector('.st-key-update_rules').clientWidth")
    assert len({round(x) for x in lefts}) == (2 if column > 600 else 1), (column, lefts)
    assert page.errors == []


def test_step_by_step_rule_fits_a_phone(page: Any, server: str) -> None:
    # On a phone (its User-Agent says "Mobi") the substituted rule has one equality per row and a slightly
    # smaller font: Adam's last row, a fraction of two columns, was 328 px wider than a 360-px screen.
    context = watch_runs(
        page.context.browser.new_context(
            viewport={"width": 360, "height": 900}, user_agent="Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"
        )
    )
    phone = context.new_page()
    phone.goto(server + "/?tab=steps&r=adam~lr:0.01~weight_decay:0.1")
    rule = '[data-testid="stMainBlockContainer"] .katex-display'
    phone.wait_for_function(f"() => !!document.querySelector('{rule}')", timeout=60_000)
    assert phone.locator(".katex-error").count() == 0
    fits = f"() => {{ const d = document.querySelector('{rule}'); return d.scrollWidth <= d.clientWidth; }}"
    phone.wait_for_function(fits, timeout=20_000)
    assert "10^{-8}" in str(phone.locator(f"{rule} annotation").first.text_content())
    context.close()


OVERFLOW = (
    "[...document.querySelectorAll('[data-testid=stMainBlockContainer] .katex-display')]"
    ".map(e => e.scrollWidth - e.clientWidth)"
)


CLIPPED_CLIFF = "?ls=rnn-cliff&r=gd~clip_norm:1~lr:0.05&steps=200&tab=steps"


@pytest.mark.parametrize(
    ("width", "query", "step", "shows"),
    [
        (360, "?tab=steps&r=adamax", 5, r"\beta_1^{"),  # u_t = max(β₂ u, |g| + ε): two vectors in one max
        (360, CLIPPED_CLIFF, 1, r"\min\left(1"),  # the clipping factor
        (390, CLIPPED_CLIFF, 1, r"\min\left(1"),
    ],
)
def test_step_by_step_rows_no_equality_splits_fit_a_phone(
    page: Any, server: str, width: int, query: str, step: int, shows: str
) -> None:
    # One equality a row was not enough: a row that no "=" splits ran 5-42 px past the screen's edge ("+ 10"
    # for "+ 10⁻⁸"), with nothing to say that it scrolled. Such a rule is now set a size smaller.
    with new_session(page, **{**PHONE, "viewport": {"width": width, "height": 740}}) as pg:
        pg.goto(server + "/" + query)
        # the tab drawn for the column it stands in (the page redraws it once the column's width is known)
        settled = f"!!document.querySelector('.katex-display') && {LAYOUT_SETTLED}"
        pg.wait_for_function(finished_with(settled), timeout=120_000)
        thumb = '[data-testid="stSlider"] input[type="range"][aria-label="Step t"]'
        for k in range(2, step + 1):
            # one step at a time, pressed again if the page drew the slider anew (and took the focus) first
            for _attempt in range(5):
                pg.locator(thumb).focus()
                pg.keyboard.press("ArrowRight")
                with contextlib.suppress(PlaywrightTimeout):
                    at_k = f"Number(document.querySelector({json.dumps(thumb)})?.value) >= {k}"
                    pg.wait_for_function(finished_with(at_k), timeout=15_000)
                    break
        rule = "document.querySelector('[data-testid=stMainBlockContainer] .katex-display annotation')"
        drawn = f"document.fonts.status === 'loaded' && {LAYOUT_SETTLED} && !!{rule}"
        drawn += f" && {rule}.textContent.includes({json.dumps(shows)})"
        pg.wait_for_function(finished_with(drawn), timeout=120_000)
        assert pg.locator(".katex-error").count() == 0
        assert max(pg.evaluate(OVERFLOW)) <= 1, pg.evaluate(OVERFLOW)


def test_display_maths_never_scrolls_on_a_desktop(page: Any, server: str) -> None:
    # st.latex shrank its box to the formula and KaTeX overhung it by 2 px: with classic scrollbars
    # (Windows) every rule in the guide and the step-by-step tab had a scrollbar under it.
    page.goto(server + "/?tab=steps&r=adam~lr:0.01")
    page.wait_for_selector('[data-testid="stMainBlockContainer"] .katex-display', timeout=120_000)
    assert page.evaluate(f"() => {OVERFLOW}") == [0]
    page.goto(server + "/?tab=guide")
    summaries = page.locator('[data-testid="stMainBlockContainer"] [data-testid="stExpander"] summary')
    summaries.first.wait_for(timeout=120_000)
    for i in range(summaries.count()):
        summaries.nth(i).click()
    names = optimizers.names()
    page.wait_for_function(f"() => {OVERFLOW}.length === {len(names)}", timeout=30_000)
    assert page.evaluate(f"() => {OVERFLOW}") == [0] * len(names)
    assert page.errors == []


def test_play_moves_the_paths_and_the_surface_stays(page: Any, server: str) -> None:
    open_app(page, server, "?r=gd~lr:0.001&r=adam~lr:0.05&steps=300")
    panel = page.locator(".pp-host canvas.pp-canvas").first
    at_rest = panel.screenshot()
    assert host(page, "frame") == "300", "at rest the panels show the last step"
    page.get_by_role("button", name="⟲ Replay").click()
    # The animation restarts from step 0: the trail is short, then grows again.
    page.wait_for_function(f"() => {{ const f = Number({HOST}.dataset.frame); return f >= 3 && f <= 40; }}")
    page.get_by_role("button", name="❚❚ Pause").click()
    early = panel.screenshot()
    paused_at = int(host(page, "frame"))
    assert host(page, "playing") == "0" and paused_at < 300
    assert contrast(early) > 0.7 * contrast(at_rest), "the surface stays drawn while playing"
    assert coloured(early) < coloured(at_rest), "the trail is shorter early in the animation"
    page.get_by_role("button", name="▶ Play").click()
    page.wait_for_function(f"() => Number({HOST}.dataset.frame) > {paused_at} + 5")
    page.wait_for_function(f"() => {HOST}.dataset.playing === '0'", timeout=60_000)
    assert host(page, "frame") == "300", "Play runs on to the last step"
    assert coloured(panel.screenshot()) == pytest.approx(coloured(at_rest), rel=0.05)
    assert page.errors == []


SGD_GREEN = (0, 158, 115)  # the third run's colour (viz.style.PALETTE[2])


def test_a_diverging_run_is_drawn_off_its_plot_and_play_still_runs_to_the_end(page: Any, server: str) -> None:
    # SGD with momentum diverges at step 7 and its last finite point lies ~10^5 units (millions of
    # pixels) away. Dashing such a line took about a second a frame; the segments are now cut to a box
    # around the plot, so the 121-frame animation (50 ms a frame) ends within the wait below.
    open_app(page, server, "?ls=himmelblau&r=gd~lr:0.01&r=adam~lr:0.1&r=sgd~lr:0.05~momentum:0.9")
    assert "diverged at step 7" in page.locator(".pp-host .pp-title").nth(2).inner_text()
    # The note under its title does not push its plot below its neighbours' (the same axes, side by side).
    tops = page.evaluate(
        "[...document.querySelectorAll('.pp-host .pp-canvas')].map((c) => c.getBoundingClientRect().top)"
    )
    assert len(tops) == 3 and max(tops) - min(tops) < 0.5, tops
    sgd = page.locator(".pp-host canvas.pp-canvas").nth(2)
    box = sgd.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => document.querySelectorAll('.pp-host .pp-readout')[2].textContent !== ''")
    readout = page.locator(".pp-host .pp-readout").nth(2).bounding_box()
    assert box["y"] <= readout["y"] <= box["y"] + 10, "the hover read-out sits at the plot's top corner"
    assert coloured(sgd.screenshot(), SGD_GREEN) > 50, "the path is drawn up to where it leaves the plot"
    page.get_by_role("button", name="⟲ Replay").click()
    page.wait_for_function(f"() => {HOST}.dataset.playing === '1'")
    page.wait_for_function(f"() => {HOST}.dataset.playing === '0'", timeout=30_000)
    assert host(page, "frame") == "500"
    assert page.errors == []


def test_scrubber_moves_every_panel(page: Any, server: str) -> None:
    open_app(page, server, "?r=gd~lr:0.001&r=adam~lr:0.05&steps=300")
    adam = page.locator(".pp-host canvas.pp-canvas").nth(1)
    blue = (0, 114, 178)  # the second run's colour, viz.style.PALETTE[1]
    full = coloured(adam.screenshot(), blue)
    page.locator(".pp-host input.pp-slider").evaluate(
        "el => { el.value = '3'; el.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    assert int(host(page, "frame")) == 3, "the first frames are the first steps one by one"
    assert page.locator(".pp-host .pp-step").inner_text() == "step 3"
    assert coloured(adam.screenshot(), blue) < 0.8 * full, "the second panel shows the short trail too"
    assert page.errors == []


def count_sent_selectboxes(page: Any, label: str) -> Callable[[], int]:
    """Counts the selectboxes labelled ``label`` that the server sends to ``page`` from now on.

    Streamlit sends every element a run draws, so the count goes up by one per run that draws that
    select (a whole-page rerun) and stays put for a fragment's rerun. It reads the websocket's frames
    rather than the page's ``data-stale`` marks: React may never paint a stale mark for a short rerun.
    """
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    sent = [0]

    def on_frame(payload: str | bytes) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg.FromString(payload)
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            return
        element = msg.delta.new_element
        if element.WhichOneof("type") == "selectbox" and element.selectbox.label == label:
            sent[0] += 1

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return lambda: sent[0]


def panel_paints(page: Any) -> list[int]:
    """How often each panel's canvas has been painted (``data-paints``), in panel order."""
    script = "[...document.querySelectorAll('.pp-panel')].map(p => p.dataset.paints || 0)"
    return [int(v) for v in page.evaluate(script)]


def test_learning_rate_slider_redraws_the_paths(page: Any, server: str) -> None:
    # A run's setting reruns only the run controls and the Playground (a fragment): the rest of the
    # sidebar is not redrawn, yet the URL follows.
    landscapes_sent = count_sent_selectboxes(page, "Landscape")
    open_app(page, server, "?r=gd~lr:0.001&r=adam~lr:0.05")
    before = host(page, "signature")
    first = page.locator(".pp-host canvas.pp-canvas").first
    orange_before = coloured(first.screenshot())
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stExpander"]', has_text="Gradient descent").locator("summary").click()
    slider = sidebar.locator('[data-testid="stSlider"]', has_text="learning rate η").first
    thumb = slider.locator('input[type="range"]')
    page.wait_for_function(RUN_FINISHED, timeout=120_000)
    sent_before = landscapes_sent()
    assert sent_before > 0, "the probe sees the first run draw the Landscape select"
    paints_before = panel_paints(page)
    thumb.focus()
    for _ in range(4):
        thumb.press("ArrowRight")
    page.wait_for_url("**lr*0.002**", timeout=120_000)
    page.wait_for_function(f"() => {HOST}.dataset.signature !== {json.dumps(before)}", timeout=120_000)
    page.wait_for_function(RUN_FINISHED, timeout=120_000)
    assert coloured(first.screenshot()) != orange_before, "the gradient-descent path is drawn anew"
    paints = panel_paints(page)
    assert paints[0] > paints_before[0], "the changed run's panel is painted again"
    assert paints[1] == paints_before[1], "the other panel, whose run did not change, is left as it was"
    assert landscapes_sent() == sent_before, "the rest of the sidebar was not rerun"
    # The steps slider is not a run setting: the whole page reruns (and the probe sees it).
    steps = sidebar.locator('[data-testid="stSlider"]', has_text="steps").locator('input[type="range"]')
    steps.focus()
    steps.press("ArrowLeft")
    page.wait_for_url("**steps=499**", timeout=120_000)
    page.wait_for_function(RUN_FINISHED, timeout=120_000)
    assert landscapes_sent() > sent_before
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.errors == []


@contextlib.contextmanager
def new_session(page: Any, **options: Any) -> Iterator[Any]:
    """A page in a fresh browser context (a new Streamlit session), closed afterwards; ``options`` go to
    ``new_context`` (a desktop viewport unless given)."""
    context = watch_runs(page.context.browser.new_context(**{"viewport": {"width": 1400, "height": 1000}, **options}))
    try:
        yield context.new_page()
    finally:
        context.close()


#: The sidebar shows start (-1.5, 2) and 300 steps.
SHOWS_LINK = """() => {
  const find = (sel, text) => [...document.querySelectorAll(sel)].find((e) => e.innerText.includes(text));
  const x = find('[data-testid="stNumberInput"]', 'start x'), y = find('[data-testid="stNumberInput"]', 'start y');
  const s = find('[data-testid="stSlider"]', 'steps');
  return !!(x && y && s) && x.querySelector('input').value === '-1.5' && y.querySelector('input').value === '2'
    && s.querySelector('[data-testid="stSliderThumbValue"]').innerText === '300';
}"""


def test_every_session_shows_the_link_in_its_controls(page: Any, server: str) -> None:
    # A session's second run comes right after its first (when the panels are drawn). On a warm server it
    # came before the browser had taken in the controls' values: from the second session on, the sidebar
    # showed each control's minimum (start x -1000000, steps 1) and sent it back on the next change.
    link = "?r=gd~lr:0.001&x0=-1.5&y0=2&steps=300"
    for _ in range(3):  # the first session warms the caches; the later ones are the fast ones
        with new_session(page) as pg:
            open_app(pg, server, link)
            pg.wait_for_function(RUN_FINISHED, timeout=120_000)
            sidebar = pg.locator('[data-testid="stSidebar"]')
            start_x = sidebar.locator('[data-testid="stNumberInput"]', has_text="start x").locator("input")
            start_y = sidebar.locator('[data-testid="stNumberInput"]', has_text="start y").locator("input")
            steps = sidebar.locator('[data-testid="stSlider"]', has_text="steps")
            steps = steps.locator('[data-testid="stSliderThumbValue"]')
            # Streamlit mounts a number input at its default for a frame before its value: wait for the page to
            # settle (the session's second run included), then read.
            with contextlib.suppress(PlaywrightTimeout):
                pg.wait_for_function(SHOWS_LINK, timeout=15_000)
            assert (float(start_x.input_value()), float(start_y.input_value()), steps.inner_text()) == (
                -1.5,
                2.0,
                "300",
            )
            # A change of another control keeps them (the browser sends what it shows).
            seed = sidebar.locator('[data-testid="stNumberInput"]', has_text="random seed").locator("input")
            seed.fill("7")
            seed.press("Enter")
            pg.wait_for_url("**seed=7**", timeout=120_000)
            query = parse_qs(urlparse(pg.url).query)
            assert (query["x0"], query["y0"], query["steps"]) == (["-1.5"], ["2"], ["300"])
    for _ in range(2):  # a lesson's link: the picker shows the lesson, not its first option (free play)
        with new_session(page) as pg:
            open_app(pg, server, "?lesson=ravine")
            pg.wait_for_function(RUN_FINISHED, timeout=120_000)
            picker = pg.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]', has_text="Lesson")
            picker = picker.locator('input[role="combobox"]')
            with contextlib.suppress(PlaywrightTimeout):
                pg.wait_for_function(
                    """() => (document.querySelector('[data-testid="stSidebar"] input[aria-label="Lesson"]') || {})
                      .value?.startsWith('A ravine')""",
                    timeout=15_000,
                )
            assert picker.input_value().startswith("A ravine")


def test_quick_key_presses_on_a_slider_all_count(page: Any, server: str) -> None:
    # Each press reruns the Playground while the next one comes; a run used to send the slider's value
    # back with the slider (settings were re-assigned every run), moving it back under the person's
    # hand, so a press now and then was lost.
    for _ in range(3):
        with new_session(page) as pg:
            open_app(pg, server, "?r=gd~lr:0.001&r=adam~lr:0.05&steps=2000")  # long runs: presses land mid-run
            sidebar = pg.locator('[data-testid="stSidebar"]')
            sidebar.locator('[data-testid="stExpander"]', has_text="Gradient descent").locator("summary").click()
            pg.wait_for_function(RUN_FINISHED, timeout=120_000)
            thumb = sidebar.locator('[data-testid="stSlider"]', has_text="learning rate η").first
            thumb = thumb.locator('input[type="range"]')
            thumb.focus()
            for _ in range(8):  # 0.0012, 0.0015, 0.002, 0.0025, 0.003, 0.004, 0.005, 0.006 on the slider's grid
                thumb.press("ArrowRight")
            pg.wait_for_url("**lr%3A0.006**", timeout=60_000)
            pg.wait_for_function(RUN_FINISHED, timeout=120_000)
            assert parse_qs(urlparse(pg.url).query)["r"][0] == "gd~lr:0.006"


def test_quick_key_presses_on_the_step_slider_all_count(page: Any, server: str) -> None:
    # The Step by step tab reruns the whole page on each press: the same must hold there.
    for _ in range(3):
        with new_session(page) as pg:
            pg.goto(server + "/?r=gd~lr:0.001&r=adam~lr:0.05&tab=steps")
            slider = pg.locator('[data-testid="stSlider"]', has_text="Step t")
            slider.wait_for(timeout=180_000)
            pg.wait_for_function(RUN_FINISHED, timeout=120_000)
            thumb = slider.locator('input[type="range"]')
            thumb.focus()
            for _ in range(8):
                thumb.press("ArrowRight")
            shown = slider.locator('[data-testid="stSliderThumbValue"]')
            pg.wait_for_function(
                """() => [...document.querySelectorAll('[data-testid="stSlider"]')]
                  .find((e) => e.innerText.includes('Step t'))
                  ?.querySelector('[data-testid="stSliderThumbValue"]')?.innerText === '9'""",
                timeout=60_000,
            )
            pg.wait_for_function(RUN_FINISHED, timeout=120_000)
            assert shown.inner_text() == "9"
            assert pg.locator('[data-testid="stException"]').count() == 0


def test_the_tab_bar_opens_each_view_by_click_and_by_keyboard(page: Any, server: str) -> None:
    open_app(page, server)
    page.wait_for_function(RUN_FINISHED, timeout=120_000)
    tabs = page.get_by_role("tablist").get_by_role("tab")
    assert tabs.all_inner_texts() == list(state.TABS.values())
    selected = "() => [...document.querySelectorAll('.pp-tabs [role=tab]')].map(t => t.ariaSelected === 'true')"
    assert page.evaluate(selected) == [True, False, False, False]
    panel = page.locator("[role=tabpanel]")
    assert panel.count() == 1 and panel.locator(".pp-host").count() == 1, "the panels are in the tab's panel"
    assert panel.get_attribute("aria-labelledby") == "pp-tab-play"
    # A click opens the Sweeps tab: its map in the panel, the tab in the link.
    page.get_by_role("tab", name="Sweeps").click()
    shown = "!!document.querySelector('[role=tabpanel] {}')"
    page.wait_for_function(finished_with(shown.format(".js-plotly-plot")), timeout=120_000)
    assert parse_qs(urlparse(page.url).query)["tab"] == ["sweeps"]
    assert page.evaluate(selected) == [False, True, False, False]
    assert panel.get_attribute("aria-labelledby") == "pp-tab-sweeps" and panel.locator(".pp-host").count() == 0
    # The arrows and End move the focus without opening a tab (only the focused tab is in the tab order);
    # Enter opens the focused one.
    page.get_by_role("tab", name="Sweeps").focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.textContent") == "Step by step"
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")  # wraps round to the first
    assert page.evaluate("document.activeElement.textContent") == "Playground"
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.textContent") == "Optimizer guide"
    assert page.evaluate(selected) == [False, True, False, False]
    in_order = "[...document.querySelectorAll('.pp-tabs [role=tab]')].map(t => t.tabIndex)"
    assert page.evaluate(in_order) == [-1, 0, -1, -1]
    page.keyboard.press("Enter")
    page.wait_for_function(finished_with(shown.format("table.og-guide")), timeout=120_000)
    assert parse_qs(urlparse(page.url).query)["tab"] == ["guide"]
    assert page.evaluate("document.activeElement.textContent") == "Optimizer guide", "the focus stays on the tab"
    # The link opens the same tab.
    page.reload()
    page.wait_for_function(finished_with(shown.format("table.og-guide")), timeout=120_000)
    assert page.evaluate(selected) == [False, False, False, True]
    # Presentation mode has no tab bar: the tab's container is no tab panel then.
    page.locator('[data-testid="stSidebar"] label', has_text="Presentation mode").click()
    page.wait_for_function(finished_with("!document.querySelector('.pp-tabs') && !!document.querySelector('.pp-host')"))
    assert page.locator("[role=tabpanel], [role=tab]").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.errors == []


def test_add_a_copy_and_remove_it_from_the_run_controls(page: Any, server: str) -> None:
    # The buttons sit in the run controls (the fragment) but change the runs: the whole page reruns.
    open_app(page, server, "?r=gd~lr:0.001&r=adam~lr:0.05")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stExpander"]', has_text="Gradient descent").locator("summary").click()
    sidebar.get_by_role("button", name="Add a copy").first.click()
    page.wait_for_function(f"() => {HOST}.__view.panels.length === 3", timeout=120_000)
    page.wait_for_function(RUN_FINISHED, timeout=120_000)
    assert sidebar.locator('[data-testid="stExpander"]', has_text="Gradient descent #2").count() == 1
    assert len(parse_qs(urlparse(page.url).query)["r"]) == 3
    sidebar.locator('[data-testid="stExpander"]', has_text="Gradient descent #2").get_by_role(
        "button", name="Remove"
    ).click()
    page.wait_for_function(f"() => {HOST}.__view.panels.length === 2", timeout=120_000)
    page.wait_for_function(RUN_FINISHED, timeout=120_000)
    assert sidebar.locator('[data-testid="stExpander"]', has_text="Gradient descent #2").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.errors == []


def test_junk_url_shows_a_message_not_a_traceback(page: Any, server: str) -> None:
    page.goto(
        server + "/?ls=%3Cscript%3Ealert(1)%3C/script%3E&x0=NaN&steps=1e999&r=..%2F..%2Fetc%2Fpasswd"
        "&y0=%5Bwin%5D(%2F%2Fx.co)&seed=__5__&view=https://e.co"
    )
    page.wait_for_selector('[data-testid="stAlert"]', timeout=180_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    alert = page.locator('[data-testid="stAlert"]').first
    text = alert.inner_text().replace("\u2060", "")  # the word joiners that keep a URL from becoming a link
    assert "not usable" in text
    # The values are quoted as typed: no link, bold or script made from them in the page's own message.
    for value in ("[win](//x.co)", "__5__", "https://e.co", "‹script›"):
        assert value in text
    assert alert.locator("a, strong, em, script").count() == 0
    page.wait_for_function(READY, timeout=180_000)
    assert page.errors == []
    page.goto(server + "/?ls=custom&f=__import__('os')")
    error = page.locator('[data-testid="stSidebar"] [data-testid="stAlert"]', has_text="Formula not accepted")
    error.wait_for(timeout=180_000)
    assert "'__import__'" in error.inner_text() and error.locator("strong, em").count() == 0


def test_clicking_the_surface_sets_the_start_point(page: Any, server: str) -> None:
    open_app(page, server, "?r=gd~lr:0.002&r=adam~lr:0.1")
    # Pixel of the data point (0.4, 2.0) in the first panel.
    x, y = page.evaluate(
        f"(() => {{ const p = {HOST}.__view.panels[0], r = p.canvas.getBoundingClientRect(); "
        "return [r.left + p.px(0.4), r.top + p.py(2.0)]; })()"
    )
    page.mouse.move(x, y)
    assert "click to start here" in page.locator(".pp-host .pp-readout").first.inner_text()
    page.mouse.click(x, y)
    page.wait_for_url("**x0=0.*&y0=*", timeout=120_000)
    query = parse_qs(urlparse(page.url).query)
    assert abs(float(query["x0"][0]) - 0.4) < 0.02 and abs(float(query["y0"][0]) - 2.0) < 0.02  # a pixel
    # The click reruns the whole page: the sidebar's start inputs show the point too.
    page.wait_for_function(RUN_FINISHED, timeout=120_000)
    start_x = page.locator('[data-testid="stSidebar"] [data-testid="stNumberInput"]', has_text="start x")
    assert abs(float(start_x.locator("input").input_value()) - 0.4) < 0.02
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.errors == []


#: A phone's browser context (``new_session`` options).
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0 Mobile Safari/537.36",
}


#: A summary table's layout: how far it overflows its box, its header row's height, its cells' right edge
#: and what each cell writes before its value.
SUMMARY_LAYOUT = """(table) => { const box = table.parentElement, cells = [...table.querySelectorAll('td')];
  return {overflow: box.scrollWidth - box.clientWidth, header: table.querySelector('tr').offsetHeight,
          right: Math.max(...cells.map((c) => c.getBoundingClientRect().right)),
          before: cells.map((c) => getComputedStyle(c, '::before').content)}; }"""


def phone_summary_is_blocks(table: Any, screen: int = 360) -> None:
    """On a 360-pixel phone (or a ``screen`` that wide), the summary ``table`` shows each run as a block of
    lines, each value after its column's name, all within the screen."""
    summary = table.evaluate(SUMMARY_LAYOUT)
    assert summary["overflow"] <= 0 and summary["right"] <= screen and summary["header"] == 0, summary
    assert summary["before"][:5] == [
        "none",
        '"final loss: "',
        '"distance to minimum: "',
        '"steps to reach: "',
        '"status: "',
    ], summary["before"]


def test_on_a_phone_the_title_is_one_line_and_the_panels_stack(page: Any, server: str) -> None:
    # A student opens a shared link on a phone: the title must not push the first panel off the first
    # screen (at Streamlit's default 2.75rem it took two lines and ~230 px of a 740 px screen).
    with new_session(page, **PHONE) as pg:
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        open_app(pg, server, "?lesson=ravine")
        pg.wait_for_function(RUN_FINISHED, timeout=120_000)
        # The heading's text is an inline span: one client rect per line box it takes.
        lines = pg.evaluate("document.querySelector('h1 [data-heading-text]').getClientRects().length")
        assert lines == 1, f"the title takes {lines} lines"
        boxes = pg.evaluate(
            f"{HOST}.__view.panels.map((p) => {{ const r = p.canvas.getBoundingClientRect();"
            " return [r.left, r.top, r.right, r.bottom]; })"
        )
        assert len(boxes) == 2
        (l0, t0, r0, b0), (l1, t1, r1, _) = boxes
        assert abs(r0 - r1) < 2  # the same width
        assert abs(l0 - l1) < 2 and t1 >= b0  # stacked, not side by side
        assert r0 <= 360 and r0 - l0 > 0.6 * 360  # each panel spans most of the screen's width
        assert t0 < 740  # the first panel starts on the first screen
        # The summary's five columns did not fit: the status ("diverged at step k") was off to the right.
        phone_summary_is_blocks(pg.locator(".pp-summary table"))
        assert pg.locator('[data-testid="stException"]').count() == 0
        assert errors == []


SIDEBAR_RIGHT = "document.querySelector('[data-testid=\"stSidebar\"]').getBoundingClientRect().right"


def test_a_phone_held_sideways_opens_with_the_sidebar_folded(page: Any, server: str) -> None:
    # At 844 × 390 Streamlit's "auto" opened the sidebar beside the page: the first screen showed its controls
    # and no panel. A phone (by its User-Agent) now opens with it folded away and a panel on the first screen.
    sideways = {**PHONE, "viewport": {"width": 844, "height": 390}}
    with new_session(page, **sideways) as pg:
        open_app(pg, server, "")
        pg.wait_for_function(RUN_FINISHED, timeout=120_000)
        assert pg.evaluate(SIDEBAR_RIGHT) <= 0, "folded away"
        top = pg.evaluate(f"{HOST}.__view.panels[0].canvas.getBoundingClientRect().top")
        assert top < 390 - 100, top  # at least 100 px of the first panel's plot on the first screen
        pg.locator('[data-testid="stExpandSidebarButton"]').click()  # » opens it
        pg.wait_for_function(f"{SIDEBAR_RIGHT} > 200")
    # the same window on a laptop (no phone's User-Agent) keeps Streamlit's "auto": the sidebar is open
    with new_session(page, viewport={"width": 844, "height": 390}) as pg:
        open_app(pg, server, "")
        pg.wait_for_function(RUN_FINISHED, timeout=120_000)
        assert pg.evaluate(SIDEBAR_RIGHT) > 200


def test_on_a_phone_held_sideways_the_step_table_leaves_room_to_scroll_the_page(page: Any, server: str) -> None:
    # 320 px of table filled a 390-px screen: every swipe scrolled the table, never the page.
    with new_session(page, **{**PHONE, "viewport": {"width": 844, "height": 390}}) as pg:
        pg.goto(server + "/?tab=steps")
        table = '[data-testid="stDataFrame"]'
        pg.wait_for_function(finished_with(f"!!document.querySelector('{table}') && {LAYOUT_SETTLED}"), timeout=120_000)
        box = pg.locator(table).first.bounding_box()
        assert box is not None and box["height"] <= 0.6 * 390, box
        assert pg.locator('[data-testid="stException"]').count() == 0


def test_on_a_laptop_with_the_sidebar_open_the_summaries_are_blocks(page: Any, server: str) -> None:
    # At 1000 px with the sidebar open the main column is about 540 px: the summary's "steps to reach" was cut
    # in half and "status" off to the right, since the blocks were for windows under 640 px, not columns.
    with new_session(page, viewport={"width": 1000, "height": 800}) as pg:
        open_app(pg, server, "?lesson=learning-rate")
        pg.wait_for_function(RUN_FINISHED, timeout=120_000)
        phone_summary_is_blocks(pg.locator(".pp-summary table"), screen=1000)
        pg.goto(server + "/?view=3d")
        table = '[data-testid="stMarkdownContainer"] table.pp-table'
        pg.wait_for_function(finished_with(f"!!document.querySelector('{table}')"), timeout=120_000)
        phone_summary_is_blocks(pg.locator(table), screen=1000)


def test_step_by_step_fits_a_laptops_column(page: Any, server: str) -> None:
    # At 1000 px with the sidebar open (a 540 px column) Adam's substituted rule was 627 px wide: m_t, v_t and
    # θ_t were past the right edge, behind a sideways scroll. The tab stacks the rows that would not fit.
    with new_session(page, viewport={"width": 1000, "height": 800}) as pg:
        pg.goto(server + "/?ls=rosenbrock&r=adam~lr:0.05&tab=steps")
        rule = ".katex-display"
        wide = f"[...document.querySelectorAll('{rule}')].filter((k) => k.scrollWidth > k.clientWidth + 1).length"
        # the browser reports the column's width, and the tab is drawn for it (KaTeX's fonts loaded: before
        # they are, a rule is narrower than it will be; the sidebar drawn: it slides the column narrower)
        ready = (
            f"document.fonts.status === 'loaded' && {LAYOUT_SETTLED} && !!document.querySelector('{rule}') "
            f"&& {wide} === 0"
        )
        pg.wait_for_function(finished_with(ready), timeout=120_000)
        shown = pg.evaluate(f"[...document.querySelectorAll('{rule}')].map((k) => [k.scrollWidth, k.clientWidth])")
        assert shown and all(sw <= cw + 1 for sw, cw in shown), shown
        assert pg.locator('[data-testid="stException"]').count() == 0


def test_on_a_phone_the_3d_views_summary_is_blocks_too(page: Any, server: str) -> None:
    # The 3-D view's summary was a data grid: on a phone its last two columns (steps to reach, status) were
    # off to the right. It is now the panels' table, with their phone layout.
    with new_session(page, **PHONE) as pg:
        pg.goto(server + "/?view=3d")
        table = '[data-testid="stMarkdownContainer"] table.pp-table'
        pg.wait_for_function(finished_with(f"!!document.querySelector('{table}')"), timeout=120_000)
        phone_summary_is_blocks(pg.locator(table))
    with new_session(page) as pg:  # a desktop: one row per run, the column names above
        pg.goto(server + "/?view=3d")
        pg.wait_for_function(finished_with(f"!!document.querySelector('{table}')"), timeout=120_000)
        layout = pg.locator(table).evaluate(SUMMARY_LAYOUT)
        assert layout["header"] > 0 and layout["overflow"] <= 0 and set(layout["before"]) == {"none"}, layout


TWO_FRAMES = "new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
#: The 3-D figure's height once the browser has reported the column's width and the page has redrawn it.
FIGURE_3D_HEIGHT = (
    "(() => { const g = document.querySelector('.js-plotly-plot'); return g && g.layout && g.layout.height; })()"
)


def box_3d_clear_of_edges(pg: Any) -> dict[str, int]:
    """How many of the 3-D plot's edge pixels (4 px strips left, right and top, above the legend) are not
    the white background: the surface, its grid lines or the tick labels, where the box ran off the plot."""
    plot = pg.locator(".js-plotly-plot").first
    legend = pg.locator(".js-plotly-plot .legend").first.bounding_box()
    box = plot.bounding_box()
    assert legend is not None and box is not None
    img = np.asarray(Image.open(io.BytesIO(plot.screenshot())).convert("RGB")).astype(int)
    scale = img.shape[1] / box["width"]
    rows = int((legend["y"] - box["y"]) * scale)  # above the legend
    ink = (img[:rows] < 225).any(axis=-1)
    return {"left": int(ink[:, :4].sum()), "right": int(ink[:, -4:].sum()), "top": int(ink[:4].sum())}


@pytest.mark.parametrize("where", ["laptop", "phone"])
def test_the_3d_box_is_whole_in_a_narrow_column(page: Any, server: str, where: str) -> None:
    # Plotly's vertical field of view is fixed: in a column narrower than the box's picture (a laptop with
    # the sidebar open, a phone) the box's sides, the z axis' labels and its near corner were cut off. The
    # browser reports the column's width; the camera moves back so the whole box shows (viz.curves.fit_camera).
    options = PHONE if where == "phone" else {"viewport": {"width": 1000, "height": 800}}
    with new_session(page, **options) as pg:
        pg.goto(server + "/?ls=rnn-cliff&view=3d")
        expected = 360 if where == "phone" else int(0.85 * 540 + 60)  # the column's width reported: 328, 540
        drawn = f"{FIGURE_3D_HEIGHT} && {FIGURE_3D_HEIGHT} < 640 && {LAYOUT_SETTLED}"
        pg.wait_for_function(finished_with(drawn), timeout=120_000)
        height = pg.evaluate(FIGURE_3D_HEIGHT)
        assert height == 360 if where == "phone" else abs(height - expected) <= 30, height
        pg.evaluate(TWO_FRAMES)  # WebGL paints the new camera in the next animation frame
        assert box_3d_clear_of_edges(pg) == {"left": 0, "right": 0, "top": 0}
        assert pg.locator('[data-testid="stException"]').count() == 0


def test_presenting_four_runs_on_a_720_pixel_projector_shows_every_panel(page: Any, server: str) -> None:
    with new_session(page, viewport={"width": 1280, "height": 720}) as pg:
        open_app(pg, server, "?present=1&lesson=epsilon")
        pg.wait_for_function(RUN_FINISHED, timeout=120_000)
        boxes = pg.evaluate(
            "[...document.querySelectorAll('.pp-host .pp-canvas')].map((c) => c.getBoundingClientRect().bottom)"
        )
        assert len(boxes) == 4 and max(boxes) <= 720, boxes
        question = pg.locator('[data-testid="stAlert"]').first.bounding_box()
        assert question is not None and question["y"] >= 0


CANVASES = "[...document.querySelectorAll('.pp-host .pp-canvas')].map((c) => c.getBoundingClientRect().toJSON())"
PLAY_BAR_BOTTOM = "document.querySelector('.pp-host .pp-bar').getBoundingClientRect().bottom"


def open_presenting(pg: Any, server: str, query: str, screen: int) -> None:
    """Open ``query`` (presenting) and wait until its Play bar ends on a ``screen`` pixels high window."""
    open_app(pg, server, query)
    pg.wait_for_function(RUN_FINISHED, timeout=120_000)
    pg.wait_for_function(finished_with(f"{PLAY_BAR_BOTTOM} <= {screen}"), timeout=60_000)


def test_presenting_four_runs_on_a_1024_by_768_projector_takes_two_rows(page: Any, server: str) -> None:
    # Four to a row on a 1024 × 768 projector made each plot 142 px high over an empty lower half of the
    # screen. Two rows of two make them about 210 px, and the Play bar still ends on the screen.
    with new_session(page, viewport={"width": 1024, "height": 768}) as pg:
        open_presenting(pg, server, "?present=1", 768)
        boxes = pg.evaluate(CANVASES)
        assert len(boxes) == 4
        tops, lefts = sorted({round(b["top"]) for b in boxes}), sorted({round(b["left"]) for b in boxes})
        assert len(tops) == 2 and len(lefts) == 2, boxes  # 2 + 2, not 3 + 1
        # the plot inside each canvas: its height less the 8 px above it and the 30 px of x labels below
        assert min(b["height"] for b in boxes) - 38 >= 190, boxes
        assert max(b["bottom"] for b in boxes) <= pg.evaluate(PLAY_BAR_BOTTOM) <= 768


def test_presenting_the_saddle_keeps_the_play_bar_on_a_720_pixel_projector(page: Any, server: str) -> None:
    # The saddle lesson's panels carry "ends outside the picture" lines under their titles, taller than the
    # fit had measured: the Play bar ended at y = 740 on a 720-line screen, before and after Reveal.
    with new_session(page, viewport={"width": 1280, "height": 720}) as pg:
        open_presenting(pg, server, "?present=1&lesson=saddle", 720)
        bar = PLAY_BAR_BOTTOM
        pg.get_by_role("button", name="Reveal", exact=True).click()
        pg.wait_for_function(finished_with("document.body.innerText.includes('Hide again')"), timeout=60_000)
        pg.wait_for_function(finished_with(f"{bar} <= 720"), timeout=60_000)
        assert pg.evaluate(bar) <= 720


BOX = "(sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return [r.top, r.bottom]; }"


def test_presenting_on_a_1080_pixel_projector_fills_the_screen(page: Any, server: str) -> None:
    # Sized for a 720-pixel projector, a 1920 × 1080 one showed the overlay 1800 × 330 px and the 3-D view
    # 440 px high, half the screen empty below them. The panels now fill the screen below what stands
    # above them, and follow the window's height; the 3-D figure takes the height the browser reports.
    with new_session(page, viewport={"width": 1920, "height": 1080}) as pg:
        open_app(pg, server, "?present=1&view=overlay")
        pg.wait_for_function(RUN_FINISHED, timeout=120_000)
        top, bottom = pg.evaluate(BOX, ".pp-host .pp-canvas")
        assert bottom - top > 600, (top, bottom)
        assert pg.evaluate(BOX, ".pp-host .pp-bar")[1] <= 1080, "the Play bar stays on the screen"

        open_app(pg, server, "?present=1&lesson=ravine")
        pg.wait_for_function(RUN_FINISHED, timeout=120_000)
        panels = pg.evaluate(BOX, ".pp-host .pp-canvas")
        assert panels[1] - panels[0] > 500 and pg.evaluate(BOX, ".pp-host .pp-bar")[1] <= 1080
        # Reveal puts the explanation under the panels: they stay where the class is looking (above them,
        # it pushed them off the screen)
        pg.get_by_role("button", name="Reveal", exact=True).click()
        pg.wait_for_function(finished_with("document.body.innerText.includes('Across the valley the curvature')"))
        assert pg.evaluate(BOX, ".pp-host .pp-canvas") == panels
        explanation = pg.get_by_text("Across the valley the curvature").bounding_box()
        assert explanation is not None and explanation["y"] > pg.evaluate(BOX, ".pp-host .pp-bar")[1]
        pointer = pg.get_by_text("The explanation is under the panels").bounding_box()
        assert pointer is not None and pointer["y"] + pointer["height"] < panels[0], "a pointer to it, above them"
        # a shorter window: the panels shrink to keep the Play bar on the screen
        pg.set_viewport_size({"width": 1920, "height": 800})
        pg.wait_for_function("document.querySelector('.pp-host .pp-bar').getBoundingClientRect().bottom <= 800")
        shrunk = pg.evaluate(BOX, ".pp-host .pp-canvas")
        assert shrunk[0] == panels[0] and 330 <= shrunk[1] - shrunk[0] < panels[1] - panels[0], shrunk

        pg.set_viewport_size({"width": 1920, "height": 1080})
        pg.goto(server + "/?present=1&view=3d")
        chart = '[data-testid="stPlotlyChart"] .js-plotly-plot'
        # the figure fills the screen below its place, as the browser last reported it
        fits = f"(() => {{ const c = document.querySelector('{chart}'); if (!c) return false; "
        fits += "const r = c.getBoundingClientRect(); return r.height > 800 && r.bottom <= 1080; })()"
        pg.wait_for_function(finished_with(fits), timeout=120_000)
        top, bottom = pg.evaluate(BOX, chart)
        assert bottom <= 1080 and bottom - top > 800, (top, bottom)
        assert pg.locator('[data-testid="stException"]').count() == 0


def test_presenting_the_keyboard_drives_the_animation(page: Any, server: str) -> None:
    # A lecturer at a laptop or with a clicker: Space plays and pauses, the arrows step, Home and End jump.
    with new_session(page, viewport={"width": 1280, "height": 720}) as pg:
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        open_app(pg, server, "?present=1&steps=200")
        pg.wait_for_function(RUN_FINISHED, timeout=120_000)
        assert host(pg, "frame") == "200"  # the panels open on the last step
        pg.keyboard.press("Home")
        assert host(pg, "frame") == "0"
        pg.keyboard.press("ArrowRight")
        second = int(host(pg, "frame"))
        assert second > 0
        pg.keyboard.press("ArrowRight")
        pg.keyboard.press("ArrowLeft")
        assert int(host(pg, "frame")) == second
        pg.keyboard.press("End")
        assert host(pg, "frame") == "200"
        pg.keyboard.press("Home")
        pg.keyboard.press(" ")
        pg.wait_for_function(f"Number({HOST}.dataset.frame) > {second}")  # it plays
        assert host(pg, "playing") == "1"
        pg.keyboard.press(" ")
        assert host(pg, "playing") == "0"
        # Clicked with the mouse, Play keeps the focus: Space presses it (once), the arrows still step
        pg.locator(".pp-host .pp-button").first.click()
        assert host(pg, "playing") == "1"
        pg.keyboard.press(" ")
        assert host(pg, "playing") == "0"
        pg.keyboard.press("End")
        assert host(pg, "frame") == "200"
        # Leaving presentation mode hands the keys back to the page
        pg.get_by_role("button", name="Leave presentation mode", exact=True).click()
        pg.wait_for_function(finished_with("!document.body.innerText.includes('Leave presentation mode')"))
        pg.wait_for_function(finished_with(f"{HOST}.dataset.draws > 0"))
        pg.locator("h1").first.click()  # the focus off the buttons
        pg.keyboard.press("Home")
        assert host(pg, "frame") == "200"
        assert errors == []
    # Not presenting, the keys are the page's own (Space scrolls it): the panels leave them alone.
    with new_session(page) as pg:
        open_app(pg, server, "?steps=200")
        pg.wait_for_function(RUN_FINISHED, timeout=120_000)
        pg.keyboard.press("Home")
        pg.keyboard.press(" ")
        assert host(pg, "frame") == "200" and host(pg, "playing") == "0"


def test_presenting_the_sidebar_folds_away_and_opens_to_change_a_setting(page: Any, server: str) -> None:
    # The sidebar was hidden outright: trying a larger η in front of the class meant leaving presentation
    # mode. It now folds away; » opens it, in its usual type, and a setting moved there redraws the panels.
    width = "document.querySelector('[data-testid=\"stSidebar\"]').getBoundingClientRect().width"
    with new_session(page, viewport={"width": 1280, "height": 720}) as pg:
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        open_app(pg, server, "?present=1&lesson=ravine")
        pg.wait_for_function(RUN_FINISHED, timeout=120_000)
        assert pg.evaluate(width) < 5, "folded away"
        pg.locator('[data-testid="stExpandSidebarButton"]').click()
        pg.wait_for_function(f"{width} > 200")
        # Space on a focused expander's title opens it (the panels' Space shortcut leaves it alone)
        summary = pg.locator('[data-testid="stSidebar"] [data-testid="stExpander"] summary').first
        summary.focus()
        pg.keyboard.press(" ")
        pg.wait_for_function(finished_with("!!document.querySelector('[data-testid=\"stSidebar\"] details[open]')"))
        assert host(pg, "playing") == "0"
        label = "parseFloat(getComputedStyle(document.querySelector(%r)).fontSize)"
        assert pg.evaluate(label % '[data-testid="stSidebar"] [data-testid="stWidgetLabel"] p') <= 16
        assert pg.evaluate(label % '[data-testid="stMain"] [data-testid="stAlert"] p') >= 24  # the question
        pg.wait_for_function(RUN_FINISHED, timeout=60_000)
        signature = host(pg, "signature")
        lr = pg.locator('[data-testid="stSidebar"] input[type="range"][aria-label*="η"]').first
        lr.focus()
        pg.keyboard.press("ArrowRight")
        pg.wait_for_function(finished_with(f"{HOST}.dataset.signature !== '{signature}'"), timeout=60_000)
        assert pg.evaluate(width) > 200, "the sidebar stays open while its settings change"
        assert errors == []
    # Left, presentation mode gives the sidebar back
    with new_session(page, viewport={"width": 1280, "height": 720}) as pg:
        open_app(pg, server, "?present=1")
        pg.wait_for_function(RUN_FINISHED, timeout=120_000)
        assert pg.evaluate(width) < 5
        pg.get_by_role("button", name="Leave presentation mode", exact=True).click()
        pg.wait_for_function(f"{width} > 200", timeout=60_000)


#: The Optimizer guide's table: its box, the page's width, and per row the boxes of its cells and whether
#: any cell's text is cut (its content wider or taller than the cell shows).
GUIDE_TABLE = """() => {
  const t = document.querySelector('table.og-guide');
  if (!t) return null;
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const rows = [...t.tBodies[0].rows].map((tr) => ({
    cells: [...tr.cells].map(box),
    cut: [...tr.cells].some((c) => c.scrollWidth > c.clientWidth + 1 || c.scrollHeight > c.clientHeight + 1),
    labels: [...tr.cells].map((c) => getComputedStyle(c, '::before').content),
  }));
  return {table: box(t), width: document.documentElement.clientWidth, rows,
          head: getComputedStyle(t.tHead).display};
}"""


GUIDE_SCREENS = {
    "desktop": {},
    "laptop, sidebar open": {"viewport": {"width": 1000, "height": 800}},  # a main column of 540 pixels
    "phone": PHONE,
}


#: The right edge of the main column's content (inside its padding).
MAIN_RIGHT = """(() => { const m = document.querySelector('[data-testid="stMainBlockContainer"]');
  return m.getBoundingClientRect().right - parseFloat(getComputedStyle(m).paddingRight); })()"""


@pytest.mark.parametrize("where", list(GUIDE_SCREENS))
def test_the_guide_table_shows_every_text_whole_and_fits_the_page(page: Any, server: str, where: str) -> None:
    # A data grid showed the guide: it cut "best for", pros and cons at the column's width, and the table
    # scrolled sideways, on a phone past all but two columns. Now every text wraps inside the page; in a
    # narrow main column each optimizer is a block.
    with new_session(page, **GUIDE_SCREENS[where]) as pg:
        pg.goto(server + "/?tab=guide")
        pg.wait_for_function(finished_with("!!document.querySelector('table.og-guide')"), timeout=120_000)
        g = pg.evaluate(GUIDE_TABLE)
        main = pg.evaluate(MAIN_RIGHT)
        assert g["table"][2] <= min(g["width"], main) + 0.5, (g["table"], g["width"], main)
        assert len(g["rows"]) == 12 and not any(r["cut"] for r in g["rows"])
        for r in g["rows"]:
            assert all(c[2] <= g["width"] + 0.5 and c[2] > c[0] for c in r["cells"])
            lefts, tops = [c[0] for c in r["cells"]], [c[1] for c in r["cells"]]
            if where != "desktop":  # one block per optimizer: its parts one under the other, each named
                assert g["head"] == "none" and max(lefts) - min(lefts) < 1 and tops == sorted(tops)
                assert r["labels"][1:] == ['"Best for: "', '"Pros: "', '"Cons: "']
            else:  # side by side, under the column names
                assert g["head"] != "none" and lefts == sorted(lefts) and max(tops) - min(tops) < 1


#: The page's Plotly charts: per chart, the boxes (left, top, right, bottom) of its plotting area, its text
#: annotations (the basin panels' titles), its colour bar's tick labels and its legend, and whether it
#: has a mode bar.
PLOTLY_BOXES = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')].map((c) => {
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const all = (sel) => [...c.querySelectorAll(sel)].map(box);
  return {plot: all('.draglayer .nsewdrag'), titles: all('.annotation-text-g'), bar: all('.colorbar .cbaxis text'),
          legend: all('.legend .bg'), modebar: c.querySelectorAll('.modebar').length,
          ticks: all('.xaxislayer-above .xtick text, .yaxislayer-above .ytick text')};
})"""


def _apart(boxes: list[list[float]]) -> bool:
    """No two of ``boxes`` overlap."""
    return all(
        a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
    )


def test_on_a_phone_the_sweep_basin_and_arrow_charts_keep_their_text_apart(page: Any, server: str) -> None:
    # On a 360-pixel screen the basin map put four panels in a row, their titles written over each other;
    # the sweep's colour bar took a third of the width; the arrows' legend covered the plot; and the mode
    # bar, always shown on a touch screen, covered titles and legends.
    with new_session(page, **PHONE) as pg:
        pg.goto(server + "/?tab=sweeps&ls=himmelblau&steps=150&sw_n=25")
        pg.wait_for_function(
            finished_with("document.querySelectorAll('.js-plotly-plot .annotation-text-g').length >= 4"),
            timeout=180_000,
        )
        sweep, basin = pg.evaluate(PLOTLY_BOXES)
        (left, _top, right, bottom) = sweep["plot"][0]
        assert right - left > 0.6 * 360, "the heatmap spans most of the screen"
        assert len(sweep["bar"]) >= 3 and _apart(sweep["bar"]), "the colour bar's labels side by side, apart"
        assert all(t[1] >= bottom for t in sweep["bar"]), "the colour bar under the map"
        assert len(basin["titles"]) == 4 and _apart(basin["titles"])
        assert len({round(b[0]) for b in basin["plot"]}) == 2, "two panels a row"
        # Himmelblau's square window at equal scales (the panels were 1.6 times higher than wide), and the
        # second row's titles clear of the first row's tick labels
        assert all(abs((b[2] - b[0]) - (b[3] - b[1])) <= 2 for b in basin["plot"]), basin["plot"]
        clash = [(t, k) for t in basin["titles"] for k in basin["ticks"] if not _apart([t, k])]
        assert not clash, (clash, basin["plot"])
        assert all(b[0] >= 0 and b[2] <= 360 for b in basin["titles"] + basin["plot"])
        assert sweep["modebar"] == basin["modebar"] == 0
        arrows_chart_fits(pg, server, 360)
        assert pg.evaluate(PLOTLY_BOXES)[0]["modebar"] == 0, "no mode bar on a touch screen"
        assert pg.locator('[data-testid="stException"]').count() == 0
    with new_session(page, viewport={"width": 390, "height": 800}) as pg:  # a narrow window, not a phone
        arrows_chart_fits(pg, server, 390)


@pytest.mark.parametrize("width", [1000, 1280])
def test_the_sweep_controls_show_every_option_beside_an_open_sidebar(page: Any, server: str, width: int) -> None:
    # Four controls a row in a column of 540 or 820 px: "Colour by" cut "Diverged" to "Diverg…" at 1280 and hid
    # it at 1000 (reachable only by scrolling sideways). They now wrap to two a row, or one.
    with new_session(page, viewport={"width": width, "height": 900}) as pg:
        pg.goto(server + "/?tab=sweeps&sw_n=25")
        pg.wait_for_function(finished_with("!!document.querySelector('.js-plotly-plot')"), timeout=180_000)
        boxes = pg.evaluate(
            """() => { const box = document.querySelector('.st-key-sweep_settings');
              const g = box.querySelector('[data-testid="stButtonGroup"]'), r = (e) => e.getBoundingClientRect();
              const buttons = [...g.querySelectorAll('button')];
              return {group: r(g).right, page: r(box).right,
                      buttons: buttons.map((b) => [b.innerText, r(b).right, b.scrollWidth - b.clientWidth])}; }"""
        )
        assert [b[0] for b in boxes["buttons"]] == ["Final loss", "Steps to reach", "Diverged"]
        assert all(right <= boxes["group"] + 1 and cut <= 0 for _, right, cut in boxes["buttons"]), boxes
        assert boxes["group"] <= boxes["page"] + 1, boxes


def test_on_a_phone_the_sweep_colour_bar_keeps_its_top_label(page: Any, server: str) -> None:
    # Across a phone the colour bar's last label, the cap "≥ 2420", stuck out past the figure and Plotly hid
    # it, so the brightest yellow read as about 100; so did the β₁ axis' last label, "0.999".
    with new_session(page, **PHONE) as pg:
        pg.goto(server + "/?tab=sweeps&r=adam~lr:0.01&sw_axes=beta1-beta2&sw_n=25")
        pg.wait_for_function(finished_with("!!document.querySelector('.js-plotly-plot .colorbar')"), timeout=180_000)
        labels = pg.evaluate(
            """() => [...document.querySelector('.js-plotly-plot')
              .querySelectorAll('.colorbar .cbaxis text, .xtick text')]
              .map((t) => [t.textContent, getComputedStyle(t).display !== 'none', t.getBoundingClientRect().right])"""
        )
        shown = [text for text, visible, right in labels if visible and right <= 360]
        assert any(text.startswith("≥") for text in shown), labels
        assert "0.999" in shown and len(shown) == len(labels), labels


def test_basin_maps_beside_an_open_sidebar_are_two_a_row(page: Any, server: str) -> None:
    # At 1000 px the sidebar leaves a 540 px column: four basin maps a row were 100 px plots whose titles ran
    # together ("Gradient descentMomentum (EMA)"). The browser reports the width; two a row are 220 px.
    with new_session(page, viewport={"width": 1000, "height": 1000}) as pg:
        pg.goto(server + "/?tab=sweeps&ls=himmelblau&sw_n=25")
        wide = """(() => { const g = [...document.querySelectorAll('.js-plotly-plot')].find((c) =>
          c.querySelectorAll('.annotation-text-g').length === 4);
          return !!g && [...g.querySelectorAll('.draglayer .nsewdrag')].every((d) =>
            d.getBoundingClientRect().width > 180); })()"""
        pg.wait_for_function(finished_with(wide), timeout=180_000)
        (basin,) = [c for c in pg.evaluate(PLOTLY_BOXES) if len(c["titles"]) == 4]
        assert _apart(basin["titles"]), basin["titles"]
        assert len({round(b[0]) for b in basin["plot"]}) == 2, "two a row"


def test_basin_maps_second_row_titles_stand_clear_of_the_first_rows_tick_labels(page: Any, server: str) -> None:
    # Five runs on a laptop: four basin maps a row, and the fifth's title, "Momentum (EMA)", overlapped the
    # first row's x tick labels by 3 px. Each title now stands at least 6 px below the tick labels above it.
    runs = "&r=gd~lr:0.05&r=sgd~lr:0.05~momentum:0.9&r=adam~lr:0.1&r=rmsprop~lr:0.01&r=momentum~lr:0.05"
    with new_session(page, viewport={"width": 1400, "height": 1000}) as pg:
        pg.goto(server + "/?tab=sweeps&lesson=local-minimum&sw_n=25" + runs)
        pg.wait_for_function(
            finished_with("document.querySelectorAll('.js-plotly-plot .annotation-text-g').length >= 5"),
            timeout=180_000,
        )
        (basin,) = [c for c in pg.evaluate(PLOTLY_BOXES) if len(c["titles"]) == 5]
        assert len({round(b[1]) for b in basin["plot"]}) == 2, "two rows"
        second_row = [t for t in basin["titles"] if t[1] > min(b[3] for b in basin["plot"])]
        assert second_row
        for t in second_row:
            above = [k for k in basin["ticks"] if k[1] < t[1] and not (k[2] <= t[0] or t[2] <= k[0])]
            assert above and t[1] - max(k[3] for k in above) >= 6, (t, above)


#: The arrows chart (Step by step): the axes' ranges as drawn, and the level lines' extent (the window).
ARROWS_RANGES = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();
  const c = gd._fullData[0];  // the level lines (decoded arrays)
  return {x: gd._fullLayout.xaxis.range, y: gd._fullLayout.yaxis.range,
          window: [[c.x[0], c.x[c.x.length - 1]], [c.y[0], c.y[c.y.length - 1]]]}; }"""


def arrows_chart_fits(pg: Any, server: str, width: int) -> None:
    """Step by step's arrows chart on a screen ``width`` pixels wide: the legend above the plot and apart
    from it, the plot most of the width, and its axes exactly the window the level lines cover (beside a
    legend, equal scales had stretched the y axis past them, leaving a blank band)."""
    pg.goto(server + "/?tab=steps&r=sgd~lr:0.001~momentum:0.9~nesterov:1")
    pg.wait_for_function(finished_with("!!document.querySelector('.js-plotly-plot .legend')"), timeout=180_000)
    (arrows,) = pg.evaluate(PLOTLY_BOXES)
    (left, top, right, _bottom) = arrows["plot"][0]
    assert arrows["legend"][0][3] <= top, "the legend above the plot"
    assert arrows["legend"][0][2] <= width
    assert right - left > 0.6 * width and right <= width, "the plot spans most of the screen"
    r = pg.evaluate(ARROWS_RANGES)
    for shown, covered in ((r["x"], r["window"][0]), (r["y"], r["window"][1])):
        assert shown == pytest.approx(covered, rel=1e-6, abs=1e-9 * abs(covered[1] - covered[0])), r


#: Each panel's plot: its pixels per unit along x and along y, where it starts and its width, and its canvas's.
PLOT_SCALES = f"""{HOST}.__view.panels.map((p) => ({{x: p.w / (p.x1 - p.x0), y: p.h / (p.y1 - p.y0),
  left: p.left, w: p.w, canvas: p.cssW}}))"""


@pytest.mark.parametrize(
    ("query", "ratio"),
    [
        ("?view=overlay&ls=himmelblau", 1.0),  # one wide plot: it was stretched 2:1 across the page
        ("?r=adam", 1.0),
        ("?ls=rnn-cliff", 1.0),  # a 4 × 3 window in four panels
        ("?ls=six-hump-camel&view=overlay", 1.0),
        # a window 100 times wider than high is drawn 3:1, so a y unit takes 100/3 times an x unit's pixels
        ("?ls=custom&f=x^2%2By^2&fb=-100~100~-1~1&r=gd", 100 / 3),
    ],
)
def test_panels_draw_the_window_at_equal_scales(page: Any, server: str, query: str, ratio: float) -> None:
    # Level sets keep their shape and a gradient meets them at a right angle only at equal scales; the
    # plot was as wide as its cell whatever the window's shape.
    open_app(page, server, query)
    page.wait_for_function(RUN_FINISHED, timeout=120_000)
    for p in page.evaluate(PLOT_SCALES):
        assert p["y"] / p["x"] == pytest.approx(ratio, rel=0.01), p
        assert p["left"] >= 40 and p["left"] + p["w"] <= p["canvas"], p


@pytest.mark.parametrize(("height", "grows"), [(800, False), (1000, True)])
def test_one_plot_a_row_grows_only_where_the_screen_has_room(page: Any, server: str, height: int, grows: bool) -> None:
    # The overlay at equal scales is narrower than the page and may be taller than the usual 430 px, but
    # not so tall that a laptop's first screen loses the Play bar under it.
    with new_session(page, viewport={"width": 1280 if height == 800 else 1400, "height": height}) as pg:
        open_app(pg, server, "?view=overlay")
        pg.wait_for_function(RUN_FINISHED, timeout=120_000)
        top, bottom = pg.evaluate(BOX, ".pp-host .pp-canvas")
        assert (bottom - top > 440) == grows, (top, bottom)
        assert bottom - top >= 430 and pg.evaluate(BOX, ".pp-host .pp-bar")[1] <= height, "the Play bar on the screen"


def test_on_a_phone_a_long_window_is_drawn_at_equal_scales_under_its_title(page: Any, server: str) -> None:
    # A window three times as wide as high on a phone: the panel's least height (160 px) is more than the plot
    # needs, so the plot is shorter than its canvas rather than stretched upwards.
    with new_session(page, **PHONE) as pg:
        open_app(pg, server, "?ls=custom&f=x^2%2By^2&fb=-3~3~-1~1&r=gd")
        pg.wait_for_function(RUN_FINISHED, timeout=120_000)
        (p,) = pg.evaluate(PLOT_SCALES)
        assert p["y"] / p["x"] == pytest.approx(1.0, rel=0.01), p
        assert p["w"] > 0.6 * 360, "as wide as the screen allows"


def test_log_loss_axis_labels_are_whole_values_for_any_range(page: Any) -> None:
    """The loss chart's log axis (``logTicks`` in ``ui/paths_canvas.js``) labelled only powers of ten: ten
    steps of the default scene (under a decade) had one label, "10", and a barely moving run none. For
    ranges from 56 decades down to a fifth of one, at least two ticks, inside the range, not crowded (28 px
    apart on average), each label reading back as its tick's whole value."""
    src = (ROOT / "ui" / "paths_canvas.js").read_text(encoding="utf-8")
    ranges = [(-0.2, 0.9), (0.5, 0.9), (-30, 26), (-3.05, -2.95), (1.0, 1.3), (-16, 2), (25.9, 26.1), (-1.1, 0.05)]
    labelled = page.evaluate(
        """async ([src, ranges]) => {
          const m = await import(URL.createObjectURL(new Blob([src], {type: "text/javascript"})));
          return ranges.map(([lo, hi]) => [150, 240].map((px) => ({lo, hi, px, ticks: m.logTicks(lo, hi, px)}))).flat();
        }""",
        [src, ranges],
    )
    for axis in labelled:
        ticks = axis["ticks"]
        assert 2 <= len(ticks) <= axis["px"] // 28, axis
        labels = [label for _, label in ticks]
        assert len(set(labels)) == len(labels), axis
        for value, label in ticks:
            assert axis["lo"] - 1e-9 <= np.log10(value) <= axis["hi"] + 1e-9, axis
            assert len(label) <= 8 and float(label) == pytest.approx(value, rel=1e-6), (value, label)


def test_every_lesson_title_fits_the_sidebars_select(page: Any, server: str) -> None:
    # "A ravine: GD bounces, then crawls; momentum swings, then races" showed as "A ravine: GD bounces, then
    # crawl" in the select and was cut in its list too (as were five more). Every title now fits the
    # select's text box at the sidebar's usual width, measured in its own font.
    with new_session(page, viewport={"width": 1280, "height": 800}) as pg:
        open_app(pg, server, "")
        # the panels come first in a session's first run, the sidebar after them
        pg.wait_for_selector('[data-testid="stSidebar"] [data-testid="stSelectbox"] input', timeout=60_000)
        room, widths = pg.evaluate(
            """async (titles) => {
              const box = document.querySelector('[data-testid="stSidebar"] [data-testid="stSelectbox"] input');
              const cs = getComputedStyle(box), c = document.createElement("canvas").getContext("2d");
              await document.fonts.load(cs.font, titles.join(""));  // else a canvas measures in a fallback font
              c.font = cs.font;
              return [box.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight),
                      titles.map((t) => c.measureText(t).width)];
            }""",
            [lessons.get(k).title for k in lessons.keys()],  # noqa: SIM118 (the module's function)
        )
    assert room > 150
    too_wide = {lessons.get(k).title: round(w) for k, w in zip(lessons.keys(), widths, strict=True) if w > room}
    assert not too_wide, (room, too_wide)


def test_the_offline_animation_saved_on_a_laptop_stacks_its_panels_on_a_phone(page: Any, tmp_path: Any) -> None:
    # A file saved on a laptop kept the laptop's three panels a row on a phone: tiny plots, titles over each
    # other, "diverged at step 3" far below its panel. It now carries the phone layout and takes it in a
    # window under 600 px; wider, it keeps its own.
    from scene import Run, Scene
    from simulate import simulate
    from ui.views import animation_html, build_paths_figure

    scene = Scene(runs=(Run("gd", (("lr", 0.1),)), Run.make("momentum"), Run("adam", (("lr", 0.05),))), steps=100)
    result = simulate(scene)
    file = tmp_path / "animation.html"
    wide, narrow = (build_paths_figure(result, overlay=False, columns=3, narrow=n) for n in (False, True))
    file.write_text(animation_html(wide, "test", narrow), encoding="utf-8")
    domains = """() => { const gd = document.getElementById('optimizer-playground'), l = gd && gd.layout;
      return l && l.xaxis2 ? ['', 2, 3].map((a) => [l['xaxis' + a].domain, l['yaxis' + a].domain]) : null; }"""
    for width, stacked in ((360, True), (1280, False)):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(file.as_uri())
        page.wait_for_load_state("load")
        page.wait_for_function(f"(() => {{ const d = ({domains})(); return !!d; }})()")
        if stacked:  # the relayout follows the load event
            page.wait_for_function(f"({domains})()[0][0][1] > 0.9")
        boxes = page.evaluate(domains)
        lefts = {round(x[0][0], 3) for x in boxes}
        tops = {round(y[1][1], 3) for y in boxes}
        assert (len(lefts), len(tops)) == ((1, 3) if stacked else (3, 1)), (width, boxes)


def test_summary_cells_write_an_exact_zero_as_0(page: Any) -> None:
    """The panels' summary (``summaryText`` in ``ui/paths_canvas.js``) wrote a loss of exactly 0 (GD on a
    bowl, from its minimum) as "0.000". Other numbers keep their significant digits, trailing zeros too."""
    src = (ROOT / "ui" / "paths_canvas.js").read_text(encoding="utf-8")
    cells = [
        (0.0, "final loss", "0"),
        (0.0, "distance to minimum", "0"),
        (1.5, "final loss", "1.500"),
        (0.000123456, "distance to minimum", "0.000123"),
        (2.5e-20, "final loss", "2.500e-20"),
        (12.0, "steps to reach", "12"),
        (None, "final loss", "–"),
        ("diverged at step 3", "status", "diverged at step 3"),
    ]
    written = page.evaluate(
        """async ([src, cells]) => {
          const m = await import(URL.createObjectURL(new Blob([src], {type: "text/javascript"})));
          return cells.map(([v, column]) => m.summaryText(v, column));
        }""",
        [src, [[v, c] for v, c, _ in cells]],
    )
    assert written == [text for _, _, text in cells]


#: Per pixel row (as "0"/"1", from 14 px above the plot's bottom edge to 24 px below it) whether the strip
#: from 30 to 8 px left of the first panel's plot has ink: the lowest y label and the first x label.
CORNER_INK_ROWS = f"""(() => {{
  const p = {HOST}.__view.panels[0], ctx = p.layer.getContext("2d"), r = p.layer.width / p.cssW;
  const bottom = p.py(p.y0), x0 = Math.round((p.left - 30) * r), y0 = Math.round((bottom - 14) * r);
  const img = ctx.getImageData(x0, y0, Math.round(22 * r), Math.round(38 * r));
  const rows = [];
  for (let y = 0; y < img.height; y++) {{
    let ink = 0;
    for (let x = 0; x < img.width; x++) if (img.data[4 * (y * img.width + x)] < 160) ink = 1;
    rows.push(ink);
  }}
  return rows.join("");
}})()"""


def test_axis_labels_are_whole_for_any_window(page: Any, server: str) -> None:
    """The panels' tick labels (``ui/paths_canvas.js``): for windows from ±1e6 down to 0.01 wide (what
    ``landscapes.formula.check_bounds`` lets through), each label reads back as its tick, none has
    more than eight characters, and the panel's left margin widens to hold the widest."""
    src = (ROOT / "ui" / "paths_canvas.js").read_text(encoding="utf-8")
    windows = [(-1e6, 1e6), (999_900, 1e6), (-3, 3), (0, 0.01), (-0.01, 0.01), (-100.02, -100), (1000, 1000.2)]
    labelled = page.evaluate(
        """async ([src, windows]) => {
          const m = await import(URL.createObjectURL(new Blob([src], {type: "text/javascript"})));
          return windows.map(([lo, hi]) => [320, 180].map((px) => {
            const t = m.ticks(lo, hi, px);
            return {step: t.step, ticks: t.values.map((v) => [v, m.tickLabel(v, t)])};
          })).flat();
        }""",
        [src, windows],
    )
    for axis in labelled:
        labels = [label for _, label in axis["ticks"]]
        assert len(axis["ticks"]) >= 2 and len(set(labels)) == len(labels), labels
        for value, label in axis["ticks"]:
            assert len(label) <= 8, (value, label)
            assert abs(float(label) - value) <= axis["step"] * 1e-6, (value, label)
    open_app(page, server, "?ls=custom&f=x^2%2By^2&fb=-1000000~1000000~-1000000~1000000&r=gd")
    left, widest = page.evaluate(
        f"""(() => {{
          const p = {HOST}.__view.panels[0], c = document.createElement("canvas").getContext("2d");
          c.font = p.font();
          return [p.margin, Math.max(...["-1000000", "1000000"].map((t) => c.measureText(t).width))];
        }})()"""
    )
    assert left >= widest + 7, "'-1000000' fits left of the axis"
    # In the bottom-left corner the y axis' "-1000000" stood 3 px above the x axis' "-1000000". Which pixel
    # rows of the strip left of the plot (where both labels reach) have ink: two runs with 6 or more clear
    # rows between them.
    rows = page.evaluate(CORNER_INK_ROWS)
    runs = re.findall(r"1+|0+", rows.strip("0"))
    assert len(runs) == 3 and len(runs[1]) >= 6, rows
    open_app(page, server, "?r=gd")
    assert page.evaluate(f"{HOST}.__view.panels[0].margin") == 48, "the usual margin where the labels are short"
