"""Sweeps: a cell is the single run with its setting; divergence is found and drawn as such; basin labels are
the nearest minimum; the Sweeps tab runs clean for every axis choice and survives junk in the URL."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import landscapes
import lessons
import optimizers
import sweeps
from scene import CUSTOM, Run, Scene
from simulate import simulate
from tests.harness import markdown_shown
from viz.sweep import CELLS_META, basin_figure, sig

ROOT = Path(__file__).resolve().parent.parent


# --- a cell equals the single run ---------------------------------------------------------------------
def _lr_grid(low: float, high: float, n: int) -> np.ndarray:
    return 10.0 ** np.linspace(math.log10(low), math.log10(high), n)


def _decay_grid(high: float, n: int) -> np.ndarray:
    # evenly spaced in -log10(1 - β) from β = 0 to β = high (the module's documented spacing)
    return 1.0 - 10.0 ** -np.linspace(0.0, -math.log10(1.0 - high), n)


CASES = [
    # (optimizer, axes, x values, y values, kwargs of the run)
    ("adam", "lr-beta", _lr_grid(1e-5, 1.0, 6), _decay_grid(0.999, 6), {}),
    ("adam", "lr-eps", _lr_grid(1e-5, 1.0, 6), _lr_grid(1e-12, 1.0, 6), {"beta1": 0.8}),
    ("adam", "beta1-beta2", _decay_grid(0.999, 6), _decay_grid(0.9999, 6), {"lr": 0.05}),
    ("momentum", "lr-beta", _lr_grid(1e-5, 1.0, 6), _decay_grid(0.999, 6), {"schedule": "step", "step_size": 20}),
    ("sgd", "lr-beta", _lr_grid(1e-5, 1.0, 6), _decay_grid(0.999, 6), {"weight_decay": 0.01}),
    ("rmsprop", "lr-start", _lr_grid(1e-5, 1.0, 6), np.linspace(-2.0, 2.0, 6), {"clip_norm": 5.0, "centered": True}),
]


@pytest.mark.parametrize(("opt", "axes", "xs", "ys", "kw"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_cell_equals_single_run(opt: str, axes: str, xs: np.ndarray, ys: np.ndarray, kw: dict) -> None:
    """Every cell of a 6 × 6 Rosenbrock sweep equals optimizers.run with that one setting (noise 0)."""
    steps = 80
    scene = Scene(landscape="rosenbrock", runs=(Run.make(opt, **kw),), steps=steps, start=(-1.2, 1.0))
    r = sweeps.sweep(scene, 0, axes, 6)
    np.testing.assert_allclose(r.x.values, xs, rtol=1e-12)
    np.testing.assert_allclose(r.y.values, ys, rtol=1e-12)
    land = landscapes.get("rosenbrock")
    base = {k: v for k, v in Run.make(opt, **kw).kwargs().items() if k != "batch_size"}
    names = {"lr-beta": ("lr", sweeps.beta_name(opt)), "lr-eps": ("lr", "eps"), "beta1-beta2": ("beta1", "beta2")}
    diverged_any = False
    for i in range(6):
        for j in range(6):
            single = dict(base)
            start = np.array([-1.2, 1.0])
            if axes == "lr-start":
                single["lr"] = xs[j]
                start[0] = ys[i]
            else:
                kx, ky = names[axes]
                single[kx], single[ky] = xs[j], ys[i]
            path = optimizers.run(opt, land.gradient, start, steps, **single)
            bad = np.isnan(path).any(axis=1)
            if bad.any():
                diverged_any = True
                k = int(np.argmax(bad))
                assert r.diverged_at[i, j] == k, (i, j)
                assert np.isnan(r.final_loss[i, j])
                np.testing.assert_allclose(r.final[i, j], path[max(k - 1, 0)], rtol=1e-12, atol=1e-300)
            else:
                assert r.diverged_at[i, j] == -1, (i, j)
                np.testing.assert_allclose(r.final[i, j], path[-1], rtol=1e-10, atol=1e-12)
                np.testing.assert_allclose(r.final_loss[i, j], land.value(path[-1]), rtol=1e-8, atol=1e-14)
                near = np.hypot(path[:, 0] - 1.0, path[:, 1] - 1.0) <= 0.01 * math.hypot(4.0, 4.0)
                assert r.reach[i, j] == (int(np.argmax(near)) if near.any() else -1), (i, j)
    if opt in ("momentum", "sgd"):
        assert diverged_any  # η = 1 on Rosenbrock blows up: the comparison covered diverged cells too


def test_chunked_sweep_equals_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """Running the grid in chunks of rows (for the progress bar) gives the same cells as one call."""
    scene = Scene(landscape="himmelblau", runs=(Run.make("momentum", lr=0.01),), steps=60)
    whole = sweeps.sweep(scene, 0, "lr-beta", 12)
    monkeypatch.setattr(sweeps, "PROGRESS_CELLS", 10)
    seen: list[float] = []
    parts = sweeps.sweep(scene, 0, "lr-beta", 12, progress=seen.append)
    assert len(seen) > 1 and seen[-1] == 1.0 and seen == sorted(seen)
    np.testing.assert_array_equal(parts.diverged_at, whole.diverged_at)
    np.testing.assert_array_equal(parts.reach, whole.reach)
    np.testing.assert_allclose(parts.final, whole.final, rtol=0, atol=0)


@pytest.mark.parametrize("opt", optimizers.names())
def test_every_optimizer_and_axis_pair_runs(opt: str) -> None:
    """Every optimizer of the registry sweeps every pair it offers (Newton with its Hessian) on the quadratic;
    the default η × β pair is offered exactly when the optimizer has a β-like decay."""
    scene = Scene(landscape="quadratic", runs=(Run.make(opt),), steps=5)
    offered = sweeps.available_axes(opt)
    assert "lr-start" in offered
    assert ("lr-beta" in offered) == (sweeps.beta_name(opt) is not None)
    for axes in offered:
        r = sweeps.sweep(scene, 0, axes, 3)
        assert r.final.shape == (3, 3, 2) and r.gap.shape == (3, 3)
        assert np.isfinite(r.gap[r.diverged_at < 0]).all()


def test_data_landscape_minibatch_sweep_runs() -> None:
    """A mini-batch run on a data landscape sweeps too (every cell draws its own batches)."""
    scene = Scene(landscape="linear-regression", runs=(Run.make("sgd", lr=0.05, batch_size=8),), steps=30)
    r = sweeps.sweep(scene, 0, "lr-beta", 4)
    assert (r.diverged_at[:, 0] < 0).all() and np.isfinite(r.final_loss[:, 0]).all()


# --- divergence ---------------------------------------------------------------------------------------
def _blowup_step(factor: float, v0: float, steps: int) -> int:
    """First t with |v0 · factor^t| > 1e12 (the runner's divergence limit), or -1 within ``steps``."""
    v, t = v0, 0
    while abs(v) <= 1e12:
        v *= factor
        t += 1
        if t > steps:
            return -1
    return t


def test_divergence_found_and_drawn_black() -> None:
    """GD on ½(x² + 10 y²) diverges exactly when 10η > 2; the step follows |1 − 10η|^t > 1e12."""
    steps = 200
    scene = Scene(
        landscape="quadratic",
        landscape_params=(("kappa", 10.0), ("theta", 0.0)),
        runs=(Run.make("gd"),),
        steps=steps,
        start=(1.0, 1.0),
    )
    r = sweeps.sweep(scene, 0, "lr-start", 25)
    assert r.x.name == "lr"
    checked_diverged = 0
    for j, lr in enumerate(r.x.values):
        want = _blowup_step(1.0 - 10.0 * lr, 1.0, steps) if lr > 0.2 else -1
        assert (r.diverged_at[:, j] == want).all(), (lr, want, r.diverged_at[:, j])
        checked_diverged += want >= 0
    assert checked_diverged >= 3
    fig = _figure(scene, r, "loss")
    overlay = fig["data"][1]["z"]
    n = len(r.x.values)
    for i in range(n):
        for j in range(n):
            d = int(r.diverged_at[i, j])
            assert (overlay[i][j] == 1) == (d >= 0)
            assert (fig["data"][0]["z"][i][j] is None) == (d >= 0)
    # the hover of diverged cells says "diverged at step k" with the hand-computed k, at the cell's centre
    cells = [t for t in fig["data"] if t.get("meta") == CELLS_META and "diverged at step" in t["hovertemplate"]]
    assert len(cells) == 1
    trace = cells[0]
    assert "%{customdata[2]}" in trace["hovertemplate"].split("diverged at step")[1]
    assert len(trace["x"]) == int((r.diverged_at >= 0).sum())
    for x, y, (lr, x0, step) in zip(trace["x"], trace["y"], trace["customdata"], strict=True):
        j = int(np.argmin(np.abs(r.x.coords - x)))
        assert abs(x0 - y) < 1e-3  # the y axis is the start x itself
        assert abs(10**x - lr) / lr < 1e-3 and abs(r.x.values[j] - lr) / lr < 1e-3
        assert step == _blowup_step(1.0 - 10.0 * r.x.values[j], 1.0, steps)
    assert any(t.get("name") == "diverged" and t.get("showlegend") for t in fig["data"])


def test_runs_that_leave_a_formula_s_domain_stop_as_the_playground_says() -> None:
    """Every cell ends as :func:`simulate.simulate` says the same single run ends: the same step, and "stopped"
    (the surface has no value where it got to: log(y + 3) at y ≤ -3) told from "diverged" (50x² blows up for
    η > 0.02). At η = 1 the x blow-up and y's fall below -3 race, so both outcomes appear."""
    formula = "50*x^2 + log(y + 3)"
    scene = Scene(landscape=CUSTOM, formula=formula, runs=(Run.make("gd"),), steps=200, start=(1.0, 0.0))
    r = sweeps.sweep(scene, 0, "lr-start", 6)
    for i, x0 in enumerate(r.y.values):
        for j, lr in enumerate(r.x.values):
            single = Scene(
                landscape=CUSTOM, formula=formula, runs=(Run.make("gd", lr=float(lr)),), steps=200, start=(x0, 0.0)
            )
            run = simulate(single).runs[0]
            assert r.diverged_at[i, j] == (-1 if run.diverged_at is None else run.diverged_at), (i, j)
            assert r.stopped[i, j] == (run.stop_reason is not None), (i, j)
    stopped, ended = int(r.stopped.sum()), int((r.diverged_at >= 0).sum())
    assert 0 < stopped < ended, "both outcomes are in the grid"
    assert r.ended == (ended - stopped, stopped)
    fig = _figure(scene, r, "loss")
    hovers = [t["hovertemplate"] for t in fig["data"] if t.get("meta") == CELLS_META]
    assert sum("stopped at step" in h and "no value or gradient" in h for h in hovers) == 1
    assert any(t.get("name") == "diverged / stopped" and t.get("showlegend") for t in fig["data"])


def test_basin_cells_that_stop_are_counted_apart_from_divergence() -> None:
    # GD at η = 0.3 overshoots left past x = -2, where sqrt(x + 2) has no value, from some starts
    formula = "(x^2 - 1)^2 + y^2 + 0.1*sqrt(x + 2)"
    scene = Scene(landscape=CUSTOM, formula=formula, runs=(Run.make("gd", lr=0.3),), steps=100)
    b = sweeps.basins(scene, 0, 10)
    expected = 0
    for y in b.ys:
        for x in b.xs:
            single = Scene(landscape=CUSTOM, formula=formula, runs=scene.runs, steps=100, start=(float(x), float(y)))
            expected += simulate(single).runs[0].stop_reason is not None
    assert b.stopped == expected > 0
    assert (b.labels == -2).sum() >= b.stopped


def _figure(scene: Scene, r: sweeps.SweepResult, metric: str, axes: str = "lr-start", run: int = 0) -> dict:
    from ui.sweep_view import sweep_chart

    s = sweeps.SweepSettings(run=run, axes=axes, n=len(r.x.values), metric=metric)
    return json.loads(sweep_chart(scene, s, r, "GD").to_json())


def test_a_legend_names_only_what_the_map_shows() -> None:
    # A map where every run diverged listed "stayed finite" in yellow; a setting beyond the axes (η = 5 on
    # an η axis up to 1) was named in the legend as the ○ "now", which the map could not show.
    scene = Scene(landscape="quadratic", runs=(Run("gd", (("lr", 5.0),)),), steps=30, start=(1.0, 1.0))
    r = sweeps.sweep(scene, 0, "lr-start", 6)
    assert r.x.values.max() < 5.0
    names = [t.get("name") for t in _figure(scene, r, "diverged")["data"] if t.get("showlegend")]
    assert [n for n in names if "now" in n] == ["GD now (η = 5, x₀ = 1): outside the map"]
    assert any("stayed finite" in n for n in names)  # the smallest η stay finite
    bowl = Scene(landscape=CUSTOM, formula="-(x^2+y^2)^2", runs=(Run("momentum", (("lr", 0.01),)),), steps=2000)
    bowl = bowl.with_(start=(2.0, 5.0))
    every = sweeps.sweep(bowl, 0, "lr-beta", 5)
    assert (every.diverged_at >= 0).all()
    names = [t.get("name") for t in _figure(bowl, every, "diverged", axes="lr-beta")["data"] if t.get("showlegend")]
    assert not any("stayed finite" in n for n in names) and "diverged" in names
    assert next(n for n in names if "now" in n).endswith(")"), "inside the map: no note"


def test_one_step_is_one_step_not_one_steps() -> None:
    at = _app({"steps": "1", "sw_metric": "reach", "sw_n": "25"})
    assert not at.exception
    caption = " ".join(c.value for c in at.caption)
    assert "1 step each" in caption and "1 steps" not in caption
    names = [t.get("name") for t in _sweep_spec(at)["data"] if t.get("showlegend")]
    assert "never reached (in 1 step)" in names, names


def test_no_note_about_axes_nobody_asked_for() -> None:
    # "Gradient descent has no η × β (momentum) to sweep; showing η × start x" greeted a scene whose only run
    # is GD, though η × β was only the default. A link that asks for η × β still gets the note.
    assert not [i.value for i in _app({"r": "gd~lr:0.1", "sw_n": "25"}).info if "to sweep" in i.value]
    asked = _app({"r": "gd~lr:0.1", "sw_n": "25", "sw_axes": "lr-beta"})
    assert [i.value for i in asked.info if "has no η × β" in i.value]


def test_reach_metric_marks_never_grey_and_steps() -> None:
    """Steps to reach: never-reached cells get status 2, reached cells their step as colour."""
    scene = Scene(landscape="quadratic", runs=(Run.make("gd"),), steps=40, start=(1.0, 1.0))
    r = sweeps.sweep(scene, 0, "lr-start", 10)
    fig = _figure(scene, r, "reach")
    z, overlay = fig["data"][0]["z"], fig["data"][1]["z"]
    assert (r.reach < 0).any() and (r.reach >= 0).any()
    for i in range(10):
        for j in range(10):
            if r.diverged_at[i, j] >= 0:
                assert overlay[i][j] == 1
            elif r.reach[i, j] < 0:
                assert overlay[i][j] == 2 and z[i][j] is None
            else:
                assert overlay[i][j] is None and z[i][j] == r.reach[i, j]


def test_loss_colours_stop_two_decades_above_the_start_loss() -> None:
    """GD on the round bowl 5(x² + y²) (κ = 1), start x swept over [-3, 3] at y = 1: the highest start loss
    is 5·(9 + 1) = 50 (hand maths). η just below the stability limit 2/λ = 0.2 ends far above it without
    diverging within 40 steps; the colour scale stops at 50·10² and those cells take its top colour,
    labelled "≥ …"."""
    scene = Scene(landscape="quadratic", landscape_params=(("kappa", 1.0),), runs=(Run.make("gd"),), steps=40)
    scene = scene.with_(start=(1.0, 1.0))
    r = sweeps.sweep(scene, 0, "lr-start", 20)
    land = landscapes.get("quadratic", kappa=1.0)
    starts = np.stack([np.ones((20, 20)), np.ones((20, 20))], axis=-1)
    starts[..., 0] = r.y.values[:, None]
    np.testing.assert_allclose(r.start_gap, land.value(starts) - land.min_value)
    assert float(np.nanmax(r.start_gap)) == pytest.approx(50.0, rel=1e-9)
    top = math.log10(50.0) + 2
    fig = _figure(scene, r, "loss")
    heat = fig["data"][0]
    finite = [v for row in heat["z"] for v in row if v is not None]
    alive = (r.diverged_at < 0) & np.isfinite(r.gap)
    assert float(np.max(r.gap[alive])) > 10**top, "some run that did not diverge blew up past the cap"
    assert max(finite) == pytest.approx(top, abs=1e-3)
    ticks = heat["colorbar"]
    assert ticks["ticktext"][-1].startswith("≥ ") and ticks["tickvals"][-1] == pytest.approx(top)


def test_loss_colours_on_a_saddle_keep_near_the_losses_inside_the_picture() -> None:
    """The saddle x² − y² on [-2, 2]²: inside the picture the loss lies in [-4, 4] (hand maths), so the colours
    keep within [-8, 8]; momentum runs that escape to -1e6 and beyond take the bottom colour, labelled "≤ …"."""
    scene = lessons.get("saddle").scene
    r = sweeps.sweep(scene, 2, "lr-beta", 20)  # the lesson's third run: SGD with momentum
    alive = (r.diverged_at < 0) & np.isfinite(r.gap)
    assert not r.gap_is_excess and float(np.min(r.gap[alive])) < -1e6
    fig = _figure(scene, r, "loss", axes="lr-beta", run=2)
    heat = fig["data"][0]
    finite = [v for row in heat["z"] for v in row if v is not None]
    assert -8.0 <= min(finite) < 0 < max(finite) <= 8.0
    assert heat["colorbar"]["ticktext"][0].startswith("≤ ")


# --- basins -------------------------------------------------------------------------------------------
HIMMELBLAU_MINIMA = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848127)]


