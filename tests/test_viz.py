"""The figure builders: valid Plotly, synchronised frames, small payload, the surface image."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import numpy as np
import plotly.io as pio
import pytest
from PIL import Image

import landscapes
import lessons
from scene import CUSTOM, Run, Scene
from simulate import simulate
from viz.curves import loss_figure, loss_range
from viz.paths import MAX_FRAMES, frame_indices, trajectory_figure
from viz.surface import render


def _surface(result):  # type: ignore[no-untyped-def]
    _, _, Z = landscapes.grid(result.landscape, 120)
    Zt, label = landscapes.display_transform(Z)
    return render(Zt, result.landscape.bounds, label)


SCENES = {
    "default": Scene(),
    "diverging": Scene(landscape="quadratic", runs=(Run.make("gd", lr=0.5), Run.make("gd", lr=0.1)), steps=80),
    "not run": Scene(runs=(Run.make("sgd", nesterov=True), Run.make("adam")), steps=30),
    "himmelblau": Scene(landscape="himmelblau", runs=(Run.make("adam", lr=0.1),), steps=20),
}


@pytest.mark.parametrize("name", SCENES)
@pytest.mark.parametrize("overlay", [False, True])
def test_paths_figure_is_valid_plotly(name: str, overlay: bool) -> None:
    result = simulate(SCENES[name])
    fig = trajectory_figure(result.runs, _surface(result), result.start, result.landscape.minima, overlay=overlay)
    full = fig.validated()  # raises on any attribute Plotly does not know
    assert len(full.frames) == len(fig.to_dict()["frames"])
    json.loads(pio.to_json(fig, validate=False))


def test_frames_move_every_panel_in_sync() -> None:
    result = simulate(Scene())
    fig = trajectory_figure(result.runs, _surface(result), result.start, result.landscape.minima).to_dict()
    frames = fig["frames"]
    animated = frames[0]["traces"]
    assert len(animated) == 2 * len(result.runs)  # a trail and a head per run, in every frame
    for frame in frames:
        assert frame["traces"] == animated and len(frame["data"]) == len(animated)
    steps = [int(f["name"]) for f in frames]
    slider = fig["layout"]["sliders"][0]
    assert [s["label"] for s in slider["steps"]] == [f["name"] for f in frames]
    assert slider["active"] == len(frames) - 1
    # the head of run 0 at each frame is the path's point at that step (to the figure's rounding)
    for f in frames[:: max(1, len(frames) // 10)]:
        k = int(f["name"])
        head = f["data"][1]
        assert head["x"][0] == pytest.approx(result.runs[0].path[k, 0], abs=2e-3)
        assert head["y"][0] == pytest.approx(result.runs[0].path[k, 1], abs=2e-3)
    assert steps[0] == 0 and steps[-1] == result.scene.steps


def test_frame_indices() -> None:
    assert list(frame_indices(10, 50)) == list(range(11))
    idx = frame_indices(1000, 50)
    assert idx[0] == 0 and idx[-1] == 1000 and len(idx) <= 51
    assert np.all(np.diff(idx) > 0)
    assert list(idx[:20]) == list(range(20)), "the first steps are framed one by one"
    assert len(frame_indices(10**6, 10**6)) <= MAX_FRAMES + 1


def test_default_payload_is_small() -> None:
    result = simulate(Scene())
    fig = trajectory_figure(result.runs, _surface(result), result.start, result.landscape.minima, click_grid=21)
    size = len(pio.to_json(fig, validate=False))
    assert size < 200_000, size


def test_diverged_run_is_cut_and_annotated() -> None:
    result = simulate(SCENES["diverging"])
    bad = result.runs[0]
    assert bad.diverged_at is not None
    fig = trajectory_figure(result.runs, _surface(result), result.start, result.landscape.minima).to_dict()
    notes = [a["text"] for a in fig["layout"]["annotations"]]
    assert f"diverged at step {bad.diverged_at}" in notes
    for frame in fig["frames"]:
        xs = [v for v in frame["data"][0]["x"] if v is not None]
        assert all(np.isfinite(xs))


def test_hidden_figure_has_no_paths() -> None:
    result = simulate(Scene())
    fig = trajectory_figure(result.runs, _surface(result), result.start, result.landscape.minima, hidden=True)
    names = {t["name"] for t in fig.to_dict()["data"]}
    assert not names & {r.label for r in result.runs}
    assert not fig.to_dict()["frames"]


def test_surface_image_is_a_small_banded_png_top_row_highest_y() -> None:
    xs = np.linspace(-1, 1, 64)
    Z = np.tile(xs[:, None] ** 2, (1, 64))  # depends on y only: Z[i, j] = y_i²
    img = render(Z, ((-1, 1), (-1, 1)), "loss", levels=10)
    png = base64.b64decode(img.uri.split(",", 1)[1])
    im = Image.open(io.BytesIO(png)).convert("L")
    assert im.size == (64, 64)
    a = np.asarray(im, dtype=float)
    assert a[32].std() == 0, "constant along x"
    assert a[0].mean() > a[32].mean() < a[-1].mean(), "high loss (light) at both y ends, low (dark) in the middle"
    assert len(png) < 4000


def test_loss_figure_uses_gap_to_minimum_on_log_axis() -> None:
    result = simulate(Scene())
    fig = loss_figure(result.runs, result.landscape.min_value).validated()
    assert fig.layout.yaxis.type == "log"
    assert len(fig.data) == len(result.runs)
    saddle = simulate(Scene(landscape="saddle", runs=(Run.make("gd", lr=0.05),), steps=50))
    assert loss_figure(saddle.runs, None).validated().layout.yaxis.type == "linear"  # the loss goes negative


def test_loss_figure_labels_one_to_three_decades_with_round_values() -> None:
    # Over one to three decades Plotly labels every digit 2-9; the ticks are 1, 2 and 5 times the powers
    # of ten instead. A loss falling from 8 to 0.05 (min 0): the padded axis spans about 0.04 .. 10.
    from types import SimpleNamespace

    loss = np.geomspace(8.0, 0.05, 40)
    run = SimpleNamespace(label="r", path=np.zeros((40, 2)), loss=loss, diverged_at=None, error=None, ended="")
    y = loss_figure([run], 0.0).validated().layout.yaxis
    assert y.type == "log" and list(y.tickvals) == [0.05, 0.1, 0.2, 0.5, 1, 2, 5]
    assert list(y.ticktext) == ["0.05", "0.1", "0.2", "0.5", "1", "2", "5"]
    # twelve decades: Plotly's powers of ten stay
    run.loss = np.geomspace(1e2, 1e-10, 40)
    assert loss_figure([run], 0.0).validated().layout.yaxis.tickvals is None
    # losses near the largest float: the padded axis ends past 1e308, and the figure is still drawn
    run.loss = np.geomspace(1e308, 1e290, 40)
    assert loss_figure([run], 0.0).validated().layout.yaxis.tickvals is None


def test_loss_range_caps_a_diverging_run_by_hand() -> None:
    # Log axis: the curves span 10^0 .. 10^12, but the top stays two decades above the highest start
    # (10^2): [0, 4], padded by 4 % of its width (0.16).
    np.testing.assert_allclose(
        loss_range([np.array([100.0, 10, 1]), np.array([100.0, 1e6, 1e12])], True), [-0.16, 4.16]
    )
    # Linear axis: a run falls to -1e9, but the losses seen inside the picture span [-4, 4], so the axis
    # keeps within [-8, 8]; the top is the highest value (4): [-8, 4], padded by 0.48.
    linear = loss_range([np.array([4.0, 1, 0]), np.array([4.0, -1e9])], False, view=[-4.0, 4.0])
    np.testing.assert_allclose(linear, [-8.48, 4.48])
    # Not plotted (NaN, or not positive on a log axis) is left out; nothing plotted gives [0, 1] padded.
    np.testing.assert_allclose(loss_range([np.array([np.nan, 10.0, 0.0])], True), [0.5 - 0.04, 1.5 + 0.04])
    np.testing.assert_allclose(loss_range([np.array([np.nan])], False), [-0.04, 1.04])
    # The widest finite span still gives a finite range (strict JSON has no inf).
    assert np.isfinite(loss_range([np.array([1.5e308, -1.5e308])], False)).all()


def test_3d_views_loss_chart_keeps_near_the_picture_on_the_saddle_lesson() -> None:
    # The saddle lesson's momentum run leaves the picture [-2, 2]² and its loss x² − y² falls below -1e6;
    # inside the picture the loss lies in [-4, 4] (hand maths), so the axis stays within [-8, 8] + 4 %.
    result = simulate(lessons.get("saddle").scene)
    assert min(np.nanmin(r.loss) for r in result.runs if r.error is None) < -1e6
    fig = loss_figure(result.runs, None, bounds=result.landscape.bounds).validated()
    lo, hi = fig.layout.yaxis.range
    assert fig.layout.yaxis.type == "linear" and -8.64 <= lo < 0 < hi <= 8.64
    for r in result.runs:
        assert lo <= r.loss[0] <= hi, "every run's start is on the chart"


def test_phone_layout_stacks_panels_and_presentation_scales_fonts() -> None:
    result = simulate(Scene())
    args = (result.runs, _surface(result), result.start, result.landscape.minima)
    phone = trajectory_figure(*args, columns=2, narrow=True).to_dict()["layout"]
    domains = [phone[f"xaxis{'' if i == 0 else i + 1}"]["domain"] for i in range(len(result.runs))]
    assert all(d == [0.0, 1.0] for d in domains), "one panel per row on a phone"
    assert phone["sliders"][0]["x"] == 0 and phone["sliders"][0]["y"] < phone["updatemenus"][0]["y"]
    wide = trajectory_figure(*args, columns=2).to_dict()["layout"]
    assert len({tuple(wide[f"xaxis{'' if i == 0 else i + 1}"]["domain"]) for i in range(4)}) == 2
    big = trajectory_figure(*args, scale=1.5).to_dict()["layout"]
    assert big["font"]["size"] == round(1.5 * wide["font"]["size"])
    assert big["sliders"][0]["x"] > wide["sliders"][0]["x"], "the slider makes room for the larger buttons"


@pytest.mark.parametrize(
    ("bounds", "ratio"),
    # Plotly's scaleratio: on screen, a y unit is ratio times an x unit. At equal scales 1; a window 100 wide
    # and 1 high is drawn 3:1 (as the app's panels draw it), so a y unit is 100/3 times an x unit; a window
    # 1 wide and 100 high, 1:3, so 3/100.
    [(((-2, 2), (-1, 3)), 1.0), (((3, 7), (-4, -1)), 1.0), (((-50, 50), (0, 1)), 100 / 3), (((0, 1), (0, 100)), 0.03)],
)
def test_the_offline_animation_draws_the_window_at_equal_scales(bounds: tuple, ratio: float) -> None:
    land = landscapes.from_formula("x^2 + y^2", bounds=bounds)
    scene = Scene(landscape="quadratic", runs=(Run.make("gd", lr=0.1),), steps=20)
    result = simulate(scene)
    _, _, Z = landscapes.grid(land, 40)
    surface = render(Z, bounds, "loss")
    layout = trajectory_figure(result.runs, surface, (0.5, 0.5), land.minima, columns=2).to_dict()["layout"]
    for ax in ("", "2")[: len(result.runs)]:
        y = layout[f"yaxis{ax}"]
        assert y["scaleanchor"] == f"x{ax}" and y["scaleratio"] == pytest.approx(ratio)
        assert y["constrain"] == layout[f"xaxis{ax}"]["constrain"] == "domain", "the plot shrinks, the window stays"


def test_downloads_csv_and_offline_html() -> None:
    import pandas as pd

    from ui.views import animation_html, trajectories_csv

    result = simulate(SCENES["diverging"])
    df = pd.read_csv(io.StringIO(trajectories_csv(result)))
    assert list(df.columns) == ["run", "optimizer", "step", "x", "y", "loss", "status"]
    for r in result.runs:
        rows = df[df["run"] == r.label]
        assert len(rows) == len(r.path)
        # the empty cells of a run that ended early are explained: "diverged" from its step on
        k = r.diverged_at if r.diverged_at is not None else len(r.path)
        assert (rows["status"].to_numpy()[:k] == "ok").all() and (rows["status"].to_numpy()[k:] == "diverged").all()
        finite = np.isfinite(r.path[:, 0])
        np.testing.assert_allclose(rows["x"].to_numpy()[finite], r.path[finite, 0], rtol=1e-9)
        assert rows["x"].isna().sum() == (~finite).sum(), "diverged rows are empty cells, not numbers"
    fig = trajectory_figure(result.runs, _surface(result), result.start, result.landscape.minima)
    html = animation_html(fig, "Optimizer Playground: test <b>")
    assert "<title>Optimizer Playground: test &lt;b&gt;</title>" in html, "the title, escaped"
    # a heading names the file's scene, and a phone lays it out at its own width (without the viewport tag
    # it drew the page 980 px wide, shrunk to 40 %, the mode bar over a panel's title)
    assert ">Optimizer Playground: test &lt;b&gt;</h1>" in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<script src="http' not in html, "plotly.js is inlined, so the file plays offline"
    assert "Plotly.newPlot" in html and "Plotly.addFrames" in html
    assert len(html) > 3_000_000  # plotly.js itself is a few MB


def test_the_offline_animation_offers_no_click_to_start() -> None:
    # Its hover said "start here: (0.6, 0.6)" over empty ground, but a click in the file does nothing.
    from ui.views import animation_html, build_paths_figure

    result = simulate(SCENES["diverging"])
    fig = build_paths_figure(result, overlay=False, columns=2)
    assert not [t for t in fig.data if t.meta == "click-grid"]
    assert "start here" not in animation_html(fig, "test")


def test_the_csv_keeps_where_a_stopped_run_landed() -> None:
    # GD (η = 0.5) on log(x) + y² from (1, 1), by hand: x₁ = 1 − 0.5·(1/1) = 0.5, y₁ = 1 − 0.5·2 = 0;
    # x₂ = 0.5 − 0.5·(1/0.5) = −0.5, y₂ = 0. The surface has no value at x < 0: the run stops at step 2,
    # whose row kept no position though the page names the point.
    import pandas as pd

    from ui.views import trajectories_csv

    scene = Scene(
        landscape=CUSTOM,
        formula="log(x)+y^2",
        formula_bounds=((0.1, 3.0), (-2.0, 2.0)),
        runs=(Run("gd", (("lr", 0.5),)),),
        start=(1.0, 1.0),
        steps=5,
    )
    result = simulate(scene)
    (r,) = result.runs
    assert r.ended == "stopped at step 2" and "(-0.5, 0)" in str(r.stop_reason)
    rows = pd.read_csv(io.StringIO(trajectories_csv(result)))
    stop = rows[rows["step"] == 2].iloc[0]
    assert (stop["x"], stop["y"], stop["status"]) == (-0.5, 0.0, "stopped") and np.isnan(stop["loss"])
    assert rows[rows["step"] > 2][["x", "y"]].isna().all().all(), "no position after the stop"
    np.testing.assert_allclose(rows[rows["step"] == 1][["x", "y"]].to_numpy(), [[0.5, 0.0]])


def test_3d_view_keeps_the_surfaces_window_when_a_run_leaves_it() -> None:
    # The saddle lesson's momentum run leaves [-2, 2]² for y ≈ 4e9: the axes stay on the window and the
    # points outside it are left out (the line breaks), so the surface is not squeezed into a sliver.
    from ui.views import surface_3d

    result = simulate(lessons.get("saddle").scene)
    assert max(np.nanmax(np.abs(r.path)) for r in result.runs if r.error is None) > 1e6
    fig = surface_3d(result).to_dict()
    scene = fig["layout"]["scene"]
    assert scene["xaxis"]["range"] == [-2.0, 2.0] and scene["yaxis"]["range"] == [-2.0, 2.0]
    paths = [t for t in fig["data"] if t["type"] == "scatter3d" and t["name"] != "global minimum"]
    assert len(paths) == len(result.runs)
    for t in paths:
        xy = np.array([[x, y] for x, y in zip(t["x"], t["y"], strict=True) if x is not None], dtype=float)
        assert len(xy) > 0 and np.abs(xy).max() <= 2.0
    assert any(None in t["x"] for t in paths), "the run that left is cut where it left"


def test_3d_view_takes_its_scale_from_the_surface_not_a_diverging_run() -> None:
    # The learning-rate lesson: GD at η = 0.25 diverges on the bowl (its loss grows past 1e20). The
    # surface is a quadratic bowl, drawn on a linear scale: its z values are the loss on the grid, not a
    # log scale stretched by the diverging run's losses (which flattened it into one grey plane).
    from ui.cache import cached_grid, surface_part
    from ui.views import surface_3d

    result = simulate(lessons.get("learning-rate").scene)
    assert max(np.nanmax(r.loss) for r in result.runs if r.error is None) > 1e20
    fig = surface_3d(result)
    surface = next(t for t in fig.data if t.type == "surface")
    grid = cached_grid(surface_part(result.scene))
    np.testing.assert_allclose(np.asarray(surface.z, dtype=float), grid.Z, atol=1e-4)
    top = float(np.max(grid.Z))
    for t in fig.data:
        if t.type == "scatter3d":
            assert max(z for z in t.z if z is not None) <= top + 1e-4, "a path's height stays on the surface's scale"


def test_3d_camera_sees_past_a_wall_by_hand() -> None:
    # A flat floor with a wall of height 1 along x > 0.5 of a [-1, 1]² window. The default eye is on the +x
    # side, low (front right): the wall stands between it and a floor point at (-0.5, 0), seen at a low
    # angle, so it is hidden; from the -x side nothing is in the way.
    from viz.curves import DEFAULT_EYE, choose_eye, visible_fraction

    xs = ys = np.linspace(-1, 1, 81)
    gx, _ = np.meshgrid(xs, ys)
    wall = np.where(gx > 0.5, 1.0, 0.0)
    floor_point = np.array([[-0.5, 0.0, 0.0]])
    assert visible_fraction(xs, ys, wall, floor_point, DEFAULT_EYE) == 0.0
    assert visible_fraction(xs, ys, wall, floor_point, (-1.35, -1.35, 0.9)) == 1.0
    eye = choose_eye(xs, ys, wall, floor_point)
    assert eye[0] < 0 and eye[2] == DEFAULT_EYE[2], "the nearest unblocked diagonal at the same height"
    # a bowl hides nothing: the default stays
    bowl = gx**2 + np.meshgrid(xs, ys)[1] ** 2
    assert choose_eye(xs, ys, bowl, np.array([[0.0, 0.0, 0.0], [0.5, -0.5, 0.5]])) == DEFAULT_EYE


def test_3d_view_looks_into_rosenbrock_s_valley_from_above() -> None:
    # On a log scale Rosenbrock's valley is a deep trench: from the default eye its walls hid the paths on
    # its floor (3% of the floor seen). The view moves up, where the floor is seen; Himmelblau keeps the default.
    from ui.views import surface_3d
    from viz.curves import DEFAULT_EYE

    rosenbrock = surface_3d(simulate(Scene(landscape="rosenbrock", runs=(Run.make("adam", lr=0.05),))))
    eye = rosenbrock.layout.scene.camera.eye
    assert eye.z > DEFAULT_EYE[2]
    himmelblau = surface_3d(simulate(Scene(landscape="himmelblau", runs=(Run.make("adam", lr=0.05),))))
    eye = himmelblau.layout.scene.camera.eye
    assert (eye.x, eye.y, eye.z) == DEFAULT_EYE


def test_run_markers_are_distinct_and_none_is_the_minimas_star() -> None:
    # ☆ marks the known minima: a run ending as a black star beside its start read as a minimum.
    from viz.style import SYMBOLS

    assert "star" not in SYMBOLS and len(set(SYMBOLS)) == len(SYMBOLS)
    # The panels' canvas draws each symbol itself; one it does not know would fall back to a circle.
    js = (Path(__file__).resolve().parents[1] / "ui" / "paths_canvas.js").read_text(encoding="utf-8")
    for symbol in SYMBOLS[1:]:
        assert f'case "{symbol}":' in js, symbol


def test_3d_axes_keep_their_ticks_off_the_box_corners() -> None:
    # The x and y axes end at the box's corners, where the z axis stands: Rosenbrock's y tick "-1" at the
    # window's end was written over the z axis's "-2". Ticks stay at least 4 % of the span inside each
    # end, on steps of 1, 2 or 5 times a power of ten.
    from ui.views import surface_3d
    from viz.curves import inner_ticks

    for lo, hi in [(-2, 2), (-1, 3), (0, 0.01), (-100.02, -100), (999_900, 1e6), (-1e6, 1e6), (-5.5, 7.25)]:
        for target in (5, 6):
            ticks = inner_ticks(lo, hi, target)
            span = hi - lo
            assert 2 <= len(ticks) <= 2 * target, (lo, hi, ticks)
            assert all(lo + 0.04 * span - 1e-9 * span <= t <= hi - 0.04 * span + 1e-9 * span for t in ticks)
            step = ticks[1] - ticks[0]
            assert np.allclose(np.diff(ticks), step, rtol=1e-9)
            mantissa = step / 10 ** np.floor(np.log10(step) + 1e-9)
            assert min(abs(mantissa - m) for m in (1, 2, 5, 10)) < 1e-6, step
            # every multiple of the step that is far enough from the ends is a tick (none skipped)
            assert ticks[0] - step < lo + 0.04 * span and ticks[-1] + step > hi - 0.04 * span
    assert inner_ticks(-2, 2, 6) == [-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5]  # by hand: step 4/6 ≈ 0.5
    assert inner_ticks(-2, 2, 5) == [-1.0, 0.0, 1.0]  # 4/5 = 0.8 is nearer 1 than 0.5
    assert inner_ticks(1.0, 1.0, 5) == []
    fig = surface_3d(simulate(Scene(landscape="rosenbrock", runs=(Run.make("adam", lr=0.05),)))).to_dict()
    scene = fig["layout"]["scene"]
    assert scene["yaxis"]["range"] == [-1.0, 3.0] and -1.0 not in scene["yaxis"]["tickvals"]
    for name in ("xaxis", "yaxis"):
        (lo, hi), ticks = scene[name]["range"], scene[name]["tickvals"]
        assert len(ticks) >= 3 and lo < min(ticks) and max(ticks) < hi


@pytest.mark.parametrize(
    ("spans", "box"),
    # by hand: the longer side 1.3, the other in the window's proportion (at most 3:1), z 0.7
    [
        ((4, 4), (1.3, 1.3, 0.7)),
        ((4, 3), (1.3, 0.975, 0.7)),
        ((5.5, 7), (1.3 * 5.5 / 7, 1.3, 0.7)),
        ((1, 100), (1.3 / 3, 1.3, 0.7)),
    ],
)
def test_the_3d_box_has_the_window_s_proportions(spans: tuple[float, float], box: tuple[float, float, float]) -> None:
    from viz.curves import box_aspect

    assert box_aspect(*spans) == pytest.approx(box)


def test_the_3d_view_of_the_rnn_cliff_is_four_by_three() -> None:
    # the cliff's window is 4 wide and 3 high: its box was square
    result = simulate(Scene(landscape="rnn-cliff", runs=(Run.make("gd", lr=0.1),), steps=10))
    xs, ys, Z = landscapes.grid(result.landscape, 30)
    from viz.curves import surface_3d_figure

    lifted = [np.zeros(len(r.path)) for r in result.runs]
    fig = surface_3d_figure(xs, ys, Z, "loss", result.runs, lifted, np.empty((0, 2)), np.empty(0))
    ratio = fig.layout.scene.aspectratio
    assert ratio.x / ratio.y == pytest.approx(4 / 3) and ratio.z == pytest.approx(0.7)


def _gl_project(points: np.ndarray, eye: np.ndarray, centre: np.ndarray, width: float, height: float) -> np.ndarray:
    """Screen pixels of ``points`` the way WebGL does it: gl-matrix's lookAt and perspective (fovy 45°, as
    plotly.js's 3-D scenes use), 4 × 4 matrices on homogeneous coordinates, then the viewport."""
    f = (centre - eye) / np.linalg.norm(centre - eye)
    s = np.cross(f, [0, 0, 1.0])
    s /= np.linalg.norm(s)
    u = np.cross(s, f)
    view = np.eye(4)
    view[0, :3], view[1, :3], view[2, :3] = s, u, -f
    view[:3, 3] = -view[:3, :3] @ eye
    near, far, g = 0.01, 100.0, 1 / np.tan(np.pi / 8)
    proj = np.array(
        [
            [g / (width / height), 0, 0, 0],
            [0, g, 0, 0],
            [0, 0, (far + near) / (near - far), 2 * far * near / (near - far)],
            [0, 0, -1, 0],
        ]
    )
    clip = (proj @ view @ np.c_[points, np.ones(len(points))].T).T
    ndc = clip[:, :2] / clip[:, 3:]
    return np.c_[(ndc[:, 0] + 1) / 2 * width, (1 - ndc[:, 1]) / 2 * height]


