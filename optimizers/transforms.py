"""The pieces every optimizer shares, written once.

- ``COMMON``: the gradient and learning-rate transforms every optimizer accepts (noise, clipping,
  schedules), as :class:`HyperParam` specs for the UI.
- Validation: :func:`prepare` turns ``run``'s keyword arguments into checked values, raising
  ``TypeError`` for an unknown keyword and ``ValueError`` naming the parameter for a bad value.
- The transforms themselves: gradient noise, ``clip_grad_value_`` / ``clip_grad_norm_`` per run,
  learning-rate schedules.
- Building blocks of the steps: the exponential moving averages (PyTorch's ``lerp_`` and
  ``mul_().addcmul_()`` forms) and bias correction.

Hyperparameter values reach the steps either as Python scalars or as contiguous float arrays of the
positions' full shape ``(*batch, 2)`` (each run's value repeated along the last axis): NumPy is an order
of magnitude slower broadcasting ``(N, 1)`` against ``(N, 2)`` than combining equal shapes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .spec import Array, HyperParam, Optimizer, Params, Value

SCHEDULES: tuple[str, ...] = ("none", "step", "exponential", "cosine", "inverse_time")

COMMON: tuple[HyperParam, ...] = (
    HyperParam(
        "noise",
        "σ",
        0.0,
        0.0,
        10.0,
        False,
        "Standard deviation of Gaussian noise added to every gradient component: the noisy updates of "
        "stochastic gradient descent on an analytic surface. 0 = exact gradients.",
    ),
    HyperParam(
        "seed",
        "s",
        0,
        0,
        9999,
        False,
        "Seed of the noise generator: the same seed and batch shape always give the same noise.",
        kind="int",
    ),
    HyperParam(
        "clip_norm",
        "c",
        0.0,
        0.0,
        10.0,
        False,
        "Rescale each run's gradient to at most this Euclidean norm (PyTorch clip_grad_norm_). 0 = off.",
    ),
    HyperParam(
        "clip_value",
        "c_v",
        0.0,
        0.0,
        10.0,
        False,
        "Clamp each gradient component to [-c, c] (PyTorch clip_grad_value_). 0 = off.",
    ),
    HyperParam(
        "schedule",
        "η(t)",
        "none",
        None,
        None,
        False,
        "How the learning rate changes with the step; the scheduler steps after each optimizer step, so "
        "step t uses epoch e = t - 1 (PyTorch).",
        kind="choice",
        choices=SCHEDULES,
    ),
    HyperParam(
        "step_size",
        "k",
        100,
        1,
        1000,
        False,
        "Step schedule (StepLR): multiply η by γ every step_size steps.",
        kind="int",
    ),
    HyperParam(
        "gamma",
        "γ",
        0.5,
        0.0,
        1.0,
        False,
        "Decay factor: StepLR multiplies η by γ every step_size steps; ExponentialLR every step (try 0.99).",
    ),
    HyperParam(
        "T_max",
        "T",
        100,
        1,
        1000,
        False,
        "Cosine schedule (CosineAnnealingLR): steps from η to η_min (the schedule then rises again).",
        kind="int",
    ),
    HyperParam(
        "eta_min",
        "η_min",
        0.0,
        0.0,
        1.0,
        False,
        "Cosine schedule: the smallest learning rate.",
    ),
    HyperParam(
        "decay",
        "k",
        0.01,
        0.0,
        1.0,
        False,
        "Inverse-time schedule: η_t = η / (1 + k·(t-1)) (Keras InverseTimeDecay, PyTorch LambdaLR).",
    ),
)

# Values run() accepts: (low, high, low inclusive, high inclusive). Slider ranges are in the specs;
# these are the mathematical limits, shared by every optimizer that uses the name.
_INF = math.inf
DOMAINS: dict[str, tuple[float, float, bool, bool]] = {
    "lr": (0.0, _INF, True, False),
    "eps": (0.0, _INF, True, False),
    "weight_decay": (0.0, _INF, True, False),
    "momentum": (0.0, 1.0, True, False),
    "dampening": (0.0, 1.0, True, True),
    "beta": (0.0, 1.0, True, False),
    "beta1": (0.0, 1.0, True, False),
    "beta2": (0.0, 1.0, True, False),
    "alpha": (0.0, 1.0, True, False),
    "rho": (0.0, 1.0, True, True),
    "lr_decay": (0.0, _INF, True, False),
    "initial_accumulator_value": (0.0, _INF, True, False),
    "momentum_decay": (0.0, _INF, True, False),
    "damping": (0.0, _INF, False, False),
    "noise": (0.0, _INF, True, False),
    "clip_norm": (0.0, _INF, True, False),
    "clip_value": (0.0, _INF, True, False),
    "step_size": (1.0, _INF, True, False),
    "gamma": (0.0, _INF, True, False),
    "T_max": (0.0, _INF, False, False),
    "eta_min": (0.0, _INF, True, False),
    "decay": (0.0, _INF, True, False),
}


def _fmt_domain(name: str) -> str:
    lo, hi, lo_in, hi_in = DOMAINS[name]
    return f"{'[' if lo_in else '('}{lo:g}, {hi:g}{']' if hi_in else ')'}"


def _in_domain(name: str, a: np.ndarray) -> bool:
    lo, hi, lo_in, hi_in = DOMAINS.get(name, (-_INF, _INF, False, False))
    ok_lo = a >= lo if lo_in else a > lo
    ok_hi = a <= hi if hi_in else a < hi
    return bool(np.all(ok_lo & ok_hi))  # NaN fails both comparisons


def _numeric(opt: str, hp: HyperParam, raw: Any, shape: tuple[int, ...]) -> Value:
    """A checked numeric value: a Python float/int, or a float array of the positions' ``shape``."""
    if raw is None and hp.name in ("clip_norm", "clip_value"):
        raw = 0.0
    if isinstance(raw, (bool, np.bool_, str, bytes)):
        raise ValueError(f"{opt}: {hp.name} must be a number or an array of numbers, got {raw!r}")
    try:
        a = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{opt}: {hp.name} must be a number or an array of numbers, got {raw!r}") from None
    if not _in_domain(hp.name, a):
        raise ValueError(f"{opt}: {hp.name} must be in {_fmt_domain(hp.name)}, got {raw!r}")
    if hp.kind == "int" and not np.all(a == np.round(a)):
        raise ValueError(f"{opt}: {hp.name} must be a whole number, got {raw!r}")
    if a.ndim == 0:
        v = float(a)
        return int(v) if hp.kind == "int" else v
    batch = shape[:-1]
    try:
        b = np.broadcast_to(a, batch)
    except ValueError:
        raise ValueError(
            f"{opt}: {hp.name} has shape {a.shape}, which does not broadcast to the batch shape {batch}"
        ) from None
    return np.ascontiguousarray(np.broadcast_to(b[..., None], shape), dtype=float)


