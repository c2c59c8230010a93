"""Generic controls built from a :class:`optimizers.HyperParam`: the page never hand-writes a slider.

Every widget is keyed and initialised through ``st.session_state`` (never through ``value=``), so a
URL, a lesson or a "copy this run" button can set any control before it is drawn.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import streamlit as st

from optimizers import HyperParam
from scene import format_number

# "Nice" mantissas for log sliders: every value a lesson or a person would type is on the grid.
_MANTISSAS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0)
_COARSE = (1.0, 2.0, 5.0)


def log_options(low: float, high: float, coarse: bool = False) -> list[float]:
    """Values from ``low`` to ``high`` on a 1-1.2-1.5-2-…-9 grid per decade (1-2-5 if ``coarse``)."""
    return list(_log_grid(float(low), float(high), coarse)[0])


@functools.lru_cache(maxsize=256)
def _log_grid(low: float, high: float, coarse: bool) -> tuple[tuple[float, ...], frozenset[float]]:
    """:func:`log_options` as a tuple and a set, computed once per range (every rerun snaps every log
    setting of every run)."""
    mantissas = _COARSE if coarse else _MANTISSAS
    out = {low, high}
    for e in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1):
        for m in mantissas:
            v = float(f"{m * 10.0**e:.6g}")
            if low <= v <= high:
                out.add(v)
    grid = tuple(sorted(out))
    return grid, frozenset(grid)


def snap(value: float, options: list[float]) -> float:
    """The option nearest to ``value`` in log distance (values ≤ 0 go to the smallest option)."""
    if value <= 0:
        return options[0]
    arr = np.log(np.asarray(options))
    return options[int(np.argmin(np.abs(arr - math.log(value))))]


def slider_step(hp: HyperParam) -> float:
    """A step for a linear float slider: about a thousandth of the range, rounded to a power of ten."""
    span = float(hp.high) - float(hp.low)  # type: ignore[arg-type]
    return float(10.0 ** math.floor(math.log10(span / 1000.0))) if span > 0 else 0.001


def is_log(hp: HyperParam) -> bool:
    """Whether ``hp`` gets a log-scale slider (its flag, with a positive range)."""
    return bool(hp.log and hp.low is not None and hp.high is not None and hp.low > 0)


def coerce(hp: HyperParam, value: Any) -> Any:
    """``value`` as the widget for ``hp`` holds it (snapped to the log grid, clamped to the range)."""
    if hp.kind == "bool":
        return bool(value)
    if hp.kind == "choice":
        return value if value in hp.choices else hp.default
    if hp.kind == "int":
        v = round(float(value))
        if hp.low is not None:
            v = max(v, int(hp.low))
        if hp.high is not None:
            v = min(v, int(hp.high))
        return v
    v = float(value)
    if is_log(hp):
        grid, members = _log_grid(float(hp.low), float(hp.high), _coarse(hp))  # type: ignore[arg-type]
        return v if v in members else snap(v, list(grid))
    if hp.low is not None:
        v = max(v, float(hp.low))
    if hp.high is not None:
        v = min(v, float(hp.high))
    step = slider_step(hp)
    return round(round(v / step) * step, 12)


def _coarse(hp: HyperParam) -> bool:
    return math.log10(float(hp.high) / float(hp.low)) > 8  # type: ignore[arg-type]


#: Controls' labels where the keyword and the symbol do not make one ("nesterov Nesterov", "beta1 β₁",
#: "eps ε", "clip norm" without its c, "eta min η_min" as typed).
LABELS = {
    "lr": "learning rate η",
    "nesterov": "Nesterov",
    "amsgrad": "AMSGrad",
    "beta": "momentum β",
    "beta1": "β₁ (first moment)",
    "beta2": "β₂ (second moment)",
    "eps": "ε",
    "eps_inside": "ε inside the root √(v+ε)",
    "alpha": "smoothing α",
    "rho": "averaging ρ",
    "gamma": "factor γ",
    "clip_norm": "clip norm c",
    "clip_value": "clip value cᵥ",
    "eta_min": "lowest η, ηₘᵢₙ",
    "T_max": "period Tₘₐₓ",
    "schedule": "η schedule",
    "lr_decay": "η decay δ",
    "initial_accumulator_value": "initial accumulator G₀",
}


def label_of(hp: HyperParam) -> str:
    """A control's label: the parameter's words and its symbol (``"learning rate η"``, ``"momentum μ"``)."""
    if hp.name in LABELS:
        return LABELS[hp.name]
    words = hp.name.replace("_", " ")
    return f"{words} {hp.symbol}" if hp.symbol and hp.symbol.lower() != words else words


def control(hp: HyperParam, key: str, *, label: str | None = None, disabled: bool = False) -> Any:
    """Draw the control for ``hp`` under ``key`` and return its value.

    Float hyperparameters with the log flag get a select slider on a log grid, other floats a slider,
    integers a number input, bools a toggle and choices a select box. The initial value is
    ``st.session_state[key]`` if set, else the default.
    """
    label = label or label_of(hp)
    ss = st.session_state
    if key in ss:
        # Assign only a value that coercion changed: an assigned value is sent to the browser with the
        # widget and would move the control back if the person has moved it on since this run began.
        current = ss[key]
        value = coerce(hp, current)
        if value != current or type(value) is not type(current):
            ss[key] = value
    else:
        ss[key] = coerce(hp, hp.default)
    if hp.kind == "bool":
        return st.toggle(label, key=key, help=hp.help, disabled=disabled)
    if hp.kind == "choice":
        return st.selectbox(
            label, hp.choices, key=key, help=hp.help, disabled=disabled, format_func=lambda c: str(c).replace("_", " ")
        )
    if hp.kind == "int":
        return st.number_input(
            label,
            min_value=None if hp.low is None else int(hp.low),
            max_value=None if hp.high is None else int(hp.high),
            step=1,
            key=key,
            help=hp.help,
            disabled=disabled,
        )
    if is_log(hp):
        options = log_options(float(hp.low), float(hp.high), coarse=_coarse(hp))  # type: ignore[arg-type]
        return st.select_slider(
            label, options=options, key=key, help=hp.help, disabled=disabled, format_func=format_number
        )
    return st.slider(
        label,
        min_value=float(hp.low),
        max_value=float(hp.high),  # type: ignore[arg-type]
        step=slider_step(hp),
        key=key,
        help=hp.help,
        disabled=disabled,
        format="%g",
    )


def display_math(latex: str) -> None:
    """``latex`` as display maths, the full width of its column.

    Not ``st.latex``: it shrinks its box to the formula, and KaTeX's glyphs overhang that box by a pixel
    or two, so a browser with classic scrollbars (Windows) showed a horizontal scrollbar under every
    rule. A ``$$`` block in markdown spans the column and scrolls only when the formula is wider.
    """
    st.markdown(f"$$\n{latex}\n$$")


# Inline maths ($…$, not $$…$$) and a punctuation mark right after it.
_MATH_THEN_MARK = re.compile(r"(?<![\\$])(\$[^$\n]+)\$([,.;:])")


def wrap_columns_css(key: str, breakpoints: Sequence[tuple[int, str]]) -> str:
    """A ``<style>`` that lets the ``st.columns`` rows in the container keyed ``key`` wrap by its own width.

    Streamlit stacks columns only on a narrow window; a laptop's open sidebar leaves a narrow column in a
    wide window, where side-by-side controls are cut off. A container query goes by the container's width.

    Args:
        key: the container's key (Streamlit gives it the class ``st-key-<key>``).
        breakpoints: ``(width, basis)`` pairs, widest first: where the container is at most ``width`` CSS
            pixels wide, each column takes ``basis`` of the row (``"calc(50% - 0.5rem)"``: two a row beside
            Streamlit's 1rem gap; ``"100%"``: one a row).

    Returns:
        The ``<style>`` element's HTML.
    """
    box = f".st-key-{key}"
    rules = [f"{box} {{ container-type: inline-size; }}"]
    for width, basis in breakpoints:
        rules.append(
            f"@container (max-width: {width}px) {{ {box} [data-testid='stHorizontalBlock'] {{ flex-wrap: wrap; }}"
            f" {box} [data-testid='stColumn'] {{ flex: 1 1 {basis} !important; min-width: {basis} !important; }} }}"
        )
    return "<style>" + " ".join(rules) + "</style>"


def counted(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1: "1 step", "2,000 steps"."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def glue_math_punctuation(text: str) -> str:
    """``text`` with each punctuation mark that follows an inline formula moved into it, in braces (an
    ordinary symbol: no space around it), so that a line never starts with the mark: the browser may
    break a line right after KaTeX's box, even before a word joiner, and an explanation's
    ", so without correction" began a line with its comma."""
    return _MATH_THEN_MARK.sub(r"\1{\2}$", text)
