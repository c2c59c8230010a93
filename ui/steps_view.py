"""The maths, step by step: every intermediate quantity of one run's rule, the rule with the numbers
substituted, the effective step size over time, the Hessian at the current point, the arrows, and the
run as PyTorch/Keras/Optax code.

The internals come from :func:`optimizers.trace` with exactly the settings the animation used
(:func:`simulate.run_inputs`), so the table's numbers are the path's numbers.
"""

from __future__ import annotations

import html
import math
import re
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

import codegen
import landscapes
import optimizers
from simulate import Result, RunResult, run_inputs
from ui.screen import measure
from ui.tables import number_columns
from ui.views import chart_config, is_phone
from ui.widgets import display_math
from viz.steps import Arrow, arrows_figure, effective_lr_figure, scale_to

MAX_TABLE_STEPS = 200
# KaTeX's display size is 1.21em; 1.05em on a narrow screen fits Adam's substituted rule in 360 px.
_PHONE_LATEX_CSS = (
    "<style>@media (max-width: 480px) { [data-testid='stMainBlockContainer'] [data-testid='stMarkdownContainer'] "
    ".katex-display > .katex { font-size: 1.05em; } }</style>"
)
RUN_KEY = "steps_run"
STEP_KEY = "steps_t"
SCREEN_KEY = "steps_screen"  # the reporter of the tab's column width (ui.screen)
#: The narrowest column (px) that puts the Hessian beside the arrows; a narrower one stacks them, so that
#: the arrows get the whole width (a laptop's column with the sidebar open is about 540 px).
SIDE_BY_SIDE = 760
#: KaTeX's display maths is 1.21em of the page's 16 px (1.05em on a phone, _PHONE_LATEX_CSS).
KATEX_PX, KATEX_PHONE_PX = 1.21 * 16, 1.05 * 16
#: The tab's controls (drawn whenever the tab shows a run).
CONTROL_KEYS = (RUN_KEY, STEP_KEY)
PHONE_TABLE_PX = 210  # the step table's height on a phone: five rows

#: Column names (plain text) of the trace keys; the optimizer-specific effective step size is named below.
LABELS = {
    "position": "θₜ₋₁",
    "preclip": "ĝ",
    "clip_factor": "clip ×",
    "gradient": "g",
    "lr": "ηₜ",
    "velocity": "v",
    "momentum_buffer": "b",
    "lookahead": "g+μb",
    "sum": "G",
    "v": "v",
    "grad_avg": "ḡ",
    "delta": "Δ",
    "u": "u",
    "m": "m",
    "v_max": "v_max",
    "m_hat": "m̂",
    "v_hat": "v̂",
    "rect": "rₜ",
    "effective_lr": "η_eff",
    "hessian": "H",
    "eigenvalues": "λ",
    "direction": "H̃⁻¹g",
    "update": "Δθ",
    "next": "θₜ",
}
EFFECTIVE = {
    "adagrad": "η̃/(√G + ε)",
    "rmsprop": "η/(√v + ε)",
    "adam": "η/(√v̂ + ε)",
    "adamw": "η/(√v̂ + ε)",
    "nadam": "η/(√v̂ + ε)",
    "radam": "η·r·√(1-β₂ᵗ)/(√v + ε)",
    "adamax": "η/u",
}


def effective_name(optimizer: str, kw: dict[str, Any] | None = None) -> str:
    """The effective step size's name as the run computes it: ε under the root with ``eps_inside``
    (η/√(v̂ + ε)), no hats without bias correction, RMSprop's centred v − ḡ²."""
    kw = kw or {}
    name = EFFECTIVE.get(optimizer, "η_eff")
    if optimizer == "adam" and not kw.get("bias_correction", True):
        name = name.replace("v̂", "v")
    if optimizer == "rmsprop" and kw.get("centered"):
        name = name.replace("√v", "√(v − ḡ²)")
    root = re.search(r"\(√(.+) \+ ε\)$", name)
    if kw.get("eps_inside") and root:
        inner = root.group(1)
        inner = inner[1:-1] if inner.startswith("(") else inner
        name = f"{name[: root.start()]}√({inner} + ε)"
    return name


# --------------------------------------------------------------------------------------------------
# Pure helpers (tested directly)
# --------------------------------------------------------------------------------------------------
def step_table(trace: dict[str, np.ndarray]) -> pd.DataFrame:
    """One row per step, one column per quantity and coordinate (e.g. ``"m̂ (x)"``), floats.

    Args:
        trace: the output of :func:`optimizers.trace` for one run (no batch axis).

    Returns:
        A DataFrame with a ``"t"`` column (1-based step) and the quantities in the trace's order.
    """
    n = len(trace["position"])
    cols: dict[str, Any] = {"t": np.arange(1, n + 1)}
    for key, arr in trace.items():
        a = np.asarray(arr, dtype=float)
        name = LABELS.get(key, key)
        if a.ndim == 1:
            cols[name] = a
        elif a.ndim == 2 and a.shape[1] == 2:
            suffix = (" (1)", " (2)") if key == "eigenvalues" else (" (x)", " (y)")
            cols[name + suffix[0]] = a[:, 0]
            cols[name + suffix[1]] = a[:, 1]
        elif a.ndim == 3 and a.shape[1:] == (2, 2):
            cols[name + " xx"], cols[name + " xy"], cols[name + " yy"] = a[:, 0, 0], a[:, 0, 1], a[:, 1, 1]
    return pd.DataFrame(cols)


