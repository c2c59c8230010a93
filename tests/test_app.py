"""The page through Streamlit's AppTest: every landscape, every optimizer, slider extremes, junk URLs,
the URL round trip and determinism."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import landscapes
import optimizers
from scene import CUSTOM, MAX_STEPS, Run, Scene, decode
from simulate import MAX_RUN_INSTRUCTIONS, check_run_work, run_labels, simulate
from tests.harness import components, markdown_shown

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def make_app(query: dict[str, str | list[str]] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def clean(at: AppTest) -> None:
    """No exception element and no uncaught error."""
    assert not at.exception, [e.value for e in at.exception]


def figure(at: AppTest, key: str) -> dict[str, Any]:
    """The Plotly figure of the chart with ``key``."""
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if chart.proto.id and key in chart.proto.id:
            return spec
    raise AssertionError(f"no plotly chart with key {key}")


def panels(at: AppTest) -> dict[str, Any]:
    """The data the animated panels (the browser-side component ``paths_chart``) were sent."""
    for el in components(at, "paths_chart"):
        return dict(json.loads(el.proto.bytes))
    raise AssertionError("no paths panels on the page")


def path_traces(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The paths the panels draw, by run label."""
    return {r["label"]: r for r in data["runs"]}


def notes(data: dict[str, Any]) -> str:
    """The notes under the panels' titles (not run / diverged), joined."""
    return " ".join(p["note"] for p in data["panels"])


def open_runs(at: AppTest) -> AppTest:
    """Open every run's sidebar expander (its controls are drawn only while open) and rerun."""
    for name in optimizers.names():
        for copy in range(1, 4):
            at.session_state[f"run.{name}.{copy}"] = True
    return at.run()


def query_of(at: AppTest) -> dict[str, list[str]]:
    return {k: list(v) if isinstance(v, (list, tuple)) else [v] for k, v in at.query_params.items()}


def test_starts_clean_with_the_default_scene() -> None:
    at = make_app()
    clean(at)
    assert not at.error
    data = panels(at)
    labels = run_labels(Scene().runs)
    assert set(path_traces(data)) == set(labels)
    assert [p["title"] for p in data["panels"]] == labels, "one panel per run"
    assert 2 <= len(data["frames"]) <= 151 and data["frames"][-1] == Scene().steps
    assert all(len(r["x"]) == Scene().steps + 1 for r in data["runs"]), "every step of every path"
    assert data["image"].startswith("data:image/png;base64,"), "the surface is drawn under the paths"
    # A session's first run holds the update rules back until the browser has drawn the panels (it asks
    # for the component's "drawn" report); the run that report starts, like any later run, has them.
    assert data.get("notify_drawn") is True and not [m for m in at.markdown if "$$" in m.value]
    at.run()
    clean(at)
    assert "notify_drawn" not in panels(at)
    rules = [m.value for m in at.markdown if "$$" in m.value]
    # Each run's update rule under its label, as configured: RMSprop's defaults are neither centered nor
    # with momentum, so those variants of its general rule are not shown.
    by_label = {label: [m for m in rules if f"■ {label}<" in m] for label in labels}
    assert all(len(found) == 1 for found in by_label.values()) and len(rules) == len(labels), by_label
    for label, (rule,) in by_label.items():
        assert r"\theta_t &= \theta_{t-1} - \eta" in rule, label
    (rmsprop,) = by_label["RMSprop"]
    assert r"\frac{g_t}{\sqrt{v_t} + \epsilon}" in rmsprop and "centered" not in rmsprop and "b_t" not in rmsprop
    assert at.selectbox(key="landscape").value == Scene().landscape
    assert at.multiselect(key="optimizers").value == [r.optimizer for r in Scene().runs]


@pytest.mark.parametrize("query", [{"view": "3d"}, {"present": "1"}])
def test_rules_are_held_back_only_where_the_browser_draws_them_after_the_panels(query: dict[str, str]) -> None:
    # The 3-D view has no browser-drawn panels to report back: its first run shows the rules at once.
    # Presentation mode shows no rules: nothing to hold back, no report asked for.
    at = make_app(query)
    clean(at)
    assert "_rules_held" not in at.session_state or not at.session_state["_rules_held"]
    rules = [m.value for m in at.markdown if "$$" in m.value]
    assert len(rules) == (len(Scene().runs) if query.get("view") == "3d" else 0)
    if query.get("present"):
        assert "notify_drawn" not in panels(at)


@pytest.mark.parametrize("name", [*landscapes.names(), CUSTOM])
def test_every_landscape_draws(name: str) -> None:
    at = make_app()
    at.selectbox(key="landscape").set_value(name).run()
    clean(at)
    data = panels(at)
    assert len(path_traces(data)) == len(Scene().runs)
    title = "Custom formula" if name == CUSTOM else landscapes.REGISTRY[name].title
    assert at.selectbox(key="landscape").format_func(at.selectbox(key="landscape").value) == title
    # The URL follows the control.
    assert name == Scene().landscape or at.query_params["ls"] == name


