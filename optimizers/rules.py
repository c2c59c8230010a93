"""Each optimizer's update rule as LaTeX, as a run is configured: only what its settings switch on.

``spec(name).latex`` is the general rule of an optimizer (every variant). :func:`rule` writes the rule
one run actually follows: Adam without bias correction has no hats, ε inside the root moves under
it, RMSprop's centered and momentum variants appear only when on, SGD's momentum buffer only with
μ > 0; noise, clipping, weight decay and a learning-rate schedule add the lines of what they do to
the gradient and to η. Every line is an ``aligned`` row, one equation per row, so that the rule stays
narrow enough for a half-width column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .spec import get
from .transforms import COMMON

GRADIENT = r"\nabla L(\theta_{t-1})"

# Optimizers whose weight decay is added to the gradient (L2); AdamW's is decoupled.
_COUPLED = frozenset({"sgd", "adagrad", "rmsprop", "adadelta", "adam", "nadam", "radam", "adamax"})

_SCHEDULES = {
    "step": r"\eta_t &= \eta\,\gamma^{\lfloor (t-1)/k \rfloor}",
    "exponential": r"\eta_t &= \eta\,\gamma^{\,t-1}",
    # (1 + cos x)/2 = cos²(x/2): CosineAnnealingLR's closed form, narrower.
    "cosine": r"\eta_t &= \eta_{\min} + (\eta - \eta_{\min}) \cos^2\tfrac{\pi (t-1)}{2T}",
    "inverse_time": r"\eta_t &= \frac{\eta}{1 + k\,(t-1)}",
}

Settings = dict[str, Any]


def _on(value: Any) -> bool:
    """Whether a setting (a number, a flag or an array of them) is on (non-zero, True) anywhere."""
    return bool(np.any(np.asarray(value) != 0))


# The rules without variants, one equation per row; ``spec(name).latex`` is :func:`aligned` of these.
MOMENTUM = (r"v_t &= \beta\, v_{t-1} + (1-\beta)\, g_t", r"\theta_t &= \theta_{t-1} - \eta\, v_t")
ADADELTA = (
    r"v_t &= \rho v_{t-1} + (1-\rho) g_t^2",
    r"\Delta_t &= \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}}\, g_t",
    r"u_t &= \rho u_{t-1} + (1-\rho) \Delta_t^2",
    r"\theta_t &= \theta_{t-1} - \eta\, \Delta_t",
)
MOMENTS = (r"m_t &= \beta_1 m_{t-1} + (1-\beta_1) g_t", r"v_t &= \beta_2 v_{t-1} + (1-\beta_2) g_t^2")
NADAM = (
    r"\mu_t &= \beta_1\big(1 - \tfrac12\, 0.96^{t\psi}\big)",
    r"\Pi_t &= \textstyle\prod_{i\le t}\mu_i",
    *MOMENTS,
    r"\hat m_t &= \frac{\mu_{t+1}\, m_t}{1-\Pi_{t+1}} + \frac{(1-\mu_t)\, g_t}{1-\Pi_t}",
    r"\hat v_t &= \frac{v_t}{1-\beta_2^t}",
    r"\theta_t &= \theta_{t-1} - \eta \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}",
)
RADAM = (
    *MOMENTS,
    r"\hat m_t &= \frac{m_t}{1-\beta_1^t}",
    r"\rho_\infty &= \tfrac{2}{1-\beta_2} - 1",
    r"\rho_t &= \rho_\infty - \tfrac{2t\beta_2^t}{1-\beta_2^t}",
    r"r_t &= \sqrt{\tfrac{(\rho_t-4)(\rho_t-2)\rho_\infty}{(\rho_\infty-4)(\rho_\infty-2)\rho_t}}",
    r"s_t &= \begin{cases} r_t \frac{\sqrt{1-\beta_2^t}}{\sqrt{v_t}+\epsilon} & \rho_t > 5 \\ "
    r"1 & \text{else} \end{cases}",
    r"\theta_t &= \theta_{t-1} - \eta\, s_t\, \hat m_t",
)
ADAMAX = (
    MOMENTS[0],
    r"u_t &= \max(\beta_2 u_{t-1},\ |g_t| + \epsilon)",
    r"\theta_t &= \theta_{t-1} - \frac{\eta}{1-\beta_1^t}\frac{m_t}{u_t}",
)
NEWTON = (
    r"H_t &= \nabla^2 L(\theta_{t-1}) = \textstyle\sum_i \lambda_i u_i u_i^\top",
    r"\tilde H_t &= \textstyle\sum_i \max(|\lambda_i|, \delta)\, u_i u_i^\top",
    r"\theta_t &= \theta_{t-1} - \eta\, \tilde H_t^{-1} g_t",
)
_ETA = re.compile(r"\\eta(?![_a-zA-Z])")  # the base learning rate η, not η_t, η_min or \eta_{…}


def aligned(lines: Iterable[str]) -> str:
    """``lines`` (rows with one ``&`` each) as one LaTeX ``aligned`` block."""
    return r"\begin{aligned} " + r" \\ ".join(lines) + r" \end{aligned}"


def _fixed(lines: tuple[str, ...]) -> Callable[[Settings, str], list[str]]:
    """The builder of a rule without variants: its lines, with η replaced by the scheduled η_t."""

    def build(s: Settings, eta: str) -> list[str]:
        return [_ETA.sub(lambda _: eta, line) for line in lines]

    return build


def _root(radicand: str, eps_inside: bool) -> str:
    return rf"\sqrt{{{radicand} + \epsilon}}" if eps_inside else rf"\sqrt{{{radicand}}} + \epsilon"


def _gd(s: Settings, eta: str) -> list[str]:
    return [rf"\theta_t &= \theta_{{t-1}} - {eta}\, g_t"]


def _sgd(s: Settings, eta: str) -> list[str]:
    if not _on(s["momentum"]):
        return _gd(s, eta)
    keep = r"(1-\tau)\, " if _on(s["dampening"]) else ""
    direction = r"(g_t + \mu b_t)" if _on(s["nesterov"]) else "b_t"
    return [
        rf"b_t &= \mu b_{{t-1}} + {keep}g_t,\quad b_1 = g_1",
        rf"\theta_t &= \theta_{{t-1}} - {eta}\, {direction}",
    ]


def _adagrad(s: Settings, eta: str) -> list[str]:
    lines = []
    if _on(s["lr_decay"]):
        lines.append(rf"\tilde\eta_t &= \frac{{{eta}}}{{1 + (t-1)\,\delta}}")
        eta = r"\tilde\eta_t"
    start = r",\quad G_0 = G_{\text{init}}" if _on(s["initial_accumulator_value"]) else ""
    lines.append(rf"G_t &= G_{{t-1}} + g_t^2{start}")
    lines.append(rf"\theta_t &= \theta_{{t-1}} - {eta} \frac{{g_t}}{{\sqrt{{G_t}} + \epsilon}}")
    return lines


def _rmsprop(s: Settings, eta: str) -> list[str]:
    lines = [r"v_t &= \alpha v_{t-1} + (1-\alpha) g_t^2"]
    radicand = "v_t"
    if _on(s["centered"]):
        lines.append(r"\bar g_t &= \alpha \bar g_{t-1} + (1-\alpha) g_t")
        radicand = r"v_t - \bar g_t^2"
    denominator = _root(radicand, _on(s["eps_inside"]))
    if _on(s["momentum"]):
        lines.append(rf"b_t &= \mu b_{{t-1}} + \frac{{g_t}}{{{denominator}}}")
        lines.append(rf"\theta_t &= \theta_{{t-1}} - {eta}\, b_t")
    else:
        lines.append(rf"\theta_t &= \theta_{{t-1}} - {eta} \frac{{g_t}}{{{denominator}}}")
    return lines


def _adam_like(s: Settings, eta: str, start: str, bias_correction: bool, eps_inside: bool) -> list[str]:
    lines = list(MOMENTS)
    second = "v_t"
    if _on(s["amsgrad"]):
        lines.append(r"v^{\max}_t &= \max(v^{\max}_{t-1},\ v_t)")
        second = r"v^{\max}_t"
    first = "m_t"
    if bias_correction:
        lines.append(rf"\hat m_t &= \frac{{m_t}}{{1-\beta_1^t}},\quad \hat v_t = \frac{{{second}}}{{1-\beta_2^t}}")
        first, second = r"\hat m_t", r"\hat v_t"
    lines.append(rf"\theta_t &= {start} - {eta} \frac{{{first}}}{{{_root(second, eps_inside)}}}")
    return lines


# Adam's and AdamW's general rules (their defaults; the guide shows these).
ADAM = tuple(_adam_like({"amsgrad": False}, r"\eta", r"\theta_{t-1}", True, False))
ADAMW = (
    r"\theta' &= (1 - \eta\lambda)\,\theta_{t-1}",
    *_adam_like({"amsgrad": False}, r"\eta", r"\theta'", True, False),
)


def _adam(s: Settings, eta: str) -> list[str]:
    return _adam_like(s, eta, r"\theta_{t-1}", _on(s["bias_correction"]), _on(s["eps_inside"]))


def _adamw(s: Settings, eta: str) -> list[str]:
    if not _on(s["weight_decay"]):
        return _adam_like(s, eta, r"\theta_{t-1}", True, False)
    decay = [_ETA.sub(lambda _: eta, ADAMW[0])]
    return decay + _adam_like(s, eta, r"\theta'", True, False)


_RULES: dict[str, Callable[[Settings, str], list[str]]] = {
    "gd": _gd,
    "momentum": _fixed(MOMENTUM),
    "sgd": _sgd,
    "adagrad": _adagrad,
    "rmsprop": _rmsprop,
    "adadelta": _fixed(ADADELTA),
    "adam": _adam,
    "adamw": _adamw,
    "nadam": _fixed(NADAM),
    "radam": _fixed(RADAM),
    "adamax": _fixed(ADAMAX),
    "newton": _fixed(NEWTON),
}


def _gradient_lines(name: str, s: Settings, gradient: str | None) -> list[str]:
    """The lines that say what g_t is: the gradient (noisy, of a mini-batch), then clipping and L2 decay,
    in the runner's order. Empty for a plain gradient (the rule's g_t needs no definition)."""
    noise = _on(s["noise"])
    clip_value, clip_norm = _on(s["clip_value"]), _on(s["clip_norm"])
    decay = name in _COUPLED and _on(s.get("weight_decay", 0.0))
    if not (noise or gradient or clip_value or clip_norm or decay or name == "gd"):
        return []
    g = gradient or GRADIENT
    # the noise's law on a row of its own: beside the gradient it made the widest row of a half-page column
    lines = [rf"g_t &= {g} + \sigma\,\xi_t", r"\xi_t &\sim \mathcal{N}(0, I)"] if noise else [rf"g_t &= {g}"]
    if clip_value:
        lines.append(r"g_t &\leftarrow \min(\max(g_t, -c_v),\ c_v)")
    if clip_norm:
        lines.append(r"g_t &\leftarrow g_t \cdot \min\!\Big(1, \frac{c}{\lVert g_t \rVert + 10^{-6}}\Big)")
    if decay:
        lines.append(r"g_t &\leftarrow g_t + \lambda\theta_{t-1}")
    return lines


def rule(name: str, gradient: str | None = None, **settings: Any) -> str:
    r"""The update rule of optimizer ``name`` with ``settings``, as one LaTeX ``aligned`` block.

    Args:
        name: a registry key (see :func:`optimizers.names`).
        gradient: LaTeX for the gradient the run follows, if not ``\nabla L(\theta_{t-1})`` (e.g. a
            mini-batch's ``\nabla L_{B_t}(\theta_{t-1})``).
        **settings: the run's hyperparameters and common transforms by name, as :func:`optimizers.run`
            takes them (``beta1``/``beta2``, not ``betas``); missing ones take their defaults, and an array
            counts as on where any element is non-zero.

    Returns:
        LaTeX for a display-maths block: what g_t is (noise, clipping, weight decay), the scheduled η_t,
        then the optimizer's own lines with only the variants its flags switch on.

    Raises:
        UnknownOptimizerError: an unknown ``name``.
        TypeError: a setting the optimizer does not take.
    """
    spec = get(name).spec
    build = _RULES.get(name)
    if build is None:  # registered without a builder here: its general rule (the tests require one)
        return spec.latex
    defaults = {h.name: h.default for h in (*spec.hyperparameters, *COMMON)}
    unknown = sorted(set(settings) - set(defaults))
    if unknown:
        raise TypeError(f"{name}: unexpected setting(s) {unknown}")
    s = {**defaults, **settings}
    lines = _gradient_lines(name, s, gradient)
    eta = r"\eta"
    if s["schedule"] in _SCHEDULES:
        lines.append(_SCHEDULES[s["schedule"]])
        eta = r"\eta_t"
    lines += build(s, eta)
    return aligned(lines)
