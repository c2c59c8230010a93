"""First-order optimizers: plain gradient descent, textbook (EMA) momentum, and PyTorch's SGD."""

from __future__ import annotations

import numpy as np

from . import hp
from .rules import MOMENTUM, aligned
from .spec import Array, HyperParam, OptimizerSpec, Params, State, Value, register
from .transforms import is_scalar, per_lr, scale_into, weight_decayed

# --------------------------------------------------------------------------------------------------
GD = OptimizerSpec(
    name="gd",
    label="Gradient descent",
    description=(
        "The most basic optimizer: step against the gradient, scaled by the learning rate η. On an analytic "
        "surface this is full-batch gradient descent; add gradient noise to see stochastic gradient descent's "
        "noisy, wandering 'drunk-man' updates. Simple, interpretable and effective on convex functions, but it "
        "needs careful learning-rate tuning, converges slowly along shallow directions, zigzags across narrow "
        "valleys, and is sensitive to exploding or vanishing gradients (combine it with gradient clipping on "
        "steep cliffs). A good baseline for small, simple problems."
    ),
    latex=r"\theta_t = \theta_{t-1} - \eta\, g_t,\qquad g_t = \nabla L(\theta_{t-1})",
    hyperparameters=(hp.lr(1e-3),),
    family="first-order",
    keeps="nothing",
    pros=("simple and interpretable", "effective for convex functions", "can generalize well"),
    cons=("requires careful learning-rate tuning", "slow convergence", "sensitive to exploding/vanishing gradients"),
    best_for="small, simple (convex) problems; the baseline every other optimizer improves on",
    pytorch=None,
)


@register(GD, state=("_tmp",))
def gd(p: Params, s: State, x: Array, g: Array, lr: Value, t: int) -> None:
    r"""Gradient descent; keeps no state (one scratch buffer).

    .. math:: \theta_t = \theta_{t-1} - \eta\, g_t
    """
    x -= scale_into(s["_tmp"], g, lr)


# --------------------------------------------------------------------------------------------------
MOMENTUM = OptimizerSpec(
    name="momentum",
    label="Momentum (EMA)",
    description=(
        "Gradient descent with inertia, in the textbook form of the seeds: the velocity v is an exponential "
        "moving average of past gradients and the weights move by η·v. Remembering past updates smooths the "
        "path, reduces zigzag motion across valleys and lets the point 'glide' over plateaus and small bumps, "
        "so it converges faster than plain gradient descent. But too much momentum overshoots the minimum, and "
        "the momentum factor β (0.9 is common; 0.5 to 0.8 in seed 003) needs tuning on top of the learning rate. "
        "Unlike PyTorch's SGD (v = μv + g), this EMA form scales the gradient by (1 - β), so its first step is "
        "(1 - β) times smaller and its steady-state step is η·g rather than η·g/(1 - μ)."
    ),
    latex=aligned(MOMENTUM),
    hyperparameters=(
        hp.lr(1e-2),
        HyperParam(
            "beta",
            "β",
            0.9,
            0.0,
            0.999,
            False,
            "Momentum factor: the weight of the old velocity. 0 = plain gradient descent; near 1 = long memory, "
            "more gliding and overshooting.",
        ),
    ),
    family="first-order + momentum",
    keeps="velocity",
    pros=("reduces zigzag motion", "faster convergence than gradient descent", "glides over plateaus and bumps"),
    cons=("can overshoot the minimum if momentum is too high", "momentum factor needs tuning", "still sensitive to η"),
    best_for="narrow valleys and ravines where gradient descent zigzags",
    pytorch=None,
)


def _momentum_init(p: Params, shape: tuple[int, ...]) -> State:
    return {"_velocity": np.zeros(shape), "_tmp": np.zeros(shape)}


def _momentum_extras(p: Params, s: State, lr: Value, t: int) -> dict[str, Array]:
    return {"velocity": (1 - p["beta"]) * s["_velocity"]}


@register(MOMENTUM, init=_momentum_init, extras=_momentum_extras, symbols={"velocity": r"v_t"})
def momentum(p: Params, s: State, x: Array, g: Array, lr: Value, t: int) -> None:
    r"""Textbook momentum, the exponential-moving-average form of seeds 002 and 003.

    .. math::
        v_t = \beta v_{t-1} + (1-\beta) g_t, \qquad \theta_t = \theta_{t-1} - \eta v_t

    Stored: ``_velocity`` = v_t/(1-β), which updates in two in-place passes
    (v'_t = βv'_{t-1} + g_t), and θ moves by η(1-β)·v'_t; ``trace`` shows the true v_t.
    """
    v = s["_velocity"]
    v *= p["beta"]
    v += g
    step = per_lr(s, "_lr_keep", lr, lambda lr: lr * (1 - p["beta"]))
    x -= scale_into(s["_tmp"], v, step)