def tex_num(v: float, digits: int = 6) -> str:
    """A number for LaTeX: ``%.6g`` with ``× 10^{k}`` instead of ``e`` (``10^{k}`` alone for a mantissa of 1);
    NaN and ∞ spelled out."""
    v = float(v)
    if math.isnan(v):
        return r"\text{NaN}"
    if math.isinf(v):
        return r"\infty" if v > 0 else r"-\infty"
    s = f"{v:.{digits}g}"
    if "e" in s:
        mant, exp = s.split("e")
        if mant in ("1", "-1"):  # 1e-08 (a default ε) as 10^{-8}
            return rf"{mant[:-1]}10^{{{int(exp)}}}"
        return rf"{mant} \times 10^{{{int(exp)}}}"
    return s


def tex_vec(a: Any, fmt: Any = None) -> str:
    """A 2-vector as a LaTeX column ``pmatrix`` (``fmt`` maps a float to LaTeX; default :func:`tex_num`)."""
    f = fmt or tex_num
    a = np.asarray(a, dtype=float).reshape(-1)
    return r"\begin{pmatrix}" + r" \\ ".join(f(x) for x in a) + r"\end{pmatrix}"


def _sq(x: float) -> str:
    s = tex_num(x)
    return f"({s})^2" if x < 0 or "^" in s else f"{s}^2"  # 10^{-8}^2 would not parse


def _prev(tr: dict[str, np.ndarray], key: str, i: int, start: Any = 0.0) -> np.ndarray:
    if i > 0:
        return np.asarray(tr[key][i - 1], dtype=float)
    return np.broadcast_to(np.asarray(start, dtype=float), (2,)).astype(float)


def _top_level_split(text: str, sep: str) -> list[str]:
    """``text`` split at each ``sep`` outside braces and LaTeX environments."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        if text.startswith(r"\begin{", i):
            depth += 1
        elif text.startswith(r"\end{", i):
            depth -= 1
        elif text[i] in "{}":
            depth += 1 if text[i] == "{" else -1
        elif depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            start = i + len(sep)
            i = start
            continue
        i += 1
    return [*parts, text[start:]]


def stacked(line: str) -> list[str]:
    """One ``aligned`` row ``lhs &= a = b = c`` as rows ``lhs &= a``, ``&= b``, ``&= c``: each equality of
    a substitution on its own row, so that the rule fits a phone's width."""
    lhs, sep, rest = line.partition("&")
    if not sep:
        return [line]
    op = r"\leftarrow" if rest.startswith(r"\leftarrow") else "="
    first, *more = _top_level_split(rest[len(op) :], " = ")
    return [f"{lhs}&{op}{first}", *(f"&= {part}" for part in more)]


# Widths in em of KaTeX's glyphs and spaces (its fonts' metrics, rounded): what latex_em adds up.
_EM_COMMAND = {
    ",": 0.17,
    ";": 0.28,
    " ": 0.33,
    "quad": 1.0,
    "qquad": 2.0,
    "!": -0.17,
    "leftarrow": 1.0 + 0.56,
    "le": 0.78 + 0.56,
    "ge": 0.78 + 0.56,
    "times": 0.78 + 0.44,
    "cdot": 0.28 + 0.44,
    "pm": 0.78,
    "infty": 1.0,
    "sum": 1.1,
    "max": 1.6,
    "min": 1.5,
    "nabla": 0.83,
    "textstyle": 0.0,
    "left": 0.2,  # a delimiter sized to a fraction is wider than its plain glyph
    "right": 0.2,
    "lambda": 0.58,
    "epsilon": 0.47,
    "|": 0.5,
}
_EM_CHAR = {"=": 0.78 + 0.56, "+": 0.78 + 0.44, "(": 0.39, ")": 0.39, ".": 0.28, ",": 0.28 + 0.17, "'": 0.3}
_OPEN = re.compile(r"\\begin\{(\w+)\}")


def _group(text: str, i: int) -> tuple[str, int]:
    """The braced group (or the single character or command) starting at ``text[i]``, and where it ends."""
    while i < len(text) and text[i] == " ":
        i += 1
    if i >= len(text):
        return "", i
    if text[i] == "{":
        depth = 0
        for j in range(i, len(text)):
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            if depth == 0:
                return text[i + 1 : j], j + 1
    if text[i] == "\\":
        m = re.match(r"\\([A-Za-z]+|.)", text[i:])
        assert m is not None
        return m.group(0), i + m.end()
    return text[i], i + 1


def _environment(text: str, i: int, name: str) -> tuple[str, int]:
    r"""The body of ``\begin{name}`` at ``text[i]`` and the index after its ``\end{name}`` (nesting counted)."""
    begin, end = rf"\begin{{{name}}}", rf"\end{{{name}}}"
    depth, j = 0, i
    while j < len(text):
        if text.startswith(begin, j):
            depth, j = depth + 1, j + len(begin)
        elif text.startswith(end, j):
            depth -= 1
            if depth == 0:
                return text[i + len(begin) : j], j + len(end)
            j += len(end)
        else:
            j += 1
    return text[i + len(begin) :], len(text)


