"""The Step by step tab: seed 002's hand calculation in the table, the substituted rule, the Hessian, the
arrows, every optimizer; and the GIF export."""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

import landscapes
import optimizers
from scene import Run, Scene
from simulate import simulate
from ui.steps_view import hessian_facts, rule_latex, step_table, tex_vec
from viz.gif import scene_gif
from viz.surface import render

ROOT = Path(__file__).resolve().parent.parent
SEED_002 = {"ls": "custom", "f": "x^2", "fb": "-5~5~-5~5", "x0": "4", "y0": "0", "steps": "20"}


def app(query: dict[str, str | list[str]]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in {"tab": "steps", **query}.items():  # only the open tab is drawn
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def steps_table(at: AppTest):
    tables = [d.value for d in at.dataframe if "θₜ (x)" in d.value.columns]
    assert len(tables) == 1
    return tables[0]


# --- seed 002, by hand: L(w) = w², w₀ = 4, η = 0.1 ------------------------------------------------------
def rmsprop_by_hand() -> tuple[float, float]:
    w, v = 4.0, 0.0
    out = []
    for _ in range(2):
        g = 2 * w
        v = 0.9 * v + 0.1 * g * g
        w = w - 0.1 * g / (math.sqrt(v) + 1e-8)
        out.append(w)
    return out[0], out[1]


def test_seed_002_hand_values_in_the_table() -> None:
    at = app({**SEED_002, "r": ["gd~lr:0.1", "sgd~lr:0.1~momentum:0.9", "rmsprop~lr:0.1~alpha:0.9", "adam~lr:0.1"]})
    r1, r2 = rmsprop_by_hand()
    assert r1 == pytest.approx(3.683772, abs=1e-6) and r2 == pytest.approx(3.463507, abs=1e-6)  # REFERENCE.md
    want = {
        "Gradient descent": ([3.2, 2.56], {}),
        "SGD (PyTorch)": ([3.2, 1.84], {"b (x)": [8.0, 13.6]}),  # v = ηb: 0.8, 1.36 in seed 002's form
        "RMSprop": ([r1, r2], {"v (x)": [6.4, 0.9 * 6.4 + 0.1 * (2 * r1) ** 2], "g (x)": [8.0, 2 * r1]}),
        "Adam": ([4 - 0.1 * 8 / (8 + 1e-8)], {"m̂ (x)": [8.0], "v̂ (x)": [64.0], "m (x)": [0.8], "v (x)": [0.064]}),
    }
    for label, (theta, cells) in want.items():
        at.selectbox(key="steps_run").set_value(label)
        at.run()
        assert not at.exception
        df = steps_table(at)
        np.testing.assert_allclose(df["θₜ (x)"].to_numpy()[: len(theta)], theta, rtol=1e-12)
        np.testing.assert_allclose(df["θₜ (y)"].to_numpy()[:2], 0.0, atol=0)
        for col, vals in cells.items():
            np.testing.assert_allclose(df[col].to_numpy()[: len(vals)], vals, rtol=1e-12)
    # the RMSprop step 2 of the seed (3.48) reuses GD's gradient 6.4; the table's gradient is 7.3675…
    at.selectbox(key="steps_run").set_value("RMSprop")
    at.slider(key="steps_t").set_value(2)
    at.run()
    latex = "".join(x.value for x in at.markdown if "$$" in x.value)
    assert "3.46351" in latex and "7.36754" in latex and "0.9" in latex


def test_substituted_rule_of_step_one_for_gd() -> None:
    at = app({**SEED_002, "r": "gd~lr:0.1"})
    text = "".join(x.value for x in at.markdown if "$$" in x.value)
    assert r"\eta_t\, g_t" in text and "0.1" in text and "3.2" in text and "8" in text


@pytest.mark.parametrize("name", optimizers.names())
def test_every_optimizer_runs_clean(name: str) -> None:
    at = app({"r": name, "steps": "30"})
    df = steps_table(at)
    assert len(df) == 30 and list(df["t"][:3]) == [1, 2, 3]
    assert not at.error
    assert any("Arrows at step" in m.value for m in at.markdown)
    text = "".join(x.value for x in at.markdown if "$$" in x.value)
    assert text.count("{") == text.count("}")


def hessian_figures(at: AppTest) -> dict[str, str]:
    """The Hessian's read-outs, ``{label: value}``, from the tab's HTML."""
    (body,) = [e.proto.body for e in at.get("html") if "hs-facts" in e.proto.body]
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", body))


def test_hessian_of_the_quadratic() -> None:
    at = app({"ls": "quadratic", "lp": "kappa:20~theta:40", "r": "gd~lr:0.05", "steps": "10"})
    land = landscapes.get("quadratic", kappa=20, theta=40)
    metrics = hessian_figures(at)
    assert float(metrics["λ_max"]) == pytest.approx(land.lambda_max, rel=1e-5)
    assert float(metrics["λ_min"]) == pytest.approx(land.lambda_min, rel=1e-5)
    assert float(metrics["condition number"]) == pytest.approx(20, rel=1e-3)
    assert float(metrics["GD limit 2/λ_max"]) == pytest.approx(0.2, rel=1e-3)


def test_a_momentum_runs_own_stability_limit() -> None:
    # λ_max = 10 on the quadratic: GD's limit is 0.2; the EMA momentum with β = 0.9 is heavy ball with
    # effective step η(1 - β), stable for η(1 - β)λ < 2(1 + β): η < 3.8, 19 times GD's.
    at = app({"ls": "quadratic", "r": "momentum~lr:0.5~beta:0.9", "steps": "10"})
    captions = " ".join(c.value for c in at.caption)
    assert "own rule, with its momentum, is stable here for η < 3.8 (19× GD's limit): η_t is below it." in captions
    # Coupled weight decay adds to the curvature: PyTorch's SGD, μ = 0.9, λ_wd = 0.5: 2(1.9)/(10 + 0.5).
    decayed = app({"ls": "quadratic", "r": "sgd~lr:0.05~momentum:0.9~weight_decay:0.5", "steps": "10"})
    assert "is stable here for η < 0.3619 " in " ".join(c.value for c in decayed.caption)
    plain = app({"ls": "quadratic", "r": "gd~lr:0.05", "steps": "10"})
    assert "own rule" not in " ".join(c.value for c in plain.caption), "GD's own limit is GD's limit"


def test_hessian_facts_saddle_and_singular() -> None:
    saddle = hessian_facts(np.array([[2.0, 0.0], [0.0, -2.0]]))
    assert saddle["eigenvalues"] == (2.0, -2.0) and saddle["condition"] == 1.0 and "saddle" in saddle["kind"]
    flat = hessian_facts(np.array([[2.0, 0.0], [0.0, 0.0]]))
    assert math.isinf(flat["condition"]) and "singular" in flat["kind"] and flat["gd_limit"] == 1.0
    cap = hessian_facts(np.array([[-1.0, 0.0], [0.0, -4.0]]))
    assert cap["gd_limit"] is None and "negative definite" in cap["kind"]


def test_a_run_stopped_at_a_cone_tip_says_why_in_the_step() -> None:
    at = app({"ls": "custom", "f": "sqrt(x^2+y^2)", "x0": "0", "y0": "0", "r": "gd"})
    assert not at.exception
    text = " ".join(w.value for w in at.warning)
    assert "The run stopped at step 1: the gradient at (0, 0) is not a number" in text and "diverged" not in text
    assert any("No arrows" in i.value for i in at.info)


def test_a_run_that_left_the_domain_ends_where_the_panels_end_it() -> None:
    # GD, η = 0.9, on log(x) + y² from (1.5, 1): x goes 1.5 → 1.5 − 0.9/1.5 = 0.9 → 0.9 − 0.9/0.9 = −0.1, where
    # log has no value. There the gradient 1/x is finite, so the optimizer would go on (to x = 8.9); the
    # panels stop the run at step 2, and so does the table.
    query = {"ls": "custom", "f": "log(x) + y^2", "x0": "1.5", "y0": "1", "r": "gd~lr:0.9", "steps": "10"}
    at = app(query)
    df = steps_table(at)
    assert df["θₜ (x)"].iloc[0] == pytest.approx(0.9)
    assert df["θₜ (x)"].iloc[1] == pytest.approx(-0.1)  # step 2 lands on the point with no value ...
    assert len(df) == 2, "... and the table ends there (not 8 more rows without numbers)"
    assert any("its steps until it stopped at step 2" in m.value for m in at.markdown)
    assert not at.warning, "step 1 is before the stop"
    at.session_state["steps_t"] = 2
    at.run()
    text = " ".join(w.value for w in at.warning)
    assert "The run stopped at step 2: the surface has no value at (-0.1, 0.64): outside its domain" in text


def test_a_diverged_run_s_table_ends_at_the_step_it_diverged() -> None:
    # GD with η = 1 on ½(x² + 10y²) from (1, 1): y is multiplied by 1 - 10 = -9 each step, past 1e12 at step 13
    at = app({"ls": "quadratic", "lp": "kappa:10~theta:0", "r": "gd~lr:1", "x0": "1", "y0": "1", "steps": "50"})
    df = steps_table(at)
    assert len(df) == 13 and any("its steps until it diverged at step 13" in m.value for m in at.markdown)
    assert df["θₜ (y)"].iloc[11] == pytest.approx((-9.0) ** 12) and np.isnan(df["θₜ (y)"].iloc[12])
    # looking at step 40 of a stable run, then raising η until it diverges, shows the step it diverged at
    stable = app({"ls": "quadratic", "lp": "kappa:10~theta:0", "r": "gd~lr:0.1", "x0": "1", "y0": "1", "steps": "50"})
    stable.session_state["steps_t"] = 40
    stable.session_state["run.gd.1"] = True  # the run's controls are drawn while its expander is open
    stable.run()
    assert stable.slider(key="steps_t").value == 40
    stable.select_slider(key="hp.gd.1.lr").set_value(1.0).run()
    assert not stable.exception
    assert stable.slider(key="steps_t").value == 13 and stable.slider(key="steps_t").max == 13
    assert any("The run has diverged by step 13" in w.value for w in stable.warning)


def test_nesterov_look_ahead_point() -> None:
    at = app({**SEED_002, "r": "sgd~lr:0.1~momentum:0.9~nesterov:1"})
    (chart,) = [c for c in at.get("plotly_chart") if "look-ahead" in c.proto.spec]
    fig = json.loads(chart.proto.spec)
    (mark,) = [t for t in fig["data"] if "look-ahead" in str(t.get("name"))]
    # step 1: b₁ = g₁ = 8, look-ahead θ₀ − ημb₁ = 4 − 0.1·0.9·8 = 3.28
    assert mark["x"][0] == pytest.approx(3.28, rel=1e-12) and mark["y"][0] == 0
    heads = [(a["ax"], a["x"]) for a in fig["layout"]["annotations"] if a.get("axref") == "x"]
    assert any(ax == pytest.approx(4.0) and x == pytest.approx(3.28) for ax, x in heads)  # the momentum jump


def test_effective_step_size_shows_epsilon() -> None:
    """On x² the y-gradient is 0, so RMSprop's y step size is η/ε: 0.1/1e-8 = 1e7."""
    at = app({**SEED_002, "r": "rmsprop~lr:0.1~alpha:0.9"})
    df = steps_table(at)
    assert df["η/(√v + ε) (y)"][0] == pytest.approx(1e7, rel=1e-12)
    assert df["η/(√v + ε) (x)"][0] == pytest.approx(0.1 / (math.sqrt(6.4) + 1e-8), rel=1e-12)


TEMPLATED = ["gd", "momentum", "sgd", "adagrad", "rmsprop", "adadelta", "adam", "adamw", "adamax", "newton"]
FLAGS = {
    "sgd": [{"momentum": 0.9}, {"momentum": 0.9, "nesterov": True}, {"weight_decay": 0.1}],
    "adam": [{"amsgrad": True}, {"bias_correction": False}, {"eps_inside": True}],
    "rmsprop": [{"eps_inside": True}],
    "adagrad": [{"lr_decay": 0.1}],
    "adamw": [{"weight_decay": 0.1}],
}


@pytest.mark.parametrize("name", TEMPLATED)
def test_templates_substitute_numbers(name: str) -> None:
    """Each templated rule is used (no fallback), and its last line ends in the traced θₜ."""
    from scene import Run
    from simulate import run_inputs
    from ui.steps_view import _template, tex_vec

    land = landscapes.from_formula("x^2 + 3*y^2 + x*y")
    for flags in [{}, *FLAGS.get(name, [])]:
        run = Run.make(name, lr=0.05, **flags)
        grad, kw = run_inputs(Scene(runs=(run,)), land, run)
        tr = optimizers.trace(name, grad, np.array([1.0, -1.0]), 3, **kw)
        for t in (1, 3):
            lines = _template(name, kw, tr, t)
            assert lines, (name, flags)
            assert lines[-1].startswith(r"\theta_t &=") and lines[-1].endswith(tex_vec(tr["next"][t - 1]))
            text = rule_latex(name, kw, tr, t)
            assert text.count("{") == text.count("}")
            # On a phone each equality of a substitution gets its own row: the same text, with the row
            # breaks where " = " was (a vector's own "=" never occurs; rows only break outside them).
            narrow = rule_latex(name, kw, tr, t, narrow=True)
            assert narrow.replace(r" \\[4pt] &= ", " = ") == text
            rows = narrow.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}").split(r" \\[4pt] ")
            assert len(rows) > len(lines) and all(
                " = " not in re.sub(r"\\begin\{pmatrix\}.*?\\end\{pmatrix\}", "", r) for r in rows
            )


