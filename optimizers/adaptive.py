"""Adaptive optimizers without a first moment: Adagrad, RMSprop, Adadelta (PyTorch-exact)."""

from __future__ import annotations

import numpy as np

from . import hp
from .rules import ADADELTA, aligned
from .spec import Array, HyperParam, OptimizerSpec, Params, State, Value, register
from .transforms import ema_square_, is_scalar, per_lr, scale_into, weight_decayed

# --------------------------------------------------------------------------------------------------
ADAGRAD = OptimizerSpec(
    name="adagrad",
    label="Adagrad",
    description=(
        "torch.optim.Adagrad exactly: each coordinate's step is divided by the root of the sum of all its "
        "squared gradients so far, so steep directions take small steps and shallow ones large steps. Because "
        "that sum never decreases, the effective learning rate shrinks towards zero and the optimizer "
        "eventually stops learning (seed 003). That is both a weakness (it can halt too early and underfit) "
        "and a strength (fine adjustments once it is close to convergence). Good for sparse gradients and "
        "badly scaled coordinates; a poor fit for long, non-stationary runs."
    ),
    latex=(
        r"\begin{aligned} \tilde\eta_t &= \frac{\eta}{1 + (t-1)\,\delta} \\ "
        r"G_t &= G_{t-1} + g_t^2 \\ "
        r"\theta_t &= \theta_{t-1} - \tilde\eta_t \frac{g_t}{\sqrt{G_t} + \epsilon} \end{aligned}"
    ),
    hyperparameters=(
        hp.lr(1e-2),
        HyperParam(
            "lr_decay",
            "δ",
            0.0,
            0.0,
            1.0,
            False,
            "Learning-rate decay: η_t = η / (1 + (t-1)·δ), on top of any schedule.",
        ),
        hp.weight_decay(),
        HyperParam(
            "initial_accumulator_value",
            "G₀",
            0.0,
            0.0,
            10.0,
            False,
            "Starting value of the sum of squared gradients G; larger values make the first steps smaller.",
        ),
        hp.eps(1e-10),
    ),
    family="adaptive",
    keeps="sum of squared gradients",
    pros=("per-coordinate learning rates", "good for sparse gradients", "fine adjustments near convergence"),
    cons=("effective learning rate shrinks to zero", "can stop learning too early and underfit"),
    best_for="sparse or badly scaled problems, short runs",
    pytorch="Adagrad",
)


def _adagrad_init(p: Params, shape: tuple[int, ...]) -> State:
    return {
        "sum": np.broadcast_to(p["initial_accumulator_value"], shape).astype(float),
        "_tmp": np.zeros(shape),
        "_std": np.zeros(shape),
    }


def _adagrad_extras(p: Params, s: State, lr: Value, t: int) -> dict[str, Array]:
    clr = lr / (1 + (t - 1) * p["lr_decay"])
    return {"effective_lr": clr / (np.sqrt(s["sum"]) + p["eps"])}


@register(
    ADAGRAD,
    init=_adagrad_init,
    extras=_adagrad_extras,
    symbols={"sum": r"G_t", "effective_lr": r"\frac{\tilde\eta_t}{\sqrt{G_t}+\epsilon}"},
)
def adagrad(p: Params, s: State, x: Array, g: Array, lr: Value, t: int) -> None:
    r"""``torch.optim.Adagrad``.

    .. math::
        \tilde\eta_t = \eta / (1 + (t-1)\delta);\quad G_t = G_{t-1} + g_t^2;\quad
        \theta_t = \theta_{t-1} - \tilde\eta_t\, g_t / (\sqrt{G_t} + \epsilon)

    Stored: the true sum of squared gradients G_t (``sum``).
    """
    acc, tmp, std = s["sum"], s["_tmp"], s["_std"]
    g = weight_decayed(g, x, p["weight_decay"], s)
    clr = lr / (1 + (t - 1) * p["lr_decay"])
    np.multiply(g, g, out=tmp)
    acc += tmp
    np.sqrt(acc, out=std)
    std += p["eps"]
    np.divide(g, std, out=tmp)
    tmp *= clr
    x -= tmp


