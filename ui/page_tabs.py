"""The page's tab bar, a Streamlit v2 component (``ui/page_tabs.js``), over the open tab's container.

Only the open tab is drawn (the page computes nothing for the others), so the bar needs no panels of its
own: it names the tabs and reports a pick, and the page draws the open tab into the container that
follows. ``st.tabs`` did the same job at a cost to every slider move: the browser re-rendered its tab
collection and scanned the open panel for a focusable element at every change inside it, although the
tabs had not changed (about 20 ms of script per move under the profiler; the median move went from 72 to
62 ms with the two pages served side by side).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

_HERE = Path(__file__).resolve().parent
#: The key of the container the open tab is drawn into (the bar marks it ``role="tabpanel"``).
PANEL_KEY = "page_tab"
_KEY = "page_tabs"

_BAR = st.components.v2.component(
    "optimizer_playground.tabs",
    html="",
    css=(_HERE / "page_tabs.css").read_text(encoding="utf-8"),
    js=(_HERE / "page_tabs.js").read_text(encoding="utf-8"),
    isolate_styles=False,  # the bar labels the page's panel container, outside its own element
)


def page_tabs(tabs: Mapping[str, str], open_slug: str, on_pick: Callable[[str], None]) -> DeltaGenerator:
    """Draw the tab bar with ``open_slug`` open and return the (empty) container for that tab's content.

    Args:
        tabs: slug -> title, in bar order.
        open_slug: the open tab's slug (one of ``tabs``).
        on_pick: called with a picked tab's slug, before the page reruns (a callback: it may set session
            state). A slug the page does not know is ignored.

    Returns:
        The container for the open tab, keyed :data:`PANEL_KEY`.
    """

    def picked() -> None:
        slug = (st.session_state.get(_KEY) or {}).get("pick")
        if isinstance(slug, str) and slug in tabs:
            on_pick(slug)

    _BAR(data={"tabs": list(tabs.items()), "open": open_slug, "panel": PANEL_KEY}, key=_KEY, on_pick_change=picked)
    return st.container(key=PANEL_KEY)