def test_rule_latex_fallback_lists_symbols() -> None:
    land = landscapes.from_formula("x^2 + 3*y^2")
    x0 = np.array([1.0, 1.0])
    tr = optimizers.trace("nadam", land.gradient, x0, 3, lr=0.1)
    text = rule_latex("nadam", {}, tr, 2)
    assert r"\hat v_t" in text and r"\theta_t" in text and "pmatrix" in text
    df = step_table(tr)
    assert list(df.columns[:3]) == ["t", "θₜ₋₁ (x)", "θₜ₋₁ (y)"] and len(df) == 3


# --- GIF ---------------------------------------------------------------------------------------------------
def _surface(land: landscapes.Landscape):
    _xs, _ys, Z = landscapes.grid(land, 120)
    Zt, label = landscapes.display_transform(Z)
    return render(Zt, land.bounds, label)


@pytest.mark.parametrize(("width", "frames", "want_w", "want_frames"), [(480, 20, 480, 20), (5000, 500, 800, 60)])
def test_scene_gif(width: int, frames: int, want_w: int, want_frames: int) -> None:
    result = simulate(Scene(steps=120))
    data = scene_gif(result, _surface(result.landscape), width=width, frames=frames)
    assert data[:6] == b"GIF89a"
    assert len(data) < 3_000_000
    with Image.open(io.BytesIO(data)) as im:
        assert im.size[0] == want_w and im.n_frames == want_frames
        im.seek(im.n_frames - 1)
        last = np.asarray(im.convert("RGB"))
    # the last frame carries every run's colour (the paths are drawn)
    from viz.style import PALETTE

    for c in PALETTE[: len(result.runs)]:
        rgb = tuple(int(c[i : i + 2], 16) for i in (1, 3, 5))
        assert (last == rgb).all(axis=-1).sum() > 20, c


