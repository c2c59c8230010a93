"""Factories for the hyperparameters several optimizers share (same name, symbol, help; own default)."""

from __future__ import annotations

from .spec import HyperParam


def lr(default: float, low: float = 1e-5, high: float = 1.0) -> HyperParam:
    return HyperParam(
        "lr",
        "η",
        default,
        low,
        high,
        True,
        "Learning rate: how far each step moves. Too small crawls, too large overshoots or diverges.",
    )


def eps(default: float, low: float = 1e-12, high: float = 1.0) -> HyperParam:
    return HyperParam(
        "eps",
        "ε",
        default,
        low,
        high,
        True,
        "Small constant in the denominator that prevents division by zero; larger values damp the adaptivity.",
    )


def momentum(help: str) -> HyperParam:
    """PyTorch's momentum factor μ ∈ [0, 0.999], default 0 (off); ``help`` says what it multiplies."""
    return HyperParam("momentum", "μ", 0.0, 0.0, 0.999, False, help)


def weight_decay(default: float = 0.0, decoupled: bool = False) -> HyperParam:
    how = (
        "decoupled: θ is shrunk by (1 - ηλ) before the step"
        if decoupled
        else "coupled (L2): λθ is added to the gradient"
    )
    return HyperParam("weight_decay", "λ", default, 0.0, 1.0, False, f"Weight decay, {how}. Pulls θ towards 0.")


def beta1(default: float = 0.9) -> HyperParam:
    return HyperParam(
        "beta1",
        "β₁",
        default,
        0.0,
        0.999,
        False,
        "Decay of the first moment (the running mean of gradients, the momentum). Also accepted as betas[0].",
    )


def beta2(default: float = 0.999) -> HyperParam:
    return HyperParam(
        "beta2",
        "β₂",
        default,
        0.0,
        0.9999,
        False,
        "Decay of the second moment (the running mean of squared gradients). Also accepted as betas[1].",
    )


def flag(name: str, symbol: str, default: bool, help: str) -> HyperParam:
    return HyperParam(name, symbol, default, None, None, False, help, kind="bool")


def amsgrad() -> HyperParam:
    return flag(
        "amsgrad",
        "AMSGrad",
        False,
        "Use the running maximum of the second moment v (never let the step size grow back); Reddi et al. 2018.",
    )


def eps_inside() -> HyperParam:
    return flag(
        "eps_inside",
        "√(v+ε)",
        False,
        "Put ε inside the square root, √(v + ε), as the seeds' textbook formulas and Keras do; off = PyTorch's √v + ε.",
    )
