"""Make the README's screenshots: start the app, open a scene in headless Chromium, save PNGs.

Usage: ``python docs/screenshot.py`` (writes docs/screenshot.png and docs/phone.png).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.harness import launch_chromium, streamlit_server  # noqa: E402

SHOTS = {
    "screenshot.png": ("", {"width": 1440, "height": 1100}),
    "phone.png": ("?r=gd~lr:0.001&r=adam~lr:0.05", {"width": 390, "height": 844}),
}
READY = (
    "(() => { const g = Array.from(document.querySelectorAll('.js-plotly-plot')).find(g => g.layout && "
    "g.layout.sliders); return g && g.querySelector('.scatterlayer .trace'); })()"
)


def main() -> None:
    """Write every screenshot in :data:`SHOTS`."""
    with streamlit_server() as url, sync_playwright() as pw:
        browser = launch_chromium(pw)
        for name, (query, viewport) in SHOTS.items():
            page = browser.new_page(viewport=viewport, device_scale_factor=1)
            page.goto(url + "/" + query)
            page.wait_for_function(READY, timeout=120_000)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(HERE / name), full_page=False)
            print("wrote", HERE / name)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