def test_every_optimizer_at_once_each_drawn() -> None:
    at = make_app()
    names = optimizers.names()[:8]  # the page allows eight runs at once
    at.multiselect(key="optimizers").set_value(names).run()
    clean(at)
    traces = path_traces(panels(at))
    assert set(traces) == {optimizers.spec(n).label for n in names}
    rest = optimizers.names()[8:]
    at.multiselect(key="optimizers").set_value(rest).run()
    clean(at)
    assert set(path_traces(panels(at))) == {optimizers.spec(n).label for n in rest}


def _set_all_to(at: AppTest, end: str) -> int:
    """Put every slider, select slider and number input of the sidebar at one end; returns how many."""
    n = 0
    for s in at.sidebar.slider:
        s.set_value(s.min if end == "low" else s.max)
        n += 1
    for s in at.sidebar.select_slider:
        # AppTest lists the formatted options; the widget takes the number itself.
        s.set_value(float(s.options[0] if end == "low" else s.options[-1]))
        n += 1
    return n


@pytest.mark.parametrize("end", ["low", "high"])
@pytest.mark.parametrize("group", [0, 1, 2])
def test_every_slider_at_either_end(end: str, group: int) -> None:
    names = optimizers.names()
    chosen = names[group * 4 : group * 4 + 4]
    at = make_app({"ls": "quadratic"})
    at.multiselect(key="optimizers").set_value(chosen).run()
    open_runs(at)
    at.toggle(key="same_lr").set_value(False)
    n = _set_all_to(at, end)
    at.run()
    clean(at)
    assert n >= 4 * 3
    data = panels(at)
    assert len(path_traces(data)) + sum(1 for p in data["panels"] if "not run" in p["note"]) >= 1
    # A diverging run is named in a message, not shown as a traceback.
    for r in at.warning:
        assert "Traceback" not in r.value


@pytest.mark.parametrize("junk", ["NaN", "1e999", "../../etc/passwd", "<script>alert(1)</script>", "9" * 400, ""])
def test_junk_query_parameters(junk: str) -> None:
    keys = ["ls", "lp", "r", "x0", "y0", "steps", "seed", "view", "lr", "lesson", "f", "fb", "present", "sw_n"]
    at = make_app({k: junk for k in keys})
    clean(at)
    panels(at)  # the page still draws
    texts = " ".join(e.value for e in [*at.warning, *at.error, *at.markdown, *at.info])
    assert "<script>" not in texts
    if junk:
        assert at.warning, "rejected values are reported"


def test_url_round_trip_restores_the_same_picture() -> None:
    at = make_app()
    at.selectbox(key="landscape").set_value("himmelblau").run()
    at.multiselect(key="optimizers").set_value(["gd", "adam", "sgd"]).run()
    open_runs(at)
    at.select_slider(key="hp.adam.1.lr").set_value(0.1)
    at.slider(key="hp.sgd.1.momentum").set_value(0.9)
    at.button(key="copy.gd.1").click().run()
    at.select_slider(key="hp.gd.2.lr").set_value(0.02)
    at.number_input(key="x0").set_value(1.5)
    at.run()
    clean(at)
    query = query_of(at)
    scene, msgs = decode(query)
    assert msgs == []
    assert scene.landscape == "himmelblau" and scene.start is not None and scene.start[0] == 1.5
    assert [r.optimizer for r in scene.runs] == ["gd", "gd", "adam", "sgd"]
    first = panels(at)
    again = make_app(query)
    clean(again)
    assert panels(again)["runs"] == first["runs"]
    assert query_of(again) == query


def test_same_settings_same_picture_with_noise() -> None:
    query = {"r": ["gd~lr:0.001~noise:2", "adam~lr:0.05~noise:2"], "seed": "3"}
    a, b = make_app(query), make_app(query)
    clean(a)
    fa, fb = panels(a), panels(b)
    assert fa == fb
    c = make_app({**query, "seed": "4"})
    assert panels(c)["runs"] != fa["runs"], "the seed matters"