# --------------------------------------------------------------------------------------------------
RMSPROP = OptimizerSpec(
    name="rmsprop",
    label="RMSprop",
    description=(
        "torch.optim.RMSprop: divide each coordinate's step by the root of a moving average of its squared "
        "gradients (Hinton's lecture). Large gradients get smaller steps and small gradients larger ones, "
        "which evens out badly scaled valleys and is robust to a poorly chosen learning rate. It works well for "
        "non-stationary objectives and was the classic choice for RNNs, NLP and time series, and it is lighter "
        "than Adam. But it has no momentum by default, the learning rate still needs tuning, and it can get "
        "stuck in local minima. Options: momentum, the centered variant (divides by an estimate of the "
        "gradient's variance) and, as a convention switch, ε inside the root √(v+ε) as in the seeds and Keras. "
        "PyTorch's decay α defaults to 0.99; Keras and the seeds use 0.9."
    ),
    latex=(
        r"\begin{aligned} v_t &= \alpha v_{t-1} + (1-\alpha) g_t^2 \\ "
        r"\theta_t &= \theta_{t-1} - \eta \frac{g_t}{\sqrt{v_t} + \epsilon} \\ "
        r"&\text{centered: } \bar g_t = \alpha\bar g_{t-1} + (1-\alpha)g_t \\ "
        r"&\qquad \text{and } \sqrt{v_t - \bar g_t^2} \text{ for } \sqrt{v_t} \\ "
        r"&\text{momentum: } b_t = \mu b_{t-1} + \tfrac{g_t}{\sqrt{v_t}+\epsilon} \\ "
        r"&\qquad \text{and } \theta_t = \theta_{t-1} - \eta b_t \end{aligned}"
    ),
    hyperparameters=(
        hp.lr(1e-2),
        HyperParam(
            "alpha",
            "α",
            0.99,
            0.0,
            0.9999,
            False,
            "Decay of the moving average of squared gradients (PyTorch 0.99; Keras, Hinton and the seeds 0.9).",
        ),
        hp.eps(1e-8),
        hp.weight_decay(),
        hp.momentum("Momentum on the normalized step: b = μb + g/(√v + ε). 0 = off."),
        hp.flag(
            "centered",
            "centered",
            False,
            "Divide by an estimate of the gradient's variance, √(v - ḡ²), instead of its raw second moment.",
        ),
        hp.eps_inside(),
    ),
    family="adaptive",
    keeps="squared-gradient average (+ gradient average if centered, + momentum buffer)",
    pros=("per-coordinate adaptive learning rate", "works well with non-stationary objectives", "lightweight"),
    cons=("no momentum by default", "learning rate still needs tuning", "can get stuck in local minima"),
    best_for="RNNs, time series, speech and NLP; badly scaled valleys",
    pytorch="RMSprop",
)


def _rmsprop_init(p: Params, shape: tuple[int, ...]) -> State:
    # The averages are kept divided by (1 - α); r = 1/√(1 - α) and e fold that scaling back in.
    keep = 1 - p["alpha"]
    r = keep**-0.5
    s: State = {"_v": np.zeros(shape), "_avg": np.zeros(shape)}
    s["_keep"], s["_r"] = keep, r
    s["_e"] = p["eps"] * (r * r if p["eps_inside"] else r)
    if p["centered"]:
        s["_grad_avg"], s["_tmp"] = np.zeros(shape), np.zeros(shape)
    if not (is_scalar(p["momentum"]) and p["momentum"] == 0):
        s["_momentum_buffer"] = np.zeros(shape)
    return s


def _rmsprop_extras(p: Params, s: State, lr: Value, t: int) -> dict[str, Array]:
    keep = s["_keep"]
    out = {"v": keep * s["_v"]}
    radicand = out["v"]
    if "_grad_avg" in s:
        out["grad_avg"] = keep * s["_grad_avg"]
        radicand = radicand - out["grad_avg"] ** 2
    if "_momentum_buffer" in s:
        out["momentum_buffer"] = s["_r"] * s["_momentum_buffer"]
    root = np.sqrt(radicand + p["eps"]) if p["eps_inside"] else np.sqrt(radicand) + p["eps"]
    out["effective_lr"] = lr / root
    return out