def latex_em(text: str) -> float:
    """About how wide KaTeX sets ``text`` (one row of a formula, display style), in em.

    The page cannot measure KaTeX, so :func:`rule_latex` estimates each row from its glyphs: digits half
    an em, letters a little more, relations and binary operators with their spaces, a fraction as wide as
    its wider part, a root as its radicand and the sign, a ``pmatrix`` as its widest entry per column and
    the parentheses, sub- and superscripts at 70 %. It errs on the wide side: a row it calls too wide is
    only stacked, which costs some height.
    """
    total, i = 0.0, 0
    while i < len(text):
        c = text[i]
        env = _OPEN.match(text, i)
        if env:
            body, i = _environment(text, i, env.group(1))
            rows = [_top_level_split(row, "&") for row in _top_level_split(body, r" \\ ")]
            columns = max(len(r) for r in rows)
            widths = [max(latex_em(r[k]) if k < len(r) else 0.0 for r in rows) for k in range(columns)]
            total += sum(widths) + 1.0 * (columns - 1) + (1.6 if env.group(1) == "pmatrix" else 0.0)
        elif text.startswith(r"\frac", i):
            top, i = _group(text, i + 5)
            bottom, i = _group(text, i)
            total += max(latex_em(top), latex_em(bottom)) + 0.4
        elif text.startswith(r"\sqrt", i):
            inner, i = _group(text, i + 5)
            total += latex_em(inner) + 1.0
        elif c in "_^":
            inner, i = _group(text, i + 1)
            total += 0.7 * latex_em(inner)
        elif c == "\\":
            command, i = _group(text, i)
            name = command[1:]
            if name in ("text", "operatorname", "mathrm"):
                inner, i = _group(text, i)
                total += 0.5 * len(inner) + 0.2
            elif name in ("hat", "tilde", "bar"):
                inner, i = _group(text, i)
                total += latex_em(inner)
            else:
                total += _EM_COMMAND.get(name, 0.65)
        else:
            i += 1
            if c in "{}& ":
                continue
            if c == "-":  # a binary minus has spaces around it in the source; a sign does not
                total += 0.78 + (0.44 if i >= 2 and text[i - 2] == " " else 0.0)
            else:
                total += _EM_CHAR.get(c, 0.5 if c.isdigit() else 0.6)
    return total


def rule_latex(
    optimizer: str,
    kw: dict[str, Any],
    tr: dict[str, np.ndarray],
    t: int,
    narrow: bool = False,
    width: float | None = None,
    px_per_em: float = KATEX_PX,
) -> str:
    """The update rule of step ``t`` with its numbers substituted, as one LaTeX ``aligned`` block.

    Args:
        optimizer: registry key.
        kw: the keyword arguments the run used (from :func:`simulate.run_inputs`).
        tr: the run's trace.
        t: the step, 1-based.
        narrow: each equality on its own row (:func:`stacked`), for a phone.
        width: the column's width in pixels, where known: each row wider than that (as :func:`latex_em`
            estimates it, at ``px_per_em`` pixels an em) is stacked, so that nothing needs sideways
            scrolling.
        px_per_em: KaTeX's display font size in pixels.

    Returns:
        LaTeX for display maths. Rules without a template (or flags a template does not cover) fall back
        to ``symbol = value`` lines of every traced quantity.
    """
    try:
        lines = _template(optimizer, kw, tr, t)
    except (KeyError, IndexError, TypeError, ValueError):
        lines = None
    if not lines:
        lines = _fallback(optimizer, tr, t)
    lines = clip_lines(kw, tr, t) + lines
    if narrow:
        lines = [row for line in lines for row in stacked(line)]
    elif width is not None:  # stack the rows that would not fit (as KaTeX aligns them: all left sides in one column)
        left = max(latex_em(line.partition("&")[0]) for line in lines)
        lines = [
            row
            for line in lines
            for row in (stacked(line) if (left + latex_em(line.partition("&")[2])) * px_per_em > width else [line])
        ]
    body = r"\begin{aligned}" + r" \\[4pt] ".join(lines) + r"\end{aligned}"
    size = _size_to_fit(lines, width / px_per_em) if width is not None else None
    return body if size is None else f"{{{size} {body}}}"


#: KaTeX's sizes below its normal one, with their scale.
_SMALLER = ((r"\small", 0.9), (r"\footnotesize", 0.8), (r"\scriptsize", 0.7))


def _size_to_fit(lines: list[str], width_em: float) -> str | None:
    """The largest KaTeX size command under which the widest of the ``aligned`` rows ``lines`` fits
    ``width_em`` (as :func:`latex_em` estimates it); None where it fits at the normal size, the smallest
    (``\\scriptsize``) where nothing does. A row that no equality splits (a long fraction, a clipping factor)
    is shrunk rather than cut off at a phone's edge."""
    left = max(latex_em(line.partition("&")[0]) for line in lines)
    # 8 % to spare: measured against KaTeX at 360 and 390 px, the estimate of Adamax's u_t row (a max of two
    # vectors) fell 12 px short
    widest = 1.08 * max(left + latex_em(line.partition("&")[2]) for line in lines)
    if widest <= width_em:
        return None
    return next((cmd for cmd, k in _SMALLER if widest * k <= width_em), _SMALLER[-1][0])


def _fallback(optimizer: str, tr: dict[str, np.ndarray], t: int) -> list[str]:
    symbols = optimizers.trace_symbols(optimizer)
    out = []
    for key, sym in symbols.items():
        if key not in tr or key in ("preclip", "clip_factor"):  # clip_lines shows them, with the clipping
            continue
        a = np.asarray(tr[key][t - 1], dtype=float)
        if a.ndim == 0:
            out.append(f"{sym} &= {tex_num(a)}")
        elif a.shape == (2,):
            out.append(f"{sym} &= {tex_vec(a)}")
        elif a.shape == (2, 2):
            rows = r" \\ ".join(" & ".join(tex_num(x) for x in row) for row in a)
            out.append(f"{sym} &= " + r"\begin{pmatrix}" + rows + r"\end{pmatrix}")
    return out