CUBE = np.array([[a, b, c] for a in (-1, 1) for b in (-1, 1) for c in (-1, 1)], dtype=float)


@pytest.mark.parametrize(
    ("eye", "width", "height"),
    [((1.35, -1.35, 0.9), 945, 600), ((1.35, -1.35, 0.9), 540, 460), ((1.099, 1.099, 2.0), 340, 300)],
)
def test_the_fitted_3d_camera_shows_the_whole_box_with_room_for_its_labels(
    eye: tuple[float, float, float], width: int, height: int
) -> None:
    # Plotly's vertical field of view is fixed: a plot narrower than the box's picture cut its sides off (a
    # phone, a laptop with the sidebar open). The fitted camera keeps the eye's direction, and the box's
    # corners land inside the plot, clear of the room left for the labels.
    from viz.curves import LABEL_ROOM, fit_camera

    box = (1.3, 1.3, 0.7)
    new_eye, centre = (np.array(v) for v in fit_camera(eye, box, width, height))
    direction = (new_eye - centre) / np.linalg.norm(new_eye - centre)
    assert np.allclose(direction, np.array(eye) / np.linalg.norm(eye), atol=1e-3)
    px = _gl_project(CUBE * np.array(box) / 2, new_eye, centre, width, height)
    left, right, vertical = LABEL_ROOM
    assert px[:, 0].min() >= left - 1 and px[:, 0].max() <= width - right + 1, px
    assert px[:, 1].min() >= vertical - 1 and px[:, 1].max() <= height - vertical + 1, px
    # as large as fits: 5% nearer, in the same place, a corner leaves the room
    nearer = _gl_project(CUBE * np.array(box) / 2, centre + (new_eye - centre) * 0.95, centre, width, height)
    assert (
        nearer[:, 0].min() < left - 1
        or nearer[:, 0].max() > width - right + 1
        or nearer[:, 1].min() < vertical - 1
        or nearer[:, 1].max() > height - vertical + 1
    )