# --------------------------------------------------------------------------------------------------
SGD = OptimizerSpec(
    name="sgd",
    label="SGD (PyTorch)",
    description=(
        "torch.optim.SGD exactly: gradient descent with optional momentum (heavy ball: the buffer b accumulates "
        "gradients, v = μv + g, which equals seed 002's v = βv + ηg with constant η), dampening, Nesterov's "
        "look-ahead and coupled (L2) weight decay. Without momentum it is plain gradient descent; add gradient "
        "noise for stochastic gradient descent. Simple, robust with tuning and often generalizes better than "
        "adaptive methods; momentum gives faster convergence, fewer oscillations and helps escape shallow local "
        "minima. But it is slow and noisy, sensitive to the learning rate (use a learning-rate schedule) and, "
        "on steep cliffs, to exploding gradients (use gradient clipping)."
    ),
    latex=(
        r"\begin{aligned} g_t &\leftarrow g_t + \lambda\theta_{t-1} \\ "
        r"b_t &= \begin{cases} g_t & t = 1 \\ \mu b_{t-1} + (1-\tau) g_t & t > 1 \end{cases} \\ "
        r"d_t &= \begin{cases} g_t + \mu b_t & \text{Nesterov} \\ b_t & \text{otherwise} \end{cases} \\ "
        r"\theta_t &= \theta_{t-1} - \eta\, d_t \end{aligned}"
    ),
    hyperparameters=(
        hp.lr(1e-3),
        hp.momentum("Momentum factor μ: b = μb + g. 0 = plain (stochastic) gradient descent; 0.9 is the usual choice."),
        HyperParam(
            "dampening",
            "τ",
            0.0,
            0.0,
            1.0,
            False,
            "Dampening τ: scales new gradients by (1 - τ) in the momentum buffer (not on the first step).",
        ),
        hp.flag(
            "nesterov",
            "Nesterov",
            False,
            "Nesterov momentum: step along g + μb, the gradient as seen from the look-ahead point. "
            "Needs μ > 0 and τ = 0.",
        ),
        hp.weight_decay(),
    ),
    family="first-order + momentum",
    keeps="momentum buffer (when μ > 0)",
    pros=("simple, robust with tuning", "can generalize better than adaptive methods", "momentum speeds it up"),
    cons=("slow convergence", "noisy updates", "sensitive to the learning rate", "sensitive to exploding gradients"),
    best_for="small/simple problems, and large ones with a tuned learning-rate schedule",
    pytorch="SGD",
)


def _sgd_init(p: Params, shape: tuple[int, ...]) -> State:
    s: State = {"_tmp": np.zeros(shape)}
    if not (is_scalar(p["momentum"]) and p["momentum"] == 0):
        s["momentum_buffer"] = np.zeros(shape)
        if p["nesterov"]:
            s["lookahead"] = np.zeros(shape)
    return s


@register(
    SGD,
    init=_sgd_init,
    symbols={"momentum_buffer": r"b_t", "lookahead": r"g_t + \mu b_t"},
)
def sgd(p: Params, s: State, x: Array, g: Array, lr: Value, t: int) -> None:
    r"""``torch.optim.SGD`` (single-tensor path).

    .. math::
        g_t \leftarrow g_t + \lambda\theta_{t-1};\quad
        b_1 = g_1,\ b_t = \mu b_{t-1} + (1-\tau) g_t;\quad
        d_t = g_t + \mu b_t \text{ (Nesterov) or } b_t;\quad
        \theta_t = \theta_{t-1} - \eta d_t

    Stored: the true momentum buffer b_t (``momentum_buffer``) and, with Nesterov, d_t (``lookahead``).
    """
    tmp = s["_tmp"]
    g = weight_decayed(g, x, p["weight_decay"], s)
    d = g
    if "momentum_buffer" in s:
        buf, mu = s["momentum_buffer"], p["momentum"]
        if t == 1:
            np.copyto(buf, g)
        else:
            buf *= mu
            keep = s.get("_keep")
            if keep is None:
                keep = 1 - p["dampening"]
                if not is_scalar(mu):
                    keep = np.where(mu == 0, 1.0, keep)  # PyTorch skips the buffer when μ = 0
                s["_keep"] = keep = 1.0 if np.all(keep == 1) else keep
            if is_scalar(keep) and keep == 1:
                buf += g
            else:
                buf += scale_into(tmp, g, keep)
        if p["nesterov"]:
            d = scale_into(s["lookahead"], buf, mu)
            d += g
        else:
            d = buf
    x -= scale_into(tmp, d, lr)