def test_nearest_minimum_by_hand() -> None:
    """Points near each minimum get its index; far points -1; NaN points -2."""
    minima = np.array(HIMMELBLAU_MINIMA)
    pts = minima + np.array([[0.05, -0.05], [-0.1, 0.0], [0.0, 0.1], [0.08, 0.08]])
    assert sweeps.nearest_minimum(pts, minima, 0.5).tolist() == [0, 1, 2, 3]
    assert sweeps.nearest_minimum(np.array([[0.0, 0.0], [np.nan, 1.0]]), minima, 0.5).tolist() == [-1, -2]


@pytest.mark.parametrize("opt", ["gd", "momentum", "adam"])
def test_basin_labels_near_each_himmelblau_minimum(opt: str) -> None:
    """Starting in the grid cell that holds a minimum, the run ends in that minimum (Himmelblau's four)."""
    lr = {"gd": 0.01, "momentum": 0.01, "adam": 0.05}[opt]
    scene = Scene(landscape="himmelblau", runs=(Run.make(opt, lr=lr),), steps=300)
    b = sweeps.basins(scene, 0, 40)
    assert b.error is None and b.labels.shape == (40, 40)
    for k, (mx, my) in enumerate(HIMMELBLAU_MINIMA):
        i, j = int(np.argmin(np.abs(b.ys - my))), int(np.argmin(np.abs(b.xs - mx)))
        assert math.hypot(b.xs[j] - mx, b.ys[i] - my) < 0.2
        assert b.labels[i, j] == k, (opt, k, b.labels[i, j])
    assert set(np.unique(b.labels)) >= {0, 1, 2, 3}