def test_a_diverging_run_is_reported_in_the_page() -> None:
    at = make_app({"ls": "quadratic", "r": ["gd~lr:1", "sgd~lr:0.5~momentum:0.9~nesterov:1"], "steps": "200"})
    clean(at)
    warnings = [w.value for w in at.warning if "diverged" in w.value]
    assert len(warnings) == 1, "several diverged runs share one message"
    (text,) = warnings
    assert "diverged at step" in notes(panels(at))
    # The quadratic's λ_max is 10 everywhere: GD is stable for η < 2/10; PyTorch's Nesterov with μ = 0.9
    # for η < 2(1 + μ)/((1 + 2μ)λ) = 3.8/28 ≈ 0.136.
    head, gd, nesterov = text.split("\n")
    assert head.startswith("**2 runs diverged**") and "λ_max ≈ 10." in head
    assert "stable there only for η < 0.2; it used η = 1." in gd
    assert "stable there only for η < 0.1357; it used η = 0.5." in nesterov
    steps = [p["note"] for p in panels(at)["panels"]]
    assert [line.split(" at step ")[1].split(":")[0] for line in (gd, nesterov)] == [n.split()[-1] for n in steps]
    # One run alone: a sentence of its own.
    one = make_app({"ls": "quadratic", "r": ["gd~lr:1", "adam"], "steps": "200"})
    (text,) = [w.value for w in one.warning if "diverged" in w.value]
    assert text.startswith("**Gradient descent** diverged at step")
    assert "stable only for η < 0.2; this run used η = 1." in text
    # On the monkey saddle the runs fall off an unbounded slope, not over a curvature limit: no such hint.
    saddle = make_app({"ls": "monkey-saddle", "r": ["gd~lr:0.002"], "steps": "500"})
    assert any("diverged at step" in w.value and "stable only" not in w.value for w in saddle.warning)
    # Runs that cannot go on for want of a surface, not of a smaller η: they "stop", and no advice on η.
    cone = make_app({"ls": "custom", "f": "sqrt(x^2+y^2)", "x0": "0", "y0": "0"})  # its tip: a NaN gradient
    clean(cone)
    (text,) = [w.value for w in cone.warning if "stopped" in w.value]
    assert text.startswith("**4 runs stopped early**") and "diverged" not in text and "λ_max" not in text
    assert text.count("stopped at step 1: the gradient at (0, 0) is not a number") == 4
    assert {p["note"] for p in panels(cone)["panels"]} == {"stopped at step 1"}
    pole = make_app({"ls": "custom", "f": "1/x", "x0": "0", "y0": "0", "r": ["gd"]})
    (text,) = [w.value for w in pole.warning if "stopped" in w.value]
    assert text.startswith("**Gradient descent** stopped at step 0: the surface's value at the start (0, 0) is +∞")
    # Mixed: GD at η = 0.15 on 10x² (λ = 20, limit 0.1) doubles x each step and passes 10¹² at step 40
    # (2⁴⁰ ≈ 1.1·10¹²); at η = 0.09 the log's pull takes y below -5, where the log has no value.
    mixed = make_app(
        {"ls": "custom", "f": "10*x^2+0.01*y^2+log(y+5)", "r": ["gd~lr:0.15", "gd~lr:0.09"], "x0": "1", "y0": "1"}
        | {"steps": "500"}
    )
    clean(mixed)
    (text,) = [w.value for w in mixed.warning if "stopped" in w.value]
    head, fast, slow = text.split("\n")
    assert head.startswith("**2 runs stopped early.**") and "λ_max ≈ 20." in head
    assert "diverged at step 40: stable there only for η < 0.1; it used η = 0.15." in fast
    assert "stopped at step" in slow and "the surface has no value at" in slow and "outside its domain" in slow
    # Eight diverging copies: one message of nine lines, above the panels.
    many = make_app({"r": [f"gd~lr:0.0{i}" for i in range(1, 9)]})
    clean(many)
    (text,) = [w.value for w in many.warning if "diverged" in w.value]
    assert text.startswith("**8 runs diverged**") and len(text.split("\n")) == 9


def test_invalid_combination_is_a_message_not_a_traceback() -> None:
    at = make_app({"r": ["sgd~nesterov:1"]})  # Nesterov needs momentum > 0
    clean(at)
    assert any("did not run" in e.value for e in at.error)


def test_views_overlay_and_3d() -> None:
    at = make_app({"view": "overlay"})
    clean(at)
    data = panels(at)
    assert len(data["panels"]) == 1 and len(path_traces(data)) == len(Scene().runs)
    at = make_app({"view": "3d"})
    clean(at)
    fig3 = figure(at, "surface_3d")
    kinds = [t["type"] for t in fig3["data"]]
    assert kinds.count("surface") == 1 and kinds.count("scatter3d") >= len(Scene().runs)


def test_a_moved_learning_rate_redraws_its_panel_and_the_url() -> None:
    # (AppTest always runs the whole page; the browser tests check that in the browser the move reruns
    # only the run controls and the Playground.)
    at = open_runs(make_app({"r": ["gd~lr:0.001", "adam~lr:0.05"]}))
    before = panels(at)
    at.select_slider(key="hp.gd.1.lr").set_value(0.002).run()
    clean(at)
    after = panels(at)
    assert after["runs"][0] != before["runs"][0] and after["runs"][1] == before["runs"][1]
    scene, _ = decode(query_of(at))
    assert dict(scene.runs[0].params)["lr"] == 0.002
    assert panels(make_app(query_of(at)))["runs"] == after["runs"], "the same picture as the link draws"
    at.selectbox(key="landscape").set_value("himmelblau").run()
    clean(at)
    assert panels(make_app(query_of(at)))["runs"] == panels(at)["runs"]
    assert at.session_state.get("_early_missed", 0) == 0


def test_a_run_setting_moved_with_another_control_in_one_run() -> None:
    at = open_runs(make_app({"r": ["gd~lr:0.001"]}))
    at.select_slider(key="hp.gd.1.lr").set_value(0.002)
    at.number_input(key="x0").set_value(0.5)
    at.run()
    clean(at)
    scene, _ = decode(query_of(at))
    assert scene.start is not None and scene.start[0] == 0.5 and dict(scene.runs[0].params)["lr"] == 0.002
    assert panels(make_app(query_of(at)))["runs"] == panels(at)["runs"]


