"""Colours, dashes and markers shared by every figure.

The path colours are the Okabe–Ito palette (safe for the common colour-vision deficiencies); each run
also gets its own dash pattern and marker symbol so paths stay apart in greyscale and on a projector.
"""

from __future__ import annotations

# Okabe & Ito (2008), ordered for contrast against the light surface colours.
PALETTE = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#000000", "#56B4E9", "#882255")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash")
# No star: ☆ marks the known minima, and a run ending as a black star beside one read as a minimum.
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "triangle-down", "cross", "hexagon")
FONT = dict(family="Inter, Source Sans Pro, Helvetica, Arial, sans-serif", size=14, color="#1f2933")
MINIMUM_COLOUR = "#ffffff"
INK = FONT["color"]  # text, start marker, outlines


def style(i: int) -> dict[str, str]:
    """Colour, dash and marker symbol of the ``i``-th run."""
    return {"color": PALETTE[i % len(PALETTE)], "dash": DASHES[i % len(DASHES)], "symbol": SYMBOLS[i % len(SYMBOLS)]}