def test_six_hump_camel_two_basins_split_by_symmetry() -> None:
    """The six-hump camel is symmetric under (x, y) → (−x, −y), and so are GD's basins of its two minima."""
    scene = Scene(landscape="six-hump-camel", runs=(Run.make("gd", lr=0.01),), steps=400)
    b = sweeps.basins(scene, 0, 30)
    flipped = b.labels[::-1, ::-1]
    swap = np.where(flipped == 0, 1, np.where(flipped == 1, 0, flipped))
    assert set(np.unique(b.labels)) >= {0, 1}
    assert (b.labels == swap).mean() > 0.98


# --- settings and URL ---------------------------------------------------------------------------------
def test_available_axes_follow_the_spec() -> None:
    """Only the pairs an optimizer has: GD has η alone, Adam everything, momentum η × β."""
    assert sweeps.available_axes("gd") == ["lr-start"]
    assert sweeps.available_axes("adam") == ["lr-beta", "lr-eps", "lr-start", "beta1-beta2"]
    assert sweeps.available_axes("momentum") == ["lr-beta", "lr-start"]
    assert sweeps.beta_name("sgd") == "momentum" and sweeps.beta_name("rmsprop") == "alpha"
    with pytest.raises(ValueError, match="β₁ × β₂"):
        sweeps.sweep(Scene(runs=(Run.make("gd"),)), 0, "beta1-beta2", 4)


