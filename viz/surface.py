"""The loss surface as a background image: filled contour bands with level lines, as a PNG data URI.

Plotly wipes contour and heatmap traces during ``redraw: False`` animations, so the animated panels
carry the surface in ``layout.images`` instead. A banded palette image (a few dozen flat colours)
compresses to a few kilobytes, which keeps the figure payload small.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import numpy as np
from PIL import Image

# Low loss dark blue-grey, high loss near white: coloured paths stand out on every band.
_LOW = np.array([92, 116, 146], dtype=float)
_HIGH = np.array([246, 247, 249], dtype=float)
_LINE_DARKEN = 0.80
# Where the surface has no value (a custom formula's log(x) at x < 0): diagonal hatching in a warm grey,
# unlike any band, in colour or in greyscale (luminance about 227 and 144 against the bands' 112–247).
_UNDEFINED = np.array([[232, 226, 216], [152, 142, 130]], dtype=np.uint8)  # background, stripes
HATCH_PERIOD = 6  # pixels between stripes, along a row
HATCH_WIDTH = 2  # pixels of stripe in each period


@dataclass(frozen=True)
class SurfaceImage:
    """A rendered surface.

    Attributes:
        uri: ``data:image/png;base64,...``.
        bounds: the window the image covers, ``((xmin, xmax), (ymin, ymax))``.
        label: what the shading shows, e.g. ``"log₁₀(loss − min)"``.
        low, high: the shown quantity at the darkest and lightest band.
        undefined: whether some cells are hatched because the surface has no value there.
    """

    uri: str
    bounds: tuple[tuple[float, float], tuple[float, float]]
    label: str
    low: float
    high: float
    undefined: bool = False


def band_colours(levels: int) -> np.ndarray:
    """RGB rows for ``levels`` bands from low (dark) to high (light), then the same darkened for lines, then
    the undefined cells' hatching: its background and its stripes (palette indices ``2 * levels`` and
    ``2 * levels + 1``)."""
    t = np.linspace(0.0, 1.0, levels)[:, None] ** 0.7
    fill = _LOW + (_HIGH - _LOW) * t
    return np.vstack([np.vstack([fill, fill * _LINE_DARKEN]).round().astype(np.uint8), _UNDEFINED])


def render(
    Zt: np.ndarray, bounds: tuple[tuple[float, float], tuple[float, float]], label: str, levels: int = 22
) -> SurfaceImage:
    """Render display values ``Zt`` (``Zt[i, j]`` at row ``i`` = y ascending, column ``j`` = x ascending).

    Args:
        Zt: display-transformed loss on a grid; NaN or inf cells (where the surface has no value, such as
            log(x) at x < 0, or overflows) are hatched, in colours no band has.
        bounds: the window the grid covers.
        label: what ``Zt`` shows.
        levels: number of colour bands (each boundary is drawn as a darker level line); the level values
            blend even spacing with the grid's quantiles.

    Returns:
        A :class:`SurfaceImage` whose PNG has ``Zt``'s shape, top row = highest y.
    """
    finite = np.isfinite(Zt)
    lo = float(np.min(Zt[finite])) if finite.any() else 0.0
    hi = float(np.max(Zt[finite])) if finite.any() else 1.0
    span = hi - lo if hi > lo else 1.0
    z = np.where(finite, Zt, hi)
    # Level values halfway between evenly spaced ones and the grid's quantiles (of the defined cells):
    # evenly spaced levels crowd into hatching where a surface is steep; quantiles alone give a flat
    # plateau as many bands as a cliff. The blend keeps every band visible and the levels still monotone.
    q = np.linspace(0.0, 1.0, levels + 1)[1:-1]
    even = lo + span * q
    quant = np.quantile(Zt[finite], q) if finite.any() else even
    band = np.searchsorted(0.5 * (even + quant), z, side="right").clip(0, levels - 1)
    line = np.zeros_like(band, dtype=bool)
    line[:, 1:] |= band[:, 1:] != band[:, :-1]
    line[1:, :] |= band[1:, :] != band[:-1, :]
    index = (band + levels * line).astype(np.uint8)
    rows, cols = np.indices(index.shape)
    stripe = (cols - rows) % HATCH_PERIOD < HATCH_WIDTH  # rows are y ascending: stripes rise to the right
    index = np.where(finite, index, 2 * levels + stripe).astype(np.uint8)
    index = np.ascontiguousarray(index[::-1])  # image rows go top-down
    img = Image.frombytes("P", (index.shape[1], index.shape[0]), index.tobytes())
    img.putpalette(band_colours(levels).ravel().tolist())
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    uri = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    return SurfaceImage(uri, bounds, label, lo, hi, undefined=not finite.all())


def layout_image(surface: SurfaceImage, xref: str = "x", yref: str = "y") -> dict[str, object]:
    """A ``layout.images`` entry that stretches the surface over its bounds on the given axes."""
    (x0, x1), (y0, y1) = surface.bounds
    return dict(
        source=surface.uri,
        xref=xref,
        yref=yref,
        x=x0,
        y=y1,
        sizex=x1 - x0,
        sizey=y1 - y0,
        sizing="stretch",
        layer="below",
        xanchor="left",
        yanchor="top",
    )
