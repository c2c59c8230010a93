"""How much of the browser's window is left below a point of the page, and how wide the page's column is there.

Python cannot see the browser's window (``st.context`` has no viewport), so a Streamlit v2 component
(``ui/screen.js``) placed at that point reports the window's height, where the point stands on the
page and the width of the column it is in. The 3-D view uses it: presenting, to fill a projector's
screen (a fixed height that fits a 720-pixel projector left most of a 1080-pixel one empty); always, to
fit the 3-D box to the figure's width (``viz.curves.fit_camera``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

_HERE = Path(__file__).resolve().parent
_GAP = 16  # Streamlit's gap between two elements of a column (1rem)
PHONE_COLUMN, DESKTOP_COLUMN = 340, 900  # the column's width (px) assumed until the browser reports it
_MARGIN = 8  # left free under the figure

_SCREEN = st.components.v2.component(
    "optimizer_playground.screen",
    html="",
    js=(_HERE / "page.js").read_text(encoding="utf-8") + (_HERE / "screen.js").read_text(encoding="utf-8"),
    isolate_styles=False,
)


def _ignore() -> None:
    """The report's callback: the rerun it causes is all the page needs."""


def _pixels(value: Any, least: float) -> float | None:
    """``value`` as a pixel count if it is a plausible one (a finite number in ``[least, 100 000]``), else None."""
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        return None
    return float(value) if least <= value <= 100_000 else None


@dataclass(frozen=True)
class Screen:
    """What the browser reported at a point of the page (None: not reported yet, or not plausible)."""

    below: float | None  #: the window's height less the point's distance from the top of the page
    width: float | None  #: the width of the page's column at that point

    def column(self, phone: bool) -> float:
        """The column's width: as reported, else what a phone's or a desktop's usually is."""
        return self.width or (PHONE_COLUMN if phone else DESKTOP_COLUMN)


def measure(key: str) -> Screen:
    """Place the reporter here and return what the browser reported of it, in CSS pixels.

    Args:
        key: the element's key (its report lands in ``st.session_state[key]["screen"]``).

    Returns:
        The space below this point and the column's width; each None until the browser has reported (the
        first run of a page), or when what it reported is not plausible.
    """
    _SCREEN(key=key, on_screen_change=_ignore)
    try:
        value = st.session_state[key]["screen"]
    except (KeyError, TypeError):
        return Screen(None, None)
    if not isinstance(value, dict):
        return Screen(None, None)
    height, top = _pixels(value.get("height"), 100), _pixels(value.get("top"), 0)
    below = None if height is None or top is None else height - top
    return Screen(below, _pixels(value.get("width"), 100))


def fill_height(space: float | None, least: int, most: int) -> int:
    """The height of a figure drawn right under the reporter that fills the ``space`` left below it.

    Args:
        space: what :func:`space_below` returned (None: not known yet).
        least: the height to use when the space is unknown or smaller.
        most: the tallest figure to draw.

    Returns:
        ``space`` less the gap between the two elements and a margin, within ``[least, most]``.
    """
    if space is None:
        return least
    return int(min(most, max(least, space - _GAP - _MARGIN)))
