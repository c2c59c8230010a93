"""Export for slides: the current scene as an animated GIF, drawn with Pillow (no browser, no network).

The surface is the banded PNG of :mod:`viz.surface` (decoded and stretched over the panel); every run's
path is drawn on it in its colour, growing frame by frame, all runs on one surface so the GIF stays
readable on a slide. Sizes stay small: at most ``MAX_FRAMES`` frames, at most ``MAX_WIDTH`` pixels wide,
one shared 64-colour palette.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from viz.paths import frame_indices
from viz.style import PALETTE
from viz.surface import SurfaceImage

MAX_FRAMES = 60
MAX_WIDTH = 800
MIN_WIDTH = 160
LEGEND_ROW = 22


def _font(size: int) -> Any:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: a fixed bitmap font
        return ImageFont.load_default()


def _hex(c: str) -> tuple[int, int, int]:
    c = c.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _background(surface: SurfaceImage, width: int, height: int) -> Image.Image:
    raw = base64.b64decode(surface.uri.split(",", 1)[1])
    with Image.open(io.BytesIO(raw)) as im:
        return im.convert("RGB").resize((width, height), Image.Resampling.NEAREST)


def _palette(base: Image.Image) -> Image.Image:
    """A shared palette: 48 colours of the surface, then the path colours, black and white (exact)."""
    surface_colours = base.quantize(colors=48, method=Image.Quantize.MEDIANCUT).getpalette()[: 48 * 3]
    extra = [v for c in (*PALETTE, "#000000", "#ffffff") for v in _hex(c)]
    pal = Image.new("P", (1, 1))
    pal.putpalette(surface_colours + extra + [0] * (768 - len(surface_colours) - len(extra)))
    return pal


def scene_gif(result: Any, surface: SurfaceImage, width: int = 640, frames: int = 48, frame_ms: int = 90) -> bytes:
    """The scene's runs moving over its surface, as an animated GIF.

    Args:
        result: a :class:`simulate.Result` (uses ``runs`` with ``label``/``path``/``error``, ``start``,
            ``landscape.minima`` and ``landscape.title``).
        surface: the rendered surface of the scene (its ``bounds`` are the plotted window).
        width: image width in pixels, clamped to [160, 800].
        frames: number of animation steps, clamped to [2, 60] (the last frame is held longer).
        frame_ms: milliseconds per frame.

    Returns:
        The GIF file's bytes (``GIF89a``, looping forever).
    """
    width = int(min(max(width, MIN_WIDTH), MAX_WIDTH))
    frames = int(min(max(frames, 2), MAX_FRAMES))
    (x0, x1), (y0, y1) = surface.bounds
    aspect = float(np.clip((y1 - y0) / (x1 - x0), 0.5, 1.5))
    plot_h = round(width * aspect)
    runs = [r for r in result.runs if r.error is None and len(r.path)]
    legend_h = LEGEND_ROW * max(1, (len(runs) + 1) // 2) + 8
    height = plot_h + legend_h
    base = Image.new("RGB", (width, height), "white")
    # Everything in data coordinates is drawn on the plot alone, so that what lies outside the window (a
    # Newton jump, a diverging run) is cut at the plot's edge instead of running over the legend.
    plot = _background(surface, width, plot_h)
    draw = ImageDraw.Draw(plot)
    font = _font(14)

    def px(p: np.ndarray) -> np.ndarray:
        """Data coordinates -> pixels (y up), clipped a little outside the image."""
        u = (p[..., 0] - x0) / (x1 - x0) * (width - 1)
        v = (1 - (p[..., 1] - y0) / (y1 - y0)) * (plot_h - 1)
        return np.clip(np.stack([u, v], axis=-1), -2 * width, 3 * width)

    for m in np.asarray(result.landscape.minima, dtype=float).reshape(-1, 2):
        u, v = px(m)
        draw.regular_polygon((float(u), float(v), 8), 5, fill="white", outline="black")
    su, sv = px(np.asarray(result.start, dtype=float))
    draw.ellipse((su - 6, sv - 6, su + 6, sv + 6), outline="black", width=2)
    legend = ImageDraw.Draw(base)
    for i, r in enumerate(runs):
        col, row = i % 2, i // 2
        lx, ly = 10 + col * (width // 2), plot_h + 6 + row * LEGEND_ROW
        colour = _hex(PALETTE[i % len(PALETTE)])
        legend.line((lx, ly + 8, lx + 24, ly + 8), fill=colour, width=4)
        legend.text((lx + 30, ly), r.label[:40], fill="black", font=font)

    steps = max((len(r.path) - 1 for r in runs), default=1)
    idx = frame_indices(steps, frames - 1)
    still = base.copy()
    still.paste(plot, (0, 0))
    palette_src = _palette(still)
    images = []
    for k in idx:
        im = base.copy()
        layer = plot.copy()
        d = ImageDraw.Draw(layer)
        for i, r in enumerate(runs):
            colour = _hex(PALETTE[i % len(PALETTE)])
            upto = min(int(k), len(r.path) - 1)
            pts = px(r.path[: upto + 1])
            ok = np.isfinite(pts).all(axis=1)
            seg: list[tuple[float, float]] = []
            for good, (u, v) in zip(ok, pts, strict=True):
                if good:
                    seg.append((float(u), float(v)))
                elif seg:
                    if len(seg) > 1:
                        d.line(seg, fill=colour, width=3, joint="curve")
                    seg = []
            if len(seg) > 1:
                d.line(seg, fill=colour, width=3, joint="curve")
            if seg:
                hu, hv = seg[-1]
                d.ellipse((hu - 5, hv - 5, hu + 5, hv + 5), fill=colour, outline="white")
        d.text((width - 8, 6), f"step {int(k)}", fill="black", font=font, anchor="ra")
        im.paste(layer, (0, 0))
        images.append(im.quantize(palette=palette_src, dither=Image.Dither.NONE))
    durations = [frame_ms] * (len(images) - 1) + [max(frame_ms, 1500)]
    buf = io.BytesIO()
    images[0].save(
        buf, format="GIF", save_all=True, append_images=images[1:], duration=durations, loop=0, optimize=False
    )
    return buf.getvalue()