def _flag(opt: str, hp: HyperParam, raw: Any) -> bool:
    if isinstance(raw, (bool, np.bool_)) or (isinstance(raw, (int, np.integer)) and raw in (0, 1)):
        return bool(raw)
    if isinstance(raw, np.ndarray) and raw.ndim == 0 and raw.dtype == bool:
        return bool(raw)
    raise ValueError(f"{opt}: {hp.name} must be True or False, got {raw!r}")


def _choice(opt: str, hp: HyperParam, raw: Any) -> str:
    if isinstance(raw, str) and raw in hp.choices:
        return raw
    if raw is None and hp.name == "schedule":
        return "none"
    raise ValueError(f"{opt}: {hp.name} must be one of {list(hp.choices)}, got {raw!r}")


def _seed(opt: str, raw: Any) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, (bool, np.bool_)) or not isinstance(raw, (int, np.integer)) or raw < 0:
        raise ValueError(f"{opt}: seed must be a non-negative integer or None, got {raw!r}")
    return int(raw)


def is_zero(v: Value) -> bool:
    """Whether a (scalar or array) hyperparameter value is zero everywhere."""
    return not np.any(v)


def is_scalar(v: Value) -> bool:
    return not isinstance(v, np.ndarray)


def prepare(entry: Optimizer, shape: tuple[int, ...], kwargs: Mapping[str, Any]) -> Params:
    """Check ``run``'s keyword arguments and fill in defaults.

    Args:
        entry: the registry entry.
        shape: ``x0.shape``; array values must broadcast to the batch shape ``x0.shape[:-1]``.
        kwargs: the keyword arguments (without ``hess``).

    Returns:
        ``{name: value}`` for the optimizer's own hyperparameters and every entry of ``COMMON``.

    Raises:
        TypeError: an unknown keyword.
        ValueError: a bad value (the message names the parameter), or ``betas`` given together with
            ``beta1``/``beta2``.
    """
    spec = entry.spec
    opt = spec.name
    kw = dict(kwargs)
    own = {hp.name for hp in spec.hyperparameters}
    if "betas" in kw and "beta1" in own:
        if "beta1" in kw or "beta2" in kw:
            raise ValueError(f"{opt}: give either betas=(beta1, beta2) or beta1=/beta2=, not both")
        betas = kw.pop("betas")
        try:
            b1, b2 = betas
        except (TypeError, ValueError):
            raise ValueError(f"{opt}: betas must be a pair (beta1, beta2), got {betas!r}") from None
        kw["beta1"], kw["beta2"] = b1, b2
    known = own | {hp.name for hp in COMMON}
    unknown = sorted(set(kw) - known)
    if unknown:
        accepted = sorted(known | ({"betas"} if "beta1" in own else set()))
        raise TypeError(f"{opt}: unexpected keyword argument(s) {unknown}; accepted: {accepted}")
    p: Params = {}
    for hp in (*spec.hyperparameters, *COMMON):
        raw = kw.get(hp.name, hp.default)
        if hp.kind == "bool":
            p[hp.name] = _flag(opt, hp, raw)
        elif hp.kind == "choice":
            p[hp.name] = _choice(opt, hp, raw)
        elif hp.name == "seed":
            p[hp.name] = _seed(opt, raw)
        else:
            p[hp.name] = _numeric(opt, hp, raw, shape)
    if p.get("nesterov") and (np.any(p["momentum"] <= 0) or np.any(p["dampening"] != 0)):
        raise ValueError(f"{opt}: nesterov requires momentum > 0 and dampening = 0")
    return p