@pytest.mark.parametrize(
    ("query", "field", "default"),
    [
        ({"sw_n": "abc"}, "n", 50),
        ({"sw_n": "37"}, "n", 50),
        ({"sw_axes": "<script>"}, "axes", "lr-beta"),
        ({"sw_metric": "9" * 400}, "metric", "loss"),
        ({"sw_run": "99"}, "run", None),
        ({"sw_run": "-1"}, "run", None),
    ],
)
def test_junk_settings_become_defaults_with_a_message(query: dict, field: str, default: object) -> None:
    s, msgs = sweeps.decode_settings(query, n_runs=4)
    assert getattr(s, field) == default
    assert len(msgs) == 1 and "<" not in msgs[0] and len(msgs[0]) < 200


def test_a_rejected_run_number_names_the_run_swept_instead() -> None:
    # The message said "sweeping run 1" while the page swept the first run with a β (run 2 here).
    _, msgs = sweeps.decode_settings({"sw_run": "9"}, n_runs=4, auto_run=1)
    assert msgs == ["Sweep run “9” is not a run number from 1 to 4; sweeping run 2."]
    scene = Scene(runs=(Run("gd", (("lr", 0.01),)), Run("momentum", (("lr", 0.01),))))
    at = _app({"r": ["gd~lr:0.01", "momentum~lr:0.01"], "sw_run": "9", "sw_n": "10"})
    assert not at.exception
    assert at.selectbox(key="sw_run").value == sweeps.default_run(scene) == 1
    assert any("sweeping run 2." in w.value for w in at.warning), [w.value for w in at.warning]


