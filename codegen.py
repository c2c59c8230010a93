"""From the picture to real code: the current runs as PyTorch, Keras and Optax code. Pure (text only).

For every run of a scene, :func:`scene_code` writes

- a self-contained PyTorch script that reproduces the run exactly (float64): the loss as torch code,
  ``torch.optim.<Class>([params], ...)`` with the settings the core ran (read from
  :func:`simulate.run_inputs`, so the shared η and every default are the ones on screen), the
  learning-rate scheduler, the gradient noise (drawn from the same NumPy generator as the app) and
  clipping calls, and the loop. Textbook forms that have no ``torch.optim`` class (Adam without bias
  correction, ε inside the root, saddle-free Newton) get a hand-written update in the loop;
- the Keras 3 and Optax equivalents (constructor, schedule, clipping);
- notes wherever a framework's default or formula differs from the textbook form on screen
  (ε placement, momentum form, RMSprop's decay, …).

Nothing here executes the generated code or imports a framework; the tests parse it with ``ast``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import landscapes
import optimizers
from landscapes import formula as fm
from scene import BATCH_PARAM, Run, Scene
from simulate import run_inputs

#: PyTorch's defaults for the constructor keywords we write (REFERENCE.md's table, torch 2.x).
TORCH_DEFAULTS: dict[str, dict[str, Any]] = {
    "SGD": {"momentum": 0.0, "dampening": 0.0, "weight_decay": 0.0, "nesterov": False},
    "Adagrad": {"lr_decay": 0.0, "weight_decay": 0.0, "initial_accumulator_value": 0.0, "eps": 1e-10},
    "RMSprop": {"alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0, "momentum": 0.0, "centered": False},
    "Adadelta": {"rho": 0.9, "eps": 1e-6, "weight_decay": 0.0},
    "Adam": {"betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0, "amsgrad": False},
    "AdamW": {"betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 1e-2, "amsgrad": False},
    "NAdam": {"betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0, "momentum_decay": 4e-3},
    "RAdam": {"betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0},
    "Adamax": {"betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0},
}

# The keywords each torch class takes, in the order we write them (``betas`` from beta1/beta2).
_TORCH_KEYS: dict[str, tuple[str, ...]] = {
    "SGD": ("momentum", "dampening", "nesterov", "weight_decay"),
    "Adagrad": ("lr_decay", "weight_decay", "initial_accumulator_value", "eps"),
    "RMSprop": ("alpha", "eps", "weight_decay", "momentum", "centered"),
    "Adadelta": ("rho", "eps", "weight_decay"),
    "Adam": ("betas", "eps", "weight_decay", "amsgrad"),
    "AdamW": ("betas", "eps", "weight_decay", "amsgrad"),
    "NAdam": ("betas", "eps", "weight_decay", "momentum_decay"),
    "RAdam": ("betas", "eps", "weight_decay"),
    "Adamax": ("betas", "eps", "weight_decay"),
}


@dataclass(frozen=True)
class RunCode:
    """The code of one run.

    Attributes:
        label: the run's label (as in the legend).
        pytorch: a complete PyTorch script.
        keras: the Keras 3 optimizer (constructor, schedule, clipping).
        optax: the Optax optimizer (constructor, schedule, clipping).
        notes: where a framework differs from the form on screen, one sentence each.
        torch_class: the ``torch.optim`` class used, or ``None`` when the update is written by hand.
        torch_kwargs: the constructor keywords written (lr included), or ``{}``.
    """

    label: str
    pytorch: str
    keras: str
    optax: str
    notes: tuple[str, ...] = ()
    torch_class: str | None = None
    torch_kwargs: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------------
# Numbers and small helpers
# --------------------------------------------------------------------------------------------------
def num(v: Any) -> str:
    """A Python literal for ``v``: ``True``, ``3``, ``0.1``, ``1e-08`` (round-trips exactly)."""
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, int):
        return str(v)
    f = float(v)
    if math.isnan(f) or math.isinf(f):
        return f"float({str(f)!r})"
    return repr(f)


def _kw(items: list[tuple[str, Any]]) -> str:
    return ", ".join(f"{k}={v if isinstance(v, str) else num(v)}" for k, v in items)


# --------------------------------------------------------------------------------------------------
# The optimizer as torch.optim arguments
# --------------------------------------------------------------------------------------------------
def torch_optimizer(optimizer: str, kwargs: dict[str, Any]) -> tuple[str | None, dict[str, Any], list[str]]:
    """The ``torch.optim`` class and constructor keywords that reproduce ``optimizer`` run with ``kwargs``.

    Args:
        optimizer: registry key.
        kwargs: the keyword arguments the core ran with (from :func:`simulate.run_inputs`).

    Returns:
        ``(class name or None, {keyword: value}, notes)``. ``lr`` is always given; other keywords only
        where they differ from PyTorch's default. ``None`` means no class reproduces the rule exactly
        (the script then writes the update by hand).
    """
    notes: list[str] = []
    kw = kwargs
    if optimizer == "gd":
        return "SGD", {"lr": kw["lr"]}, notes
    if optimizer == "momentum":
        beta = kw["beta"]
        notes.append(
            f"The EMA momentum on screen (v = βv + (1-β)g, θ -= ηv) is exactly SGD with momentum μ = β and "
            f"lr = η(1-β) = {num(kw['lr'])} * (1 - {num(beta)}): with b the heavy-ball buffer (b = βb + g), v = (1-β)b "
            "at every step. Writing dampening=1-β instead is NOT the same: PyTorch skips the dampening on "
            "the first step (b₁ = g₁), so that run's first step would be 1/(1-β) times too long."
        )
        out: dict[str, Any] = {"lr": kw["lr"] * (1 - beta)}
        if beta != 0:
            out["momentum"] = beta
        return "SGD", out, notes
    if optimizer == "newton":
        return None, {}, notes
    cls = optimizers.spec(optimizer).pytorch
    if cls is None or cls not in _TORCH_KEYS:
        return None, {}, notes
    if optimizer == "adam" and (not kw.get("bias_correction", True) or kw.get("eps_inside", False)):
        return None, {}, notes
    if optimizer == "rmsprop" and kw.get("eps_inside", False):
        return None, {}, notes
    out = {"lr": kw["lr"]}
    defaults = TORCH_DEFAULTS[cls]
    for key in _TORCH_KEYS[cls]:
        value = (float(kw["beta1"]), float(kw["beta2"])) if key == "betas" else kw[key]
        if value != defaults[key]:
            out[key] = value
    return cls, out, notes


def _torch_ctor(cls: str, kw: dict[str, Any], shown: dict[str, str] | None = None) -> str:
    parts = []
    for k, v in kw.items():
        if shown and k in shown:
            parts.append(f"{k}={shown[k]}")
        else:
            parts.append(f"{k}=({num(v[0])}, {num(v[1])})" if k == "betas" else f"{k}={num(v)}")
    return f"torch.optim.{cls}([params], {', '.join(parts)})"


# --------------------------------------------------------------------------------------------------
# The loss as torch code
# --------------------------------------------------------------------------------------------------
_TORCH_FUNCS = {
    "log": "torch.log",
    "log10": "torch.log10",
    "log2": "torch.log2",
    "sqrt": "torch.sqrt",
    "abs": "torch.abs",
    "sign": "torch.sign",
    "exp": "torch.exp",
    "cbrt": None,  # written as sign(u)·|u|^(1/3)
    "arctan": "torch.atan",
    "arcsin": "torch.asin",
    "arccos": "torch.acos",
}


def formula_torch(node: fm.Node) -> str:
    """A torch expression in ``x`` and ``y`` for a parsed formula tree (fully bracketed)."""
    if isinstance(node, fm.Const):
        if node.name == "pi":
            return "math.pi"
        if node.name == "e":
            return "math.e"
        return num(float(node.value))
    if isinstance(node, fm.Var):
        return node.name
    if isinstance(node, fm.Neg):
        return f"(-{formula_torch(node.operand)})"
    if isinstance(node, fm.Func):
        arg = formula_torch(node.arg)
        if node.name == "cbrt":
            return f"(torch.sign({arg}) * torch.abs({arg}) ** (1 / 3))"
        fn = _TORCH_FUNCS.get(node.name, f"torch.{node.name}")
        return f"{fn}({arg})"
    if isinstance(node, fm.Pow):
        base, exp = formula_torch(node.base), formula_torch(node.exponent)
        if isinstance(node.base, fm.Const):  # a positive constant base: c^u = exp(u·ln c)
            return f"torch.exp({exp} * math.log({base}))"
        return f"({base} ** {exp})"
    op = {fm.Add: "+", fm.Sub: "-", fm.Mul: "*", fm.Div: "/"}[type(node)]
    return f"({formula_torch(node.left)} {op} {formula_torch(node.right)})"


def _analytic_loss(land: landscapes.Landscape) -> str | None:
    """``return <expr>`` body lines of the analytic landscapes, or ``None``."""
    p = getattr(land, "p", {})
    key = getattr(land, "key", "")
    if key == "quadratic":
        a, b, d = land._h  # the constant Hessian
        return f"return 0.5 * ({num(a)} * x**2 + 2 * {num(b)} * x * y + {num(d)} * y**2)"
    exprs = {
        "saddle": "x**2 - y**2",
        "monkey-saddle": "x**3 - 3 * x * y**2",
        "rosenbrock": f"({num(p.get('a', 1.0))} - x) ** 2 + {num(p.get('b', 100.0))} * (y - x**2) ** 2",
        "beale": "(1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2",
        "booth": "(x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2",
        "himmelblau": "(x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2",
        "rastrigin": "20 + x**2 - 10 * torch.cos(2 * math.pi * x) + y**2 - 10 * torch.cos(2 * math.pi * y)",
        "ackley": (
            "-20 * torch.exp(-0.2 * torch.sqrt(0.5 * (x**2 + y**2)))"
            " - torch.exp(0.5 * (torch.cos(2 * math.pi * x) + torch.cos(2 * math.pi * y))) + math.e + 20"
        ),
        "goldstein-price": (
            "(1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2))"
            " * (30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2))"
        ),
        "six-hump-camel": "(4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2",
        "three-hump-camel": "2 * x**2 - 1.05 * x**4 + x**6 / 6 + x * y + y**2",
        "styblinski-tang": "0.5 * (x**4 - 16 * x**2 + 5 * x + y**4 - 16 * y**2 + 5 * y)",
        "matyas": "0.26 * (x**2 + y**2) - 0.48 * x * y",
        "levi": (
            "torch.sin(3 * math.pi * x) ** 2 + (x - 1) ** 2 * (1 + torch.sin(3 * math.pi * y) ** 2)"
            " + (y - 1) ** 2 * (1 + torch.sin(2 * math.pi * y) ** 2)"
        ),
        "mccormick": "torch.sin(x + y) + (x - y) ** 2 - 1.5 * x + 2.5 * y + 1",
        "easom": "-torch.cos(x) * torch.cos(y) * torch.exp(-((x - math.pi) ** 2) - (y - math.pi) ** 2)",
    }
    if key in exprs:
        return f"return {exprs[key]}"
    if isinstance(land, fm.FormulaLandscape):
        return f"return {formula_torch(land.tree)}  # your formula: {land.formula}"
    return None


_DATA_RECIPES = {
    "linear-regression": (
        "rng = np.random.default_rng(20240601)  # the app's fixed data set (landscapes/data.py)\n"
        "X_np = rng.uniform(0.0, 3.0, 200)\n"
        "Y_np = 2.0 * X_np - 1.0 + rng.normal(0.0, 0.5, 200)\n",
        "0.5 * ((z - yb) ** 2).mean()",
    ),
    "logistic-regression": (
        "rng = np.random.default_rng(20240602)  # the app's fixed data set (landscapes/data.py)\n"
        "X_np = rng.normal(1.0, 1.5, 200)\n"
        "Y_np = (rng.uniform(size=200) < 0.5 + 0.5 * np.tanh(0.5 * (1.5 * X_np - 1.0))).astype(float)\n",
        "(torch.nn.functional.softplus(z) - yb * z).mean()",
    ),
}


def loss_code(land: landscapes.Landscape) -> tuple[str, bool]:
    """Torch code defining ``loss_fn(p, idx=None)`` for ``land``.

    Returns:
        ``(code, has_data)``: ``has_data`` is true for the data landscapes, whose ``loss_fn`` takes the
        indices of a mini-batch.
    """
    key = getattr(land, "key", "")
    if key in _DATA_RECIPES:
        recipe, loss = _DATA_RECIPES[key]
        code = (
            recipe + "X, Y = torch.from_numpy(X_np), torch.from_numpy(Y_np)\n\n\n"
            "def loss_fn(p, idx=None):\n"
            "    xb, yb = (X, Y) if idx is None else (X[idx], Y[idx])\n"
            "    z = p[0] * xb + p[1]  # the point (w, b) of the landscape\n"
            f"    return {loss}\n"
        )
        return code, True
    if key == "rnn-cliff":
        steps = int(land.p["T"])
        code = (
            "def loss_fn(p, idx=None):\n"
            "    w, b = p[0], p[1]\n"
            "    h = torch.tensor(0.5, dtype=torch.float64)\n"
            f"    for _ in range({steps}):  # x_t = w·σ(x_(t-1)) + b\n"
            "        h = w * torch.sigmoid(h) + b\n"
            "    return (torch.sigmoid(h) - 0.7) ** 2\n"
        )
        return code, False
    body = _analytic_loss(land)
    if body is None:
        raise ValueError(f"no torch code for the landscape {key!r}")
    return f"def loss_fn(p, idx=None):\n    x, y = p[0], p[1]\n    {body}\n", False


# --------------------------------------------------------------------------------------------------
# Schedules
# --------------------------------------------------------------------------------------------------
def _lr_factor_expr(kw: dict[str, Any], lr0: str) -> str:
    """Python expression of η_t in terms of the epoch ``e`` (for hand-written loops)."""
    kind = kw["schedule"]
    if kind == "step":
        return f"{lr0} * {num(kw['gamma'])} ** (e // {num(kw['step_size'])})"
    if kind == "exponential":
        return f"{lr0} * {num(kw['gamma'])} ** e"
    if kind == "cosine":
        eta_min = num(kw["eta_min"])
        return f"{eta_min} + ({lr0} - {eta_min}) * (1 + math.cos(math.pi * e / {num(kw['T_max'])})) / 2"
    if kind == "inverse_time":
        return f"{lr0} / (1 + {num(kw['decay'])} * e)"
    return lr0


def torch_scheduler(kw: dict[str, Any], lr_scale: str = "") -> str | None:
    """The ``torch.optim.lr_scheduler`` call for the run's schedule (``None`` for a constant η).

    ``lr_scale`` (e.g. ``" * (1 - 0.9)"``) multiplies η_min of the cosine schedule (the EMA momentum's
    lr is η(1-β)).
    """
    kind = kw["schedule"]
    base = "torch.optim.lr_scheduler"
    if kind == "step":
        return f"{base}.StepLR(opt, step_size={num(kw['step_size'])}, gamma={num(kw['gamma'])})"
    if kind == "exponential":
        return f"{base}.ExponentialLR(opt, gamma={num(kw['gamma'])})"
    if kind == "cosine":
        return f"{base}.CosineAnnealingLR(opt, T_max={num(kw['T_max'])}, eta_min={num(kw['eta_min'])}{lr_scale})"
    if kind == "inverse_time":
        return f"{base}.LambdaLR(opt, lr_lambda=lambda e: 1 / (1 + {num(kw['decay'])} * e))"
    return None


# --------------------------------------------------------------------------------------------------
# Hand-written updates (rules without a torch.optim class)
# --------------------------------------------------------------------------------------------------
def _manual_init_and_update(optimizer: str, kw: dict[str, Any]) -> tuple[str, str]:
    """``(state init lines, update lines inside the loop)``; the update sees ``g``, ``lr``, ``t``."""
    if optimizer == "newton":
        init = ""
        update = (
            "H = torch.autograd.functional.hessian(lambda q: loss_fn(q), params.detach())\n"
            "lam, U = torch.linalg.eigh(0.5 * (H + H.T))\n"
            f"direction = U @ ((U.T @ g) / torch.clamp(lam.abs(), min={num(kw['damping'])}))  # saddle-free\n"
            "with torch.no_grad():\n"
            "    params -= lr * direction\n"
        )
        return init, update
    if optimizer == "rmsprop":  # ε inside the root
        init = "v = torch.zeros_like(params)\n"
        lines = ["with torch.no_grad():"]
        if kw["weight_decay"]:
            lines.append(f"    g = g + {num(kw['weight_decay'])} * params")
        a = num(kw["alpha"])
        lines.append(f"    v.mul_({a}).add_((1 - {a}) * g * g)")
        if kw["centered"]:
            init += "g_avg = torch.zeros_like(params)\n"
            lines.append(f"    g_avg.lerp_(g, 1 - {a})")
            lines.append(f"    avg = torch.sqrt(v - g_avg**2 + {num(kw['eps'])})  # ε inside the root")
        else:
            lines.append(f"    avg = torch.sqrt(v + {num(kw['eps'])})  # ε inside the root")
        if kw["momentum"]:
            init += "buf = torch.zeros_like(params)\n"
            lines.append(f"    buf.mul_({num(kw['momentum'])}).add_(g / avg)")
            lines.append("    params -= lr * buf")
        else:
            lines.append("    params -= lr * g / avg")
        return init, "\n".join(lines) + "\n"
    # adam with bias_correction off and/or eps inside the root
    b1, b2, eps = num(kw["beta1"]), num(kw["beta2"]), num(kw["eps"])
    init = "m = torch.zeros_like(params)\nv = torch.zeros_like(params)\n"
    lines = ["with torch.no_grad():"]
    if kw["weight_decay"]:
        lines.append(f"    g = g + {num(kw['weight_decay'])} * params  # coupled (L2), as torch.optim.Adam")
    lines.append(f"    m.lerp_(g, 1 - {b1})")
    lines.append(f"    v.mul_({b2}).add_((1 - {b2}) * g * g)")
    vv = "v"
    if kw["amsgrad"]:
        init += "v_max = torch.zeros_like(params)\n"
        lines.append("    torch.maximum(v_max, v, out=v_max)")
        vv = "v_max"
    if kw.get("bias_correction", True):
        lines.append(f"    m_hat, v_hat = m / (1 - {b1} ** t), {vv} / (1 - {b2} ** t)")
    else:
        lines.append(f"    m_hat, v_hat = m, {vv}  # no bias correction (seed 000's formula)")
    if kw.get("eps_inside", False):
        lines.append(f"    params -= lr * m_hat / torch.sqrt(v_hat + {eps})  # ε inside the root")
    else:
        lines.append(f"    params -= lr * m_hat / (torch.sqrt(v_hat) + {eps})")
    return init, "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------
# The PyTorch script
# --------------------------------------------------------------------------------------------------
def pytorch_code(
    scene: Scene, land: landscapes.Landscape, run: Run, label: str = ""
) -> tuple[str, str | None, dict[str, Any], list[str]]:
    """A complete PyTorch script that reproduces ``run`` of ``scene`` on ``land``.

    Returns:
        ``(code, torch class or None, constructor keywords, notes)``.
    """
    _grad, kw = run_inputs(scene, land, run)
    kw = dict(kw)
    kw.pop("hess", None)
    x0 = scene.start if scene.start is not None else tuple(float(v) for v in land.start)
    cls, ctor, notes = torch_optimizer(run.optimizer, kw)
    loss, has_data = loss_code(land)
    batch = int(run.get(BATCH_PARAM.name))
    minibatch = has_data and 0 < batch < 200
    noisy = kw["noise"] != 0
    needs_np = has_data or noisy or minibatch
    head = ["import math", "", *(["import numpy as np"] if needs_np else []), "import torch", ""]
    head.append(f"# {label or optimizers.spec(run.optimizer).label} on {land.title}: {scene.steps} steps")
    head.append("torch.set_default_dtype(torch.float64)  # the app computes in float64")
    lines = [*head, "", "", loss, ""]
    lines.append(f"params = torch.tensor([{num(float(x0[0]))}, {num(float(x0[1]))}], requires_grad=True)")
    if cls is not None:
        scale = f" * (1 - {num(kw['beta'])})" if run.optimizer == "momentum" and "momentum" in ctor else ""
        shown = {"lr": f"{num(kw['lr'])}{scale}"} if scale else None
        lines.append(f"opt = {_torch_ctor(cls, ctor, shown)}")
        sched = torch_scheduler(kw, scale)
        if sched:
            lines.append(f"scheduler = {sched}")
    else:
        init, _ = _manual_init_and_update(run.optimizer, kw)
        if init:
            lines.append(init.rstrip("\n"))
        lines.append(f"lr0 = {num(kw['lr'])}")
    if noisy:
        lines.append(f"noise_rng = np.random.default_rng({scene.seed})  # the app's gradient noise, exactly")
    if minibatch:
        lines.append(f"batch_rng = np.random.default_rng({scene.seed})  # the app's mini-batches, exactly")
    lines.append("path = [params.detach().clone()]")
    lines.append("")
    lines.append(f"for t in range(1, {scene.steps} + 1):")
    body: list[str] = []
    if cls is not None:
        body.append("opt.zero_grad()")
    else:
        body.append("params.grad = None")
    if minibatch:
        body.append(f"idx = torch.from_numpy(batch_rng.integers(0, 200, size=(1, {batch}))[0])  # with replacement")
        body.append("loss_fn(params, idx).backward()")
    else:
        body.append("loss_fn(params).backward()")
    if noisy:
        body.append(f"params.grad += {num(kw['noise'])} * torch.from_numpy(noise_rng.standard_normal(2))")
    if kw["clip_value"]:
        body.append(f"torch.nn.utils.clip_grad_value_([params], clip_value={num(kw['clip_value'])})")
    if kw["clip_norm"]:
        body.append(f"torch.nn.utils.clip_grad_norm_([params], max_norm={num(kw['clip_norm'])})")
    if cls is not None:
        body.append("opt.step()")
        if kw["schedule"] != "none":
            body.append("scheduler.step()  # after the optimizer step: step t uses epoch t - 1")
    else:
        body.append("g = params.grad")
        body.append(f"e = t - 1\nlr = {_lr_factor_expr(kw, 'lr0')}")
        _, update = _manual_init_and_update(run.optimizer, kw)
        body.extend(update.rstrip("\n").split("\n"))
    body.append("path.append(params.detach().clone())")
    for b in body:
        lines.extend("    " + part for part in b.split("\n"))
    lines.append("")
    lines.append("print(torch.stack(path)[-1])  # the final point; path[k] is the point after k steps")
    if cls is None:
        why = {
            "newton": "saddle-free Newton has no torch.optim class; the update is written out with the Hessian.",
            "adam": "torch.optim.Adam has no switch for this form (no bias correction / ε inside the root), so "
            "the update is written out.",
            "rmsprop": "torch.optim.RMSprop puts ε outside the root (√v + ε); ε inside (√(v + ε)) is written out.",
        }.get(run.optimizer)
        if why:
            notes.append("PyTorch: " + why)
    if getattr(land, "key", "") == "ackley":
        notes.append("Ackley has a kink at the origin: autograd's gradient there is NaN where the app uses 0.")
    return "\n".join(lines) + "\n", cls, ctor, notes


# --------------------------------------------------------------------------------------------------
# Keras and Optax
# --------------------------------------------------------------------------------------------------
def _lr_text(optimizer: str, kw: dict[str, Any]) -> str:
    """The initial learning rate as code: ``η``, or ``η * (1 - β)`` for the EMA momentum."""
    if optimizer == "momentum" and kw["beta"] != 0:
        return f"{num(kw['lr'])} * (1 - {num(kw['beta'])})"
    return num(kw["lr"])


def keras_code(optimizer: str, kw: dict[str, Any]) -> tuple[str, list[str]]:
    """Keras 3 code for the run's optimizer, schedule and clipping, and notes where Keras differs."""
    notes: list[str] = []
    lr = _lr_text(optimizer, kw)
    sched = {
        "step": f"keras.optimizers.schedules.ExponentialDecay({lr}, decay_steps={num(kw['step_size'])}, "
        f"decay_rate={num(kw['gamma'])}, staircase=True)",
        "exponential": f"keras.optimizers.schedules.ExponentialDecay({lr}, decay_steps=1, "
        f"decay_rate={num(kw['gamma'])})",
        "cosine": f"keras.optimizers.schedules.CosineDecay({lr}, decay_steps={num(kw['T_max'])}, "
        f"alpha={num(kw['eta_min'] / kw['lr'])})",
        "inverse_time": f"keras.optimizers.schedules.InverseTimeDecay({lr}, decay_steps=1, "
        f"decay_rate={num(kw['decay'])})",
    }.get(kw["schedule"])
    if kw["schedule"] == "cosine":
        notes.append("Keras CosineDecay stays at η_min after T steps; PyTorch's (and the app's) cosine rises again.")
    lr_arg = "lr_schedule" if sched else lr
    extra: list[tuple[str, Any]] = []
    if kw["clip_norm"]:
        extra.append(("clipnorm", kw["clip_norm"]))
        notes.append("Keras clipnorm rescales to exactly c (no +1e-6 in the denominator as in clip_grad_norm_).")
    if kw["clip_value"]:
        extra.append(("clipvalue", kw["clip_value"]))
    wd = kw.get("weight_decay", 0.0)
    if wd and optimizer != "adamw":
        notes.append(
            "Keras weight_decay is always decoupled (θ -= ηλθ); the coupled L2 decay on screen would be a loss "
            "term λ/2·‖θ‖² instead."
        )
    if optimizer in ("gd", "sgd", "momentum"):
        mu = kw.get("momentum", 0.0) if optimizer != "momentum" else kw["beta"]
        if optimizer == "momentum":
            notes.append("Keras: the EMA momentum is SGD with momentum β and learning_rate η(1-β).")
        args = [("learning_rate", lr_arg)]
        if mu:
            args.append(("momentum", mu))
        if kw.get("nesterov"):
            args.append(("nesterov", True))
        ctor = f"keras.optimizers.SGD({_kw(args + extra)})"
        if mu:
            notes.append(
                "Keras momentum is v = μv - η·g, θ += v: the same path as PyTorch's (and seed 002's) heavy ball "
                "for a constant η; with a schedule Keras folds η into v, PyTorch applies it outside."
            )
        if kw.get("dampening"):
            notes.append("Keras SGD has no dampening.")
    elif optimizer == "adagrad":
        args = [
            ("learning_rate", lr_arg),
            ("initial_accumulator_value", kw["initial_accumulator_value"]),
            ("epsilon", kw["eps"]),
        ]
        ctor = f"keras.optimizers.Adagrad({_kw(args + extra)})"
        notes.append(
            "Keras Adagrad divides by √(G + ε) (ε inside), defaults to initial_accumulator_value=0.1 and ε=1e-7; "
            "PyTorch: √G + ε, 0, 1e-10. Keras has no lr_decay."
        )
    elif optimizer == "rmsprop":
        args = [
            ("learning_rate", lr_arg),
            ("rho", kw["alpha"]),
            ("momentum", kw["momentum"]),
            ("epsilon", kw["eps"]),
            ("centered", kw["centered"]),
        ]
        ctor = f"keras.optimizers.RMSprop({_kw(args + extra)})"
        notes.append(
            "Keras RMSprop puts ε inside the root, √(v + ε), and defaults to ρ=0.9, ε=1e-7; PyTorch: √v + ε, "
            "α=0.99, ε=1e-8."
        )
    elif optimizer == "adadelta":
        args = [("learning_rate", lr_arg), ("rho", kw["rho"]), ("epsilon", kw["eps"])]
        ctor = f"keras.optimizers.Adadelta({_kw(args + extra)})"
        notes.append("Keras Adadelta defaults to learning_rate=0.001 and ε=1e-7 (PyTorch: 1.0 and 1e-6).")
    elif optimizer in ("adam", "adamw", "nadam", "adamax"):
        name = {"adam": "Adam", "adamw": "AdamW", "nadam": "Nadam", "adamax": "Adamax"}[optimizer]
        args = [("learning_rate", lr_arg), ("beta_1", kw["beta1"]), ("beta_2", kw["beta2"]), ("epsilon", kw["eps"])]
        if optimizer == "adamw":
            args.append(("weight_decay", wd))
        if kw.get("amsgrad"):
            args.append(("amsgrad", True))
        ctor = f"keras.optimizers.{name}({_kw(args + extra)})"
        if optimizer in ("adam", "adamw"):
            notes.append(
                "Keras Adam's ε is 'epsilon hat' (PyTorch's ε/√(1-β₂^t)): the same ε value gives slightly "
                "different early steps; Keras' default ε is 1e-7 (PyTorch 1e-8)."
            )
        if optimizer == "nadam":
            notes.append("Keras Nadam has no momentum_decay; its momentum schedule uses a fixed 0.004.")
        if not kw.get("bias_correction", True):
            notes.append("Keras Adam always corrects the bias; the uncorrected form on screen has no Keras switch.")
    elif optimizer == "radam":
        ctor = "None  # Keras 3 has no RAdam"
        notes.append("Keras 3 has no RAdam.")
    else:  # newton
        ctor = "None  # Keras has no (saddle-free) Newton optimizer"
    code = "import keras\n\n"
    if sched:
        code += f"lr_schedule = {sched}\n"
    code += f"opt = {ctor}\n"
    if not ctor.startswith("None"):
        code += "# each step: opt.apply([grad], [params])  (params: a keras.Variable of shape (2,))\n"
    return code, notes


