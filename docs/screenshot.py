"""Make the README's screenshots: start the app, open a scene in headless Chromium, save PNGs.

Usage: ``python docs/screenshot.py`` (writes the PNGs named in :data:`SHOTS` into docs/).
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
    "phone.png": ("?lesson=ravine", {"width": 390, "height": 1400}),
    "presentation.png": ("?lesson=saddle&present=1", {"width": 1920, "height": 1080}),
}
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
)
READY = "() => { const h = document.querySelector('.pp-host'); return !!h && Number(h.dataset.draws) > 0; }"


def main() -> None:
    """Write every screenshot in :data:`SHOTS`."""
    with streamlit_server() as url, sync_playwright() as pw:
        browser = launch_chromium(pw)
        for name, (query, viewport) in SHOTS.items():
            phone = viewport["width"] < 600
            page = browser.new_page(
                viewport=viewport,
                device_scale_factor=1,
                is_mobile=phone,
                has_touch=phone,
                user_agent=PHONE if phone else None,
            )
            page.goto(url + "/" + query)
            page.wait_for_function(READY, timeout=120_000)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(HERE / name), full_page=False)
            print("wrote", HERE / name)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
