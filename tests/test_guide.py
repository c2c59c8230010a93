"""The optimizer guide: every optimizer with its type, keeps, pros, cons and best-for, each linking to a
scene that shows it (the link decodes cleanly and the optimizer makes progress there)."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import optimizers
from scene import decode
from simulate import simulate
from ui.guide_view import guide_table, scene_for, scene_link

ROOT = Path(__file__).resolve().parent.parent


class _Table(HTMLParser):
    """The guide table's rows as the browser reads them: per row, per cell, its text and list items and the
    links (href, target) it holds."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.head: list[str] = []
        self._cell: dict[str, Any] | None = None
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self.rows.append({"optimizer": a.get("data-optimizer"), "cells": []})
        elif tag in ("td", "th"):
            self._cell = {"text": "", "items": [], "links": [], "label": a.get("data-label")}
        elif tag == "li" and self._cell is not None:
            self._cell["items"].append("")
        elif tag == "a" and self._cell is not None:
            self._cell["links"].append((a.get("href"), a.get("target")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            if tag == "th":
                self.head.append(self._cell["text"])
            else:
                self.rows[-1]["cells"].append(self._cell)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell["text"] += data
            if self._cell["items"]:
                self._cell["items"][-1] += data


def parse_table(html: str) -> _Table:
    table = _Table()
    table.feed(html)
    return table


def test_guide_tab_shows_every_optimizer_with_every_text_of_its_spec() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["tab"] = "guide"  # only the open tab is drawn
    at.run()
    assert not at.exception
    (html,) = [m.value for m in at.markdown if "og-guide" in m.value and "<table" in m.value]
    assert "\n\n" not in html, "a blank line would end the HTML block in Markdown"
    table = parse_table(html)
    assert table.head == ["Optimizer", "Best for", "Pros", "Cons"]
    assert [r["optimizer"] for r in table.rows] == optimizers.names()
    for name, row in zip(optimizers.names(), table.rows, strict=True):
        s = optimizers.spec(name)
        first, best, pros, cons = row["cells"]
        # Every text whole (the data grid this replaced cut them at the column's width), unescaped back.
        assert first["text"].startswith(s.label) and s.family in first["text"] and s.keeps in first["text"]
        assert (f"torch.optim.{s.pytorch}" if s.pytorch else "not in PyTorch") in first["text"]
        assert best["text"] == s.best_for and best["label"] == "Best for"
        assert pros["items"] == list(s.pros) and pros["label"] == "Pros"
        assert cons["items"] == list(s.cons) and cons["label"] == "Cons"
        ((href, target),) = first["links"]
        assert href == scene_link(scene_for(name)) and target == "_blank"
    labels = {e.label for e in at.expander}
    assert all(any(optimizers.spec(n).label in lab for lab in labels) for n in optimizers.names())


def test_table_escapes_what_it_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = optimizers.spec
    odd = dataclasses.replace(spec("adam"), best_for="x < y & <b>bold</b>", pros=("a<script>alert(1)</script>",))
    monkeypatch.setattr("ui.guide_view.optimizers.spec", lambda n: odd if n == "adam" else spec(n))
    html = guide_table()
    assert "<script>" not in html and "<b>" not in html
    row = next(r for r in parse_table(html).rows if r["optimizer"] == "adam")
    assert row["cells"][1]["text"] == "x < y & <b>bold</b>"
    assert row["cells"][2]["items"] == ["a<script>alert(1)</script>"]


@pytest.mark.parametrize("name", optimizers.names())
def test_link_shows_the_optimizer(name: str) -> None:
    link = scene_link(scene_for(name))
    assert link.startswith("?")
    scene, msgs = decode(parse_qs(link[1:]))
    assert not msgs
    assert scene == scene_for(name)
    assert name in [r.optimizer for r in scene.runs]
    result = simulate(scene)
    for r in result.runs:
        assert r.ok and r.diverged_at is None, (r.label, r.diverged_at)
    mine = next(r for r in result.runs if r.run.optimizer == name)
    assert np.isfinite(mine.loss).all() and mine.loss[-1] < 0.9 * mine.loss[0]
