"""Tables that show every number: a column holding a number beyond ±2⁵³ goes as formatted text."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from ui.tables import number_columns


def test_a_column_with_a_huge_number_becomes_text_in_its_format() -> None:
    df = pd.DataFrame({"loss": [-0.06506, -349.6, -1.8295924365924946e19, math.nan], "d": [0.5, 2.0, 9e15, 1.0]})
    out, config = number_columns(df, {"loss": "%.4g", "d": "%.3g"}, help={"d": "distance"})
    assert out["loss"].tolist()[:3] == ["-0.06506", "-349.6", "-1.83e+19"]  # Python's %.4g, by hand
    assert pd.isna(out["loss"].iloc[3]), "not a number: an empty cell"
    assert config["loss"]["type_config"]["type"] == "text" and config["loss"]["alignment"] == "right"
    # 9e15 is just below 2^53 = 9.007e15: still a number, formatted by the browser, with its help.
    assert out["d"].tolist() == [0.5, 2.0, 9e15, 1.0]
    assert config["d"]["type_config"] == {**config["d"]["type_config"], "type": "number", "format": "%.3g"}
    assert config["d"]["help"] == "distance"
    assert df["loss"].iloc[2] == -1.8295924365924946e19, "the caller's frame is not changed"


def test_3d_views_summary_shows_a_diverged_runs_loss() -> None:
    # The saddle lesson in the 3-D view: momentum's loss falls to about -1.8e19, beyond what Streamlit's
    # table can show as a number, so the column is text; the other runs' losses read as before.
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120)
    query = {"lesson": "saddle", "ls": "saddle", "x0": "1.8", "y0": "0.0001", "steps": "200", "view": "3d"}
    for k, v in query.items():
        at.query_params[k] = v
    at.query_params["r"] = ["gd~lr:0.02", "gd~lr:0.02~noise:0.1", "sgd~lr:0.02~momentum:0.9"]
    at.run()
    assert not at.exception, at.exception
    tables = [d.value for d in at.dataframe if "final loss" in d.value.columns]
    assert len(tables) == 1
    losses = tables[0]["final loss"].tolist()
    assert all(isinstance(v, str) for v in losses)
    assert min(float(v) for v in losses) < -1e15 and any(-10 < float(v) < 10 for v in losses)


def test_missing_cells_show_a_marker_when_asked() -> None:
    df = pd.DataFrame({"steps": [12, None, 7], "d": [0.25, 1.5, math.nan], "loss": [1.0, 2.0, 3.0]})
    out, config = number_columns(df, {"steps": "%d", "d": "%.3g", "loss": "%.4g"}, missing="–")
    assert out["steps"].tolist() == ["12", "–", "7"] and out["d"].tolist() == ["0.25", "1.5", "–"]
    assert config["steps"]["type_config"]["type"] == "text" and config["steps"]["alignment"] == "right"
    assert out["loss"].tolist() == [1.0, 2.0, 3.0], "a column with nothing missing stays numbers"
    assert config["loss"]["type_config"]["type"] == "number"


def test_3d_views_summary_marks_a_minimum_not_reached() -> None:
    # On the quadratic bowl GD with η = 0.1 reaches the minimum, with η = 1e-5 it does not: its "steps to
    # reach" is missing and shows "–", as the panels' own summary does (Streamlit would write "None").
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120)
    at.query_params["view"] = "3d"
    at.query_params["ls"] = "quadratic"
    at.query_params["r"] = ["gd~lr:0.1", "gd~lr:0.00001"]
    at.run()
    assert not at.exception, at.exception
    (table,) = [d.value for d in at.dataframe if "steps to reach" in d.value.columns]
    reach = table["steps to reach"].tolist()
    assert reach[0].isdigit() and reach[1] == "–", reach