def optax_code(optimizer: str, kw: dict[str, Any]) -> tuple[str, list[str]]:
    """Optax code for the run's optimizer, schedule and clipping, and notes where Optax differs."""
    notes: list[str] = []
    lr = _lr_text(optimizer, kw)
    sched = {
        "step": f"optax.exponential_decay({lr}, transition_steps={num(kw['step_size'])}, "
        f"decay_rate={num(kw['gamma'])}, staircase=True)",
        "exponential": f"optax.exponential_decay({lr}, transition_steps=1, decay_rate={num(kw['gamma'])})",
        "cosine": f"optax.cosine_decay_schedule({lr}, decay_steps={num(kw['T_max'])}, "
        f"alpha={num(kw['eta_min'] / kw['lr'])})",
        "inverse_time": f"lambda count: {lr} / (1 + {num(kw['decay'])} * count)",
    }.get(kw["schedule"])
    if kw["schedule"] == "cosine":
        notes.append("optax.cosine_decay_schedule stays at η_min after T steps; the app's cosine rises again.")
    lr_arg = "lr_schedule" if sched else lr
    chain: list[str] = []
    if kw["clip_value"]:
        chain.append(f"optax.clip({num(kw['clip_value'])})")
    if kw["clip_norm"]:
        chain.append(f"optax.clip_by_global_norm({num(kw['clip_norm'])})")
        notes.append("optax.clip_by_global_norm has no +1e-6 in the denominator (PyTorch's clip_grad_norm_ does).")
    wd = kw.get("weight_decay", 0.0)
    if wd and optimizer not in ("adamw",):
        chain.append(f"optax.add_decayed_weights({num(wd)})")
        notes.append("optax.add_decayed_weights before the update is the coupled L2 decay (g += λθ).")
    if optimizer in ("gd", "sgd", "momentum"):
        mu = kw.get("momentum", 0.0) if optimizer != "momentum" else kw["beta"]
        args = [("learning_rate", lr_arg)]
        if mu:
            args.append(("momentum", mu))
        if kw.get("nesterov"):
            args.append(("nesterov", True))
        core = f"optax.sgd({_kw(args)})"
        if optimizer == "momentum":
            notes.append("Optax: the EMA momentum is optax.sgd with momentum β and learning_rate η(1-β).")
        if kw.get("dampening"):
            notes.append("optax.sgd has no dampening.")
    elif optimizer == "adagrad":
        core = f"optax.adagrad({_kw([('learning_rate', lr_arg), ('initial_accumulator_value', kw['initial_accumulator_value']), ('eps', kw['eps'])])})"  # noqa: E501
        notes.append("optax.adagrad divides by √(G + ε) and defaults to initial_accumulator_value=0.1, ε=1e-7.")
    elif optimizer == "rmsprop":
        args = [("learning_rate", lr_arg), ("decay", kw["alpha"]), ("eps", kw["eps"]), ("centered", kw["centered"])]
        if kw["momentum"]:
            args.append(("momentum", kw["momentum"]))
        args.append(("eps_in_sqrt", kw["eps_inside"]))
        core = f"optax.rmsprop({_kw(args)})"
        notes.append(
            "optax.rmsprop defaults to decay=0.9 and ε inside the root (eps_in_sqrt=True); PyTorch: 0.99, √v + ε."
        )
    elif optimizer == "adadelta":
        core = f"optax.adadelta({_kw([('learning_rate', lr_arg), ('rho', kw['rho']), ('eps', kw['eps'])])})"
    elif optimizer in ("adam", "adamw", "nadam", "radam", "adamax"):
        args = [("learning_rate", lr_arg), ("b1", kw["beta1"]), ("b2", kw["beta2"]), ("eps", kw["eps"])]
        if optimizer == "adamw":
            args.append(("weight_decay", wd))
        if kw.get("amsgrad"):
            core = f"optax.amsgrad({_kw(args)})"
            notes.append("optax.amsgrad takes the max of the bias-corrected v̂; PyTorch of the raw v.")
        else:
            core = f"optax.{optimizer}({_kw(args)})"
        if optimizer == "nadam":
            notes.append("optax.nadam has no momentum_decay warm-up (PyTorch's μ_t schedule).")
        if kw.get("eps_inside"):
            notes.append("optax.adam has eps_root (ε added under the root of v̂) for the ε-inside form.")
        if not kw.get("bias_correction", True):
            notes.append("optax.adam always corrects the bias.")
    else:
        core = "None  # no saddle-free Newton in Optax"
    code = "import optax\n\n"
    if sched:
        code += f"lr_schedule = {sched}\n"
    if chain and not core.startswith("None"):
        code += "opt = optax.chain(\n" + "".join(f"    {c},\n" for c in [*chain, core]) + ")\n"
    else:
        code += f"opt = {core}\n"
    if not core.startswith("None"):
        code += (
            "state = opt.init(params)  # params = jnp.array([x0, y0])\n"
            "# each step: updates, state = opt.update(grads, state, params)\n"
            "#            params = optax.apply_updates(params, updates)\n"
        )
    if kw["noise"]:
        notes.append("Optax: add the gradient noise σ·N(0, 1) yourself (optax.add_noise decays its variance).")
    return code, notes