@pytest.mark.parametrize(
    "query",
    [{}, {"lesson": "ravine"}, {"ls": "himmelblau", "r": ["adam~lr:0.1"]}, {"view": "overlay"}, {"x0": "0.5"}],
)
def test_a_link_draws_its_panels_first_without_a_second_run(query: dict[str, Any]) -> None:
    # On a session's first run the link's scene is known before the sidebar is drawn.
    at = make_app(query)
    clean(at)
    assert at.session_state.get("_early_panels", 0) == 1
    assert at.session_state.get("_early_missed", 0) == 0, "the sidebar returned the link's scene"
    panels(at)


def test_same_lr_for_all_overrides_every_run() -> None:
    at = make_app()
    at.toggle(key="same_lr").set_value(True).run()
    at.select_slider(key="shared_lr").set_value(0.002).run()
    open_runs(at)
    clean(at)
    scene, _ = decode(query_of(at))
    assert scene.shared_lr == 0.002
    assert at.select_slider(key="hp.adam.1.lr").disabled


def rules_shown(at: AppTest) -> list[str]:
    """The update rules under the panels (markdown with display maths), in page order."""
    return [m.value for m in at.markdown if "$$" in m.value]


def test_update_rules_follow_the_runs_switches() -> None:
    at = open_runs(make_app({"r": ["adam", "rmsprop"]}))
    at.run()  # the session's second run shows the rules
    adam, rmsprop = rules_shown(at)
    assert r"\hat m_t" in adam and r"\sqrt{\hat v_t} + \epsilon" in adam
    assert "b_t" not in rmsprop and r"\bar g_t" not in rmsprop
    at.toggle(key="hp.adam.1.bias_correction").set_value(False)
    at.toggle(key="hp.adam.1.eps_inside").set_value(True)
    at.toggle(key="hp.rmsprop.1.centered").set_value(True)
    at.slider(key="hp.rmsprop.1.momentum").set_value(0.9).run()
    clean(at)
    adam, rmsprop = rules_shown(at)
    # Seed 000's Adam: no bias correction, so no hats; ε under the root (seed 003).
    assert r"\hat" not in adam and r"\frac{m_t}{\sqrt{v_t + \epsilon}}" in adam
    assert r"\bar g_t &= \alpha \bar g_{t-1}" in rmsprop and r"\sqrt{v_t - \bar g_t^2} + \epsilon" in rmsprop
    assert r"b_t &= \mu b_{t-1}" in rmsprop and r"\eta\, b_t" in rmsprop
    at.toggle(key="more.adam.1").set_value(True).run()
    at.selectbox(key="hp.adam.1.schedule").set_value("cosine").run()
    clean(at)
    adam = rules_shown(at)[0]
    assert r"\eta_t &= \eta_{\min}" in adam and r"\theta_{t-1} - \eta_t" in adam


def test_no_optimizer_chosen_asks_for_one_on_every_tab() -> None:
    for tab in ("play", "sweeps", "steps"):
        at = make_app({"tab": tab})
        at.multiselect(key="optimizers").set_value([]).run()
        assert not at.exception, tab
        assert any("Choose at least one optimizer" in i.value for i in at.info), tab
        assert not rules_shown(at)


def test_update_rules_read_in_the_runs_order_and_copies_use_short_numbers() -> None:
    # A phone stacks columns: the rules must be in page order row by row (two columns for all four
    # rules had read #1, #3, #2, #4 there).
    at = make_app({"r": ["rmsprop~eps:1e-8", "rmsprop~eps:0.01", "rmsprop~eps:0.1", "rmsprop~eps:1"]})
    at.run()
    clean(at)
    heads = [text.split("</span>")[0] for text in rules_shown(at)]
    assert [h.split("RMSprop #")[1][0] for h in heads] == ["1", "2", "3", "4"]
    # Labels write exponents as the sliders and messages do: 1e-8, not 1e-08.
    assert "(ε=1e-8)" in heads[0] and "(ε=0.01)" in heads[1] and "(ε=1)" in heads[3]


def test_about_the_surface_is_built_only_when_opened() -> None:
    at = make_app({"ls": "rosenbrock", "lp": "a:1~b:50"})
    at.run()
    assert not [m for m in at.markdown if "(a - x)^2" in m.value], "closed: nothing built"
    at.session_state["about_open"] = True
    at.run()
    clean(at)
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "$$\nf(x, y) = (a - x)^2 + b\\,(y - x^2)^2\n$$" in text, "the formula as display maths"
    assert "b (wall steepness) = 50" in text and "Global minimum: loss 0 at (1, 1)" in text
    assert "Shown: x from -2 to 2, y from -1 to 3." in text
    custom = make_app({"ls": "custom", "f": "x^2 + 3*y^2"})
    custom.session_state["about_open"] = True
    custom.run()
    assert any(m.value.startswith("$$\nf(x, y) = ") for m in custom.markdown), "a bare formula gets its f(x, y) ="


