"""The data the browser-drawn panels receive (viz.canvas.paths_payload): every path exact to a pixel,
diverged runs cut, strict JSON (no NaN), long runs subsampled, loss curves, hidden mode, signature."""

from __future__ import annotations

import json

import numpy as np
import pytest

import landscapes
import lessons
from scene import Run, Scene
from simulate import simulate
from viz.canvas import MAX_ROWS, paths_payload
from viz.surface import render


def _surface(result):  # type: ignore[no-untyped-def]
    _, _, Z = landscapes.grid(result.landscape, 60)
    Zt, label = landscapes.display_transform(Z)
    return render(Zt, result.landscape.bounds, label)


def payload(scene: Scene, **kw):  # type: ignore[no-untyped-def]
    result = simulate(scene)
    lmin = getattr(result.landscape, "min_value", None)
    data = paths_payload(
        result.runs,
        _surface(result),
        result.start,
        result.landscape.minima,
        loss_min=lmin,
        show_loss=True,
        summary=result.summary,
        **kw,
    )
    return result, data


def test_every_step_of_every_path_within_a_pixel() -> None:
    result, data = payload(Scene())
    (x0, x1), (y0, y1) = result.landscape.bounds
    tol = max(x1 - x0, y1 - y0) / 2000
    assert data["rows"] == list(range(Scene().steps + 1))
    assert [r["label"] for r in data["runs"]] == [r.label for r in result.runs]
    for run, sent in zip(result.runs, data["runs"], strict=True):
        xy = np.column_stack([sent["x"], sent["y"]])
        assert xy.shape == run.path.shape
        assert np.abs(xy - run.path).max() <= tol
    assert data["start"] == pytest.approx(list(result.start), abs=tol)
    assert data["minima"][0] == pytest.approx([1.0, 1.0], abs=tol) and len(data["minima"]) == 1, "(a, a²)"
    assert data["frames"][0] == 0 and data["frames"][-1] == Scene().steps
    assert len(data["panels"]) == len(result.runs) and data["columns"] == 2


def test_diverged_run_stops_at_its_last_position_and_json_is_strict() -> None:
    scene = Scene(landscape="quadratic", runs=(Run.make("gd", lr=0.5), Run.make("gd", lr=0.1)), steps=80)
    result, data = payload(scene)
    k = result.runs[0].diverged_at
    assert k is not None and result.runs[1].diverged_at is None
    assert len(data["runs"][0]["x"]) == k, "rows 0 … k-1 are real positions"
    assert np.all(np.isfinite(data["runs"][0]["x"]))
    assert data["panels"][0]["note"] == f"diverged at step {k}" and data["panels"][1]["note"] == ""
    loss = data["loss"]["runs"][0]["y"]
    assert loss[k - 1] is not None and all(v is None for v in loss[k:]), "the loss curve stops there too"
    summary = data["summary"]
    assert summary["columns"][:2] == ["optimizer", "final loss"] and len(summary["rows"]) == 2
    assert summary["rows"][0][-1] == f"diverged at step {k}" and summary["rows"][1][-1] == "ok"
    json.dumps(data, allow_nan=False)  # NaN is not JSON: the browser would reject the message


def test_a_run_that_did_not_run_has_a_note_and_no_path() -> None:
    _, data = payload(Scene(runs=(Run.make("sgd", nesterov=True), Run.make("adam")), steps=30))
    assert data["panels"][0]["note"].startswith("not run:")
    assert [r["panel"] for r in data["runs"]] == [1]
    assert [r["label"] for r in data["loss"]["runs"]] == ["Adam"]


def test_a_run_that_ends_outside_the_picture_says_where() -> None:
    # From (8, -1), outside the bowl's window (-3…3)²: GD at η = 0.1 comes in, RMSprop at η = 0.01 does not.
    runs = (Run.make("gd", lr=0.1), Run.make("rmsprop"))
    scene = Scene(landscape="quadratic", runs=runs, start=(8.0, -1.0), steps=50)
    result, data = payload(scene)
    gd, rms = data["panels"]
    assert gd["note"] == ""
    x, y = result.runs[1].path[-1]
    assert not (-3 <= x <= 3 and -3 <= y <= 3)
    head, _, point = rms["note"].partition(" at (")
    assert head == "ends outside the picture," and point.endswith(")")
    # The coordinates read back as the end point, to 4 digits; their hyphens do not break a line.
    shown = [float(c.replace("\u2011", "-")) for c in point[:-1].split(", ")]
    np.testing.assert_allclose(shown, [x, y], rtol=5e-4)
    assert "-" not in point
    _, hidden = payload(scene, hidden=True)
    assert [p["note"] for p in hidden["panels"]] == ["", ""], "while the class predicts, nothing is given away"


def test_a_far_end_point_is_written_short_and_unbroken() -> None:
    from viz.canvas import _unbroken

    assert _unbroken(-1.567e-05) == "\u20111.567e\u20115" and _unbroken(4.277e09) == "4.277e9"
    assert _unbroken(-18.7) == "\u201118.7" and _unbroken(904.3) == "904.3"


