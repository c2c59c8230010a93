"""``optimizers.rule``: each run's update rule shows exactly the variants its settings switch on."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

import optimizers
from optimizers import rule


def balanced(tex: str) -> bool:
    depth = 0
    for ch in tex.replace(r"\{", "").replace(r"\}", ""):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0 and tex.count(r"\begin{") == tex.count(r"\end{")


def flag_combinations(name: str) -> list[dict[str, object]]:
    """Every combination of the optimizer's flags, each with its numeric settings off and on."""
    hps = optimizers.spec(name).hyperparameters
    flags = [h.name for h in hps if h.kind == "bool"]
    numbers = [h.name for h in hps if h.kind == "float" and h.default == 0 and h.name != "lr"]
    out = []
    for on in itertools.product([False, True], repeat=len(flags)):
        for value in (0.0, 0.5):
            settings: dict[str, object] = dict(zip(flags, on, strict=True))
            settings.update(dict.fromkeys(numbers, value))
            if settings.get("nesterov") and not settings.get("momentum"):
                continue  # not a valid run
            out.append(settings)
    return out


@pytest.mark.parametrize("name", optimizers.names())
def test_every_optimizer_has_a_rule_for_every_setting(name: str) -> None:
    for settings in flag_combinations(name):
        for schedule in ("none", "step", "cosine"):
            tex = rule(name, schedule=schedule, noise=0.1, clip_norm=1.0, **settings)  # type: ignore[arg-type]
            assert tex.startswith(r"\begin{aligned}") and tex.endswith(r"\end{aligned}")
            assert balanced(tex), (settings, tex)
            assert r"\theta_t &=" in tex, "every rule ends in the update of θ"
            scheduled = re.search(r"(?<!\\tilde)\\eta_t", tex) is not None  # Adagrad's own decay is η̃_t
            assert scheduled == (schedule != "none"), "η_t only where a schedule changes η"


def test_adam_shows_the_seeds_switches() -> None:
    default = rule("adam")
    assert (
        r"\hat m_t &= \frac{m_t}{1-\beta_1^t}" in default and r"\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}" in default
    )
    # Seed 000: no bias correction, so m and v are used as they are.
    plain = rule("adam", bias_correction=False)
    assert r"\hat" not in plain and r"\frac{m_t}{\sqrt{v_t} + \epsilon}" in plain
    assert r"\sqrt{\hat v_t + \epsilon}" in rule("adam", eps_inside=True), "ε inside the root (seed 003)"
    ams = rule("adam", amsgrad=True)
    assert r"v^{\max}_t &= \max(v^{\max}_{t-1},\ v_t)" in ams and r"\frac{v^{\max}_t}{1-\beta_2^t}" in ams


def test_sgd_shows_momentum_only_when_on() -> None:
    assert "b_t" not in rule("sgd") and r"- \eta\, g_t" in rule("sgd")
    heavy = rule("sgd", momentum=0.9)
    assert r"b_t &= \mu b_{t-1} + g_t" in heavy and r"- \eta\, b_t" in heavy
    assert r"(1-\tau)" in rule("sgd", momentum=0.9, dampening=0.5)
    assert r"- \eta\, (g_t + \mu b_t)" in rule("sgd", momentum=0.9, nesterov=True)
    # A batch of settings (a sweep): on where any run has it on.
    assert "b_t" in rule("sgd", momentum=np.array([0.0, 0.9]))
    assert "b_t" not in rule("sgd", momentum=np.zeros(3))


def test_rmsprop_variants() -> None:
    default = rule("rmsprop")
    assert "centered" not in default and r"\bar g" not in default and "b_t" not in default
    both = rule("rmsprop", centered=True, momentum=0.9, eps_inside=True)
    assert r"\bar g_t &= \alpha \bar g_{t-1} + (1-\alpha) g_t" in both
    assert r"b_t &= \mu b_{t-1} + \frac{g_t}{\sqrt{v_t - \bar g_t^2 + \epsilon}}" in both
    assert r"\theta_t &= \theta_{t-1} - \eta\, b_t" in both


def test_gradient_lines_in_the_runners_order() -> None:
    tex = rule("adam", noise=0.5, clip_value=2.0, clip_norm=1.0, weight_decay=0.1)
    lines = tex.split(r" \\ ")
    order = [next(i for i, line in enumerate(lines) if key in line) for key in (r"\xi_t", "c_v", r"\lVert", r"\lambda")]
    # the noise's law has a row of its own, right under the noisy gradient
    assert order == sorted(order) == [0, 2, 3, 4], "noise, clip_value, clip_norm, then L2 decay (runner order)"
    assert lines[1] == r"\xi_t &\sim \mathcal{N}(0, I)"
    assert r"g_t &=" not in rule("adam"), "a plain gradient needs no line"
    assert r"g_t &= \nabla L(\theta_{t-1})" in rule("gd"), "gradient descent says what g is"
    mini = rule("gd", gradient=r"\nabla L_{B_t}(\theta_{t-1})")
    assert r"g_t &= \nabla L_{B_t}(\theta_{t-1})" in mini


def test_adamw_decays_the_weights_not_the_gradient() -> None:
    tex = rule("adamw")  # weight_decay defaults to 0.01
    assert r"\theta' &= (1 - \eta\lambda)\,\theta_{t-1}" in tex and r"\theta_t &= \theta' -" in tex
    assert r"g_t + \lambda" not in tex
    assert r"\theta'" not in rule("adamw", weight_decay=0.0)
    assert r"g_t &\leftarrow g_t + \lambda\theta_{t-1}" in rule("adam", weight_decay=0.1), "Adam's is L2"


@pytest.mark.parametrize("schedule", [s for s in optimizers.SCHEDULES if s != "none"])
def test_every_schedule_writes_its_eta(schedule: str) -> None:
    tex = rule("gd", schedule=schedule)
    assert r"\eta_t &=" in tex and r"\theta_{t-1} - \eta_t\, g_t" in tex


def test_cosine_rule_is_the_schedules_closed_form() -> None:
    # The rule writes CosineAnnealingLR's η_min + (η - η_min)(1 + cos(πe/T))/2 as η_min + (η - η_min)cos²(πe/2T)
    # (e = t - 1): the same numbers as the runner's schedule.
    assert r"\cos^2\tfrac{\pi (t-1)}{2T}" in rule("gd", schedule="cosine")
    lr, eta_min, t_max, steps = 0.1, 0.01, 7, 20
    path = optimizers.trace(
        "gd", lambda p: np.ones_like(p), np.zeros(2), steps, lr=lr, schedule="cosine", T_max=t_max, eta_min=eta_min
    )
    e = np.arange(steps)
    np.testing.assert_allclose(path["lr"], eta_min + (lr - eta_min) * np.cos(np.pi * e / (2 * t_max)) ** 2)


def test_unknown_settings_and_optimizers_are_refused() -> None:
    with pytest.raises(TypeError, match="betas_typo"):
        rule("adam", betas_typo=1)
    with pytest.raises(ValueError):
        rule("no-such-optimizer")
