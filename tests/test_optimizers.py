"""Tests of the optimizer core: the API contract, hand calculations, batching, divergence, validation.

Gradients are defined here (the optimizer package never sees a landscape). Expected numbers come from
hand calculation (seed 002's worked example, REFERENCE.md's formulas), never from this package's output.
"""

from __future__ import annotations

import math
import subprocess
import sys
import tracemalloc
import warnings

import numpy as np
import pytest

import optimizers
from optimizers import COMMON, HyperParam, OptimizerSpec

NAMES = optimizers.names()


# --- local surfaces ------------------------------------------------------------------------------
def loss_quadratic(p: np.ndarray) -> np.ndarray:  # a tilted, ill-conditioned bowl, minimum 0 at the origin
    x, y = p[..., 0], p[..., 1]
    return x * x + 10 * y * y + 2 * x * y


def grad_quadratic(p: np.ndarray) -> np.ndarray:
    x, y = p[..., 0], p[..., 1]
    return np.stack([2 * x + 2 * y, 20 * y + 2 * x], axis=-1)


def hess_quadratic(p: np.ndarray) -> np.ndarray:
    return np.broadcast_to(np.array([[2.0, 2.0], [2.0, 20.0]]), (*p.shape, 2)).copy()


def loss_rosenbrock(p: np.ndarray) -> np.ndarray:
    x, y = p[..., 0], p[..., 1]
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def grad_rosenbrock(p: np.ndarray) -> np.ndarray:
    x, y = p[..., 0], p[..., 1]
    return np.stack([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)], axis=-1)


def hess_rosenbrock(p: np.ndarray) -> np.ndarray:
    x, y = p[..., 0], p[..., 1]
    hxx = 2 - 400 * (y - 3 * x * x)
    hxy = -400 * x
    hyy = 200 + 0 * x
    return np.stack([np.stack([hxx, hxy], -1), np.stack([hxy, hyy], -1)], -2)


def grad_square(p: np.ndarray) -> np.ndarray:
    """L(w) = w² in the first coordinate (seed 002's example), the second coordinate is flat."""
    return np.stack([2 * p[..., 0], 0 * p[..., 1]], axis=-1)


def extra(name: str, hess=None) -> dict:
    return {"hess": hess} if optimizers.spec(name).needs_hessian else {}


# --- API and specs -------------------------------------------------------------------------------
def test_registry_has_every_required_optimizer() -> None:
    required = {"gd", "momentum", "sgd", "adagrad", "rmsprop", "adam", "adamw", "nadam", "radam", "adamax"}
    required |= {"adadelta", "newton"}
    assert required <= set(NAMES)
    assert len(NAMES) == len(set(NAMES))


def test_specs_are_complete() -> None:
    for name in NAMES:
        s = optimizers.spec(name)
        assert isinstance(s, OptimizerSpec)
        assert s.name == name
        assert s.label and s.latex and s.family and s.keeps and s.best_for
        assert len(s.description) > 200, name  # one real paragraph
        assert "$$" not in s.latex
        assert s.pros and s.cons
        assert s.hyperparameters[0].name == "lr" and s.hyperparameters[0].symbol == "η"
        for hp in s.hyperparameters:
            assert isinstance(hp, HyperParam)
            assert hp.symbol and hp.help
            if hp.kind in ("float", "int"):
                assert hp.low is not None and hp.high is not None and hp.low <= hp.default <= hp.high, (name, hp)
                assert not hp.log or hp.low > 0
            elif hp.kind == "bool":
                assert isinstance(hp.default, bool) and hp.low is None and hp.high is None
            else:
                assert hp.kind == "choice" and hp.default in hp.choices
        assert len({hp.name for hp in s.hyperparameters}) == len(s.hyperparameters)
        assert not ({hp.name for hp in s.hyperparameters} & {hp.name for hp in COMMON})