def test_long_runs_are_subsampled_keeping_every_frame_and_the_end() -> None:
    steps = 5000
    result, data = payload(Scene(runs=(Run.make("adam", lr=0.01),), steps=steps))
    rows = data["rows"]
    assert len(rows) <= MAX_ROWS + len(data["frames"]) and rows[0] == 0 and rows[-1] == steps
    assert set(data["frames"]) <= set(rows)
    assert rows == sorted(set(rows))
    last = np.array([data["runs"][0]["x"][-1], data["runs"][0]["y"][-1]])
    assert np.abs(last - result.runs[0].path[-1]).max() < 0.01
    assert len(json.dumps(data)) < 150_000


def test_loss_is_the_gap_to_the_minimum_on_a_log_axis_where_known() -> None:
    result, data = payload(Scene())
    assert data["loss"]["log"] and "minimum" in data["loss"]["title"]
    gd = np.array(data["loss"]["runs"][0]["y"], dtype=float)
    np.testing.assert_allclose(gd, result.runs[0].loss - 0.0, rtol=1e-3)  # Rosenbrock's minimum value is 0
    _, saddle = payload(Scene(landscape="saddle", runs=(Run.make("gd", lr=0.05),), steps=40))
    assert not saddle["loss"]["log"], "the loss goes negative on a saddle: linear axis"


def test_loss_view_covers_the_picture_not_a_run_that_left_it() -> None:
    # The saddle lesson: momentum leaves the picture [-2, 2]² and its loss x² − y² falls without bound
    # (below -1e6 within 200 steps). Inside the picture the loss lies in [-4, 4] (hand maths), which is
    # the range the chart keeps near, so the other runs' curves are not flattened.
    _, data = payload(lessons.get("saddle").scene)
    (x0, x1), (y0, y1) = data["bounds"]
    assert (x0, x1, y0, y1) == (-2, 2, -2, 2)
    lows = [min(v for v in r["y"] if v is not None) for r in data["loss"]["runs"]]
    assert min(lows) < -1e6, "a run's loss left the picture's range"
    lo, hi = data["loss"]["view"]
    assert -4.0 <= lo < 0 < hi <= 4.0
    # Every run's start is inside: its first loss is within the view.
    for r in data["loss"]["runs"]:
        assert lo <= r["y"][0] <= hi
    # The axis the browser draws keeps within the view and half its width again (8 at most), plus 4 %.
    bottom, top = data["loss"]["range"]
    assert -8.64 <= bottom <= lo and hi <= top <= 8.64


def test_hidden_sends_no_paths_no_loss_and_no_clicks() -> None:
    _, data = payload(Scene(), hidden=True)
    assert data["runs"] == [] and data["loss"] is None and data["summary"] is None and not data["clickable"]
    assert len(data["panels"]) == len(Scene().runs), "the empty panels stay, titled"
    scene = Scene(landscape="quadratic", runs=(Run.make("gd", lr=0.5), Run.make("sgd", nesterov=True)), steps=80)
    _, hidden = payload(scene, hidden=True)
    gd, sgd = hidden["panels"]
    assert gd["note"] == "" and "diverged" not in gd["aria"] and "loss" not in gd["aria"], "no answer given away"
    assert sgd["note"].startswith("not run:"), "a run that could not run still says why"
    _, shown = payload(scene)
    assert shown["panels"][0]["note"].startswith("diverged at step")


def test_overlay_is_one_panel_with_every_path() -> None:
    _, data = payload(Scene(), overlay=True)
    assert len(data["panels"]) == 1 and data["columns"] == 1
    assert {r["panel"] for r in data["runs"]} == {0} and len(data["runs"]) == len(Scene().runs)


def test_signature_follows_the_data() -> None:
    _, a = payload(Scene())
    _, b = payload(Scene())
    assert a["signature"] == b["signature"]
    _, c = payload(Scene(runs=(Run.make("gd", lr=0.003),)))
    assert c["signature"] != a["signature"]
    _, d = payload(Scene(), scale=1.5)
    assert d["signature"] != a["signature"], "presentation mode redraws too"


def test_a_run_that_ends_outside_the_picture_has_that_status() -> None:
    # The learning-rate lesson's η = 0.25 run ends 4.4e10 away with a loss of 1e22, and its panel says it
    # ends outside the picture: its summary's status said "ok". η = 0.1 converges inside the picture.
    result = simulate(lessons.get("learning-rate").scene)
    status = {row["optimizer"]: row["status"] for row in result.summary}
    labels = [r.label for r in result.runs]
    assert status[labels[-1]] == "ended outside the picture", status
    assert status[labels[1]] == "ok", status


def test_a_mini_batch_as_large_as_the_data_says_it_is_the_full_batch() -> None:
    # The control goes to 512 whatever the data's size: B = 512 on 200 samples ran exactly as the full batch
    # (the same numbers as B = 0) while its label and rule said mini-batch, and the page said nothing.
    from urllib.parse import parse_qs

    from scene import decode

    sgd = "r=sgd~lr:0.05"
    scene, _ = decode(parse_qs(f"ls=linear-regression&{sgd}~batch_size:512&{sgd}&{sgd}~batch_size:8"))
    result = simulate(scene)
    big, full, _ = result.runs  # the third, a real mini-batch, gets no message
    np.testing.assert_array_equal(big.path, full.path)  # B = 0 is the full batch
    assert [m for m in result.messages if "mini-batch" in m] == [
        f"{big.label}: a mini-batch of 512 is not less than the 200 samples, so it uses the full batch."
    ]
