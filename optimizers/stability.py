"""The largest stable learning rate of the linear (non-adaptive) optimizers on a quadratic.

On L(θ) = ½λθ² the gradient is λθ, and a first-order method with momentum is a linear recurrence in
(θ, buffer). It converges exactly when both roots of its characteristic polynomial z² − Tz + D (T the
trace, D the determinant of its matrix) lie inside the unit circle (Jury: |D| < 1, 1 − T + D > 0,
1 + T + D > 0). With a = ηλ:

- gradient descent, θ ← (1 − a)θ: |1 − a| < 1, so η < 2/λ;
- heavy ball, b ← μb + c·g, θ ← θ − ηb (PyTorch's SGD with dampening τ: c = 1 − τ; the EMA momentum:
  μ = β and c = 1 − β): T = 1 − ca + μ, D = μ, so η < 2(1 + μ)/(cλ);
- PyTorch's Nesterov, b ← μb + g, θ ← θ − η(g + μb): T = 1 − a(1 + μ) + μ, D = μ(1 − a), so
  η < 2(1 + μ)/((1 + 2μ)λ).

Applied with λ the largest eigenvalue of a Hessian this is the local limit the classic analysis gives:
above it the steepest direction oscillates with growing amplitude. The adaptive optimizers rescale the
step per coordinate and have no such limit in η alone.
"""

from __future__ import annotations

import math
from typing import Any

from .spec import get
from .transforms import COMMON


def stable_lr(name: str, curvature: float, **settings: Any) -> float | None:
    """The learning rate above which optimizer ``name`` diverges on a quadratic of ``curvature`` λ.

    Args:
        name: a registry key.
        curvature: λ > 0, e.g. the largest eigenvalue of the Hessian where the run starts.
        **settings: the run's scalar hyperparameters (defaults fill the rest); coupled weight decay
            adds to the curvature.

    Returns:
        The limit η* (the run is stable for η < η*), or ``None`` where there is none to give: an
        adaptive optimizer, Newton's method, or a curvature that is not positive and finite.

    Raises:
        UnknownOptimizerError: an unknown ``name``.
    """
    spec = get(name).spec
    s = {h.name: h.default for h in (*spec.hyperparameters, *COMMON)} | settings
    lam = float(curvature) + (float(s.get("weight_decay", 0.0)) if name == "sgd" else 0.0)
    if not (math.isfinite(lam) and lam > 0):
        return None
    if name == "gd":
        return 2.0 / lam
    if name == "momentum":
        beta = float(s["beta"])
        return 2.0 * (1.0 + beta) / ((1.0 - beta) * lam)
    if name == "sgd":
        mu = float(s["momentum"])
        if mu == 0:
            return 2.0 / lam
        if s["nesterov"]:
            return 2.0 * (1.0 + mu) / ((1.0 + 2.0 * mu) * lam)
        keep = 1.0 - float(s["dampening"])
        return 2.0 * (1.0 + mu) / (keep * lam) if keep > 0 else None
    return None