def test_settings_round_trip() -> None:
    s = sweeps.SweepSettings(run=2, axes="lr-eps", n=100, metric="reach")
    q = sweeps.encode_settings(s, auto_run=1)
    assert q == {"sw_run": "3", "sw_axes": "lr-eps", "sw_n": "100", "sw_metric": "reach"}
    assert sweeps.decode_settings(q, n_runs=4) == (s, [])
    assert sweeps.encode_settings(sweeps.SweepSettings(run=1), auto_run=1) == {}


def test_sig_rounds_to_four_digits() -> None:
    np.testing.assert_array_equal(sig(np.array([123456.0, 0.000123456, -9.87654])), [123500.0, 0.0001235, -9.877])
    assert np.isnan(sig(np.array([np.nan]))[0])


# --- the page -----------------------------------------------------------------------------------------
def _app(query: dict[str, str | list[str]]):  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in {"tab": "sweeps", **query}.items():  # only the open tab is drawn
        at.query_params[k] = v
    at.run()
    return at


def _param(at, name: str, default: str) -> str:  # type: ignore[no-untyped-def]
    """The page's query parameter ``name`` (AppTest gives one string, or a list for repeated keys)."""
    v = at.query_params.get(name, default)
    return v[-1] if isinstance(v, list) else v


def _sweep_spec(at) -> dict:  # type: ignore[no-untyped-def]
    for c in at.get("plotly_chart"):
        spec = json.loads(c.proto.spec)
        if any(t.get("meta") == CELLS_META for t in spec["data"]):
            return spec
    raise AssertionError("no sweep heatmap on the page")


@pytest.mark.parametrize(
    ("runs", "expected"),
    [
        (["adam~lr:0.05"], {"lr-beta": "β₁", "lr-eps": "ε", "lr-start": "start x", "beta1-beta2": "β₂"}),
        (["momentum~lr:0.002", "gd"], {"lr-beta": "β", "lr-start": "start x"}),
    ],
)
def test_app_every_axis_choice(runs: list[str], expected: dict[str, str]) -> None:
    """Each axis pair the optimizer offers draws a heatmap with that y axis, and goes into the URL."""
    at = _app({"r": runs, "steps": "40", "sw_n": "25"})
    assert not at.exception
    assert list(at.selectbox(key="sw_axes").options) == [sweeps.axes_label(k, runs[0].split("~")[0]) for k in expected]
    for axes, y_word in expected.items():
        at.selectbox(key="sw_axes").set_value(axes).run()
        assert not at.exception, axes
        assert not at.error, [e.value for e in at.error]
        spec = _sweep_spec(at)
        assert spec["data"][0]["type"] == "heatmap"
        assert len(spec["data"][0]["z"]) == 25 and len(spec["data"][0]["z"][0]) == 25
        assert y_word in spec["layout"]["yaxis"]["title"]["text"]
        assert _param(at, "sw_axes", "lr-beta") == axes