def with_about_open(query: dict[str, Any]) -> tuple[AppTest, str]:
    """The page of ``query`` with "About the surface" open, and the text of its markdown and captions."""
    at = make_app(query)
    at.session_state["about_open"] = True
    at.run()
    clean(at)
    return at, " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)


def test_a_custom_surface_gets_its_lowest_points_like_a_built_in_one() -> None:
    # a double well lifted by 5: minima (±1, 0) at loss 5, by hand
    at, text = with_about_open(
        {"ls": "custom", "f": "(x^2 - 1)^2 + y^2 + 5", "r": ["gd~lr:0.05"], "x0": "0.5", "y0": "1.5"}
    )
    assert "Lowest points in the window (found numerically): loss 5 at (-1, 0), (1, 0) (☆)." in text
    data = panels(at)
    assert sorted(map(tuple, data["minima"])) == [(-1.0, 0.0), (1.0, 0.0)]
    assert "☆ lowest points in the window" in data["caption"]
    # the loss chart shows the gap to 5 on a log axis, as on a built-in surface: GD closes it
    assert data["loss"]["log"] and "minimum" in data["loss"]["title"]
    gap = [v for v in data["loss"]["runs"][0]["y"] if v is not None]
    assert gap[0] > 1 and gap[-1] < 1e-6
    row = dict(zip(data["summary"]["columns"], data["summary"]["rows"][0], strict=True))
    assert row["distance to minimum"] < 1e-6 and row["steps to reach"] > 0
    # a surface that falls past its edge says so, and marks nothing
    falling = make_app({"ls": "custom", "f": "x^2 - y^2"})
    falling.session_state["about_open"] = True
    falling.run()
    clean(falling)
    text = " ".join(c.value for c in falling.caption)
    assert "No minimum in the window: the surface is lowest at its edge" in text
    assert panels(falling)["minima"] == [] and "☆" not in panels(falling)["caption"]


def test_copies_of_a_run_are_told_apart() -> None:
    at = open_runs(make_app({"r": ["gd~lr:0.001"]}))
    at.button(key="copy.gd.1").click().run()
    at.button(key="copy.gd.1").click().run()
    at.select_slider(key="hp.gd.2.lr").set_value(0.0005)
    at.select_slider(key="hp.gd.3.lr").set_value(0.002).run()
    clean(at)
    names = set(path_traces(panels(at)))
    assert names == {"Gradient descent #1 (η=0.001)", "Gradient descent #2 (η=0.0005)", "Gradient descent #3 (η=0.002)"}
    at.button(key="remove.gd.2").click().run()
    clean(at)
    assert len(path_traces(panels(at))) == 2


def test_hidden_run_settings_still_apply() -> None:
    at = make_app({"r": ["gd~lr:0.002~noise:1~clip_norm:2"]})
    assert not [s for s in at.sidebar.slider if s.key.startswith("hp.")], "closed run expanders draw no controls"
    before_open = panels(at)["runs"]
    open_runs(at)
    assert panels(at)["runs"] == before_open, "opening a run's controls changes nothing"
    assert at.toggle(key="more.gd.1").value, "a run with noise opens its noise/clipping switch"
    assert at.slider(key="hp.gd.1.noise").value == 1.0
    before = panels(at)["runs"]
    at.toggle(key="more.gd.1").set_value(False).run()
    clean(at)
    assert not [s for s in at.slider if s.key == "hp.gd.1.noise"], "hidden"
    assert query_of(at)["r"] == ["gd~clip_norm:2~lr:0.002~noise:1"]
    assert panels(at)["runs"] == before
    plain = open_runs(make_app({"r": ["gd~lr:0.001"]}))
    assert not plain.toggle(key="more.gd.1").value


def test_custom_formula_live_error_and_url() -> None:
    at = make_app({"ls": "custom", "f": "x^2 + 3*y^2", "fb": "-2~2~-2~2", "r": ["gd~lr:0.1"]})
    clean(at)
    assert at.text_input(key="formula").value == "x^2 + 3*y^2"
    assert not at.error
    good = panels(at)["runs"]
    at.text_input(key="formula").input("__import__('os').system('ls')").run()
    clean(at)
    (err,) = [e.value for e in at.error]
    assert "Formula not accepted" in err and "x^2 + 3*y^2" in err, "says what is wrong and what stays on screen"
    assert ".\n\nStill showing" in err, "the reason ends, then what stays on screen, a paragraph of its own"
    assert panels(at)["runs"] == good, "the last accepted surface and paths stay"
    assert at.query_params["f"] == "x^2 + 3*y^2"
    at.text_input(key="formula").input("2x + y").run()  # a slip, with a hint of what to write
    (err,) = [e.value for e in at.error]
    assert "multiplication needs *: write 2*x." in markdown_shown(err.split("\n\n")[0])
    at.text_input(key="formula").input("(1 - x)^2 + 10*(y - x^2)^2").run()
    clean(at)
    assert not at.error and at.query_params["f"] == "(1 - x)^2 + 10*(y - x^2)^2"
    scene, msgs = decode(query_of(at))
    assert msgs == [] and scene.formula == "(1 - x)^2 + 10*(y - x^2)^2"
    again = make_app(query_of(at))
    assert panels(again)["runs"] == panels(at)["runs"], "the link reopens the same custom surface"


