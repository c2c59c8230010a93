"""Tables that show every number: in a data grid, a column holding a number beyond ±2⁵³ goes as formatted
text; the summary table as HTML (the 3-D view's) writes each value in its format, named for a phone."""

from __future__ import annotations

import math
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from ui.tables import number_columns
from viz.canvas import SUMMARY_HELP, summary_html


def test_a_column_with_a_huge_number_becomes_text_in_its_format() -> None:
    df = pd.DataFrame({"loss": [-0.06506, -349.6, -1.8295924365924946e19, math.nan], "d": [0.5, 2.0, 9e15, 1.0]})
    out, config = number_columns(df, {"loss": "%.4g", "d": "%.3g"})
    assert out["loss"].tolist()[:3] == ["-0.06506", "-349.6", "-1.83e+19"]  # Python's %.4g, by hand
    assert pd.isna(out["loss"].iloc[3]), "not a number: an empty cell"
    assert config["loss"]["type_config"]["type"] == "text" and config["loss"]["alignment"] == "right"
    # 9e15 is just below 2^53 = 9.007e15: still a number, formatted by the browser.
    assert out["d"].tolist() == [0.5, 2.0, 9e15, 1.0]
    assert config["d"]["type_config"] == {**config["d"]["type_config"], "type": "number", "format": "%.3g"}
    assert df["loss"].iloc[2] == -1.8295924365924946e19, "the caller's frame is not changed"


class _Cells(HTMLParser):
    """The text of each ``td`` and ``th`` of an HTML table, with its attributes, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, dict[str, str | None]]]] = []
        self._cell: list[Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = ["", dict(attrs, tag=tag)]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append((self._cell[0], self._cell[1]))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell[0] += data


def cells(html: str) -> list[list[tuple[str, dict[str, str | None]]]]:
    parser = _Cells()
    parser.feed(html)
    return parser.rows


def test_summary_html_writes_each_value_in_its_format_and_names_its_column() -> None:
    rows = [
        {
            "optimizer": "Adam <b>#2</b>",
            "final loss": 0.0123456,
            "distance to minimum": 1.23456,
            "steps to reach": 17.0,
            "status": "reached",
        },
        {
            "optimizer": "GD",
            "final loss": -1.8295924365924946e19,
            "distance to minimum": math.nan,
            "steps to reach": None,
            "status": "diverged at step 40",
        },
    ]
    html = summary_html(rows)
    assert "\n" not in html and "<b>" not in html
    head, adam, gd = cells(html)
    assert [t for t, _ in head] == list(rows[0])
    assert head[1][1]["title"] == SUMMARY_HELP["final loss"] and "title" not in head[0][1]
    # Python's %.4g / %.3g / %d, by hand; a missing or non-finite value is "–", as the panels write it.
    assert [t for t, _ in adam] == ["Adam <b>#2</b>", "0.01235", "1.23", "17", "reached"]
    assert [t for t, _ in gd] == ["GD", "-1.83e+19", "–", "–", "diverged at step 40"]
    assert [a["data-label"] for _, a in gd] == list(rows[0])
    assert [a.get("class") for _, a in adam] == [None, "pp-num", "pp-num", "pp-num", None]
    assert summary_html([]) == ""


def _3d_summary(query: dict[str, str | list[str]]) -> list[list[str]]:
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120)
    for k, v in {**query, "view": "3d"}.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    (html,) = [m.value for m in at.markdown if 'class="pp-table"' in m.value]
    assert "\n\n" not in html, "a blank line would end the HTML block in Markdown"
    return [[t for t, _ in row] for row in cells(html)]


def test_3d_views_summary_shows_a_diverged_runs_loss() -> None:
    # The saddle lesson in the 3-D view: momentum's loss falls to about -1.8e19 (a data grid could not show
    # it as a number); the other runs' losses read as before.
    head, *rows = _3d_summary(
        {
            "lesson": "saddle",
            "ls": "saddle",
            "x0": "1.8",
            "y0": "0.0001",
            "steps": "200",
            "r": ["gd~lr:0.02", "gd~lr:0.02~noise:0.1", "sgd~lr:0.02~momentum:0.9"],
        }
    )
    losses = [float(r[head.index("final loss")]) for r in rows]
    assert len(losses) == 3 and min(losses) < -1e15 and any(-10 < v < 10 for v in losses)


def test_3d_views_summary_marks_a_minimum_not_reached() -> None:
    # On the quadratic bowl GD with η = 0.1 reaches the minimum, with η = 1e-5 it does not: its "steps to
    # reach" shows "–", as the panels' own summary does.
    head, fast, slow = _3d_summary({"ls": "quadratic", "r": ["gd~lr:0.1", "gd~lr:0.00001"]})
    reach = head.index("steps to reach")
    assert fast[reach].isdigit() and slow[reach] == "–", (fast, slow)


def test_a_number_column_is_as_wide_as_its_longest_number() -> None:
    # The grid sized "m (x)" by its header and drew -0.8078461 right-aligned, clipped on the left: the
    # Step by step table showed ".8078461" for -0.8078461 and "3.897114" for -3.897114.
    df = pd.DataFrame({"m (x)": [-0.8078461, -1.455358, 2.0], "t": [1, 2, 3]})
    _, config = number_columns(df, {"m (x)": "%.7g", "t": "%d"})
    short = number_columns(pd.DataFrame({"m (x)": [1.0, 2.0]}), {"m (x)": "%.7g"})[1]
    # ten characters at the grid's 14 px font take more than 60 px; the header alone fits in less
    assert config["m (x)"]["width"] >= 10 * 6 + 16 > short["m (x)"]["width"] - 1
    assert config["t"]["width"] < config["m (x)"]["width"]
