"""The optimizer guide: every optimizer with its type, keeps, pros, cons and best-for, each linking to a
scene that shows it (the link decodes cleanly and the optimizer makes progress there)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import optimizers
from scene import decode
from simulate import simulate
from ui.guide_view import guide_frame, scene_for, scene_link

ROOT = Path(__file__).resolve().parent.parent


def test_guide_tab_lists_every_optimizer() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["tab"] = "guide"  # only the open tab is drawn
    at.run()
    assert not at.exception
    (df,) = [d.value for d in at.dataframe if "pros" in d.value.columns]
    assert list(df["optimizer"]) == [optimizers.spec(n).label for n in optimizers.names()]
    for col in ("type", "keeps", "pros", "cons", "best for", "see it"):
        assert df[col].map(lambda s: isinstance(s, str) and len(s) > 2).all(), col
    adam = df[df["optimizer"] == "Adam"].iloc[0]
    assert "fast convergence" in adam["pros"] and "generalize worse" in adam["cons"]
    assert adam["type"] == "adaptive + momentum" and "first and second moments" in adam["keeps"]
    # What decides a choice comes first: the table is wider than the page, and its right end scrolls.
    assert list(df.columns[:5]) == ["optimizer", "see it", "best for", "pros", "cons"]
    labels = {e.label for e in at.expander}
    assert all(any(optimizers.spec(n).label in lab for lab in labels) for n in optimizers.names())


def test_frame_matches_specs() -> None:
    df = guide_frame()
    for name, row in zip(optimizers.names(), df.itertuples(index=False), strict=True):
        s = optimizers.spec(name)
        assert row.pros == "; ".join(s.pros) and row.cons == "; ".join(s.cons) and row.type == s.family


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
