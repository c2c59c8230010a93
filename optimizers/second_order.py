"""Second-order optimizers: damped (saddle-free) Newton's method."""

from __future__ import annotations

import numpy as np

from .rules import NEWTON, aligned
from .spec import Array, HyperParam, OptimizerSpec, Params, State, Value, register

NEWTON = OptimizerSpec(
    name="newton",
    label="Newton",
    description=(
        "Damped Newton's method (seed 002's second-order optimizer): use the curvature, the Hessian H, to "
        "rescale the gradient, stepping θ -= η·H⁻¹g. On a quadratic bowl with η = 1 it lands on the minimum "
        "in one step, whatever the conditioning, because it takes big steps where the surface is flat and small "
        "ones where it is steep. Plain Newton is attracted to saddle points and maxima and blows up where H is "
        "singular, so this version is 'saddle-free' (Dauphin et al. 2014): it splits H into eigen-directions "
        "and divides each by max(|λ|, δ). At a saddle or any indefinite H it therefore moves downhill along "
        "negative-curvature directions instead of towards the saddle, and where H is singular or nearly so the "
        "floor δ caps the step along flat directions at |g|/δ. Very fast near a minimum, but each step needs "
        "second derivatives, which is why it is rarely used in deep learning (computationally expensive)."
    ),
    latex=aligned(NEWTON),
    hyperparameters=(
        HyperParam(
            "lr",
            "η",
            1.0,
            1e-3,
            2.0,
            True,
            "Step scale (damping): 1 = the full Newton step; smaller values take a fraction of it.",
        ),
        HyperParam(
            "damping",
            "δ",
            1e-3,
            1e-6,
            10.0,
            True,
            "Floor on the absolute curvature |λ| of each eigen-direction: caps steps where H is (nearly) singular.",
        ),
    ),
    family="second-order",
    keeps="nothing (evaluates the Hessian at every step)",
    pros=("one step to the minimum of a quadratic", "insensitive to conditioning", "very fast near a minimum"),
    cons=("needs second derivatives: computationally expensive", "plain Newton is attracted to saddles"),
    best_for="small, smooth problems; showing what curvature information buys",
    pytorch=None,
    needs_hessian=True,
)


@register(
    NEWTON,
    state=("eigenvalues", "direction"),
    symbols={"hessian": r"H_t", "eigenvalues": r"\lambda_{1,2}", "direction": r"\tilde H_t^{-1} g_t"},
)
def newton(p: Params, s: State, x: Array, g: Array, lr: Value, t: int) -> None:
    r"""Saddle-free damped Newton; the runner puts the Hessian at θ_{t-1} in ``s["hessian"]``.

    With ``H = Σ λᵢ uᵢuᵢᵀ`` (closed-form eigendecomposition of the symmetrized 2×2 Hessian):

    .. math:: \theta_t = \theta_{t-1} - \eta \sum_i \frac{u_i u_i^\top g_t}{\max(|\lambda_i|, \delta)}

    Stored: the eigenvalues λ₁ ≥ λ₂ and the direction H̃⁻¹g_t of the last step.
    """
    h = s["hessian"]
    a, d = h[..., 0, 0], h[..., 1, 1]
    b = 0.5 * (h[..., 0, 1] + h[..., 1, 0])
    half_diff, mean = 0.5 * (a - d), 0.5 * (a + d)
    r = np.hypot(half_diff, b)
    lam1, lam2 = mean + r, mean - r
    phi = 0.5 * np.arctan2(b, half_diff)  # u₁ = (cos φ, sin φ), u₂ = (-sin φ, cos φ)
    c, sn = np.cos(phi), np.sin(phi)
    gx, gy = g[..., 0], g[..., 1]
    delta = p["damping"] if np.ndim(p["damping"]) == 0 else p["damping"][..., 0]
    d1 = (c * gx + sn * gy) / np.maximum(np.abs(lam1), delta)
    d2 = (c * gy - sn * gx) / np.maximum(np.abs(lam2), delta)
    direction = s["direction"]
    direction[..., 0] = c * d1 - sn * d2
    direction[..., 1] = sn * d1 + c * d2
    s["eigenvalues"][..., 0] = lam1
    s["eigenvalues"][..., 1] = lam2
    x -= direction * lr
