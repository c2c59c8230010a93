"""The maths, step by step: every intermediate quantity of one run's rule, the rule with the numbers
substituted, the effective step size over time, the Hessian at the current point, the arrows, and the
run as PyTorch/Keras/Optax code.

The internals come from :func:`optimizers.trace` with exactly the settings the animation used
(:func:`simulate.run_inputs`), so the table's numbers are the path's numbers.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

import codegen
import landscapes
import optimizers
from simulate import Result, RunResult, run_inputs
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
#: The tab's controls (drawn whenever the tab shows a run).
CONTROL_KEYS = (RUN_KEY, STEP_KEY)

#: Column names (plain text) of the trace keys; the optimizer-specific effective step size is named below.
LABELS = {
    "position": "θₜ₋₁",
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


def rule_latex(optimizer: str, kw: dict[str, Any], tr: dict[str, np.ndarray], t: int, narrow: bool = False) -> str:
    """The update rule of step ``t`` with its numbers substituted, as one LaTeX ``aligned`` block.

    Args:
        optimizer: registry key.
        kw: the keyword arguments the run used (from :func:`simulate.run_inputs`).
        tr: the run's trace.
        t: the step, 1-based.
        narrow: each equality on its own row (:func:`stacked`), for a phone.

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
    if narrow:
        lines = [row for line in lines for row in stacked(line)]
    return r"\begin{aligned}" + r" \\[4pt] ".join(lines) + r"\end{aligned}"


def _fallback(optimizer: str, tr: dict[str, np.ndarray], t: int) -> list[str]:
    symbols = optimizers.trace_symbols(optimizer)
    out = []
    for key, sym in symbols.items():
        if key not in tr:
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
    eff_name = EFFECTIVE.get(rr.run.optimizer, "η_eff")
    df = df.rename(columns={f"η_eff ({c})": f"{eff_name} ({c})" for c in "xy"})
    df, config = number_columns(df, {c: "%.7g" for c in df.columns if c != "t"})
    height = min(38 + 35 * len(df), 320)
    st.dataframe(df, hide_index=True, width="stretch", height=height, column_config=config, key="steps_table")
    st.caption(
        "Row t is step t: θₜ₋₁ is where the step starts, g the gradient there (after noise and clipping, "
        "before weight decay), Δθ the step taken and θₜ where it lands. Start: "
        f"({result.start[0]:.6g}, {result.start[1]:.6g})."
    )

    st.markdown(f"**Step {t} with its numbers**")
    if dead and rr.stop_reason:
        st.warning(f"The run stopped at step {rr.diverged_at}: {rr.stop_reason}. It takes no steps after that one.")
    elif dead:
        st.warning(f"The run has diverged by step {t}: its numbers are no longer finite.")
    phone = is_phone()
    if phone:  # the widest rows (Adam's last: a fraction of two columns) still need a slightly smaller font
        st.html(_PHONE_LATEX_CSS)
    display_math(rule_latex(rr.run.optimizer, kw, tr, t, narrow=phone))

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
    c3, c4 = st.columns([2, 3])
    with c3:
        hessian_block(result.landscape, point, float(tr["lr"][t - 1]), spec.label, rr.run.optimizer, kw)
    with c4:
        arrows_block(result, rr, tr, kw, t)

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
    hi, lo = f["eigenvalues"]
    a, b = st.columns(2)
    a.metric("λ_max", f"{hi:.6g}")
    b.metric("λ_min", f"{lo:.6g}")
    cond = "∞" if math.isinf(f["condition"]) else f"{f['condition']:.4g}"
    a.metric("condition number", cond, help="|λ| largest / |λ| smallest: how stretched the bowl is.")
    b.metric(
        "GD limit 2/λ_max", "—" if f["gd_limit"] is None else f"{f['gd_limit']:.4g}",
        help="Plain gradient descent is stable along the steepest direction only for η < 2/λ_max.",
    )  # fmt: skip
    st.caption(f"Curvature here: {f['kind']}.")
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


def arrows_block(result: Result, rr: RunResult, tr: dict[str, np.ndarray], kw: dict[str, Any], t: int) -> None:
    """The zoomed arrows figure at step ``t``: gradient, velocity/first moment, the step, Nesterov's look-ahead."""
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
        arrows.append(Arrow("gradient", tuple(look), tuple(-lr * g), "gradient part −ηg_t (true scale)"))
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
        arrows_figure(point, arrows, window, (xs, ys, Zt), rr.path[lo_i:hi_i], marks),
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