def test_pytorch_defaults_and_keyword_names() -> None:
    # REFERENCE.md's table of PyTorch defaults.
    expected = {
        "sgd": {"lr": 1e-3, "momentum": 0.0, "dampening": 0.0, "nesterov": False, "weight_decay": 0.0},
        "adagrad": {"lr": 1e-2, "lr_decay": 0.0, "weight_decay": 0.0, "initial_accumulator_value": 0.0, "eps": 1e-10},
        "rmsprop": {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0, "momentum": 0.0, "centered": False},
        "adam": {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0, "amsgrad": False},
        "adamw": {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 1e-2, "amsgrad": False},
        "nadam": {"lr": 2e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "momentum_decay": 4e-3},
        "radam": {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
        "adamax": {"lr": 2e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
        "adadelta": {"lr": 1.0, "rho": 0.9, "eps": 1e-6, "weight_decay": 0.0},
    }
    torch_class = {"sgd": "SGD", "adagrad": "Adagrad", "rmsprop": "RMSprop", "adam": "Adam", "adamw": "AdamW"}
    torch_class |= {"nadam": "NAdam", "radam": "RAdam", "adamax": "Adamax", "adadelta": "Adadelta"}
    for name, defaults in expected.items():
        s = optimizers.spec(name)
        assert s.pytorch == torch_class[name]
        got = {hp.name: hp.default for hp in s.hyperparameters}
        for k, v in defaults.items():
            assert got[k] == v, (name, k)
    for name in ("gd", "momentum", "newton"):
        assert optimizers.spec(name).pytorch is None
    assert optimizers.spec("newton").needs_hessian
    assert optimizers.spec("newton").defaults["lr"] == 1.0
    assert [hp.name for hp in optimizers.spec("momentum").hyperparameters] == ["lr", "beta"]
    assert optimizers.spec("momentum").hyperparameter("beta").default == 0.9
    assert [hp.name for hp in optimizers.spec("gd").hyperparameters] == ["lr"]


def test_adam_family_betas_and_flags() -> None:
    for name in ("adam", "adamw", "nadam", "radam", "adamax"):
        s = optimizers.spec(name)
        assert s.hyperparameter("beta1").symbol == "β₁"
        assert s.hyperparameter("beta2").symbol == "β₂"
    flags = {
        "sgd": ["nesterov"],
        "rmsprop": ["centered", "eps_inside"],
        "adam": ["amsgrad", "bias_correction", "eps_inside"],
        "adamw": ["amsgrad"],
    }
    for name, fl in flags.items():
        for f in fl:
            assert optimizers.spec(name).hyperparameter(f).kind == "bool"
    assert optimizers.spec("adam").hyperparameter("bias_correction").default is True
    assert optimizers.spec("adam").hyperparameter("eps_inside").default is False
    assert optimizers.spec("rmsprop").hyperparameter("eps_inside").default is False


def test_common_transforms() -> None:
    common = {hp.name: hp for hp in COMMON}
    assert set(common) == {"noise", "seed", "clip_norm", "clip_value", "schedule", "step_size", "gamma"} | {
        "T_max",
        "eta_min",
        "decay",
    }
    assert common["schedule"].kind == "choice"
    assert set(common["schedule"].choices) == {"none", "step", "exponential", "cosine", "inverse_time"}
    assert common["seed"].kind == "int"
    assert common["noise"].default == 0


def test_every_spec_default_is_accepted_explicitly() -> None:
    x0 = np.array([0.5, 0.5])
    for name in NAMES:
        kw = {hp.name: hp.default for hp in (*optimizers.spec(name).hyperparameters, *COMMON)}
        a = optimizers.run(name, grad_quadratic, x0, 5, **kw, **extra(name, hess_quadratic))
        b = optimizers.run(name, grad_quadratic, x0, 5, **extra(name, hess_quadratic))
        np.testing.assert_array_equal(a, b)


def test_unknown_optimizer() -> None:
    with pytest.raises((KeyError, ValueError)):
        optimizers.spec("sgdd")
    with pytest.raises((KeyError, ValueError)):
        optimizers.run("nope", grad_quadratic, np.zeros(2), 3)


def test_core_imports_no_ui_torch_or_landscapes() -> None:
    code = (
        "import sys, optimizers; "
        "bad = [m for m in ('streamlit', 'plotly', 'torch', 'landscapes') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr


# --- seed 002's worked example: L(w) = w², w0 = 4, η = 0.1 ------------------------------------------
X0 = np.array([4.0, 0.0])


def test_seed_002_gradient_descent() -> None:
    path = optimizers.run("gd", grad_square, X0, 2, lr=0.1)
    assert path[1, 0] == pytest.approx(3.2, abs=1e-12)
    assert path[2, 0] == pytest.approx(2.56, abs=1e-12)
    np.testing.assert_array_equal(path[:, 1], 0.0)


def test_seed_002_momentum_is_pytorch_sgd_with_momentum() -> None:
    # v = βv + ηg; w -= v  (= PyTorch SGD momentum=0.9): 3.2, then v = 0.72 + 0.64 = 1.36 -> 1.84.
    path = optimizers.run("sgd", grad_square, X0, 2, lr=0.1, momentum=0.9)
    assert path[1, 0] == pytest.approx(3.2, abs=1e-12)
    assert path[2, 0] == pytest.approx(1.84, abs=1e-12)


def test_seed_002_ema_momentum_formula() -> None:
    # The seed's stated formula v = βv + (1-β)g, w -= ηv: v1 = 0.8, w1 = 3.92; g2 = 7.84,
    # v2 = 0.72 + 0.784 = 1.504, w2 = 3.92 - 0.1504 = 3.7696. Its first step is (1-β) times smaller.
    path = optimizers.run("momentum", grad_square, X0, 2, lr=0.1, beta=0.9)
    assert path[1, 0] == pytest.approx(3.92, abs=1e-12)
    assert path[2, 0] == pytest.approx(3.7696, abs=1e-12)


def test_seed_002_rmsprop() -> None:
    # β = 0.9 (PyTorch alpha), ε = 1e-8 outside the root. Step 1: v = 6.4, w = 4 - 0.8/√6.4 = 3.683772…
    # The seed prints 3.48 for step 2 because it reuses GD's gradient 6.4; the gradient at 3.683772 is
    # 7.367544, so v = 0.9·6.4 + 0.1·7.367544² and w = 3.463507…, which is what we test.
    w1 = 4 - 0.1 * 8 / (math.sqrt(6.4) + 1e-8)
    g2 = 2 * w1
    v2 = 0.9 * 6.4 + 0.1 * g2 * g2
    w2 = w1 - 0.1 * g2 / (math.sqrt(v2) + 1e-8)
    assert w1 == pytest.approx(3.683772, abs=1e-6)
    assert w2 == pytest.approx(3.463507, abs=1e-6)
    path = optimizers.run("rmsprop", grad_square, X0, 2, lr=0.1, alpha=0.9, eps=1e-8)
    assert path[1, 0] == pytest.approx(w1, rel=1e-14)
    assert path[2, 0] == pytest.approx(w2, rel=1e-14)
    assert abs(path[2, 0] - 3.48) > 0.01  # not the seed's misprint


def test_seed_002_adam() -> None:
    # m̂1 = 8, v̂1 = 64: w = 4 - 0.1·8/(8 + 1e-8) = 3.9.
    path = optimizers.run("adam", grad_square, X0, 1, lr=0.1)
    assert path[1, 0] == pytest.approx(3.9, abs=1e-9)
    path = optimizers.run("adam", grad_square, X0, 1, lr=0.1, betas=(0.9, 0.999))
    assert path[1, 0] == pytest.approx(3.9, abs=1e-9)


def test_adam_textbook_switches() -> None:
    # Seed 000's formula, no bias correction: m = 0.8, v = 0.064, w = 4 - 0.1·0.8/(√0.064 + ε).
    path = optimizers.run("adam", grad_square, X0, 1, lr=0.1, bias_correction=False)
    assert path[1, 0] == pytest.approx(4 - 0.08 / (math.sqrt(0.064) + 1e-8), rel=1e-14)
    # ε inside the root (seed 003), with a visible ε: w = 4 - 0.1·8/√(64 + 36).
    path = optimizers.run("adam", grad_square, X0, 1, lr=0.1, eps=36.0, eps_inside=True)
    assert path[1, 0] == pytest.approx(4 - 0.8 / 10, rel=1e-14)
    path = optimizers.run("adam", grad_square, X0, 1, lr=0.1, eps=36.0)
    assert path[1, 0] == pytest.approx(4 - 0.8 / (8 + 36), rel=1e-14)
    # Both: w = 4 - 0.1·0.8/√(0.064 + 0.036).
    path = optimizers.run("adam", grad_square, X0, 1, lr=0.1, eps=0.036, eps_inside=True, bias_correction=False)
    assert path[1, 0] == pytest.approx(4 - 0.08 / math.sqrt(0.1), rel=1e-14)


def test_rmsprop_eps_inside() -> None:
    # v = 0.1·64 = 6.4; inside: 4 - 0.8/√(6.4 + 9.6) = 3.8; outside: 4 - 0.8/(√6.4 + 9.6).
    path = optimizers.run("rmsprop", grad_square, X0, 1, lr=0.1, alpha=0.9, eps=9.6, eps_inside=True)
    assert path[1, 0] == pytest.approx(3.8, rel=1e-14)
    path = optimizers.run("rmsprop", grad_square, X0, 1, lr=0.1, alpha=0.9, eps=9.6)
    assert path[1, 0] == pytest.approx(4 - 0.8 / (math.sqrt(6.4) + 9.6), rel=1e-14)


# --- shapes, batching ----------------------------------------------------------------------------
def test_path_shape_and_row_zero() -> None:
    x0 = np.array([[[1.0, 2.0], [0.5, -1.0], [0.0, 0.3]], [[2.0, 1.0], [-1.0, 1.0], [0.2, 0.2]]])
    for name in NAMES:
        path = optimizers.run(name, grad_quadratic, x0, 7, **extra(name, hess_quadratic))
        assert path.shape == (8, 2, 3, 2)
        assert path.dtype == np.float64
        np.testing.assert_array_equal(path[0], x0)
    single = optimizers.run("adam", grad_quadratic, [1.0, 2.0], 3)
    assert single.shape == (4, 2)
    assert optimizers.run("gd", grad_quadratic, x0, 0).shape == (1, 2, 3, 2)


def _variant_kwargs(name: str) -> list[dict]:
    """A few non-default settings per optimizer, with per-run learning rates."""
    base: dict[str, list[dict]] = {
        "sgd": [{"momentum": 0.9, "nesterov": True}, {"momentum": 0.5, "dampening": 0.3, "weight_decay": 0.1}],
        "rmsprop": [{"centered": True, "momentum": 0.5}, {"eps_inside": True, "weight_decay": 0.1}],
        "adam": [{"amsgrad": True, "weight_decay": 0.1}, {"bias_correction": False, "eps_inside": True}],
        "adamw": [{"amsgrad": True}],
        "adagrad": [{"lr_decay": 0.1, "initial_accumulator_value": 0.5}],
    }
    return [{}, *base.get(name, [])]


@pytest.mark.parametrize("name", NAMES)
def test_batch_equals_runs_one_at_a_time(name: str) -> None:
    x0 = np.array([[1.2, 0.8], [-0.5, 0.6], [0.3, -0.9], [1.0, 1.0]])
    lrs = np.array([1e-3, 3e-3, 1e-2, 2e-2])
    if name in ("newton", "adadelta"):
        lrs = np.array([0.2, 0.5, 0.8, 1.0])
    common = {"schedule": "cosine", "T_max": 20, "clip_norm": np.array([0.0, 5.0, 50.0, 1.0])}
    for kw in _variant_kwargs(name):
        batch = optimizers.run(name, grad_rosenbrock, x0, 30, lr=lrs, **common, **kw, **extra(name, hess_rosenbrock))
        assert np.all(np.isfinite(batch))
        for i in range(len(x0)):
            one_kw = {k: (v[i] if isinstance(v, np.ndarray) else v) for k, v in common.items()}
            one = optimizers.run(
                name, grad_rosenbrock, x0[i], 30, lr=lrs[i], **one_kw, **kw, **extra(name, hess_rosenbrock)
            )
            np.testing.assert_allclose(batch[:, i], one, rtol=1e-13, atol=1e-15, err_msg=f"{name} {kw} run {i}")


def test_grid_of_settings_broadcasts() -> None:
    # A (3 lr) × (2 β1) grid from one start point: lr has shape (3, 1), β1 shape (2,), x0 shape (3, 2, 2).
    lr = np.array([[1e-3], [1e-2], [1e-1]])
    b1 = np.array([0.5, 0.9])
    x0 = np.broadcast_to(np.array([1.0, 1.0]), (3, 2, 2))
    grid = optimizers.run("adam", grad_quadratic, x0, 20, lr=lr, betas=(b1, 0.999))
    for i in range(3):
        for j in range(2):
            one = optimizers.run("adam", grad_quadratic, [1.0, 1.0], 20, lr=float(lr[i, 0]), beta1=float(b1[j]))
            np.testing.assert_allclose(grid[:, i, j], one, rtol=1e-13, atol=1e-15)
    with pytest.raises(ValueError, match="lr"):
        optimizers.run("adam", grad_quadratic, x0, 2, lr=np.ones(4))


def test_betas_and_beta1_beta2_agree() -> None:
    a = optimizers.run("nadam", grad_quadratic, [1.0, 1.0], 25, betas=(0.8, 0.99))
    b = optimizers.run("nadam", grad_quadratic, [1.0, 1.0], 25, beta1=0.8, beta2=0.99)
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError):
        optimizers.run("adam", grad_quadratic, [1.0, 1.0], 2, betas=(0.8, 0.99), beta1=0.8)


# --- loss goes down from the defaults ------------------------------------------------------------
# Steps per optimizer: adaptive methods with PyTorch's default lr (1e-3) move ~1e-3 per step, and
# Adadelta's first steps are of order √ε, so they get more steps; the start points are fixed.
STEPS = {"adadelta": 3000, "adagrad": 1500, "adam": 1500, "adamw": 1500, "radam": 1500, "nadam": 1000}
STEPS |= {"adamax": 1000, "newton": 50}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    ("loss", "grad", "hess", "x0"),
    [
        (loss_quadratic, grad_quadratic, hess_quadratic, (1.5, 1.0)),
        (loss_rosenbrock, grad_rosenbrock, hess_rosenbrock, (-1.2, 1.0)),
    ],
    ids=["quadratic", "rosenbrock"],
)
def test_lowers_the_loss_from_defaults(name, loss, grad, hess, x0) -> None:
    steps = STEPS.get(name, 500)
    path = optimizers.run(name, grad, np.array(x0), steps, **extra(name, hess))
    assert np.all(np.isfinite(path)), name
    start, end = float(loss(path[0])), float(loss(path[-1]))
    assert end < 0.5 * start, (name, start, end)


def test_newton_one_step_on_a_quadratic() -> None:
    path = optimizers.run("newton", grad_quadratic, np.array([[1.5, 1.0], [-3.0, 7.0]]), 1, hess=hess_quadratic)
    np.testing.assert_allclose(path[1], 0.0, atol=1e-12)


def test_newton_saddle_singular_and_flat() -> None:
    def grad_saddle(p):  # x² - y²: the Hessian diag(2, -2) is indefinite
        return np.stack([2 * p[..., 0], -2 * p[..., 1]], -1)

    def hess_saddle(p):
        return np.broadcast_to(np.diag([2.0, -2.0]), (*p.shape, 2))

    path = optimizers.run("newton", grad_saddle, np.array([0.5, 0.1]), 3, hess=hess_saddle)
    # Saddle-free: x goes to 0 in one step, y moves away from the saddle (plain Newton would go to (0, 0)).
    np.testing.assert_allclose(path[1:, 0], 0.0, atol=1e-15)
    np.testing.assert_allclose(path[1:, 1], [0.2, 0.4, 0.8])

    def grad_tilted(p):  # x² + y: H = diag(2, 0) is singular; the step along y is capped at |g|/δ
        return np.stack([2 * p[..., 0], np.ones_like(p[..., 1])], -1)

    def hess_tilted(p):
        return np.broadcast_to(np.diag([2.0, 0.0]), (*p.shape, 2))

    path = optimizers.run("newton", grad_tilted, np.array([1.0, 0.0]), 2, hess=hess_tilted, lr=0.5, damping=0.1)
    np.testing.assert_allclose(path[1], [0.5, -5.0])
    np.testing.assert_allclose(path[2], [0.25, -10.0])

    def grad_monkey(p):  # x³ - 3xy²: gradient and Hessian vanish at the origin
        x, y = p[..., 0], p[..., 1]
        return np.stack([3 * x * x - 3 * y * y, -6 * x * y], -1)

    def hess_monkey(p):
        x, y = p[..., 0], p[..., 1]
        return np.stack([np.stack([6 * x, -6 * y], -1), np.stack([-6 * y, -6 * x], -1)], -2)

    path = optimizers.run("newton", grad_monkey, np.zeros(2), 5, hess=hess_monkey)
    np.testing.assert_array_equal(path, 0.0)
    with pytest.raises(ValueError, match="hess"):
        optimizers.run("newton", grad_monkey, np.zeros(2), 5)


# --- divergence ----------------------------------------------------------------------------------
def grad_x_squared(p: np.ndarray) -> np.ndarray:
    return 2 * p


def test_divergence_masks_from_the_first_bad_row_only_that_run() -> None:
    # GD on |θ|² with lr = 1.5: θ_t = (-2)^t θ_0. With θ_0 = (1, 0) the first row beyond 1e12 is
    # t = 40 (2^40 ≈ 1.0995e12); row 39 is (-2)^39 exactly.
    x0 = np.array([[1.0, 0.0], [1.0, 0.5]])
    lr = np.array([1.5, 0.1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = optimizers.run("gd", grad_x_squared, x0, 200, lr=lr)
    assert path[39, 0, 0] == (-2.0) ** 39
    assert np.all(np.isfinite(path[:40, 0]))
    assert np.all(np.isnan(path[40:, 0]))
    good = optimizers.run("gd", grad_x_squared, x0[1], 200, lr=0.1)
    np.testing.assert_array_equal(path[:, 1], good)


@pytest.mark.parametrize("name", NAMES)
def test_divergence_never_warns_and_neighbours_survive(name: str) -> None:
    # Rosenbrock at a huge step: beyond 1e12 at once (adaptive methods), or overflow to inf and NaN.
    x0 = np.array([[-1.2, 1.0], [-1.2, 1.0]])
    lr = np.array([1e15, 1e-4])
    kw = extra(name, hess_rosenbrock)
    if name == "newton":  # Newton's step does not scale with the gradient; break it through the Hessian
        kw = {"hess": lambda p: 1e-300 * hess_rosenbrock(p)}
        lr = np.array([1.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = optimizers.run(name, grad_rosenbrock, x0, 60, lr=lr, **kw)
        tr = optimizers.trace(name, grad_rosenbrock, x0, 60, lr=lr, **kw)
    bad = ~np.isfinite(path[:, 0]).all(-1)
    assert bad.any(), name
    first = int(np.argmax(bad))
    assert np.all(np.isnan(path[first:, 0]))
    assert np.all(np.abs(path[:first, 0]) <= 1e12)
    if name != "newton":
        assert np.all(np.isfinite(path[:, 1]))
    np.testing.assert_array_equal(tr["next"], path[1:])


def grad_excursion(p: np.ndarray) -> np.ndarray:
    # With GD at lr = 1 (θ -= g): x = 0 → 1 → 2 → 2e12 (beyond the limit) → 3, where it stays; g = 0 elsewhere.
    x = p[..., 0]
    gx = np.select([x == 0, x == 1, x == 2, x > 1e12], [-1.0, -1.0, 2.0 - 2e12, x - 3.0], 0.0)
    return np.stack([gx, np.zeros_like(x)], -1)


def test_an_excursion_beyond_the_limit_and_back_is_masked_from_its_first_row() -> None:
    # Row 3 is beyond 1e12 and row 4 is back at 3, inside one block of checked rows: the run is NaN from
    # row 3 on all the same. The neighbour stands still at ±9e11: every coordinate is within the limit
    # although the sum of squares of the positions exceeds 1e24, so it is never masked, alone or not.
    x0 = np.array([[0.0, 0.0], [9e11, -9e11]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = optimizers.run("gd", grad_excursion, x0, 12, lr=1.0)
        alone = optimizers.run("gd", grad_excursion, x0[1:], 12, lr=1.0)
    np.testing.assert_array_equal(path[:3, 0], [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]])
    assert np.all(np.isnan(path[3:, 0]))
    np.testing.assert_array_equal(path[:, 1], np.broadcast_to([9e11, -9e11], (13, 2)))
    np.testing.assert_array_equal(alone[:, 0], path[:, 1])


@pytest.mark.parametrize("name", NAMES)
def test_a_gradient_that_is_its_input_array(name: str) -> None:
    # grad = lambda p: p returns the very array the runner holds θ in (∇ of |θ|²/2), which the step then
    # updates in place: the runner copies such a gradient first, so a step may read g after moving θ and
    # the trace records the gradient at θ_{t-1}. The paths equal those of a gradient that returns a copy.
    x0 = np.array([[1.5, -0.5], [0.25, 2.0]])
    kw = extra(name, lambda p: np.broadcast_to(np.eye(2), (*p.shape, 2)))
    same = optimizers.run(name, lambda p: p, x0, 30, lr=0.1, **kw)
    copied = optimizers.run(name, lambda p: p.copy(), x0, 30, lr=0.1, **kw)
    np.testing.assert_array_equal(same, copied)
    assert np.abs(copied[-1]).max() < np.abs(x0).max()  # it does move towards the minimum at 0
    tr = optimizers.trace(name, lambda p: p, x0, 30, lr=0.1, **kw)
    np.testing.assert_array_equal(tr["gradient"], copied[:-1])  # the gradient at θ_{t-1} is θ_{t-1}


def test_nan_gradient_masks_the_run() -> None:
    def grad_sqrt(p):  # not defined for x < 0
        return np.stack([0.5 / np.sqrt(p[..., 0]), np.zeros_like(p[..., 1])], -1)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = optimizers.run("sgd", grad_sqrt, np.array([[1.0, 0.0], [0.001, 0.0]]), 10, lr=0.01)
    assert np.all(np.isfinite(path[:, 0]))
    assert np.all(np.isnan(path[2:, 1])) and np.all(np.isfinite(path[:2, 1]))


# --- validation ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "kwargs", "param"),
    [
        ("sgd", {"lr": -0.1}, "lr"),
        ("gd", {"lr": float("nan")}, "lr"),
        ("adam", {"lr": np.array([0.1, -0.1])}, "lr"),
        ("adam", {"betas": (1.0, 0.999)}, "beta1"),
        ("adam", {"betas": (0.9, -0.1)}, "beta2"),
        ("nadam", {"beta2": 1.5}, "beta2"),
        ("adam", {"eps": -1e-8}, "eps"),
        ("rmsprop", {"alpha": 1.2}, "alpha"),
        ("rmsprop", {"weight_decay": -1.0}, "weight_decay"),
        ("sgd", {"nesterov": True}, "nesterov"),
        ("sgd", {"nesterov": True, "momentum": 0.9, "dampening": 0.1}, "nesterov"),
        ("sgd", {"momentum": -0.5}, "momentum"),
        ("momentum", {"beta": 1.0}, "beta"),
        ("adadelta", {"rho": 1.5}, "rho"),
        ("adagrad", {"lr_decay": -1.0}, "lr_decay"),
        ("adagrad", {"initial_accumulator_value": -1.0}, "initial_accumulator_value"),
        ("nadam", {"momentum_decay": -1.0}, "momentum_decay"),
        ("newton", {"damping": 0.0}, "damping"),
        ("adam", {"amsgrad": "yes"}, "amsgrad"),
        ("gd", {"noise": -1.0}, "noise"),
        ("gd", {"clip_norm": -1.0}, "clip_norm"),
        ("gd", {"clip_value": -1.0}, "clip_value"),
        ("gd", {"schedule": "linear"}, "schedule"),
        ("gd", {"schedule": "step", "step_size": 0}, "step_size"),
        ("gd", {"schedule": "step", "step_size": 2.5}, "step_size"),
        ("gd", {"gamma": -0.5}, "gamma"),
        ("gd", {"T_max": 0}, "T_max"),
        ("gd", {"seed": -3}, "seed"),
        ("gd", {"lr": "fast"}, "lr"),
    ],
)
def test_invalid_hyperparameters_raise_value_error_naming_them(name: str, kwargs: dict, param: str) -> None:
    with pytest.raises(ValueError, match=param):
        optimizers.run(name, grad_quadratic, np.zeros(2), 3, **kwargs, **extra(name, hess_quadratic))


def test_unknown_keyword_raises() -> None:
    with pytest.raises((TypeError, ValueError)):
        optimizers.run("adam", grad_quadratic, np.zeros(2), 3, momentum=0.9)
    with pytest.raises((TypeError, ValueError)):
        optimizers.run("gd", grad_quadratic, np.zeros(2), 3, betas=(0.9, 0.99))
    with pytest.raises((TypeError, ValueError)):
        optimizers.run("sgd", grad_quadratic, np.zeros(2), 3, learning_rate=0.1)


def test_bad_inputs() -> None:
    with pytest.raises(ValueError):
        optimizers.run("gd", grad_quadratic, 1.0, 3)
    with pytest.raises(ValueError):
        optimizers.run("gd", grad_quadratic, np.zeros(2), -1)


# --- transforms: noise, clipping, schedules ------------------------------------------------------
def grad_zero(p: np.ndarray) -> np.ndarray:
    return np.zeros_like(p)


def grad_const(p: np.ndarray) -> np.ndarray:
    return np.broadcast_to(np.array([3.0, -4.0]), p.shape)


def test_noise_is_the_documented_stream() -> None:
    # On a flat surface GD's steps are -η·σ·z_t with z_t = default_rng(seed).standard_normal(x0.shape).
    x0 = np.zeros((3, 2))
    path = optimizers.run("gd", grad_zero, x0, 4, lr=0.5, noise=2.0, seed=7)
    rng = np.random.default_rng(7)
    expected = [x0]
    for _ in range(4):
        expected.append(expected[-1] - 0.5 * 2.0 * rng.standard_normal(x0.shape))
    np.testing.assert_allclose(path, np.array(expected), rtol=1e-15, atol=1e-15)


def test_noise_reproducible_and_independent_per_run() -> None:
    x0 = np.ones((2, 2))
    a = optimizers.run("adam", grad_quadratic, x0, 50, lr=0.05, noise=1.0, seed=3)
    b = optimizers.run("adam", grad_quadratic, x0, 50, lr=0.05, noise=1.0, seed=3)
    c = optimizers.run("adam", grad_quadratic, x0, 50, lr=0.05, noise=1.0, seed=4)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    assert not np.allclose(a[:, 0], a[:, 1])  # same start, own noise
    quiet = optimizers.run("adam", grad_quadratic, x0, 50, lr=0.05, noise=np.array([0.0, 1.0]), seed=3)
    np.testing.assert_array_equal(quiet[:, 0], optimizers.run("adam", grad_quadratic, x0[0], 50, lr=0.05))


def test_clip_norm_per_run_and_clip_value() -> None:
    # gradient (3, -4), norm 5: clip_norm 1 scales it by 1/(5 + 1e-6); clip_norm 10 leaves it alone.
    path = optimizers.run("gd", grad_const, np.zeros((2, 2)), 1, lr=1.0, clip_norm=np.array([1.0, 10.0]))
    np.testing.assert_allclose(path[1, 0], -np.array([3.0, -4.0]) / (5 + 1e-6), rtol=1e-15)
    np.testing.assert_allclose(path[1, 1], -np.array([3.0, -4.0]), rtol=1e-15)
    path = optimizers.run("gd", grad_const, np.zeros(2), 1, lr=1.0, clip_value=3.5)
    np.testing.assert_allclose(path[1], [-3.0, 3.5])
    path = optimizers.run("gd", grad_const, np.zeros(2), 1, lr=1.0, clip_value=None, clip_norm=None)
    np.testing.assert_allclose(path[1], [-3.0, 4.0])


@pytest.mark.parametrize(
    ("kwargs", "formula"),
    [
        ({"schedule": "none"}, lambda e: 0.2),
        ({"schedule": "step", "step_size": 3, "gamma": 0.5}, lambda e: 0.2 * 0.5 ** (e // 3)),
        ({"schedule": "exponential", "gamma": 0.9}, lambda e: 0.2 * 0.9**e),
        (
            {"schedule": "cosine", "T_max": 5, "eta_min": 0.01},
            lambda e: 0.01 + (0.2 - 0.01) * (1 + math.cos(math.pi * e / 5)) / 2,
        ),
        ({"schedule": "inverse_time", "decay": 0.5}, lambda e: 0.2 / (1 + 0.5 * e)),
    ],
)
def test_schedules_follow_pytorch(kwargs: dict, formula) -> None:
    # Gradient (1, 0): step t moves x by exactly -η_t, with η_t at epoch e = t - 1.
    def grad_unit(p):
        return np.stack([np.ones_like(p[..., 0]), np.zeros_like(p[..., 1])], -1)

    path = optimizers.run("gd", grad_unit, np.zeros(2), 12, lr=0.2, **kwargs)
    expected = np.array([formula(e) for e in range(12)])
    np.testing.assert_allclose(-np.diff(path[:, 0]), expected, rtol=1e-12)
    tr = optimizers.trace("gd", grad_unit, np.zeros(2), 12, lr=0.2, **kwargs)
    np.testing.assert_allclose(tr["lr"], expected, rtol=1e-14)


# --- trace ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_trace_is_identical_to_run(name: str) -> None:
    x0 = np.array([[1.2, 0.8], [-0.5, 0.6], [3.0, -3.0]])
    lr = np.array([1e-3, 1e-2, 5.0]) if name not in ("newton", "adadelta") else np.array([0.5, 1.0, 2.0])
    symbols = optimizers.trace_symbols(name)
    assert list(symbols)[:5] == ["position", "preclip", "clip_factor", "gradient", "lr"]
    assert list(symbols)[-2:] == ["update", "next"]
    for kw in _variant_kwargs(name):
        common = {"noise": 0.5, "seed": 1, "clip_value": 100.0, "schedule": "exponential", "gamma": 0.95}
        args = (name, grad_rosenbrock, x0, 40)
        path = optimizers.run(*args, lr=lr, **common, **kw, **extra(name, hess_rosenbrock))
        tr = optimizers.trace(*args, lr=lr, **common, **kw, **extra(name, hess_rosenbrock))
        assert list(tr) == [k for k in symbols if k in tr]
        assert len(tr) >= 5
        np.testing.assert_array_equal(tr["next"], path[1:])
        np.testing.assert_array_equal(tr["position"], path[:-1])
        with np.errstate(invalid="ignore"):
            np.testing.assert_array_equal(tr["update"], path[1:] - path[:-1])
        assert tr["lr"].shape == (40, 3)
        for k, v in tr.items():
            assert v.shape[0] == 40, k


def test_trace_quantities_match_the_rule() -> None:
    tr = optimizers.trace("adam", grad_quadratic, np.array([[1.0, 2.0], [0.3, -0.2]]), 30, lr=0.01)
    # Step 1: m̂ = g, v̂ = g²; every step: Δθ = -effective_lr · m̂.
    np.testing.assert_allclose(tr["m_hat"][0], tr["gradient"][0], rtol=1e-14)
    np.testing.assert_allclose(tr["v_hat"][0], tr["gradient"][0] ** 2, rtol=1e-14)
    np.testing.assert_allclose(tr["update"], -tr["effective_lr"] * tr["m_hat"], rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(tr["gradient"], grad_quadratic(tr["position"]), rtol=1e-15)
    tr = optimizers.trace("sgd", grad_quadratic, np.array([1.0, 2.0]), 10, lr=0.01, momentum=0.9, nesterov=True)
    b = tr["momentum_buffer"]
    np.testing.assert_allclose(b[1:], 0.9 * b[:-1] + tr["gradient"][1:], rtol=1e-14)
    np.testing.assert_allclose(tr["lookahead"], tr["gradient"] + 0.9 * b, rtol=1e-14)
    np.testing.assert_allclose(tr["update"], -0.01 * tr["lookahead"], rtol=1e-9)


def test_trace_records_the_gradient_before_clipping() -> None:
    x0 = np.array([[3.0, 4.0], [0.05, -0.02], [-2.0, 1.0]])
    sigma, seed, steps = 0.5, 7, 12
    clip_value, clip_norm = np.array([2.0, 2.0, 0.0]), np.array([1.0, 0.0, 3.0])
    tr = optimizers.trace(
        "gd", grad_quadratic, x0, steps, lr=0.05, noise=sigma, seed=seed, clip_value=clip_value, clip_norm=clip_norm
    )
    # ĝ_t = ∇f(θ_{t-1}) + σ z_t, z_t one standard-normal block of the batch's shape a step from default_rng(seed)
    z = np.random.default_rng(seed).standard_normal((steps, *x0.shape))
    pre = grad_quadratic(tr["position"]) + sigma * z
    np.testing.assert_allclose(tr["preclip"], pre, rtol=1e-14)
    # by hand: clamp to ±c_v (runs with c_v > 0), then scale by min(1, c/(‖g'‖ + 1e-6)) (runs with c > 0)
    valued = np.where(clip_value[:, None] > 0, np.clip(pre, -2.0, 2.0), pre)
    norm = np.sqrt((valued**2).sum(-1))
    factor = np.where(clip_norm > 0, np.minimum(1.0, clip_norm / (norm + 1e-6)), 1.0)
    np.testing.assert_allclose(tr["clip_factor"], factor, rtol=1e-14)
    np.testing.assert_allclose(tr["gradient"], valued * factor[..., None], rtol=1e-14)
    assert (factor[:, 0] < 1).all() and (factor[:, 1] == 1).all()  # the first run clips, the second is off
    # noise alone, or clipping by value alone: no ĝ without clipping, no factor without clipping by norm
    assert "preclip" not in optimizers.trace("gd", grad_quadratic, x0, 3, lr=0.05, noise=sigma)
    only_value = optimizers.trace("gd", grad_quadratic, x0, 3, lr=0.05, clip_value=1.0)
    assert "preclip" in only_value and "clip_factor" not in only_value


# --- memory --------------------------------------------------------------------------------------
def test_memory_is_the_path_plus_o_batch() -> None:
    batch, steps = 20000, 300
    x0 = np.random.default_rng(0).uniform(-1, 1, (batch, 2))
    path_bytes = (steps + 1) * batch * 2 * 8
    for name, kw in [("adam", {"amsgrad": True}), ("rmsprop", {"centered": True, "momentum": 0.9})]:
        tracemalloc.start()
        optimizers.run(name, grad_rosenbrock, x0, steps, lr=np.full(batch, 1e-3), clip_norm=1.0, **kw)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak - path_bytes < 40 * batch * 2 * 8, (name, peak / path_bytes)


# --- the gradient callable's arrays --------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_the_gradient_array_is_never_written(name: str) -> None:
    const = np.array([[3.0, -4.0], [0.5, 0.25]])
    kept = const.copy()
    hp = {"weight_decay": 0.1} if any(h.name == "weight_decay" for h in optimizers.spec(name).hyperparameters) else {}
    path = optimizers.run(name, lambda p: const, np.ones((2, 2)), 5, lr=0.1, **hp, **extra(name, hess_quadratic))
    np.testing.assert_array_equal(const, kept)
    assert np.all(np.isfinite(path))


def test_gradient_of_other_dtype_or_broadcast_shape() -> None:
    as_float32 = optimizers.run("gd", lambda p: (2 * p).astype(np.float32), np.ones((3, 2)), 3, lr=0.25)
    np.testing.assert_allclose(as_float32[-1], 0.125)  # θ halves each step
    as_list = optimizers.run("gd", lambda p: [1.0, 2.0], np.zeros((3, 2)), 2, lr=0.5)  # broadcast to the batch
    np.testing.assert_allclose(as_list[-1], [[-1.0, -2.0]] * 3)


def test_empty_batch() -> None:
    path = optimizers.run("adam", grad_quadratic, np.zeros((0, 2)), 4, lr=np.zeros(0) + 0.1)
    assert path.shape == (5, 0, 2)


def test_newton_trace_records_the_hessian() -> None:
    tr = optimizers.trace("newton", grad_rosenbrock, np.array([-1.2, 1.0]), 5, hess=hess_rosenbrock)
    np.testing.assert_allclose(tr["hessian"], hess_rosenbrock(tr["position"]), rtol=1e-15)
    h = tr["hessian"][0]
    np.testing.assert_allclose(sorted(tr["eigenvalues"][0]), np.linalg.eigvalsh(h), rtol=1e-12)
