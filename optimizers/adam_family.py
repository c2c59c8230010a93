"""Adam and its relatives: Adam (with the seeds' textbook switches), AdamW, NAdam, RAdam, Adamax."""

from __future__ import annotations

import numpy as np

from . import hp
from .rules import ADAM, ADAMAX, ADAMW, NADAM, RADAM, aligned
from .spec import Array, HyperParam, OptimizerSpec, Params, State, Value, register
from .transforms import bias_correction, ema_square_, is_scalar, lerp_, weight_decayed

_ADAM_SYMBOLS = {
    "m": r"m_t",
    "v": r"v_t",
    "v_max": r"v^{\max}_t",
    "m_hat": r"\hat m_t",
    "v_hat": r"\hat v_t",
    "effective_lr": r"\frac{\eta_t}{\sqrt{\hat v_t}+\epsilon}",
}


def _adam_init(p: Params, shape: tuple[int, ...]) -> State:
    s: State = {"_m": np.zeros(shape), "_v": np.zeros(shape), "_b": np.zeros(shape)}
    s["_keep1"], s["_keep2"] = 1 - p["beta1"], 1 - p["beta2"]
    if p.get("amsgrad", False):
        s["_v_max"] = np.zeros(shape)
    return s


def _adam_corrections(p: Params, t: int) -> tuple[Value, Value]:
    if not p.get("bias_correction", True):
        return 1.0, 1.0
    return bias_correction(p["beta1"], t), bias_correction(p["beta2"], t)


def _adam_extras(p: Params, s: State, lr: Value, t: int) -> dict[str, Array]:
    bc1, bc2 = _adam_corrections(p, t)
    extras = {"m": s["_keep1"] * s["_m"], "v": s["_keep2"] * s["_v"]}
    vv = extras["v"]
    if p["amsgrad"]:
        vv = extras["v_max"] = s["_keep2"] * s["_v_max"]
    v_hat = vv / bc2
    root = np.sqrt(v_hat + p["eps"]) if p.get("eps_inside", False) else np.sqrt(v_hat) + p["eps"]
    extras["effective_lr"] = lr / root
    if p.get("bias_correction", True):
        extras.update(m_hat=extras["m"] / bc1, v_hat=v_hat)
    return extras


def _adam_factors(p: Params, s: State, lr: Value, t: int) -> tuple[Value | None, Value, Value]:
    """``(η_t, c_t, e_t)``: θ moves by η_t·c_t·m'_t/(√v'_t + e_t) (ε inside: /√(v'_t + e_t)).

    With m' = m/(1-β₁), v' = v/(1-β₂) and k_t = √((1-β₂)/(1-β₂^t)), m̂_t = (1-β₁)m'_t/(1-β₁^t) and
    √v̂_t = k_t√v'_t, so c_t = (1-β₁)/((1-β₁^t)k_t) and e_t = ε/k_t (ε inside: ε/k_t²). When c_t
    is a scalar and η an array, the caller multiplies by each (two in-place products beat one
    out-of-place product per step); otherwise η_t is ``None`` and c_t includes it.
    """
    bc1, bc2 = _adam_corrections(p, t)
    keep1, keep2, eps = s["_keep1"], s["_keep2"], p["eps"]
    k2 = keep2 / bc2
    k = k2**0.5
    c = keep1 / (bc1 * k)
    e = eps / k2 if p.get("eps_inside", False) else eps / k
    if is_scalar(c) and not is_scalar(lr):
        return lr, c, e
    return None, lr * c, e