# --------------------------------------------------------------------------------------------------
# Learning-rate schedules
# --------------------------------------------------------------------------------------------------
def schedule(p: Params) -> Callable[[int], Value]:
    """``lr_at(e)``: the learning rate of step ``t = e + 1`` (the scheduler steps after each step).

    - ``none``: η
    - ``step`` (StepLR): η·γ^⌊e/step_size⌋
    - ``exponential`` (ExponentialLR): η·γ^e
    - ``cosine`` (CosineAnnealingLR, closed form): η_min + (η - η_min)(1 + cos(πe/T_max))/2
    - ``inverse_time`` (Keras InverseTimeDecay; PyTorch LambdaLR with 1/(1 + k·e)): η/(1 + k·e)
    """
    lr0, kind = p["lr"], p["schedule"]
    if kind == "none":
        return lambda e: lr0
    gamma, step_size, t_max, eta_min, decay = (p[k] for k in ("gamma", "step_size", "T_max", "eta_min", "decay"))
    scalar = all(is_scalar(v) for v in (lr0, gamma, step_size, t_max, eta_min, decay))
    if kind == "step":
        if scalar:
            return lambda e: lr0 * gamma ** (e // step_size)
        return lambda e: lr0 * np.power(gamma, np.floor_divide(e, step_size))
    if kind == "exponential":
        if scalar:
            return lambda e: lr0 * gamma**e
        return lambda e: lr0 * np.power(gamma, e)
    if kind == "cosine":
        if scalar:
            return lambda e: eta_min + (lr0 - eta_min) * (1 + math.cos(math.pi * e / t_max)) / 2
        return lambda e: eta_min + (lr0 - eta_min) * (1 + np.cos(np.pi * e / t_max)) / 2
    if kind == "inverse_time":
        return lambda e: lr0 / (1 + decay * e)
    raise ValueError(f"unknown schedule {kind!r}")  # unreachable: prepare() checked it


# --------------------------------------------------------------------------------------------------
# Gradient transforms (applied in this order: noise, clip_value, clip_norm)
# --------------------------------------------------------------------------------------------------
@dataclass
class GradientTransforms:
    """Noise and clipping applied in place to the gradient buffer before each step.

    Noise: ``rng = np.random.default_rng(seed)``; at every step t = 1, 2, … (only when ``noise`` is
    not the scalar 0) one block ``z_t = rng.standard_normal(x0.shape)`` is drawn in C order and
    ``g += noise·z_t``. So each run of a batch gets its own independent noise, and the same
    (seed, batch shape) reproduces the same noise; with noise = 0 nothing is drawn and a batch
    equals its runs one at a time.
    """

    noise: Value
    rng: np.random.Generator | None
    clip_value: Value
    clip_norm: Value
    z: Array | None
    tmp: Array | None

    @classmethod
    def build(cls, p: Params, shape: tuple[int, ...]) -> GradientTransforms:
        noisy = not (is_scalar(p["noise"]) and p["noise"] == 0)
        rng = np.random.default_rng(p["seed"]) if noisy else None
        clip_norm = p["clip_norm"]
        if not is_scalar(clip_norm) and is_zero(clip_norm):
            clip_norm = 0.0
        clip_value = p["clip_value"]
        if not is_scalar(clip_value) and is_zero(clip_value):
            clip_value = 0.0
        return cls(
            noise=p["noise"],
            rng=rng,
            clip_value=clip_value,
            clip_norm=clip_norm,
            z=np.empty(shape) if noisy else None,
            tmp=np.empty(shape) if (clip_norm is not None and np.any(clip_norm)) else None,
        )

    @property
    def active(self) -> bool:
        """Whether any transform changes the gradient (then the runner copies it into its own buffer)."""
        return self.rng is not None or self.clips

    @property
    def clips(self) -> bool:
        """Whether either clipping is on for some run."""
        return bool(np.any(self.clip_value)) or self.tmp is not None

    def apply_(self, g: Array, before_clip: Array | None = None) -> Array | None:
        """Noise, then ``clip_grad_value_``, then ``clip_grad_norm_`` (per run), in place.

        Args:
            g: the gradient buffer, shape ``(*batch, 2)``; changed in place.
            before_clip: if given, receives a copy of the gradient after its noise, before clipping.

        Returns:
            The factor ``clip_grad_norm_`` multiplied each run's gradient by, shape ``(*batch,)`` (1 where
            it did not clip), or None when clipping by norm is off.
        """
        if self.rng is not None:
            self.rng.standard_normal(out=self.z)
            self.z *= self.noise
            g += self.z
        if before_clip is not None:
            np.copyto(before_clip, g)
        if np.any(self.clip_value):
            clip_value_(g, self.clip_value)
        if self.tmp is not None:
            return clip_norm_(g, self.clip_norm, self.tmp)
        return None


def clip_value_(g: Array, c: Value) -> None:
    """``torch.nn.utils.clip_grad_value_``: clamp each component to [-c, c]; c = 0 means off (per run)."""
    if is_scalar(c):
        np.clip(g, -c, c, out=g)
    else:
        c = np.where(c > 0, c, np.inf)
        np.clip(g, -c, c, out=g)


def clip_norm_(g: Array, max_norm: Value, tmp: Array) -> Array:
    """``torch.nn.utils.clip_grad_norm_`` per run: ``g *= min(max_norm/(‖g‖₂ + 1e-6), 1)``; 0 means off.

    Returns the factor each run's gradient was multiplied by, shape ``(*batch,)``.
    """
    np.multiply(g, g, out=tmp)
    total = _sum_last(tmp)  # per run, shape (*batch,)
    np.sqrt(total, out=total)
    total += 1e-6
    per_run = max_norm if is_scalar(max_norm) else max_norm[..., 0]
    coef = np.asarray(np.divide(per_run, total))
    np.minimum(coef, 1.0, out=coef)
    if not is_scalar(max_norm):
        coef[per_run <= 0] = 1.0  # runs with clip_norm 0 are not clipped
    for j in range(g.shape[-1]):  # column by column: faster than broadcasting (N, 1) against (N, 2)
        g[..., j] *= coef
    return coef


def _sum_last(a: Array) -> Array:
    """``a.sum(-1)`` for a short last axis, as a few whole-array adds (NumPy reduces short axes slowly)."""
    total = a[..., 0].copy()
    for j in range(1, a.shape[-1]):
        total += a[..., j]
    return total


# --------------------------------------------------------------------------------------------------
# Building blocks of the steps
# --------------------------------------------------------------------------------------------------
def lerp_(avg: Array, x: Array, weight: Value, tmp: Array) -> None:
    """EMA as PyTorch's ``avg.lerp_(x, weight)``: ``avg += weight·(x - avg)`` with ``weight = 1 - β``."""
    np.subtract(x, avg, out=tmp)
    tmp *= weight
    avg += tmp


def ema_square_(avg: Array, x: Array, beta: Value, tmp: Array) -> None:
    """EMA of squares as PyTorch's ``avg.mul_(β).addcmul_(x, x, value=1-β)``: ``avg = β·avg + (1-β)·x²``."""
    avg *= beta
    np.multiply(x, 1 - beta, out=tmp)
    tmp *= x
    avg += tmp


def scale_into(out: Array, src: Array, factor: Value) -> Array:
    """``out = src·factor`` and return ``out``.

    An array ``factor`` goes through a copy and an in-place product: NumPy's binary loops on float64
    are about twice as fast in place as into a third array, so that beats ``np.multiply(src, factor,
    out=out)``. A scalar factor is one pass either way.
    """
    if is_scalar(factor):
        np.multiply(src, factor, out=out)
    else:
        np.copyto(out, src)
        out *= factor
    return out


def per_lr(s: dict[str, Any], key: str, lr: Value, make: Callable[[Value], Any]) -> Any:
    """``make(lr)``, kept in the state under ``key`` while the step gets the same ``lr`` object.

    Without a schedule the runner hands every step the same η object, so a per-run array derived
    from it (e.g. η/√(1-α)) is computed once per run instead of once per step.
    """
    cached = s.get(key)
    if cached is not None and cached[0] is lr:
        return cached[1]
    value = make(lr)
    s[key] = (lr, value)
    return value


def bias_correction(beta: Value, t: int) -> Value:
    """``1 - β^t`` (a Python float for scalar β, else an array)."""
    return 1 - beta**t


def weight_decayed(g: Array, x: Array, weight_decay: Value, s: dict[str, Any]) -> Array:
    """Coupled (L2) weight decay, PyTorch's ``g.add(θ, alpha=λ)``: ``g + λθ``.

    Returns ``g`` itself when λ = 0, else the sum in the state's ``"_gwd"`` buffer (steps never write
    into ``g``: it may be the gradient callable's own array).
    """
    if is_scalar(weight_decay):
        if weight_decay == 0:
            return g
    elif is_zero(weight_decay):
        return g
    buf = s.get("_gwd")
    if buf is None:
        buf = s["_gwd"] = np.empty_like(x)
    np.multiply(x, weight_decay, out=buf)
    buf += g
    return buf