def _template(optimizer: str, kw: dict[str, Any], tr: dict[str, np.ndarray], t: int) -> list[str] | None:
    i = t - 1
    x, g, lr, nxt = tr["position"][i], tr["gradient"][i], float(tr["lr"][i]), tr["next"][i]
    V, n = tex_vec, tex_num
    out: list[str] = []
    wd = kw.get("weight_decay", 0.0)
    coupled = optimizer in ("sgd", "adagrad", "rmsprop", "adadelta", "adam", "nadam", "radam", "adamax")
    if wd and coupled:
        g = g + wd * x
        out.append(rf"g_t &\leftarrow g_t + \lambda\theta_{{t-1}} = {V(tr['gradient'][i])} + {n(wd)}\,{V(x)} = {V(g)}")

    def final(expr: str) -> str:
        return rf"\theta_t &= {expr} = {V(nxt)}"

    if optimizer == "gd":
        return [rf"\theta_t &= \theta_{{t-1}} - \eta_t\, g_t = {V(x)} - {n(lr)}\,{V(g)} = {V(nxt)}"]
    if optimizer == "momentum":
        b = kw["beta"]
        v = tr["velocity"][i]
        out.append(
            rf"v_t &= \beta v_{{t-1}} + (1-\beta) g_t = {n(b)}\,{V(_prev(tr, 'velocity', i))} + {n(1 - b)}\,{V(g)}"
            rf" = {V(v)}"
        )
        out.append(final(rf"\theta_{{t-1}} - \eta_t v_t = {V(x)} - {n(lr)}\,{V(v)}"))
        return out
    if optimizer == "sgd":
        if "momentum_buffer" not in tr:
            out.append(final(rf"\theta_{{t-1}} - \eta_t g_t = {V(x)} - {n(lr)}\,{V(g)}"))
            return out
        mu, tau, buf = kw["momentum"], kw["dampening"], tr["momentum_buffer"][i]
        if t == 1:
            out.append(rf"b_1 &= g_1 = {V(buf)}")
        else:
            out.append(
                rf"b_t &= \mu b_{{t-1}} + (1-\tau) g_t = {n(mu)}\,{V(_prev(tr, 'momentum_buffer', i))}"
                rf" + {n(1 - tau)}\,{V(g)} = {V(buf)}"
            )
        if kw["nesterov"]:
            d = tr["lookahead"][i]
            out.append(rf"d_t &= g_t + \mu b_t = {V(g)} + {n(mu)}\,{V(buf)} = {V(d)}")
            out.append(final(rf"\theta_{{t-1}} - \eta_t d_t = {V(x)} - {n(lr)}\,{V(d)}"))
        else:
            out.append(final(rf"\theta_{{t-1}} - \eta_t b_t = {V(x)} - {n(lr)}\,{V(buf)}"))
        return out
    if optimizer == "adagrad":
        G = tr["sum"][i]
        clr = lr / (1 + (t - 1) * kw["lr_decay"])
        if kw["lr_decay"]:
            out.append(rf"\tilde\eta_t &= \frac{{\eta_t}}{{1 + (t-1)\delta}} = {n(clr)}")
        prev = _prev(tr, "sum", i, kw["initial_accumulator_value"])
        out.append(rf"G_t &= G_{{t-1}} + g_t^2 = {V(prev)} + {V(g, _sq)} = {V(G)}")
        eta = r"\tilde\eta_t" if kw["lr_decay"] else r"\eta_t"
        out.append(
            final(
                rf"\theta_{{t-1}} - {eta}\frac{{g_t}}{{\sqrt{{G_t}} + \epsilon}} = {V(x)} - {n(clr)}"
                rf"\frac{{{V(g)}}}{{\sqrt{{{V(G)}}} + {n(kw['eps'])}}}"
            )
        )
        return out
    if optimizer == "rmsprop":
        if kw["centered"] or kw["momentum"]:
            return None
        a, eps, v = kw["alpha"], kw["eps"], tr["v"][i]
        out.append(
            rf"v_t &= \alpha v_{{t-1}} + (1-\alpha) g_t^2 = {n(a)}\,{V(_prev(tr, 'v', i))} + {n(1 - a)}\,{V(g, _sq)}"
            rf" = {V(v)}"
        )
        den = rf"\sqrt{{{V(v)} + {n(eps)}}}" if kw["eps_inside"] else rf"\sqrt{{{V(v)}}} + {n(eps)}"
        sym = r"\sqrt{v_t + \epsilon}" if kw["eps_inside"] else r"\sqrt{v_t} + \epsilon"
        out.append(final(rf"\theta_{{t-1}} - \eta_t \frac{{g_t}}{{{sym}}} = {V(x)} - {n(lr)}\frac{{{V(g)}}}{{{den}}}"))
        return out
    if optimizer == "adadelta":
        rho, eps = kw["rho"], kw["eps"]
        v, u, d = tr["v"][i], tr["u"][i], tr["delta"][i]
        up = _prev(tr, "u", i)
        out.append(
            rf"v_t &= \rho v_{{t-1}} + (1-\rho) g_t^2 = {n(rho)}\,{V(_prev(tr, 'v', i))} + {n(1 - rho)}\,{V(g, _sq)}"
            rf" = {V(v)}"
        )
        out.append(
            rf"\Delta_t &= \frac{{\sqrt{{u_{{t-1}} + \epsilon}}}}{{\sqrt{{v_t + \epsilon}}}} g_t"
            rf" = \frac{{\sqrt{{{V(up)} + {n(eps)}}}}}{{\sqrt{{{V(v)} + {n(eps)}}}}}{V(g)} = {V(d)}"
        )
        out.append(rf"u_t &= \rho u_{{t-1}} + (1-\rho)\Delta_t^2 = {V(u)}")
        out.append(final(rf"\theta_{{t-1}} - \eta_t \Delta_t = {V(x)} - {n(lr)}\,{V(d)}"))
        return out
    if optimizer in ("adam", "adamw"):
        b1, b2, eps = kw["beta1"], kw["beta2"], kw["eps"]
        m, v = tr["m"][i], tr["v"][i]
        if optimizer == "adamw" and wd:
            out.append(
                rf"\theta' &= (1 - \eta_t\lambda)\theta_{{t-1}} = {n(1 - lr * wd)}\,{V(x)} = {V((1 - lr * wd) * x)}"
            )
        out.append(
            rf"m_t &= \beta_1 m_{{t-1}} + (1-\beta_1) g_t = {n(b1)}\,{V(_prev(tr, 'm', i))} + {n(1 - b1)}\,{V(g)}"
            rf" = {V(m)}"
        )
        out.append(
            rf"v_t &= \beta_2 v_{{t-1}} + (1-\beta_2) g_t^2 = {n(b2)}\,{V(_prev(tr, 'v', i))} + {n(1 - b2)}\,"
            rf"{V(g, _sq)} = {V(v)}"
        )
        vsym = "v_t"
        if kw["amsgrad"]:
            out.append(rf"v^{{\max}}_t &= \max(v^{{\max}}_{{t-1}}, v_t) = {V(tr['v_max'][i])}")
            vsym = r"v^{\max}_t"
        if kw.get("bias_correction", True):
            out.append(
                rf"\hat m_t &= \frac{{m_t}}{{1-\beta_1^{{{t}}}}} = \frac{{{V(m)}}}{{{n(1 - b1**t)}}}"
                rf" = {V(tr['m_hat'][i])}"
            )
            vv = tr["v_max"][i] if kw["amsgrad"] else v
            out.append(
                rf"\hat v_t &= \frac{{{vsym}}}{{1-\beta_2^{{{t}}}}} = \frac{{{V(vv)}}}{{{n(1 - b2**t)}}}"
                rf" = {V(tr['v_hat'][i])}"
            )
            mh, vh, ms, vs = tr["m_hat"][i], tr["v_hat"][i], r"\hat m_t", r"\hat v_t"
        else:
            mh, vh, ms, vs = m, (tr["v_max"][i] if kw["amsgrad"] else v), "m_t", vsym
        den = rf"\sqrt{{{V(vh)} + {n(eps)}}}" if kw.get("eps_inside") else rf"\sqrt{{{V(vh)}}} + {n(eps)}"
        sym = rf"\sqrt{{{vs} + \epsilon}}" if kw.get("eps_inside") else rf"\sqrt{{{vs}}} + \epsilon"
        base = r"\theta'" if optimizer == "adamw" and wd else r"\theta_{t-1}"
        basev = V((1 - lr * wd) * x) if optimizer == "adamw" and wd else V(x)
        out.append(final(rf"{base} - \eta_t \frac{{{ms}}}{{{sym}}} = {basev} - {n(lr)}\frac{{{V(mh)}}}{{{den}}}"))
        return out
    if optimizer == "adamax":
        b1, b2, eps = kw["beta1"], kw["beta2"], kw["eps"]
        m, u = tr["m"][i], tr["u"][i]
        out.append(
            rf"m_t &= \beta_1 m_{{t-1}} + (1-\beta_1) g_t = {n(b1)}\,{V(_prev(tr, 'm', i))} + {n(1 - b1)}\,{V(g)}"
            rf" = {V(m)}"
        )
        out.append(
            rf"u_t &= \max(\beta_2 u_{{t-1}}, |g_t| + \epsilon) = \max\left({n(b2)}\,{V(_prev(tr, 'u', i))},"
            rf" {V(np.abs(g))} + {n(eps)}\right) = {V(u)}"
        )
        out.append(
            final(
                rf"\theta_{{t-1}} - \frac{{\eta_t}}{{1-\beta_1^{{{t}}}}}\frac{{m_t}}{{u_t}} = {V(x)}"
                rf" - \frac{{{n(lr)}}}{{{n(1 - b1**t)}}}\frac{{{V(m)}}}{{{V(u)}}}"
            )
        )
        return out
    if optimizer == "newton":
        H = tr["hessian"][i]
        rows = r" \\ ".join(" & ".join(n(v) for v in row) for row in H)
        lam = tr["eigenvalues"][i]
        out.append(
            rf"H_t &= \nabla^2 L(\theta_{{t-1}}) = \begin{{pmatrix}}{rows}\end{{pmatrix}},\quad"
            rf" \lambda_{{1,2}} = {n(lam[0])},\ {n(lam[1])}"
        )
        out.append(
            rf"\tilde H_t^{{-1}} g_t &= \textstyle\sum_i "
            rf"\frac{{u_i u_i^\top g_t}}{{\max(|\lambda_i|, {n(kw['damping'])})}}"
            rf" = {V(tr['direction'][i])}"
        )
        out.append(final(rf"\theta_{{t-1}} - \eta_t \tilde H_t^{{-1}} g_t = {V(x)} - {n(lr)}\,{V(tr['direction'][i])}"))
        return out
    return None