def test_app_metrics_sizes_and_gd_only_axis() -> None:
    """Every outcome colouring draws; GD offers η × start only; the run choice goes into the URL."""
    at = _app({"r": ["gd~lr:0.001", "adam~lr:0.05"], "steps": "30", "sw_n": "25"})
    assert not at.exception
    assert at.selectbox(key="sw_run").value == 1  # the first run with a β-like decay
    for metric in sweeps.METRICS:
        at.segmented_control(key="sw_metric").set_value(metric).run()
        assert not at.exception and not at.error
        spec = _sweep_spec(at)
        titles = json.dumps(spec["data"][0].get("colorbar", {}))
        if metric == "diverged":
            assert spec["data"][0]["showscale"] is False
        else:
            assert ("loss" in titles) if metric == "loss" else ("steps" in titles)
    at.selectbox(key="sw_run").set_value(0).run()
    assert not at.exception
    assert at.selectbox(key="sw_axes").value == "lr-start"
    assert _param(at, "sw_run", "") == "1"
    assert "x" in _sweep_spec(at)["layout"]["yaxis"]["title"]["text"]


def test_app_junk_sweep_query_warns_and_draws_defaults() -> None:
    at = _app({"sw_n": "banana", "sw_axes": "x*y", "sw_metric": "<b>", "sw_run": "12", "steps": "30"})
    assert not at.exception
    text = markdown_shown(" ".join(w.value for w in at.warning))
    # the default scene's first run with a β is its second (Momentum), which the page sweeps
    assert "banana" in text and "x*y" in text and "sweeping run 2" in text
    assert at.selectbox(key="sw_run").value == 1
    assert "<b>" not in text
    spec = _sweep_spec(at)
    assert len(spec["data"][0]["z"]) == 50


def test_app_himmelblau_basins_side_by_side() -> None:
    """Himmelblau: one basin panel per optimizer of the scene, the four minima in the legend."""
    at = _app({"ls": "himmelblau", "steps": "150", "sw_n": "25"})
    assert not at.exception
    basin = next(
        json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
        if any("minimum 4" in str(t.get("name")) for t in json.loads(c.proto.spec)["data"])
    )
    heatmaps = [t for t in basin["data"] if t["type"] == "heatmap"]
    assert len(heatmaps) == 4  # the default scene's four optimizers
    assert {h["xaxis"] for h in heatmaps} == {"x", "x2", "x3", "x4"}
    for h in heatmaps:
        assert len(h["z"]) == 25


def test_a_custom_double_well_s_basins_split_at_the_hump() -> None:
    """The local-minimum lesson's (x² − 1)² + 0.3x + y²: its window's two minima, the lowest first, are told
    apart. x and y do not interact, so GD's basins split exactly at the hump x ≈ 0.075 (a root of
    4x³ − 4x + 0.3, by hand); heavy-ball momentum carries some starts right of it into the left valley."""
    scene = lessons.get("local-minimum").scene
    left, hump, right = np.sort(np.roots([4.0, 0.0, -4.0, 0.3]).real)
    gd = sweeps.basins(scene, 0, 20)
    np.testing.assert_allclose(gd.minima, [[left, 0.0], [right, 0.0]], atol=1e-6)
    want = np.where(gd.xs < hump, 0, 1)
    assert (gd.labels == want[None, :]).all()
    heavy = sweeps.basins(scene, 1, 20)
    assert ((heavy.labels == 0) & (heavy.xs[None, :] > hump)).any()
    at = _app({"lesson": "local-minimum", "sw_n": "25"})
    assert not at.exception
    names = [
        str(t.get("name")) for c in at.get("plotly_chart") for t in json.loads(c.proto.spec)["data"] if t.get("name")
    ]
    assert any(n.startswith("minimum 1 (-1.036, 0), the lowest") for n in names), names
    assert any(n.startswith("minimum 2 (0.9601, 0), local") for n in names), names


def test_app_no_basin_map_explains_why() -> None:
    at = _app({"steps": "30", "sw_n": "25"})
    assert not at.exception
    assert any("basin map needs at least two minima" in i.value for i in at.info)
    # a custom surface with one lowest point in its window is told so, and offered a double well
    custom = _app({"steps": "30", "sw_n": "25", "ls": "custom", "f": "x^2 + y^2"})
    assert not custom.exception
    text = " ".join(i.value for i in custom.info)
    assert "has only one minimum in its window" in text and "(x^2 - 1)^2 + y^2" in text