@register(
    RMSPROP,
    init=_rmsprop_init,
    extras=_rmsprop_extras,
    symbols={
        "v": r"v_t",
        "grad_avg": r"\bar g_t",
        "momentum_buffer": r"b_t",
        "effective_lr": r"\frac{\eta_t}{\sqrt{v_t}+\epsilon}",
    },
)
def rmsprop(p: Params, s: State, x: Array, g: Array, lr: Value, t: int) -> None:
    r"""``torch.optim.RMSprop`` (with ``eps_inside``: ε inside the root, the seeds' form).

    .. math::
        v_t = \alpha v_{t-1} + (1-\alpha) g_t^2;\quad
        \theta_t = \theta_{t-1} - \eta\, g_t / (\sqrt{v_t} + \epsilon)

    Stored, each divided by (1-α) so that it updates in place as v'_t = αv'_{t-1} + g_t² (two passes
    instead of four): ``_v`` = v_t/(1-α), ``_grad_avg`` = ḡ_t/(1-α) (centered); with r = 1/√(1-α),
    √v_t + ε = √(1-α)(√v'_t + εr) (ε inside: √(1-α)·√(v'_t + εr²)), so θ moves by ηr·g_t/(√v'_t + εr), and
    ``_momentum_buffer`` = b_t/r. ``trace`` shows the true v_t, ḡ_t and b_t.
    """
    v, avg = s["_v"], s["_avg"]
    g = weight_decayed(g, x, p["weight_decay"], s)
    alpha, e = p["alpha"], s["_e"]
    v *= alpha
    v += np.square(g, out=avg)
    radicand = v
    if "_grad_avg" in s:  # centered: v_t - ḡ_t² = (1-α)(v'_t - (1-α)ḡ'_t²)
        gbar, tmp = s["_grad_avg"], s["_tmp"]
        gbar *= alpha
        gbar += g
        np.square(gbar, out=tmp)
        tmp *= s["_keep"]
        radicand = np.subtract(v, tmp, out=tmp)
    if p["eps_inside"]:
        np.add(radicand, e, out=avg)
        np.sqrt(avg, out=avg)
    else:
        np.sqrt(radicand, out=avg)
        avg += e
    np.divide(g, avg, out=avg)
    step = per_lr(s, "_lr_step", lr, lambda lr: lr * s["_r"])
    if "_momentum_buffer" in s:
        buf = s["_momentum_buffer"]
        buf *= p["momentum"]
        buf += avg
        scale_into(avg, buf, step)
    else:
        avg *= step
    x -= avg


# --------------------------------------------------------------------------------------------------
ADADELTA = OptimizerSpec(
    name="adadelta",
    label="Adadelta",
    description=(
        "torch.optim.Adadelta (Zeiler 2012; not in the seeds): like RMSprop it divides by the root of a moving "
        "average of squared gradients, but it multiplies by the root of a moving average of squared past "
        "updates, so the step has the units of θ and no hand-tuned learning rate is needed (PyTorch's η = 1 "
        "only rescales it). Robust to the learning rate and to badly scaled coordinates, but the first steps "
        "are tiny (of order √ε), so it starts very slowly on a smooth surface."
    ),
    latex=aligned(ADADELTA),
    hyperparameters=(
        hp.lr(1.0, 1e-3, 10.0),
        HyperParam(
            "rho",
            "ρ",
            0.9,
            0.0,
            0.999,
            False,
            "Decay of both moving averages (squared gradients and squared updates).",
        ),
        hp.eps(1e-6),
        hp.weight_decay(),
    ),
    family="adaptive",
    keeps="squared-gradient and squared-update averages",
    pros=("no learning rate to tune", "step has the units of θ", "per-coordinate adaptive"),
    cons=("very slow start (steps of order √ε)", "not in the seeds; rarely used today"),
    best_for="showing a learning-rate-free adaptive method",
    pytorch="Adadelta",
)


def _adadelta_extras(p: Params, s: State, lr: Value, t: int) -> dict[str, Array]:
    return {"delta": s["_delta"].copy()}


@register(
    ADADELTA,
    state=("v", "u", "_delta", "_std"),
    extras=_adadelta_extras,
    symbols={"v": r"v_t", "delta": r"\Delta_t", "u": r"u_t"},
)
def adadelta(p: Params, s: State, x: Array, g: Array, lr: Value, t: int) -> None:
    r"""``torch.optim.Adadelta``.

    .. math::
        v_t = \rho v_{t-1} + (1-\rho) g_t^2;\quad
        \Delta_t = \sqrt{u_{t-1}+\epsilon}\,/\sqrt{v_t+\epsilon}\; g_t;\quad
        u_t = \rho u_{t-1} + (1-\rho)\Delta_t^2;\quad \theta_t = \theta_{t-1} - \eta\Delta_t

    Stored: the true averages v_t and u_t (``v``, ``u``) and Δ_t.
    """
    v, u, delta, std = s["v"], s["u"], s["_delta"], s["_std"]
    g = weight_decayed(g, x, p["weight_decay"], s)
    rho, eps = p["rho"], p["eps"]
    ema_square_(v, g, rho, std)
    np.add(v, eps, out=std)
    np.sqrt(std, out=std)
    np.add(u, eps, out=delta)
    np.sqrt(delta, out=delta)
    delta /= std
    delta *= g
    ema_square_(u, delta, rho, std)
    x -= scale_into(std, delta, lr)