def _adam_step(p: Params, s: State, x: Array, g: Array, lr: Value, t: int, decoupled: bool) -> None:
    """The Adam update shared by ``adam`` and ``adamw`` (PyTorch's ``_single_tensor_adam``).

    Stored: ``_m`` = m_t/(1-β₁) and ``_v`` = v_t/(1-β₂) (``_v_max`` likewise), which update in place
    in two passes each (m'_t = β₁m'_{t-1} + g_t, v'_t = β₂v'_{t-1} + g_t²); see :func:`_adam_factors`.
    """
    m, v, b = s["_m"], s["_v"], s["_b"]  # one scratch buffer: fewer arrays competing for the cache
    if not decoupled:
        g = weight_decayed(g, x, p["weight_decay"], s)
    m *= p["beta1"]
    m += g
    v *= p["beta2"]
    v += np.square(g, out=b)
    vv = v
    if p["amsgrad"]:
        vv = s["_v_max"]
        np.maximum(vv, v, out=vv)
    lr_part, c, e = _adam_factors(p, s, lr, t)
    if p.get("eps_inside", False):  # textbook: θ -= η m̂ / √(v̂ + ε)
        np.add(vv, e, out=b)
        np.sqrt(b, out=b)
    else:  # PyTorch: θ -= (η/bc1)·m/(√v/√bc2 + ε)
        np.sqrt(vv, out=b)
        b += e
    np.divide(m, b, out=b)
    b *= c
    if lr_part is not None:
        b *= lr_part
    if decoupled:
        wd = p["weight_decay"]
        if not (is_scalar(wd) and wd == 0):
            x *= 1 - lr * wd
    x -= b


# --------------------------------------------------------------------------------------------------
ADAM = OptimizerSpec(
    name="adam",
    label="Adam",
    description=(
        "torch.optim.Adam (Kingma & Ba 2014): momentum and RMSprop combined. It keeps a moving average of "
        "gradients m (the direction, as in momentum) and of squared gradients v (the per-coordinate step "
        "size, as in RMSprop), and corrects both for their start at zero. Fast convergence, little tuning, "
        "handles noisy and sparse gradients: the usual default for deep networks. But it is a little heavier "
        "than SGD, can generalize worse and overfit, and can settle in sharp minima. Convention switches show "
        "the seeds' formulas: without bias correction (seed 000: θ -= η m/(√v + ε); with the default β's its "
        "first step is (1-β₁)/√(1-β₂) ≈ 3.16 times larger, not smaller) and with ε inside the root "
        "(seed 003). AMSGrad keeps the running maximum of v; weight decay is "
        "coupled (L2; see AdamW for decoupled)."
    ),
    latex=aligned(ADAM),
    hyperparameters=(
        hp.lr(1e-3),
        hp.beta1(),
        hp.beta2(),
        hp.eps(1e-8),
        hp.weight_decay(),
        hp.amsgrad(),
        hp.flag(
            "bias_correction",
            "bias correction",
            True,
            "Divide m and v by 1 - β^t to undo their start at zero. Off = seed 000's formula: with the default "
            "β's the first steps are about 3.16× too large (m and v are both biased towards 0, v more so).",
        ),
        hp.eps_inside(),
    ),
    family="adaptive + momentum",
    keeps="first and second moments (m, v)",
    pros=("fast convergence", "requires little tuning", "handles noisy and sparse gradients", "adaptive step sizes"),
    cons=("can generalize worse than SGD", "can overfit", "can get stuck in sharp minima", "more computation"),
    best_for="most deep-learning problems; a strong default (deep RNNs, LSTM/GRU, transformers)",
    pytorch="Adam",
)


@register(ADAM, init=_adam_init, extras=_adam_extras, symbols=_ADAM_SYMBOLS)
def adam(p: Params, s: State, x: Array, g: Array, lr: Value, t: int) -> None:
    r"""``torch.optim.Adam``, plus the seeds' switches (``bias_correction=False``, ``eps_inside=True``).

    .. math::
        m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t;\quad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2;\quad
        \theta_t = \theta_{t-1} - \eta\, \frac{m_t/(1-\beta_1^t)}{\sqrt{v_t/(1-\beta_2^t)} + \epsilon}

    Stored: m_t/(1-β₁) and v_t/(1-β₂) (see ``_adam_step``); ``trace`` shows the true m_t, v_t.
    """
    _adam_step(p, s, x, g, lr, t, decoupled=False)