def test_app_big_grid_runs_in_chunks_with_progress_and_reruns_from_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """A grid above the progress threshold runs in chunks of rows behind a progress bar; the rerun (every chunk
    from the cache) is clean too. The threshold is lowered so a 50 × 50 grid stands in for 200 × 200."""
    monkeypatch.setattr(sweeps, "PROGRESS_CELLS", 1000)
    assert len(sweeps.chunks(50, 10)) > 1
    at = _app({"r": "momentum~lr:0.002", "steps": "10"})
    assert not at.exception
    assert len(_sweep_spec(at)["data"][0]["z"]) == 50
    at.segmented_control(key="sw_metric").set_value("reach").run()
    assert not at.exception and not at.error
    assert len(_sweep_spec(at)["data"][0]["z"]) == 50
    at.selectbox(key="sw_n").set_value(25).run()
    assert not at.exception and len(_sweep_spec(at)["data"][0]["z"]) == 25
    assert _param(at, "sw_n", "") == "25"


def test_linear_colour_ticks_are_round_numbers_and_label_cut_ends() -> None:
    from ui.sweep_view import _ticks

    # Span 16 → step 5 (16/5 = 3.2 rounds up to 5): -5, 0, 5 inside, the cut ends -8 and 8 labelled.
    assert _ticks(-8.0, 8.0, True, True, log=False) == ([-8.0, -5.0, 0.0, 5.0, 8.0], ["≤ -8", "-5", "0", "5", "≥ 8"])
    # Span 1, nothing cut → step 0.2 from 0 to 1.
    vals, texts = _ticks(0.0, 1.0, False, False, log=False)
    assert texts == ["0", "0.2", "0.4", "0.6", "0.8", "1"] and vals[0] == 0.0 and vals[-1] == 1.0


# --- the work budget ------------------------------------------------------------------------------------
def test_log_colour_ticks_within_a_decade_still_label_the_bar() -> None:
    # The final losses of a custom sqrt(x) + y^2 sweep span 0.15-2.2: the powers of ten gave one label ("1").
    from ui.sweep_view import _ticks

    def texts(lo: float, hi: float, cut: bool = False) -> list[str]:
        return _ticks(math.log10(lo), math.log10(hi), False, cut, log=True)[1]

    assert texts(0.15, 2.2) == ["0.2", "0.5", "1", "2"]
    assert texts(0.5, 0.9) == ["0.5", "0.6", "0.7", "0.8", "0.9"]
    assert texts(0.11, 0.19) == ["0.11", "0.19"]  # narrower still: its ends
    assert texts(0.15, 2.2, cut=True) == ["0.2", "0.5", "1", "≥ 2.2"]
    assert texts(1e-6, 10) == ["1e-6", "1e-5", "1e-4", "0.001", "0.01", "0.1", "1", "10"]  # decades as before


def test_work_counts_cells_steps_and_the_hessian() -> None:
    ros = landscapes.get("rosenbrock")
    gd = sweeps.work(ros, ["gd"], 100, 10)
    assert sweeps.work(ros, ["gd"], 400, 10) == 4 * gd and sweeps.work(ros, ["gd"], 100, 30) == 3 * gd
    assert sweeps.work(ros, ["newton"], 100, 10) > gd, "Newton also evaluates the Hessian"
    assert sweeps.work(ros, ["gd", "adam"], 100, 10) == 2 * gd, "a basin map runs every optimizer"
    heavy = landscapes.get("logistic-regression")
    assert sweeps.work(heavy, ["gd"], 100, 10) > 50 * gd, "a sigmoid of every data point per gradient"


def test_work_counts_a_runs_mini_batches() -> None:
    # A 200 × 200 sweep of 2,000 SGD steps on linear regression with mini-batches of 4 kept the server busy
    # 7.6 s (the audit): its work counted the full gradient, cheap on this landscape, not the mini-batch's
    # draws and gathers. It now runs on a smaller grid; the full-batch sweep keeps its 200 × 200.
    lin = landscapes.get("linear-regression")
    full = sweeps.work(lin, ["sgd"], 100, 10)
    assert sweeps.work(lin, ["sgd"], 100, 10, [0]) == full == sweeps.work(lin, ["sgd"], 100, 10, [lin.n_samples])
    costs = [sweeps.work(lin, ["sgd"], 100, 10, [b]) for b in (1, 4, 16, 64, 128)]
    assert costs == sorted(costs) and costs[1] > 2 * full, "a larger mini-batch costs more"
    assert sweeps.affordable_size(lin, ["sgd"], 200, 2000) == 200
    assert sweeps.affordable_size(lin, ["sgd"], 200, 2000, batch_sizes=[4]) == 100
    # the page asks with each run's own mini-batch size
    at = _app({"ls": "linear-regression", "r": "sgd~lr:0.01~momentum:0.9~batch_size:4", "steps": "2000", "sw_n": "200"})
    assert not at.exception
    assert any("showing 100 × 100" in i.value for i in at.info), [i.value for i in at.info]