def test_the_fitted_3d_camera_distance_by_hand() -> None:
    # A unit cube seen from the x axis, in a 1000 × 1000 plot: the near face (depth d − 0.5, half-width 0.5)
    # is the widest part of the picture. The room across is 1000 − 80 − 35 px, 0.885 of the half-width in
    # normalised units, up and down 1000 − 2·30 px (0.94): across binds, so the nearest distance that fits is
    # d = 0.5 + 0.5 / (0.885 · tan 22.5°) = 1.864.
    from viz.curves import fit_camera

    new_eye, centre = (np.array(v) for v in fit_camera((3.0, 0.0, 0.0), (1.0, 1.0, 1.0), 1000, 1000))
    d = float(np.linalg.norm(new_eye - centre))
    assert 1.864 - 0.01 <= d <= 1.864 + 0.08, d
    # narrower plots need the eye further away; a wide one does not
    wide = fit_camera((3.0, 0.0, 0.0), (1.0, 1.0, 1.0), 2000, 1000)
    narrow = fit_camera((3.0, 0.0, 0.0), (1.0, 1.0, 1.0), 500, 1000)
    dist = [float(np.linalg.norm(np.subtract(e, c))) for e, c in (wide, narrow)]
    assert dist[0] <= d + 0.01 < dist[1]


def test_a_run_ending_at_the_minimum_is_drawn_over_the_star() -> None:
    # The offline animation drew the ☆ after the runs: a run that reached the minimum had its end marker
    # hidden under the star. The start and the minima go first now.
    result = simulate(Scene(landscape="himmelblau"))
    spec = trajectory_figure(result.runs, _surface(result), result.start, result.landscape.minima).to_dict()
    names = [t.get("name", "") for t in spec["data"]]
    stars = [i for i, n in enumerate(names) if n == "global minimum"]
    heads = [i for i, n in enumerate(names) if n.endswith("(now)")]
    assert stars and heads and max(stars) < min(heads), names
    # the animation still moves the runs' traces: every frame's traces are the heads and trails
    animated = set(spec["frames"][0]["traces"])
    assert set(heads) <= animated and not animated & set(stars)