# --------------------------------------------------------------------------------------------------
ADAMW = OptimizerSpec(
    name="adamw",
    label="AdamW",
    description=(
        "torch.optim.AdamW (Loshchilov & Hutter 2019; not in the seeds): Adam with decoupled weight decay. "
        "Instead of adding λθ to the gradient, where Adam's normalization would weaken it, it shrinks the "
        "weights by (1 - ηλ) before each Adam step, so the pull towards the origin is the same for every "
        "coordinate. It shares Adam's pros (fast, little tuning) and cons (can generalize worse than SGD); "
        "on a 2-D surface the decay moves the minimum it settles in towards the origin."
    ),
    latex=aligned(ADAMW),
    hyperparameters=(
        hp.lr(1e-3),
        hp.beta1(),
        hp.beta2(),
        hp.eps(1e-8),
        hp.weight_decay(1e-2, decoupled=True),
        hp.amsgrad(),
    ),
    family="adaptive + momentum",
    keeps="first and second moments (m, v)",
    pros=("Adam's fast convergence", "weight decay that is not distorted by the adaptive scaling"),
    cons=("can generalize worse than SGD", "decay biases the end point towards the origin"),
    best_for="training with weight decay (transformers); comparing L2 and decoupled decay with Adam",
    pytorch="AdamW",
)


@register(ADAMW, init=_adam_init, extras=_adam_extras, symbols=_ADAM_SYMBOLS)
def adamw(p: Params, s: State, x: Array, g: Array, lr: Value, t: int) -> None:
    r"""``torch.optim.AdamW``: decoupled weight decay, then an Adam step.

    .. math:: \theta' = (1-\eta\lambda)\theta_{t-1};\quad \theta_t = \theta' - \eta\,\hat m_t/(\sqrt{\hat v_t}+\epsilon)

    Stored: m_t/(1-β₁) and v_t/(1-β₂) (see ``_adam_step``); ``trace`` shows the true m_t, v_t.
    """
    _adam_step(p, s, x, g, lr, t, decoupled=True)


# --------------------------------------------------------------------------------------------------
NADAM = OptimizerSpec(
    name="nadam",
    label="NAdam",
    description=(
        "torch.optim.NAdam (Dozat 2016; not in the seeds): Adam with Nesterov momentum. The step mixes the "
        "current gradient and the momentum as seen one step ahead, with a momentum coefficient μ_t that warms "
        "up over the first steps (momentum_decay ψ). It often reacts faster than Adam when the gradient "
        "changes direction, at the price of one more hyperparameter and the same cons as Adam."
    ),
    latex=aligned(NADAM),
    hyperparameters=(
        hp.lr(2e-3),
        hp.beta1(),
        hp.beta2(),
        hp.eps(1e-8),
        hp.weight_decay(),
        HyperParam(
            "momentum_decay",
            "ψ",
            4e-3,
            0.0,
            0.1,
            False,
            "Momentum warm-up speed: μ_t = β₁(1 - ½·0.96^(tψ)).",
        ),
    ),
    family="adaptive + momentum",
    keeps="first and second moments (m, v) and the product of momentum coefficients",
    pros=("Nesterov look-ahead: reacts faster to turns", "Adam's adaptive step sizes"),
    cons=("one more hyperparameter", "Adam's cons: can generalize worse than SGD"),
    best_for="comparing Nesterov and classical momentum inside Adam",
    pytorch="NAdam",
)


def _nadam_init(p: Params, shape: tuple[int, ...]) -> State:
    return {
        "m": np.zeros(shape),
        "v": np.zeros(shape),
        "_a": np.zeros(shape),
        "_b": np.zeros(shape),
        "_mu_product": 1.0,
    }


def _nadam_extras(p: Params, s: State, lr: Value, t: int) -> dict[str, Array]:
    v_hat = s["v"] / bias_correction(p["beta2"], t)
    return {"v_hat": v_hat, "effective_lr": lr / (np.sqrt(v_hat) + p["eps"])}