def test_a_window_too_narrow_to_label_is_refused_with_a_message() -> None:
    at = make_app({"ls": "custom", "f": "x^2 + y^2", "fb": "0~1e-12~0~1e-12"})
    clean(at)
    (warning,) = [w.value for w in at.warning]
    assert "narrower than 0.01" in warning
    assert panels(at)["bounds"] == [[-2.0, 2.0], [-1.0, 3.0]], "the default window"
    at.number_input(key="fb.x0").set_value(0.0)
    at.number_input(key="fb.x1").set_value(0.005).run()
    clean(at)
    (err,) = [e.value for e in at.error]
    assert "window is not usable" in err and "narrower than 0.01" in err
    at.number_input(key="fb.x1").set_value(1.0).run()
    clean(at)
    assert not at.error and panels(at)["bounds"] == [[0.0, 1.0], [-1.0, 3.0]]


def test_a_start_outside_the_picture_is_said_under_the_panels() -> None:
    assert "outside the picture" not in panels(make_app({"ls": "quadratic", "x0": "2.9", "y0": "-2.9"}))["caption"]
    caption = panels(make_app({"ls": "quadratic", "x0": "8", "y0": "-1"}))["caption"]
    assert "The start (8, -1) lies outside the picture" in caption


# A formula the parser accepts whose gradient and Hessian are long: 307 and 882 operations at one point.
HEAVY = "*".join(f"sin(x*y+{i})" for i in range(1, 25))


