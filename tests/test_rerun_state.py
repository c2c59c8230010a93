"""Rerun speed-ups that must not change behaviour. Run settings at their default are left out of session
state (fewer keys, faster reruns): copying, removing and loading runs must still give every run exactly
its own settings. Each run's path is cached once and shared read-only."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import optimizers
from scene import Run, Scene, decode

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
GD_DEFAULT_LR = next(hp.default for hp in optimizers.spec("gd").hyperparameters if hp.name == "lr")


def runs_in_url(at: AppTest) -> list[str]:
    """The page's ``r`` query parameters (one per run, in order)."""
    r = at.query_params.get("r", [])
    return list(r) if isinstance(r, list) else [r]


def test_removing_a_copy_moves_a_default_setting_up() -> None:
    # Copy 2 is at the default η (no key in session state); removing copy 1 must not leave copy 1's 0.05.
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["r"] = ["gd~lr:0.05", "gd", "gd~lr:0.2"]
    at.run()
    assert runs_in_url(at) == ["gd~lr:0.05", "gd", "gd~lr:0.2"]
    at.session_state["run.gd.1"] = True
    at.run()
    at.button(key="remove.gd.1").click().run()
    assert not at.exception
    assert runs_in_url(at) == ["gd", "gd~lr:0.2"]


def test_a_copy_of_a_default_run_is_at_the_default() -> None:
    # Copy 2 once had gradient noise (a setting behind the "Noise, clipping" switch, so no widget writes it);
    # a lesson with one default GD drops that copy; a new copy of GD has no noise.
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["r"] = ["gd", "gd~noise:0.5"]
    at.run()
    at.selectbox(key="lesson_pick").set_value("rosenbrock").run()
    at.session_state["run.gd.1"] = True
    at.run()
    at.button(key="copy.gd.1").click().run()
    assert not at.exception
    assert runs_in_url(at)[:3] == ["gd", "gd", "momentum"]


def test_a_lesson_resets_settings_to_their_defaults() -> None:
    # The link's non-default η and noise (a hidden setting) must not survive loading a lesson whose GD is
    # at its defaults.
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["r"] = ["gd~lr:0.05~noise:0.5"]
    at.run()
    at.session_state["run.gd.1"] = True
    at.run()
    assert at.select_slider(key="hp.gd.1.lr").value == 0.05
    at.selectbox(key="lesson_pick").set_value("rosenbrock").run()
    assert not at.exception
    scene, msgs = decode({k: list(v) if isinstance(v, list) else [v] for k, v in at.query_params.items()})
    assert not msgs
    assert scene.runs[0] == Run("gd")
    assert at.select_slider(key="hp.gd.1.lr").value == GD_DEFAULT_LR


def test_a_path_is_computed_once_and_shared_read_only() -> None:
    from simulate import path_of, run_part
    from ui.cache import cached_path

    scene = Scene(runs=(Run.make("gd", lr=0.0123),), steps=40)
    part = run_part(scene, scene.runs[0])
    first = cached_path(part, scene.runs[0])
    assert cached_path(part, scene.runs[0]) is first
    assert not first.flags.writeable
    np.testing.assert_array_equal(first, path_of(part, scene.runs[0]))
    other = Run.make("gd", lr=0.0124)
    assert not np.array_equal(cached_path(run_part(scene, other), other), first)


def test_a_scene_is_simulated_once_and_shared_read_only() -> None:
    from simulate import simulate
    from ui.cache import cached_simulate

    scene = Scene(runs=(Run.make("gd", lr=0.0321), Run.make("adam", lr=0.0321)), steps=30)
    first = cached_simulate(scene)
    assert cached_simulate(scene) is first
    fresh = simulate(scene)
    np.testing.assert_array_equal(first.start, fresh.start)
    for shared, own in zip(first.runs, fresh.runs, strict=True):
        assert shared.label == own.label
        np.testing.assert_array_equal(shared.path, own.path)
        np.testing.assert_array_equal(shared.loss, own.loss)
        assert not shared.path.flags.writeable and not shared.loss.flags.writeable
    assert not first.start.flags.writeable
    assert first.start is not first.landscape.start, "the landscape's own start is not frozen"


WIDGET_TYPES = ("slider", "select_slider", "number_input", "toggle", "selectbox", "checkbox", "text_input")


def test_the_run_settings_left_to_the_browser_are_the_ones_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    # The page re-assigns (keeps) the value of every run setting but those this run draws
    # (controls.drawn_run_keys). A key named there but not drawn would be forgotten by Streamlit, and its
    # run would fall back to the default: every name must be a drawn widget, and every drawn run setting
    # must be named (else the run would send its value back and move the control under the person's hand).
    from ui import controls

    seen: list[set[str]] = []
    real = controls.drawn_run_keys

    def recording() -> set[str]:
        keys = real()
        seen.append(keys)
        return keys

    monkeypatch.setattr(controls, "drawn_run_keys", recording)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["ls"] = "linear-regression"  # a data landscape: the runs also get a mini-batch size
    at.query_params["r"] = ["adam~schedule:cosine~T_max:50", "gd", "gd~lr:0.01", "sgd~momentum:0.9"]
    at.run()
    cases = [
        {"run.adam.1": True},  # Adam open; its noise/clipping/schedule switch is on (a schedule is set)
        {"more.adam.1": False},  # ... switched off: its schedule's settings are not drawn
        {"run.adam.1": False, "run.gd.2": True, "run.sgd.1": True},  # a copy and another run open
    ]
    for case in cases:
        for key, value in case.items():
            at.session_state[key] = value
        at.run()
        assert not at.exception
        widgets = {w.key for t in WIDGET_TYPES for w in at.get(t) if w.key and w.key.startswith("hp.")}
        assert seen[-1] == widgets, case
    assert {"hp.adam.1.T_max", "hp.adam.1.eta_min", "hp.adam.1.batch_size"} <= seen[1]
    assert "hp.adam.1.T_max" not in seen[2] and "hp.adam.1.batch_size" in seen[2]


def test_removing_a_copy_moves_its_switch_up_with_its_settings() -> None:
    # Copy 2 has noise and a cosine schedule, so its "Noise, clipping, η schedule" switch is on; removing copy
    # 1 left the switch's place at off: the noise still applied, its controls hidden.
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["r"] = ["gd~lr:0.05", "gd~lr:0.05~noise:1~schedule:cosine"]
    at.run()
    at.session_state["run.gd.1"] = True
    at.session_state["run.gd.2"] = True
    at.run()
    assert at.toggle(key="more.gd.1").value is False and at.toggle(key="more.gd.2").value is True
    at.button(key="remove.gd.1").click().run()
    assert not at.exception
    assert runs_in_url(at) == ["gd~lr:0.05~noise:1~schedule:cosine"]
    assert at.toggle(key="more.gd.1").value is True, "the remaining run's switch shows its noise"
    assert at.slider(key="hp.gd.1.noise").value == 1.0


def test_add_a_copy_is_disabled_at_eight_runs() -> None:
    # With eight optimizers chosen and no copies, "Add a copy" was enabled and did nothing when clicked.
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["r"] = ["gd", "momentum", "sgd", "adagrad", "rmsprop", "adam", "adamw", "nadam"]
    at.run()
    at.session_state["run.gd.1"] = True
    at.session_state["run.adam.1"] = True
    at.run()
    assert at.button(key="copy.gd.1").disabled
    at.button(key="remove.adam.1").click().run()
    at.session_state["run.gd.1"] = True
    at.run()
    assert not at.button(key="copy.gd.1").disabled
    at.button(key="copy.gd.1").click().run()
    assert runs_in_url(at).count("gd") == 2