def hessian_facts(H: np.ndarray) -> dict[str, Any]:
    """Eigenvalues, condition number and kind of a symmetric 2×2 Hessian.

    Returns:
        ``{"eigenvalues": (λ_max, λ_min), "condition": |λ|max/|λ|min (∞ if singular), "kind": str,
        "gd_limit": 2/λ_max or None}``.
    """
    H = 0.5 * (np.asarray(H, dtype=float) + np.asarray(H, dtype=float).T)
    lo, hi = np.linalg.eigvalsh(H)
    absmax, absmin = max(abs(lo), abs(hi)), min(abs(lo), abs(hi))
    scale = max(absmax, 1e-300)
    singular = absmin <= 1e-12 * scale
    cond = math.inf if singular else absmax / absmin
    if absmax == 0:
        kind = "flat (zero curvature)"
    elif singular:
        kind = "singular: flat along one direction"
    elif lo < 0 < hi:
        kind = "saddle / indefinite: curves up one way, down the other"
    elif lo > 0:
        kind = "positive definite: a bowl (minimum-like)"
    else:
        kind = "negative definite: a cap (maximum-like)"
    return {
        "eigenvalues": (float(hi), float(lo)),
        "condition": cond,
        "kind": kind,
        "gd_limit": optimizers.stable_lr("gd", hi),
    }