@register(
    NADAM,
    init=_nadam_init,
    extras=_nadam_extras,
    symbols={
        "m": r"m_t",
        "v": r"v_t",
        "v_hat": r"\hat v_t",
        "effective_lr": r"\frac{\eta_t}{\sqrt{\hat v_t}+\epsilon}",
    },
)
def nadam(p: Params, s: State, x: Array, g: Array, lr: Value, t: int) -> None:
    r"""``torch.optim.NAdam``.

    .. math::
        \mu_t = \beta_1(1 - \tfrac12 0.96^{t\psi});\quad
        \theta_t = \theta_{t-1} - \eta\frac{1-\mu_t}{1-\Pi_t}\frac{g_t}{\sqrt{\hat v_t}+\epsilon}
        - \eta\frac{\mu_{t+1}}{1-\Pi_t\mu_{t+1}}\frac{m_t}{\sqrt{\hat v_t}+\epsilon}

    Stored: the true moments m_t, v_t and the product Π_t (``_mu_product``).
    """
    m, v, a, b = s["m"], s["v"], s["_a"], s["_b"]
    beta1, beta2, eps, psi = p["beta1"], p["beta2"], p["eps"], p["momentum_decay"]
    bc2 = bias_correction(beta2, t)
    g = weight_decayed(g, x, p["weight_decay"], s)
    mu = beta1 * (1.0 - 0.5 * (0.96 ** (t * psi)))
    mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((t + 1) * psi)))
    s["_mu_product"] = mu_product = s["_mu_product"] * mu
    lerp_(m, g, 1 - beta1, a)
    ema_square_(v, g, beta2, a)
    np.divide(v, bc2, out=b)
    np.sqrt(b, out=b)
    b += eps
    mu_product_next = mu_product * mu_next
    np.divide(g, b, out=a)
    a *= -lr * (1.0 - mu) / (1.0 - mu_product)
    np.divide(m, b, out=b)
    b *= (-lr * mu_next) / (1.0 - mu_product_next)
    x += a
    x += b


# --------------------------------------------------------------------------------------------------
RADAM = OptimizerSpec(
    name="radam",
    label="RAdam",
    description=(
        "torch.optim.RAdam (Liu et al. 2020; not in the seeds): Rectified Adam. In the first steps the "
        "estimate of the second moment v rests on too few gradients, so its adaptive step size has a large "
        "variance; RAdam takes plain bias-corrected momentum steps until that variance is tractable "
        "(ρ_t > 5, about 5 steps with β₂ = 0.999) and then scales Adam's step by a rectification factor r_t "
        "that rises towards 1. A built-in warm-up: more stable first steps than Adam, at the price of a "
        "slower start; otherwise Adam's pros and cons."
    ),
    latex=aligned(RADAM),
    hyperparameters=(hp.lr(1e-3), hp.beta1(), hp.beta2(), hp.eps(1e-8), hp.weight_decay()),
    family="adaptive + momentum",
    keeps="first and second moments (m, v)",
    pros=("built-in warm-up: stable first steps", "Adam's adaptive step sizes afterwards"),
    cons=("slower start", "Adam's cons: can generalize worse than SGD"),
    best_for="seeing why Adam's first steps are noisy and how a warm-up tames them",
    pytorch="RAdam",
)


def _radam_terms(p: Params, t: int) -> tuple[Value, Value, Value, Value]:
    """(bc1, bc2, ρ_t, r_t) with r_t = NaN where ρ_t ≤ 5 (only used where ρ_t > 5)."""
    beta1, beta2 = p["beta1"], p["beta2"]
    bc1, bc2 = bias_correction(beta1, t), bias_correction(beta2, t)
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * t * (beta2**t) / bc2
    if is_scalar(rho_t):
        rect = (
            ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            if rho_t > 5.0
            else float("nan")
        )
    else:
        with np.errstate(all="ignore"):
            rect = np.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
        rect = np.where(rho_t > 5.0, rect, np.nan)
    return bc1, bc2, rho_t, rect


def _radam_extras(p: Params, s: State, lr: Value, t: int) -> dict[str, Array]:
    bc1, bc2, rho_t, rect = _radam_terms(p, t)
    adaptive = lr * rect * bc2**0.5 / (np.sqrt(s["v"]) + p["eps"])
    eff = np.where(rho_t > 5.0, adaptive, lr + 0 * s["v"])
    batch = s["m"].shape[:-1]
    rect_per_run = rect if is_scalar(rect) else rect[..., 0]
    return {"m_hat": s["m"] / bc1, "rect": np.broadcast_to(rect_per_run, batch), "effective_lr": eff}