def run_code(scene: Scene, land: landscapes.Landscape, run: Run, label: str = "") -> RunCode:
    """All the code of one run (see :class:`RunCode`)."""
    torch_src, cls, ctor, notes = pytorch_code(scene, land, run, label)
    _grad, kw = run_inputs(scene, land, run)
    keras_src, k_notes = keras_code(run.optimizer, kw)
    optax_src, o_notes = optax_code(run.optimizer, kw)
    all_notes = [*notes, *(f"Keras: {n}" if not n.startswith("Keras") else n for n in k_notes)]
    all_notes += [n if n.lower().startswith("optax") else f"Optax: {n}" for n in o_notes]
    return RunCode(
        label=label or optimizers.spec(run.optimizer).label,
        pytorch=torch_src,
        keras=keras_src,
        optax=optax_src,
        notes=tuple(dict.fromkeys(all_notes)),
        torch_class=cls,
        torch_kwargs=ctor,
    )


def scene_code(scene: Scene, land: landscapes.Landscape, labels: list[str] | None = None) -> list[RunCode]:
    """The code of every run of ``scene`` on ``land`` (labels as in the legend, when given)."""
    labels = labels or [optimizers.spec(r.optimizer).label for r in scene.runs]
    return [run_code(scene, land, r, lab) for r, lab in zip(scene.runs, labels, strict=True)]