# --------------------------------------------------------------------------------------------------
# The tab
# --------------------------------------------------------------------------------------------------
def _trace(result: Result, rr: RunResult, n: int) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    grad, kwargs = run_inputs(result.scene, result.landscape, rr.run)
    tr = optimizers.trace(rr.run.optimizer, grad, result.start, n, **kwargs)
    if rr.diverged_at is not None:
        cut_trace(tr, rr.diverged_at)
    kw = dict(kwargs)
    kw.pop("hess", None)
    if "beta1" in kw:
        kw["beta1"], kw["beta2"] = float(kw["beta1"]), float(kw["beta2"])
    return tr, kw


def clip_lines(kw: dict[str, Any], tr: dict[str, np.ndarray], t: int) -> list[str]:
    """The clipping of step ``t``'s gradient with its numbers, as ``aligned`` rows (none if the run does not
    clip or the trace has no ``preclip``): ĝ before clipping, clipped by value, then by norm."""
    if "preclip" not in tr:
        return []
    i = t - 1
    V, n = tex_vec, tex_num
    clip_value, clip_norm = float(kw.get("clip_value") or 0.0), float(kw.get("clip_norm") or 0.0)
    pre, sym = np.asarray(tr["preclip"][i], dtype=float), r"\hat g_t"
    out = []
    if clip_value > 0:
        lhs = "g'_t" if clip_norm > 0 else "g_t"
        clipped = np.clip(pre, -clip_value, clip_value)
        out.append(
            rf"{lhs} &= \operatorname{{clip}}(\hat g_t, \pm c_v)"
            rf" = \operatorname{{clip}}\left({V(pre)}, \pm {n(clip_value)}\right) = {V(clipped)}"
        )
        pre, sym = clipped, "g'_t"
    if clip_norm > 0:
        norm = float(np.hypot(*pre))
        factor = float(tr["clip_factor"][i])
        out.append(
            rf"g_t &= {sym}\,\min\left(1, \frac{{c}}{{\|{sym}\| + 10^{{-6}}}}\right)"
            rf" = {V(pre)}\,\min\left(1, \frac{{{n(clip_norm)}}}{{{n(norm)} + 10^{{-6}}}}\right)"
            rf" = {n(factor)}\,{V(pre)} = {V(tr['gradient'][i])}"
        )
    return out


def cut_trace(tr: dict[str, np.ndarray], k: int) -> None:
    """NaN, in place, every entry of the steps after step ``k``: the run ended at row ``k`` (as the panels say).

    The optimizer's trace only cuts a run whose position stops being finite; a run that reached a point
    where the surface has no value (a custom formula's log of a negative number) goes on from there with
    a finite gradient, but the page has stopped it. Step ``k`` itself stays: it shows where the run
    landed (NaN already where the runner cut it).
    """
    for values in tr.values():
        values[k:] = np.nan