def test_scene_gif_cuts_paths_at_the_plots_edge() -> None:
    # Newton from (-1.2, 1) on Rosenbrock leaves the window on its way to (1, 1): its line must stop at the
    # plot's edge, not run over the legend under it.
    result = simulate(Scene(runs=(Run("gd"), Run("newton")), steps=60))
    (x0, x1), (y0, y1) = result.landscape.bounds
    newton = result.runs[1].path
    assert (newton[:, 1] < y0).any(), "the Newton run passes below the window"
    with Image.open(io.BytesIO(scene_gif(result, _surface(result.landscape), width=400, frames=10))) as im:
        width, height = im.size
        plot_h = round(width * np.clip((y1 - y0) / (x1 - x0), 0.5, 1.5))
        frames = []
        for k in range(im.n_frames):
            im.seek(k)
            frames.append(np.asarray(im.convert("RGB"))[plot_h:])
    assert height > plot_h
    for legend in frames[1:]:
        np.testing.assert_array_equal(legend, frames[0])  # the legend never changes while the paths grow


def test_the_step_size_chart_labels_a_log_axis_with_round_values() -> None:
    # Over one or two decades Plotly labelled every digit, 2 to 9, in small type; on a phone they ran
    # together. Ticks are now 1, 2 and 5 times the powers of ten (hand-picked for these ranges).
    from viz.curves import log_ticks
    from viz.steps import effective_lr_figure

    assert log_ticks(5e-4, 9e-3) == ([5e-4, 1e-3, 2e-3, 5e-3], ["0.0005", "0.001", "0.002", "0.005"])
    assert log_ticks(7e-9, 3e-7) == ([1e-8, 2e-8, 5e-8, 1e-7, 2e-7], ["1e-8", "2e-8", "5e-8", "1e-7", "2e-7"])
    # over more decades (more than eight such ticks) and under one, Plotly's own read well and stay
    assert log_ticks(1e-3, 1e5) is None and log_ticks(1e-3, 1.5e-3) is None
    assert log_ticks(0.3, 40) == ([0.5, 1, 2, 5, 10, 20], ["0.5", "1", "2", "5", "10", "20"])
    assert log_ticks(0.0, 1.0) is None and log_ticks(float("nan"), 1.0) is None
    top = (
        [1e306, 2e306, 5e306, 1e307, 2e307, 5e307, 1e308],
        ["1e306", "2e306", "5e306", "1e307", "2e307", "5e307", "1e308"],
    )
    assert log_ticks(1e306, 1.7e308) == top  # and no 10.0**309 on the way
    eff = np.column_stack([np.linspace(5e-4, 4e-3, 50), np.linspace(1e-3, 9e-3, 50)])
    eff[3, 0] = np.nan  # a gap is left out of the range
    y = effective_lr_figure(eff, current=3).layout.yaxis
    assert y.type == "log" and list(y.tickvals) == [5e-4, 1e-3, 2e-3, 5e-3]
    assert effective_lr_figure(np.full((5, 2), np.nan)).layout.yaxis.tickvals is None  # nothing to label