@register(
    RADAM,
    state=("m", "v", "_a", "_b"),
    extras=_radam_extras,
    symbols={
        "m": r"m_t",
        "v": r"v_t",
        "m_hat": r"\hat m_t",
        "rect": r"r_t",
        "effective_lr": r"\eta_t r_t\frac{\sqrt{1-\beta_2^t}}{\sqrt{v_t}+\epsilon}",
    },
)
def radam(p: Params, s: State, x: Array, g: Array, lr: Value, t: int) -> None:
    r"""``torch.optim.RAdam``.

    .. math::
        \theta_t = \theta_{t-1} - \eta\,\hat m_t\, r_t \sqrt{1-\beta_2^t}/(\sqrt{v_t}+\epsilon)
        \ \text{if}\ \rho_t > 5,\ \text{else}\ \theta_{t-1} - \eta\,\hat m_t

    Stored: the true moments m_t, v_t.
    """
    m, v, a, b = s["m"], s["v"], s["_a"], s["_b"]
    g = weight_decayed(g, x, p["weight_decay"], s)
    lerp_(m, g, 1 - p["beta1"], a)
    ema_square_(v, g, p["beta2"], a)
    bc1, bc2, rho_t, rect = _radam_terms(p, t)
    np.divide(m, bc1, out=a)
    a *= lr
    if is_scalar(rho_t) and not rho_t > 5.0:
        x -= a
        return
    np.sqrt(v, out=b)
    b += p["eps"]
    np.divide(bc2**0.5, b, out=b)
    if is_scalar(rho_t):
        a *= b
        a *= rect
    else:
        b *= rect
        np.copyto(a, a * b, where=rho_t > 5.0)
    x -= a


# --------------------------------------------------------------------------------------------------
ADAMAX = OptimizerSpec(
    name="adamax",
    label="Adamax",
    description=(
        "torch.optim.Adamax (Kingma & Ba 2014, §7; not in the seeds): Adam with the root mean square of "
        "gradients replaced by an exponentially weighted infinity norm u = max(β₂u, |g|). The step size is "
        "bounded by η/(1-β₁^t) and does not blow up when gradients suddenly shrink, which can make it more "
        "stable than Adam; like Adam it needs little tuning but can generalize worse than SGD."
    ),
    latex=aligned(ADAMAX),
    hyperparameters=(hp.lr(2e-3), hp.beta1(), hp.beta2(), hp.eps(1e-8), hp.weight_decay()),
    family="adaptive + momentum",
    keeps="first moment and infinity norm (m, u)",
    pros=("bounded step size", "stable when gradients shrink suddenly", "little tuning"),
    cons=("can generalize worse than SGD", "rarely used today"),
    best_for="comparing the L2 and L∞ versions of Adam",
    pytorch="Adamax",
)


def _adamax_extras(p: Params, s: State, lr: Value, t: int) -> dict[str, Array]:
    bc1 = bias_correction(p["beta1"], t)
    return {"m_hat": s["m"] / bc1, "effective_lr": lr / s["u"]}


@register(
    ADAMAX,
    state=("m", "u", "_a"),
    extras=_adamax_extras,
    symbols={"m": r"m_t", "u": r"u_t", "m_hat": r"\hat m_t", "effective_lr": r"\frac{\eta_t}{u_t}"},
)
def adamax(p: Params, s: State, x: Array, g: Array, lr: Value, t: int) -> None:
    r"""``torch.optim.Adamax``.

    .. math::
        m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t;\quad u_t = \max(\beta_2 u_{t-1}, |g_t| + \epsilon);\quad
        \theta_t = \theta_{t-1} - \frac{\eta}{1-\beta_1^t}\frac{m_t}{u_t}

    Stored: the true m_t and u_t.
    """
    m, u, a = s["m"], s["u"], s["_a"]
    g = weight_decayed(g, x, p["weight_decay"], s)
    lerp_(m, g, 1 - p["beta1"], a)
    u *= p["beta2"]
    np.abs(g, out=a)
    a += p["eps"]
    np.maximum(u, a, out=u)
    clr = lr / bias_correction(p["beta1"], t)
    np.divide(m, u, out=a)
    a *= clr
    x -= a