def step_by_step(result: Result) -> None:
    """The Step by step tab: pick a run and a step; table, substituted rule, effective step size,
    Hessian, arrows and code."""
    runs = [r for r in result.runs if r.ok]
    if not runs:
        st.info("Choose at least one optimizer that runs to see its maths step by step.")
        return
    phone = is_phone()
    # The column's width, as the browser reports it (a rerun once it has): the rule's rows and the layout
    # of the Hessian and the arrows follow it.
    width = measure(SCREEN_KEY).column(phone)
    labels = [r.label for r in runs]
    if st.session_state.get(RUN_KEY) not in labels:
        st.session_state.pop(RUN_KEY, None)
    c1, c2 = st.columns([1, 2])
    label = c1.selectbox("Run", labels, key=RUN_KEY, help="Which of the scene's runs to take apart.")
    rr = runs[labels.index(label)]
    n = min(result.scene.steps, MAX_TABLE_STEPS)
    if rr.diverged_at is not None:  # up to the step that ended the run: the rows after it have no numbers
        n = min(n, max(rr.diverged_at, 1))
    try:
        tr, kw = _trace(result, rr, n)
    except (ValueError, TypeError) as e:
        st.error(f"The internals of {rr.label} could not be traced: {e}")
        return
    if n > 1:
        current = int(st.session_state.get(STEP_KEY, 1))
        if not 1 <= current <= n:  # past the end (the run now ends sooner, or fewer steps): its last step
            st.session_state[STEP_KEY] = min(max(current, 1), n)
        t = int(c2.slider("Step t", 1, n, key=STEP_KEY, help="The step whose numbers are substituted below."))
    else:
        t = 1
    spec = optimizers.spec(rr.run.optimizer)
    # from the step that ended the run on (it may land on a finite point where the surface has no value)
    dead = not np.all(np.isfinite(tr["next"][t - 1])) or (rr.diverged_at is not None and t >= rr.diverged_at)

    steps_shown = f"the first {n} steps" if rr.diverged_at is None else f"its steps until it {rr.ended}"
    st.markdown(f"**{rr.label}: {steps_shown}, every quantity of its rule**")
    df = step_table(tr)
    eff_name = effective_name(rr.run.optimizer, kw)
    df = df.rename(columns={f"η_eff ({c})": f"{eff_name} ({c})" for c in "xy"})
    df, config = number_columns(df, {c: "%.7g" for c in df.columns if c != "t"})
    # On a phone the table holds fewer rows: 320 px filled a phone held sideways (390 px), and a swipe on it
    # scrolls the table, never the page.
    height = min(38 + 35 * len(df), PHONE_TABLE_PX if phone else 320)
    st.dataframe(df, hide_index=True, width="stretch", height=height, column_config=config, key="steps_table")
    clipping = (
        "ĝ the gradient before clipping (noise included), clip × the factor clipping by norm multiplied it by, "
        if "preclip" in tr
        else ""
    )
    st.caption(
        f"Row t is step t: θₜ₋₁ is where the step starts, {clipping}g the gradient there (after noise and "
        "clipping, before weight decay), Δθ the step taken and θₜ where it lands. Start: "
        f"({result.start[0]:.6g}, {result.start[1]:.6g})."
    )

    st.markdown(f"**Step {t} with its numbers**")
    if dead and rr.stop_reason:
        st.warning(f"The run stopped at step {rr.diverged_at}: {rr.stop_reason}. It takes no steps after that one.")
    elif dead:
        st.warning(f"The run has diverged by step {t}: its numbers are no longer finite.")
    if phone:  # the widest rows (Adam's last: a fraction of two columns) still need a slightly smaller font
        st.html(_PHONE_LATEX_CSS)
    display_math(
        rule_latex(
            rr.run.optimizer, kw, tr, t, narrow=phone, width=width, px_per_em=KATEX_PHONE_PX if phone else KATEX_PX
        )
    )

    if "effective_lr" in tr:
        st.markdown(f"**Effective step size per coordinate, {eff_name}**")
        st.plotly_chart(
            effective_lr_figure(tr["effective_lr"], t, eff_name),
            key="steps_eff_chart",
            config=chart_config(),
        )
        st.caption(
            "Where a coordinate's gradient is (nearly) zero, its squared-gradient average stays near 0 and the "
            "step size climbs to η/ε: that is ε at work. The first steps show the bias correction (Adam) or its "
            "absence (seed 000's form)."
        )

    point = np.asarray(tr["position"][t - 1], dtype=float)
    if width >= SIDE_BY_SIDE:
        c3, c4 = st.columns([2, 3])
        arrows_width = 0.6 * (width - 16)  # less the gap between the columns
    else:  # one under the other: beside the Hessian, the arrows had 300 px of a laptop's column
        c3, c4 = st.container(), st.container()
        arrows_width = width
    with c3:
        hessian_block(result.landscape, point, float(tr["lr"][t - 1]), spec.label, rr.run.optimizer, kw)
    with c4:
        arrows_block(result, rr, tr, kw, t, arrows_width)

    with st.expander("This scene in code (PyTorch, Keras, Optax)"):
        code_block(result)


def hessian_block(
    land: landscapes.Landscape,
    point: np.ndarray,
    lr: float,
    label: str,
    optimizer: str = "gd",
    kw: dict[str, Any] | None = None,
) -> None:
    """Eigenvalues, condition number and GD's stability limit at ``point``, and the run's own limit there
    (:func:`optimizers.stable_lr` of ``optimizer`` with its settings ``kw``) where it differs."""
    st.markdown(f"**Hessian at θₜ₋₁ = ({point[0]:.4g}, {point[1]:.4g})**")
    if not np.all(np.isfinite(point)):
        st.info("No Hessian: the run has left the finite plane at this step.")
        return
    with np.errstate(all="ignore"):
        H = np.asarray(land.hessian(point), dtype=float)
    if not np.all(np.isfinite(H)):
        st.warning("The Hessian is not finite at this point.")
        return
    f = hessian_facts(H)
    hi = f["eigenvalues"][0]
    st.html(facts_html(f))
    st.caption(
        f"Curvature here: {f['kind']}. The condition number |λ|max/|λ|min says how stretched the bowl is; "
        "plain gradient descent is stable along the steepest direction only for η < 2/λ_max."
    )
    if f["gd_limit"] is not None:
        rel = "below" if lr < f["gd_limit"] else "above"
        st.caption(
            f"η_t = {lr:.4g} is {rel} 2/λ_max = {f['gd_limit']:.4g}"
            + (": plain GD would overshoot and zig-zag or diverge here." if rel == "above" else ".")
            + f" A large condition number means one η cannot suit both directions, which is what {label}'s "
            "rule has to cope with."
        )
        settings = kw or {}
        own = optimizers.stable_lr(optimizer, hi, **settings)
        if own is not None and not math.isclose(own, f["gd_limit"], rel_tol=1e-9):
            why = "momentum" if optimizer == "momentum" or settings.get("momentum") else "weight decay"
            st.caption(
                f"{label}'s own rule, with its {why}, is stable here for η < {own:.4g} "
                f"({own / f['gd_limit']:.3g}× GD's limit): η_t is {'below' if lr < own else 'above'} it."
            )


#: The Hessian's figures as a grid of two cells a row, or one where two of 8.5 rem do not fit (st.metric's
#: fixed two columns cut 1352.59 to "135…" in a laptop's 216 px column); a value wraps rather than being
#: cut where even one cell is too narrow.
_FACTS_CSS = (
    ".hs-facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(max(8.5rem,calc(50% - .5rem)),1fr));"
    "gap:.6rem 1rem;margin:.25rem 0 .5rem}.hs-facts dl{margin:0;padding:0}"
    ".hs-facts dt{font-size:.875rem;font-weight:400;color:rgba(49,51,63,.8)}"
    ".hs-facts dd{margin:0;font-size:1.6rem;line-height:1.25;overflow-wrap:anywhere}"
)


