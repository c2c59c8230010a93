"""The generated framework code: the PyTorch constructor, scheduler and clipping calls carry exactly the
settings the core ran (parsed with ``ast``; torch is never imported and the scripts are never run)."""

from __future__ import annotations

import ast
import math
import operator
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs

import numpy as np
import pytest

import codegen
import landscapes
import optimizers
from scene import Run, Scene, decode, make_landscape
from simulate import run_inputs

# PyTorch 2.x defaults (REFERENCE.md's table), written out here independently of codegen.
DEFAULTS = {
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
CLASS = {"gd": "SGD", "momentum": "SGD", "sgd": "SGD", "adagrad": "Adagrad", "rmsprop": "RMSprop",
         "adadelta": "Adadelta", "adam": "Adam", "adamw": "AdamW", "nadam": "NAdam", "radam": "RAdam",
         "adamax": "Adamax"}  # fmt: skip

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def lit(node: ast.AST) -> Any:
    """Evaluate a literal with + - * / and tuples (the generated keywords), nothing else."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple):
        return tuple(lit(e) for e in node.elts)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -lit(node.operand)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](lit(node.left), lit(node.right))
    raise AssertionError(f"not a literal: {ast.dump(node)}")


def dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return dotted(node.value) + "." + node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def calls(tree: ast.AST, prefix: str) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and dotted(n.func).startswith(prefix)]


def expected_torch(optimizer: str, kw: dict[str, Any]) -> dict[str, Any]:
    """The torch constructor keywords that reproduce a run with the core's ``kw`` (all of them)."""
    if optimizer == "gd":
        return {"lr": kw["lr"], **DEFAULTS["SGD"]}
    if optimizer == "momentum":  # v = (1-β)·b with b the heavy-ball buffer
        return {**DEFAULTS["SGD"], "lr": kw["lr"] * (1 - kw["beta"]), "momentum": kw["beta"]}
    cls = CLASS[optimizer]
    out = {"lr": kw["lr"]}
    for k in DEFAULTS[cls]:
        out[k] = (kw["beta1"], kw["beta2"]) if k == "betas" else kw[k]
    return out


def parsed(scene: Scene, run: Run) -> tuple[ast.Module, dict[str, Any], str]:
    land, _ = make_landscape(scene)
    code, _cls, _ctor, _notes = codegen.pytorch_code(scene, land, run)
    tree = ast.parse(code)
    _grad, kw = run_inputs(scene, land, run)
    return tree, kw, code


SCENES = [
    "ls=quadratic&r=gd~lr:0.15",
    "ls=rosenbrock&r=adam~lr:0.05~beta1:0.8~beta2:0.99~eps:1e-6~amsgrad:1",
    "ls=rosenbrock&r=rmsprop~lr:0.01~alpha:0.9~centered:1~momentum:0.5~weight_decay:0.01",
    "ls=booth&r=sgd~lr:0.01~momentum:0.9~nesterov:1~weight_decay:0.001",
    "ls=booth&r=sgd~lr:0.01~momentum:0.8~dampening:0.3",
    "ls=himmelblau&r=momentum~lr:0.02~beta:0.8~schedule:step~step_size:50~gamma:0.3",
    "ls=himmelblau&r=adagrad~lr:0.5~lr_decay:0.01~initial_accumulator_value:0.1~schedule:exponential~gamma:0.99",
    "ls=beale&r=adamw~lr:0.01~weight_decay:0.1~schedule:cosine~T_max:80~eta_min:0.001",
    "ls=beale&r=adamw~lr:0.01",
    "ls=matyas&r=nadam~lr:0.01~momentum_decay:0.01~schedule:inverse_time~decay:0.05",
    "ls=matyas&r=radam~lr:0.02~clip_norm:1~clip_value:0.5",
    "ls=matyas&r=adamax~lr:0.02~noise:0.3&seed=7",
    "ls=rnn-cliff&r=gd~lr:0.05~clip_norm:1",
    "ls=rnn-cliff&r=adadelta~rho:0.95~eps:1e-5",
    "ls=rosenbrock&lr=0.003&r=adam&r=sgd~momentum:0.9&r=momentum",  # the shared η overrides every run's
]


@pytest.mark.parametrize("query", SCENES)
def test_torch_constructor_is_what_the_core_ran(query: str) -> None:
    scene, msgs = decode(parse_qs(query))
    assert not msgs, msgs
    for run in scene.runs:
        tree, kw, code = parsed(scene, run)
        ctor = calls(tree, "torch.optim.")
        ctor = [c for c in ctor if not dotted(c.func).startswith("torch.optim.lr_scheduler")]
        assert len(ctor) == 1, code
        cls = dotted(ctor[0].func).removeprefix("torch.optim.")
        assert cls == CLASS[run.optimizer]
        assert [dotted(a) for a in ctor[0].args] == [] or isinstance(ctor[0].args[0], ast.List)
        given = {k.arg: lit(k.value) for k in ctor[0].keywords}
        assert "lr" in given
        full = {**DEFAULTS[cls], **given}
        want = expected_torch(run.optimizer, kw)
        assert set(full) == set(want)
        for k, v in want.items():
            if isinstance(v, tuple):
                assert full[k] == pytest.approx(v, rel=1e-15), (k, code)
            else:
                assert full[k] == pytest.approx(v, rel=1e-15), (k, code)
                assert isinstance(full[k], bool) == isinstance(v, bool), k

        # the scheduler, exactly as the core's schedule
        sched = calls(tree, "torch.optim.lr_scheduler.")
        kind = kw["schedule"]
        if kind == "none":
            assert not sched
        else:
            assert len(sched) == 1
            name = dotted(sched[0].func).rsplit(".", 1)[1]
            args = {k.arg: k.value for k in sched[0].keywords}
            assert name == {"step": "StepLR", "exponential": "ExponentialLR", "cosine": "CosineAnnealingLR",
                            "inverse_time": "LambdaLR"}[kind]  # fmt: skip
            if kind == "step":
                assert lit(args["step_size"]) == kw["step_size"] and lit(args["gamma"]) == kw["gamma"]
            elif kind == "exponential":
                assert lit(args["gamma"]) == kw["gamma"]
            elif kind == "cosine":
                assert lit(args["T_max"]) == kw["T_max"] and lit(args["eta_min"]) == kw["eta_min"]
            else:
                lam = args["lr_lambda"]
                assert isinstance(lam, ast.Lambda)
                assert str(kw["decay"]) in ast.unparse(lam.body)
            # the scheduler steps after the optimizer, inside the loop
            loop = next(n for n in ast.walk(tree) if isinstance(n, ast.For))
            order = [dotted(c.func) for c in ast.walk(loop) if isinstance(c, ast.Call)]
            assert order.index("opt.step") < order.index("scheduler.step")

        # clipping and noise
        clip_n = calls(tree, "torch.nn.utils.clip_grad_norm_")
        clip_v = calls(tree, "torch.nn.utils.clip_grad_value_")
        assert bool(clip_n) == bool(kw["clip_norm"]) and bool(clip_v) == bool(kw["clip_value"])
        if clip_n:
            assert lit(clip_n[0].keywords[0].value) == kw["clip_norm"]
        if clip_v:
            assert lit(clip_v[0].keywords[0].value) == kw["clip_value"]
        assert ("noise_rng" in code) == bool(kw["noise"])
        if kw["noise"]:
            assert f"default_rng({scene.seed})" in code

        # the start point and the number of steps
        start = scene.start if scene.start is not None else make_landscape(scene)[0].start
        (tensor,) = [n.value for n in tree.body if isinstance(n, ast.Assign) and dotted(n.targets[0]) == "params"]
        assert lit(tensor.args[0].elts[0]) == float(start[0]) and lit(tensor.args[0].elts[1]) == float(start[1])
        loop = next(n for n in ast.walk(tree) if isinstance(n, ast.For))
        assert lit(loop.iter.args[1]) - lit(loop.iter.args[0]) == scene.steps


def test_hand_written_updates_for_forms_without_a_torch_class() -> None:
    scene = Scene(landscape="booth", runs=(Run.make("adam", lr=0.1, bias_correction=False),
                                           Run.make("adam", lr=0.1, eps_inside=True, eps=1e-4),
                                           Run.make("rmsprop", lr=0.1, eps_inside=True),
                                           Run.make("newton", lr=0.5, damping=0.01)))  # fmt: skip
    for run in scene.runs:
        tree, kw, code = parsed(scene, run)
        assert not [c for c in calls(tree, "torch.optim.") if "lr_scheduler" not in dotted(c.func)]
        assert f"lr0 = {kw['lr']!r}" in code
    _, _, code = parsed(scene, scene.runs[0])
    assert "m_hat, v_hat = m, v" in code
    _, _, code = parsed(scene, scene.runs[1])
    assert "torch.sqrt(v_hat + 0.0001)" in code
    _, _, code = parsed(scene, scene.runs[2])
    assert "torch.sqrt(v + 1e-08)" in code
    _, _, code = parsed(scene, scene.runs[3])
    assert "min=0.01" in code and "eigh" in code


def test_ema_momentum_is_rescaled_sgd_not_dampening() -> None:
    """The note's claim, checked with the core's PyTorch-exact SGD (golden-tested against torch)."""
    land = landscapes.get("rosenbrock")
    x0 = np.array([-1.5, 2.0])
    ema = optimizers.run("momentum", land.gradient, x0, 200, lr=0.002, beta=0.9)
    rescaled = optimizers.run("sgd", land.gradient, x0, 200, lr=0.002 * (1 - 0.9), momentum=0.9)
    damped = optimizers.run("sgd", land.gradient, x0, 200, lr=0.002, momentum=0.9, dampening=0.1)
    np.testing.assert_allclose(rescaled, ema, rtol=1e-9, atol=1e-12)
    # dampening = 1-β: PyTorch's first step is not dampened, so it is 1/(1-β) = 10 times longer
    assert np.linalg.norm(damped[1] - x0) == pytest.approx(10 * np.linalg.norm(ema[1] - x0), rel=1e-12)


def _numpy_torch() -> SimpleNamespace:
    """Just enough of torch's names, backed by NumPy, to evaluate the generated loss functions."""
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    return SimpleNamespace(
        sin=np.sin, cos=np.cos, tan=np.tan, exp=np.exp, log=np.log, log10=np.log10, log2=np.log2, sqrt=np.sqrt,
        abs=np.abs, sign=np.sign, tanh=np.tanh, sinh=np.sinh, cosh=np.cosh, atan=np.arctan, asin=np.arcsin,
        acos=np.arccos, sigmoid=sig, float64=float, tensor=lambda v, dtype=None: np.asarray(v, dtype=float),
        from_numpy=np.asarray, nn=SimpleNamespace(functional=SimpleNamespace(softplus=lambda z: np.logaddexp(0, z))),
    )  # fmt: skip


@pytest.mark.parametrize("key", [*landscapes.names(), "custom"])
def test_loss_code_is_the_landscape(key: str) -> None:
    """The generated ``loss_fn`` (only it, evaluated with NumPy in place of torch) equals the landscape."""
    if key == "custom":
        land = landscapes.from_formula("x^2 + sin(y)*2^x - cbrt(x*y) + exp(-(x-1)^2)/3", bounds=((-2, 2), (-2, 2)))
    else:
        land = landscapes.get(key)
    code, _ = codegen.loss_code(land)
    tree = ast.parse(code)
    ns: dict[str, Any] = {"torch": _numpy_torch(), "np": np, "math": math}
    exec(compile(tree, "<loss>", "exec"), ns)  # only the loss definition, with NumPy standing in for torch
    (x0, x1), (y0, y1) = land.bounds
    rng = np.random.default_rng(1)
    pts = np.column_stack([rng.uniform(x0, x1, 20), rng.uniform(y0, y1, 20)])
    got = np.array([ns["loss_fn"](p) for p in pts], dtype=float)
    np.testing.assert_allclose(got, land.value(pts), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("name", optimizers.names())
def test_every_snippet_parses(name: str) -> None:
    scene = Scene(landscape="logistic-regression", runs=(Run.make(name, batch_size=8, noise=0.1, clip_norm=2.0),))
    land, _ = make_landscape(scene)
    (rc,) = codegen.scene_code(scene, land)
    for src in (rc.pytorch, rc.keras, rc.optax):
        ast.parse(src)
    assert "batch_rng.integers(0, 200, size=(1, 8))" in rc.pytorch
    assert rc.notes or name in ("gd", "sgd", "adamax", "radam")


def test_notes_name_the_convention_differences() -> None:
    scene = Scene(landscape="booth", runs=(Run.make("rmsprop"), Run.make("adam"), Run.make("sgd", momentum=0.9)))
    land, _ = make_landscape(scene)
    rms, adam, sgd = codegen.scene_code(scene, land)
    assert any("ε inside the root" in n and "0.99" in n for n in rms.notes)
    assert any("epsilon hat" in n for n in adam.notes)
    assert any("v = μv - η·g" in n for n in sgd.notes)