def test_a_custom_run_too_costly_for_a_shared_server_is_not_run_with_a_message() -> None:
    land = landscapes.from_formula(HEAVY)
    gradient, hessian = land.program_sizes
    most = MAX_RUN_INSTRUCTIONS // (gradient + hessian)
    check_run_work(land, "newton", most)
    with pytest.raises(ValueError, match=f"at most {most:,} steps"):
        check_run_work(land, "newton", most + 1)
    check_run_work(land, "gd", MAX_RUN_INSTRUCTIONS // gradient)
    for name in landscapes.names():  # one point at a time, the built-in surfaces are cheap
        check_run_work(landscapes.get(name), "newton", MAX_STEPS)
    runs = (Run("gd"), Run("newton"))
    result = simulate(Scene(landscape=CUSTOM, formula=HEAVY, runs=runs, steps=most + 1))
    gd, newton = result.runs
    assert gd.error is None and len(gd.path) == most + 2
    assert newton.error is not None and "shared server" in newton.error
    at = make_app({"ls": "custom", "f": HEAVY, "steps": str(most + 1), "r": ["gd", "newton"]})
    clean(at)
    (err,) = [e.value for e in at.error]
    assert "**Newton** did not run" in err and f"at most {most:,} steps" in err
    assert [p["note"][:8] for p in panels(at)["panels"]] == ["", "not run:"]


def test_hostile_formula_in_the_link_is_a_message() -> None:
    at = make_app({"ls": "custom", "f": "().__class__.__bases__[0].__subclasses__()"})
    clean(at)
    (err,) = [e.value for e in at.error]
    assert "not accepted" in err and "attribute access" in err
    assert at.query_params["f"] != "().__class__.__bases__[0].__subclasses__()", "the link now holds a usable formula"
    panels(at)


def test_presentation_mode_shows_the_panels_from_any_tab() -> None:
    at = make_app({"tab": "sweeps"})
    assert not components(at, "paths_chart"), "no panels while the Sweeps tab is open"
    assert json.loads(components(at, "page_tabs")[0].proto.json)["open"] == "sweeps"
    at.toggle(key="present").set_value(True).run()
    clean(at)
    panels(at)  # the panels, although the Sweeps tab was open
    assert not components(at, "page_tabs"), "no tab bar on a projector"
    assert "tab" not in at.query_params and at.query_params["present"] == "1"


def test_predicting_hides_the_other_tabs_too() -> None:
    at = make_app({"tab": "steps"})
    assert at.get("plotly_chart"), "the step-by-step figures are drawn"
    at.toggle(key="predict").set_value(True).run()
    clean(at)
    assert not at.get("plotly_chart") and any("Hidden until Reveal" in i.value for i in at.info)


def test_a_link_value_between_a_sliders_steps_is_snapped_with_a_message() -> None:
    # η = 0.17 lies between the log slider's 0.15 and 0.2: the control takes the nearer in log distance
    # (|ln 0.17 − ln 0.15| = 0.125 < |ln 0.2 − ln 0.17| = 0.163) and the page says so.
    at = make_app({"r": ["gd~lr:0.17"], "lp": "b:123.4"})
    clean(at)
    text = " ".join(w.value for w in at.warning)
    assert "η = 0.17 lies between the slider's steps; using 0.15" in text
    assert "b = 123.4 lies between the slider's steps; using 120" in text
    scene, msgs = decode(query_of(at))
    assert not msgs and dict(scene.runs[0].params)["lr"] == 0.15


def test_every_lesson_and_guide_scene_is_on_its_sliders_steps() -> None:
    from lessons import get, keys
    from ui.controls import snapped_messages
    from ui.guide_view import scene_for

    scenes = [get(k).scene for k in keys()] + [scene_for(n) for n in optimizers.names()]
    assert all(snapped_messages(s) == [] for s in [Scene(), *scenes])


def test_3d_view_is_shorter_on_a_phone_and_when_presenting() -> None:
    desk = make_app({"view": "3d"})
    assert figure(desk, "surface_3d")["layout"]["height"] == 640
    # Presenting on a 720-pixel projector: the question (about 260 px) and the figure with its legend fit.
    presenting = figure(make_app({"view": "3d", "present": "1"}), "surface_3d")["layout"]
    assert presenting["height"] == 440 and presenting["legend"]["font"]["size"] == 20  # read from the back
    assert figure(desk, "surface_3d")["layout"]["legend"]["font"]["size"] == 14
    # Presenting, the axes' text is larger too, with at most 5 ticks an axis so that they do not collide.
    for name in ("xaxis", "yaxis", "zaxis"):
        big, normal = presenting["scene"][name], figure(desk, "surface_3d")["layout"]["scene"][name]
        assert big["tickfont"]["size"] == 16 and big["nticks"] == 5 and big["title"]["font"]["size"] == 18
        assert "tickfont" not in normal
        # seen from above (Rosenbrock's trench, see viz.curves.choose_eye), the short z axis gets 6 ticks
        assert normal.get("nticks") == (6 if name == "zaxis" else None)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["_is_phone"] = True  # what ui.views.is_phone stores for a phone's User-Agent
    at.query_params["view"] = "3d"
    at.run()
    clean(at)
    assert figure(at, "surface_3d")["layout"]["height"] == 360  # a phone's 340 px column until it reports


def test_the_3d_camera_fits_the_box_to_the_width_the_browser_reports() -> None:
    # Plotly's vertical field of view is fixed, so a column narrower than the box's picture (a laptop with
    # the sidebar open: 540 px) cut the box's sides off. The browser reports the column's width; the camera
    # moves back to fit the box (viz.curves.fit_camera) and the figure gets shorter.
    at = make_app({"view": "3d"})
    assert [el for el in at.get("bidi_component") if el.proto.id.endswith("screen_3d")], "the reporter is there"
    layout = figure(at, "surface_3d")["layout"]
    assert layout["height"] == 640  # a desktop's column is assumed until the browser reports

    def distance(lay: dict) -> float:
        cam = lay["scene"]["camera"]
        return float(np.linalg.norm([cam["eye"][k] - cam["center"][k] for k in "xyz"]))

    wide = distance(layout)
    at.session_state["screen_3d"] = {"screen": {"height": 800, "top": 200, "width": 540}}
    at.run()
    clean(at)
    laptop = figure(at, "surface_3d")["layout"]
    assert laptop["height"] == int(0.85 * 540 + 60) and distance(laptop) > wide
    for junk in ({"height": 800, "top": 200, "width": "540"}, {"height": 800, "top": 200, "width": float("inf")}):
        at.session_state["screen_3d"] = {"screen": junk}
        at.run()
        clean(at)
        assert figure(at, "surface_3d")["layout"]["height"] == 640, junk  # back to the assumed width


def test_presenting_the_3d_view_fills_the_screen_the_browser_reports() -> None:
    # A fixed 440 px fit a 720-pixel projector but left most of a 1080-pixel one empty. The browser reports
    # its window's height and where the figure's place starts (ui/screen.py; the browser tests check the
    # report itself); the figure fills the rest, less Streamlit's 16 px gap above it and 8 px below.
    at = make_app({"view": "3d", "present": "1"})
    assert figure(at, "surface_3d")["layout"]["height"] == 440  # nothing reported yet: the 720-pixel size
    assert [el for el in at.get("bidi_component") if el.proto.id.endswith("screen_3d")], "the reporter is there"
    cases = [
        ({"height": 1080, "top": 90}, 1080 - 90 - 16 - 8),
        ({"height": 1200, "top": 300}, 1200 - 300 - 16 - 8),
        # a 720-line screen under the saddle lesson's long question: 426 px (at 440 the legend ended at y = 730)
        ({"height": 720, "top": 270}, 720 - 270 - 16 - 8),
        ({"height": 720, "top": 500}, 360),  # a small screen keeps the least height (the page scrolls)
        ({"height": 4000, "top": 90}, 1400),  # the tallest figure drawn
    ]
    junk = [
        {"height": "1080", "top": 90},
        {"height": True, "top": 90},
        {"height": float("nan"), "top": 90},
        {"height": 1080},
        {"height": 1080, "top": -5},
        {"height": 1e9, "top": 0},
        [1080, 90],
        None,
    ]
    for reported, expected in cases + [(j, 440) for j in junk]:
        at.session_state["screen_3d"] = {"screen": reported}
        at.run()
        clean(at)
        assert figure(at, "surface_3d")["layout"]["height"] == expected, reported
    # Not presenting, the window's height does not matter: the desktop height holds.
    desk = make_app({"view": "3d"})
    desk.session_state["screen_3d"] = {"screen": {"height": 1080, "top": 90}}
    desk.run()
    assert figure(desk, "surface_3d")["layout"]["height"] == 640


def test_a_misspelt_link_parameter_is_named_and_the_page_still_draws() -> None:
    at = make_app({"setps": "100", "utm_source": "newsletter", "tab": "play", "sw_n": "25", "present": "0"})
    clean(at)
    text = " ".join(w.value for w in at.warning)
    assert "“setps” in the link was ignored; did you mean “steps”?" in text
    assert "utm_source" not in text and "sw_n" not in text and "present" not in text and "“tab”" not in text
    assert panels(at)["runs"], "the default scene is drawn"


def test_the_3d_view_says_where_the_html_animation_is() -> None:
    # The 3-D view offers the CSV, GIF and JSON but not the offline HTML animation (it is of the 2-D panels):
    # the button was simply missing. The page says where to find it.
    note = "The offline HTML animation is of the 2-D panels"
    for query, shown in (({"view": "3d"}, True), ({}, False)):
        at = make_app(query)
        at.session_state["downloads_open"] = True  # the expander builds its contents only while open
        at.run()
        clean(at)
        assert (note in " ".join(c.value for c in at.caption)) == shown, query


def test_a_pole_is_no_minimum_and_an_undefined_region_is_hatched_in_the_page() -> None:
    # log(x² + y²) falls without bound at the origin: the page had marked ☆ there ("lowest point: loss -94.82")
    # and measured distances and steps to reach from it. log(x) has no value for x < 0: that half was
    # shaded like the highest loss.
    at, text = with_about_open({"ls": "custom", "f": "log(x^2+y^2)", "fb": "-2~2~-1~3"})
    assert "falls without bound near (0, 0)" in text
    data = panels(at)
    assert data["minima"] == [] and all(row[2] is None for row in data["summary"]["rows"]), "no ☆, no distance"
    hatched = panels(make_app({"ls": "custom", "f": "log(x)+y^2", "fb": "-2~2~-2~2"}))
    assert "Hatched: undefined" in hatched["caption"]
    assert "Hatched" not in panels(make_app({}))["caption"]


def test_the_formula_windows_inputs_read_in_order_when_stacked() -> None:
    # On a phone Streamlit stacks columns: with one pair of columns for both axes the inputs read "x from,
    # y from, x to, y to". Page order is the stacking order.
    at = make_app({"ls": "custom"})
    labels = [n.label for n in at.sidebar.number_input if n.label.endswith((" from", " to"))]
    assert labels == ["x from", "x to", "y from", "y to"]


def test_every_controls_label_reads_as_words_and_its_symbol() -> None:
    # Labels were the keyword and the symbol side by side: "nesterov Nesterov", "beta1 β₁", "eps ε",
    # "clip norm" without its c, "eta min η_min" with the underscore as typed.
    from scene import settings_of
    from ui.widgets import label_of

    for name in optimizers.names():
        for key, hp in settings_of(name).items():
            label = label_of(hp)
            words = label.lower().replace(",", " ").split()
            assert len(words) == len(set(words)), label  # no word twice
            assert "_" not in label and not {"eps", "beta1", "beta2", "lr"} & set(words), label  # no raw keyword
            if hp.symbol and len(hp.symbol) <= 2 and "_" not in hp.symbol:
                assert hp.symbol in label, (key, label)
    labels = {k: label_of(hp) for k, hp in settings_of("adam").items()}
    assert labels["lr"] == "learning rate η" and labels["eps"] == "ε" and labels["beta1"] == "β₁ (first moment)"


def test_a_run_that_cannot_run_is_explained_without_the_registry_key() -> None:
    # PyTorch refuses Nesterov without momentum, and so does the core; the page said "SGD (PyTorch) did not
    # run: sgd: nesterov requires …", with the core's key.
    at = make_app({"r": ["sgd~nesterov:1", "gd"]})
    errors = [e.value for e in at.error]
    assert any("**SGD (PyTorch)** did not run: nesterov requires momentum" in e for e in errors), errors
    assert not any(": sgd:" in e for e in errors)


def test_hidden_paths_offer_no_keys_or_play() -> None:
    # Presenting with the paths hidden there is no Play bar, yet the caption offered "Keys: Space plays and
    # pauses, …", keys that did nothing.
    for query in ({"lesson": "saddle", "present": "1"}, {"lesson": "saddle"}):
        at = make_app(query)
        assert "Keys:" in panels(at)["caption"] or "▶ Play" in panels(at)["caption"], query
        at.toggle(key="predict").set_value(True).run()
        clean(at)
        caption = panels(at)["caption"]
        assert "Keys:" not in caption and "Play" not in caption, (query, caption)