# --- narrow columns, full tick labels, ε's place, clipping, arrows (audit of the tab) -------------------------
LAPTOP = {"screen": {"height": 800, "top": 300, "width": 540}}  # a 1000 px window with the sidebar open


def narrow_app(query: dict[str, str | list[str]], width: int = 540) -> AppTest:
    """The tab as drawn once the browser has reported a column ``width`` pixels wide."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in {"tab": "steps", **query}.items():
        at.query_params[k] = v
    at.session_state["steps_screen"] = {"screen": {**LAPTOP["screen"], "width": width}}
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_hessian_figures_are_whole_values_in_a_grid_that_wraps() -> None:
    from ui.steps_view import facts_html

    # st.metric cut 1352.59 to "135…" in a laptop's column; the figures are now whole, in cells that wrap
    text = facts_html(
        {"eigenvalues": (1352.59, 16.413), "condition": 1352.59 / 16.413, "kind": "", "gd_limit": 2 / 1352.59}
    )
    cells = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", text))
    assert cells == {"λ_max": "1352.59", "λ_min": "16.413", "condition number": "82.41", "GD limit 2/λ_max": "0.001479"}
    assert "auto-fit" in text and "overflow-wrap:anywhere" in text
    # in a laptop's 540 px column the Hessian stands above the arrows, not in a 216 px column beside them
    at = narrow_app({"ls": "rosenbrock", "r": "adam~lr:0.05"})
    wide = app({"ls": "rosenbrock", "r": "adam~lr:0.05"})
    assert any("Hessian at" in m.value for c in wide.columns for m in c.markdown)
    assert not any("Hessian at" in m.value for c in at.columns for m in c.markdown)


def test_the_arrows_figure_is_as_tall_as_its_width_needs() -> None:
    # GD: legend path, θₜ₋₁, −g, step; at 540 px two items a row (the widest, "−g (downhill), scaled", is
    # 40 + 21·7 = 187 px), two rows of 24 px + 14; the square plot 540 − 86 px of margins = 454; 76 px below.
    at = narrow_app({"ls": "quadratic", "r": "gd~lr:0.05", "steps": "10"})
    (chart,) = [c for c in at.get("plotly_chart") if "θₜ₋₁" in c.proto.spec]
    assert json.loads(chart.proto.spec)["layout"]["height"] == 2 * 24 + 14 + 76 + 454
    # a phone's 340 px column: one item a row, four rows, a plot of 254 px: 96 + 76 + 254
    phone = narrow_app({"ls": "quadratic", "r": "gd~lr:0.05", "steps": "10"}, width=340)
    (chart,) = [c for c in phone.get("plotly_chart") if "θₜ₋₁" in c.proto.spec]
    assert json.loads(chart.proto.spec)["layout"]["height"] == 4 * 24 + 14 + 76 + 254


def test_latex_width_estimate_by_hand() -> None:
    from ui.steps_view import latex_em

    assert latex_em("1234") == pytest.approx(2.0)  # four digits of half an em
    assert latex_em(r"\frac{12}{3456}") == pytest.approx(2.0 + 0.4)  # the wider part, and the bar's overhang
    # a column vector: its widest entry (-1.5: a sign, two digits, a point) and the two parentheses
    assert latex_em(r"\begin{pmatrix}-1.5 \\ 2\end{pmatrix}") == pytest.approx(0.78 + 2 * 0.5 + 0.28 + 1.6)


def test_a_laptop_column_stacks_the_rows_that_would_not_fit() -> None:
    from simulate import run_inputs
    from ui.steps_view import KATEX_PX, latex_em

    # Adam on Rosenbrock, step 2: m_t's row with its result is about 630 px wide, wider than 540 px
    land = landscapes.get("rosenbrock")
    run = Run.make("adam", lr=0.05)
    grad, kw = run_inputs(Scene(runs=(run,)), land, run)
    tr = optimizers.trace("adam", grad, np.array([-1.2, 1.0]), 3, **kw)
    wide = rule_latex("adam", kw, tr, 2, width=2000)
    assert wide == rule_latex("adam", kw, tr, 2), "a wide column keeps one row per line"
    laptop = rule_latex("adam", kw, tr, 2, width=540)
    rows = laptop.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}").split(r" \\[4pt] ")
    assert any(r.startswith("&= ") and r.endswith(tex_vec(tr["m"][1])) for r in rows), "m_t's result on its own row"
    assert r"\hat m_t &= \frac{m_t}{1-\beta_1^{2}} = " in laptop, "m̂_t's row fits: not stacked"
    assert all(latex_em(r) * KATEX_PX <= 540 for r in rows)
    assert laptop.replace(r" \\[4pt] &= ", " = ") == wide
    # and the page passes the column's width: at 540 px the shown rule is the stacked one
    at = narrow_app({"ls": "rosenbrock", "r": "adam~lr:0.05"})
    text = "".join(x.value for x in at.markdown if "$$" in x.value)
    assert r"\\[4pt] &= " in text


def test_every_label_of_the_step_size_axis_is_a_whole_value() -> None:
    from viz.steps import effective_lr_figure, full_log_ticks

    # under a decade across 10⁻²: Plotly wrote "10⁻², 2, 3, …"; 1-2-5 gives three ticks here
    assert full_log_ticks(0.009, 0.07) == ([0.01, 0.02, 0.05], ["0.01", "0.02", "0.05"])
    assert full_log_ticks(0.012, 0.085) == ([0.02, 0.03, 0.05], ["0.02", "0.03", "0.05"])
    assert full_log_ticks(0.031, 0.047) == ([0.035, 0.04, 0.045], ["0.035", "0.04", "0.045"])
    # over sixteen decades: every third power of ten
    assert full_log_ticks(1e-9, 1e7)[0] == [1e-9, 1e-6, 1e-3, 1.0, 1e3, 1e6]
    at = app({"ls": "quadratic", "r": "adamw~lr:0.1~weight_decay:0.1"})
    (chart,) = [c for c in at.get("plotly_chart") if "x coordinate" in c.proto.spec]
    y = json.loads(chart.proto.spec)["layout"]["yaxis"]
    assert len(y["tickvals"]) >= 3 and [float(t) for t in y["ticktext"]] == pytest.approx(y["tickvals"])
    eff = np.column_stack([np.linspace(0.012, 0.085, 9), np.linspace(0.012, 0.07, 9)])
    assert list(effective_lr_figure(eff).layout.yaxis.ticktext) == ["0.02", "0.03", "0.05"]


def test_the_effective_step_heading_follows_epsilon_inside_the_root() -> None:
    # seed 002, Adam, step 1: g = 8, v̂ = 64; ε inside: η/√(v̂ + ε) = 0.1/√(64 + 10⁻⁸)
    at = app({**SEED_002, "r": "adam~lr:0.1~eps_inside:1"})
    assert any(m.value == "**Effective step size per coordinate, η/√(v̂ + ε)**" for m in at.markdown)
    df = steps_table(at)
    assert df["η/√(v̂ + ε) (x)"][0] == pytest.approx(0.1 / math.sqrt(64 + 1e-8), rel=1e-12)
    assert "η/(√v̂ + ε) (x)" not in df.columns
    plain = app({**SEED_002, "r": "adam~lr:0.1"})
    assert "η/(√v̂ + ε) (x)" in steps_table(plain).columns
    rms = app({**SEED_002, "r": "rmsprop~lr:0.1~eps_inside:1"})
    assert "η/√(v + ε) (y)" in steps_table(rms).columns


def test_clipping_by_norm_shows_the_raw_gradient_and_the_factor() -> None:
    # seed 002, GD η = 0.1, c = 1: ĝ = 2·4 = 8, factor 1/(8 + 10⁻⁶), g = 8/(8 + 10⁻⁶) ≈ 1, θ₁ = 4 − 0.1 g
    at = app({**SEED_002, "r": "gd~lr:0.1~clip_norm:1"})
    df = steps_table(at)
    factor = 1 / (8 + 1e-6)
    assert df["ĝ (x)"][0] == 8.0 and df["ĝ (y)"][0] == 0.0
    assert df["clip ×"][0] == pytest.approx(factor, rel=1e-12)
    assert df["g (x)"][0] == pytest.approx(8 * factor, rel=1e-12)
    assert df["θₜ (x)"][0] == pytest.approx(4 - 0.1 * 8 * factor, rel=1e-12)
    assert list(df.columns).index("ĝ (x)") < list(df.columns).index("g (x)")
    text = "".join(x.value for x in at.markdown if "$$" in x.value)
    assert r"\hat g_t" in text and r"\frac{1}{8 + 10^{-6}}" in text and "0.125" in text
    assert any("ĝ the gradient before clipping" in c.value for c in at.caption)
    # the lesson's cliff: the raw gradient at step 50 is hundreds long, the clipped one 1
    cliff = app({"lesson": "rnn-cliff"})
    cliff.selectbox(key="steps_run").set_value("Gradient descent #2 (c=1)").run()
    df = steps_table(cliff)
    raw = np.hypot(df["ĝ (x)"], df["ĝ (y)"])
    assert raw.max() > 100 and np.hypot(df["g (x)"], df["g (y)"]).max() == pytest.approx(1, abs=1e-6)
    # without clipping, no ĝ
    assert "ĝ (x)" not in steps_table(app({**SEED_002, "r": "gd~lr:0.1"})).columns


def test_clipping_by_value_and_with_noise() -> None:
    # c_v = 2: ĝ = 8 is clamped to 2; θ₁ = 4 − 0.1·2
    at = app({**SEED_002, "r": "gd~lr:0.1~clip_value:2"})
    df = steps_table(at)
    assert df["ĝ (x)"][0] == 8.0 and df["g (x)"][0] == 2.0 and df["θₜ (x)"][0] == pytest.approx(3.8)
    assert "clip ×" not in df.columns
    assert r"\operatorname{clip}" in "".join(x.value for x in at.markdown if "$$" in x.value)
    # noise σ = 0.5 before clipping: ĝ = 2θ + σ z_t with z_t the seed's normal pairs, one a step
    noisy = app({**SEED_002, "r": "gd~lr:0.1~noise:0.5~clip_norm:1", "seed": "7"})
    df = steps_table(noisy)
    pre = df[["ĝ (x)", "ĝ (y)"]].to_numpy()
    theta = df[["θₜ₋₁ (x)", "θₜ₋₁ (y)"]].to_numpy() * [2.0, 0.0]
    z = np.random.default_rng(7).standard_normal((len(df), 2))
    np.testing.assert_allclose(pre, theta + 0.5 * z, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(df[["g (x)", "g (y)"]].to_numpy(), pre * df[["clip ×"]].to_numpy(), rtol=1e-12)


def test_parallel_arrows_stay_visible_and_nesterov_has_two_styles() -> None:
    def arrows(at: AppTest) -> list[dict]:
        (chart,) = [c for c in at.get("plotly_chart") if "θₜ₋₁" in c.proto.spec]
        return [a for a in json.loads(chart.proto.spec)["layout"]["annotations"] if a.get("axref") == "x"]

    # GD on x²: −g and the step lie on one line from θ; the wider is drawn first, the narrower on top
    gd = arrows(app({**SEED_002, "r": "gd~lr:0.1"}))
    widths = [a["arrowwidth"] for a in gd]
    assert len(gd) == 2 and widths[0] > 2 * widths[1]
    assert gd[0]["arrowcolor"] != gd[1]["arrowcolor"]
    # Adam: −g (widest), −m, the step, each drawn over the wider ones
    adam = arrows(app({**SEED_002, "r": "adam~lr:0.1"}))
    assert [a["arrowwidth"] for a in adam] == sorted((a["arrowwidth"] for a in adam), reverse=True)
    assert len({a["arrowcolor"] for a in adam}) == 3 and len({a["arrowwidth"] for a in adam}) == 3
    # Nesterov: the momentum jump from θ (4 → 3.28) and the gradient part from the look-ahead point differ
    nesterov = arrows(app({**SEED_002, "r": "sgd~lr:0.1~momentum:0.9~nesterov:1"}))
    (jump,) = [a for a in nesterov if a["ax"] == pytest.approx(4.0) and a["x"] == pytest.approx(3.28)]
    (part,) = [a for a in nesterov if a["ax"] == pytest.approx(3.28)]
    assert part["x"] == pytest.approx(3.28 - 0.1 * 8)
    pink = [a for a in nesterov if a["ax"] == pytest.approx(4.0) and a is not jump and a["arrowwidth"] > 5]
    assert len({jump["arrowcolor"], part["arrowcolor"], pink[0]["arrowcolor"]}) == 3
