"""How much of the browser's window is left below a point of the page.

Python cannot see the browser's window (``st.context`` has no viewport), so a Streamlit v2 component
(``ui/screen.js``) placed at that point reports the window's height and where the point stands on the
page. Presentation mode's 3-D view uses it to fill a projector's screen: a fixed height that fits a
720-pixel projector left most of a 1080-pixel one empty.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import streamlit as st

_HERE = Path(__file__).resolve().parent
_GAP = 16  # Streamlit's gap between two elements of a column (1rem)
_MARGIN = 8  # left free under the figure

_SCREEN = st.components.v2.component(
    "optimizer_playground.screen",
    html="",
    js=(_HERE / "page.js").read_text(encoding="utf-8") + (_HERE / "screen.js").read_text(encoding="utf-8"),
    isolate_styles=False,
)


def _ignore() -> None:
    """The report's callback: the rerun it causes is all the page needs."""


def _reported(value: Any) -> tuple[float, float] | None:
    """``(window height, top)`` from what the browser sent, or None unless both are plausible pixel counts."""
    if not isinstance(value, dict):
        return None
    height, top = value.get("height"), value.get("top")
    numbers = [v for v in (height, top) if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(numbers) != 2 or not all(math.isfinite(v) for v in numbers):
        return None
    height, top = float(height), float(top)  # type: ignore[arg-type]
    if not (100 <= height <= 100_000 and 0 <= top <= 100_000):
        return None
    return height, top


def space_below(key: str) -> float | None:
    """Place the reporter here and return the height of the window below this point, in CSS pixels.

    Args:
        key: the element's key (its report lands in ``st.session_state[key]["screen"]``).

    Returns:
        The window's height less this point's distance from the top of the page, or None until the
        browser has reported (the first run of a page), or when what it reported is not plausible.
    """
    _SCREEN(key=key, on_screen_change=_ignore)
    try:
        value = st.session_state[key]["screen"]
    except (KeyError, TypeError):
        return None
    reported = _reported(value)
    return None if reported is None else reported[0] - reported[1]


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