@pytest.mark.parametrize(
    ("name", "opt", "steps"),
    [("rosenbrock", "adam", 2000), ("rnn-cliff", "gd", 2000), ("logistic-regression", "newton", 2000)],
)
def test_the_grid_run_is_the_largest_within_the_budget(name: str, opt: str, steps: int) -> None:
    land = landscapes.get(name)
    k = sweeps.affordable_size(land, [opt], 200, steps)
    for size in sweeps.SIZES:
        fits = sweeps.work(land, [opt], size * size, steps) <= sweeps.MAX_WORK
        assert fits == (k is not None and size <= k)
    most = sweeps.affordable_steps(land, [opt], 25)
    assert sweeps.work(land, [opt], 625, most) <= sweeps.MAX_WORK < sweeps.work(land, [opt], 625, most + 1)


def test_app_a_sweep_too_big_for_a_shared_server_is_shrunk_or_refused_with_a_message() -> None:
    at = _app({"ls": "rnn-cliff", "steps": "2000", "sw_n": "200", "r": ["gd~lr:0.01"]})
    assert not at.exception
    k = sweeps.affordable_size(landscapes.get("rnn-cliff"), ["gd"], 200, 2000)
    assert k is not None and k < 200
    (info,) = [i.value for i in at.info if "shared server" in i.value]
    assert "A 200 × 200 sweep" in info and f"showing {k} × {k}" in info
    assert len(_sweep_spec(at)["data"][0]["z"]) == k
    at = _app({"ls": "logistic-regression", "steps": "2000", "sw_n": "200", "r": ["newton"]})
    assert not at.exception
    (warning,) = [w.value for w in at.warning if "shared server" in w.value]
    most = sweeps.affordable_steps(landscapes.get("logistic-regression"), ["newton"], 25)
    assert "Even a 25 × 25 sweep" in warning and f"at most {most:,} steps" in warning
    with pytest.raises(AssertionError):
        _sweep_spec(at)


def test_on_a_phone_the_colour_bar_lies_under_the_map_with_at_most_five_labels() -> None:
    from viz.sweep import sweep_figure

    n = 5
    values = np.logspace(-12, 2, n * n).reshape(n, n)
    ticks = ([float(k) for k in range(-12, 3, 2)], [f"1e{k}" for k in range(-12, 3, 2)])  # eight labels
    common = dict(x_title="η", y_title="β", x_ticks=([], []), y_ticks=([], []), colour_title="loss", colour_ticks=ticks)
    args = (np.arange(n), np.arange(n), np.log10(values), np.zeros((n, n), int), np.zeros((n, n, 1)), [("%{x}", [0])])
    codes = np.zeros((n, n), int)
    wide = sweep_figure(*args, codes, **common).to_dict()["data"][0]["colorbar"]
    phone = sweep_figure(*args, codes, **common, narrow=True).to_dict()["data"][0]["colorbar"]
    assert wide.get("orientation", "v") == "v" and list(wide["ticktext"]) == ticks[1]
    assert phone["orientation"] == "h" and phone["y"] < 0
    assert 3 <= len(phone["ticktext"]) <= 5 and phone["ticktext"][-1] == "1e2"
    assert set(phone["ticktext"]) <= set(ticks[1])


@pytest.mark.parametrize(
    ("bounds", "ratio"),
    # a y unit's length on screen in x units' lengths: 1 at equal scales; a window 40 wide and 1 high is
    # drawn 3:1, so 40/3 (by hand)
    [(((-5, 5), (-5, 5)), 1.0), (((-2, 2), (-1.2, 1.2)), 1.0), (((-20, 20), (0, 1)), 40 / 3)],
)
@pytest.mark.parametrize("narrow", [False, True])
def test_basin_maps_are_drawn_at_equal_scales_with_titles_on_the_plots(
    bounds: tuple[tuple[float, float], tuple[float, float]], ratio: float, narrow: bool
) -> None:
    xs, ys = np.linspace(*bounds[0], 5), np.linspace(*bounds[1], 5)
    labels = np.zeros((5, 5), dtype=int)
    panels = [(f"run {i}", labels) for i in range(4)]
    fig = basin_figure(panels, xs, ys, np.array([[0.0, 0.5]]), bounds, columns=4, narrow=narrow).to_dict()
    layout = fig["layout"]
    for i in range(4):
        ax = "" if i == 0 else str(i + 1)
        y = layout[f"yaxis{ax}"]
        assert y["scaleanchor"] == f"x{ax}" and y["scaleratio"] == pytest.approx(ratio)
        assert y["constrain"] == layout[f"xaxis{ax}"]["constrain"] == "domain"
        assert 0 <= y["domain"][0] < y["domain"][1] <= 1
    # the titles sit on the plots as drawn (a plot shrunk inside its cell keeps its title)
    titles = [a for a in layout["annotations"] if a["text"].startswith("<b>run")]
    assert [(a["xref"], a["yref"]) for a in titles] == [
        (f"x{ax} domain", f"y{ax} domain") for ax in ("", "2", "3", "4")
    ]