def facts_html(facts: dict[str, Any]) -> str:
    """The Hessian's eigenvalues, condition number and GD's limit (:func:`hessian_facts`) as a ``<dl>``
    whose cells wrap to the column's width.

    Returns:
        HTML: a ``<style>`` and a ``<div class="hs-facts">`` of four ``<dl>`` cells, each a ``<dt>`` label
        and a ``<dd>`` value (λ's to 6 significant digits, the others to 4; ∞ and — where there is none).
    """
    hi, lo = facts["eigenvalues"]
    cond = "∞" if math.isinf(facts["condition"]) else f"{facts['condition']:.4g}"
    limit = "—" if facts["gd_limit"] is None else f"{facts['gd_limit']:.4g}"
    cells = [("λ_max", f"{hi:.6g}"), ("λ_min", f"{lo:.6g}"), ("condition number", cond), ("GD limit 2/λ_max", limit)]
    body = "".join(f"<dl><dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd></dl>" for k, v in cells)
    return f'<style>{_FACTS_CSS}</style><div class="hs-facts">{body}</div>'


def arrows_block(
    result: Result, rr: RunResult, tr: dict[str, np.ndarray], kw: dict[str, Any], t: int, width: float | None = None
) -> None:
    """The zoomed arrows figure at step ``t``: gradient, velocity/first moment, the step, Nesterov's look-ahead
    (``width``: the figure's width in pixels, where known)."""
    i = t - 1
    point = np.asarray(tr["position"][i], dtype=float)
    step = np.asarray(tr["update"][i], dtype=float)
    g = np.asarray(tr["gradient"][i], dtype=float)
    lr = float(tr["lr"][i])
    if not (np.all(np.isfinite(point)) and np.all(np.isfinite(step))):
        st.info("No arrows: the run has no finite position or step here.")
        return
    (bx0, bx1), (by0, by1) = result.landscape.bounds
    diag = float(np.hypot(bx1 - bx0, by1 - by0))
    slen = float(np.hypot(*step))
    half = max(1.6 * slen, 0.04 * diag)
    arrow_len = 0.6 * half
    arrows = [Arrow("gradient", tuple(point), tuple(scale_to(-g, arrow_len)), "−g (downhill), scaled")]
    moment_key = {"momentum": "velocity", "sgd": "momentum_buffer", "rmsprop": "momentum_buffer"}.get(
        rr.run.optimizer, "m"
    )
    marks = []
    if rr.run.optimizer == "sgd" and kw.get("nesterov") and "momentum_buffer" in tr:
        buf = np.asarray(tr["momentum_buffer"][i], dtype=float)
        jump = -lr * kw["momentum"] * buf
        look = point + jump
        arrows.append(Arrow("moment", tuple(point), tuple(jump), "momentum part −ημb_t (true scale)"))
        arrows.append(Arrow("correction", tuple(look), tuple(-lr * g), "gradient part −ηg_t (true scale)"))
        marks.append((tuple(look), "look-ahead point θ − ημb_t", "#0072B2"))
    elif moment_key in tr:
        mv = np.asarray(tr[moment_key][i], dtype=float)
        name = {"velocity": "−v (velocity)", "momentum_buffer": "−b (momentum buffer)", "m": "−m (first moment)"}
        arrows.append(Arrow("moment", tuple(point), tuple(scale_to(-mv, arrow_len)), f"{name[moment_key]}, scaled"))
    if slen < 0.1 * half and slen > 0:
        factor = 0.3 * half / slen
        arrows.append(Arrow("step", tuple(point), tuple(step * factor), f"step taken, ×{factor:.3g}"))
    else:
        arrows.append(Arrow("step", tuple(point), tuple(step), "step taken (true scale)"))
    window = ((point[0] - half, point[0] + half), (point[1] - half, point[1] + half))
    with np.errstate(all="ignore"):
        xs, ys, Z = landscapes.grid(result.landscape, 50, bounds=window)
    Zt, _ = landscapes.display_transform(Z)
    lo_i, hi_i = max(0, i - 6), min(len(rr.path), i + 8)
    st.markdown(f"**Arrows at step {t}**")
    st.plotly_chart(
        arrows_figure(point, arrows, window, (xs, ys, Zt), rr.path[lo_i:hi_i], marks, width=width),
        key="steps_arrows_chart",
        config=chart_config(),
    )
    st.caption(
        "● θₜ₋₁. Directions are scaled to fit the zoom; the step is drawn at true scale unless marked ×k. "
        + (
            "Nesterov (PyTorch form): the step −η(g_t + μb_t) is the momentum jump to the look-ahead point ◇ "
            "plus a gradient correction. PyTorch stores the look-ahead point itself as the weights, so g_t is "
            "the gradient seen from the look-ahead point of the classical form."
            if marks
            else ""
        )
    )


def code_block(result: Result) -> None:
    """The scene's runs as PyTorch scripts (plus Keras and Optax), with the convention notes."""
    ok = [r for r in result.runs if r.ok]
    try:
        codes = codegen.scene_code(result.scene.with_(runs=tuple(r.run for r in ok)), result.landscape,
                                   [r.label for r in ok])  # fmt: skip
    except ValueError as e:
        st.warning(f"No code for this scene: {e}")
        return
    st.caption(
        "Each script reproduces its run in float64 with the settings the app ran (the shared η included); "
        "the gradient noise and mini-batches come from the same NumPy generators as here."
    )
    for rc in codes:
        st.markdown(f"**{rc.label}**")
        tabs = st.tabs(["PyTorch", "Keras", "Optax"])
        tabs[0].code(rc.pytorch, language="python")
        tabs[1].code(rc.keras, language="python")
        tabs[2].code(rc.optax, language="python")
        for note in rc.notes:
            st.caption("• " + note)
