"""Optimizer Playground: see how gradient-descent optimizers move across a loss surface.

The page only turns widgets into a Scene and a Result into elements; the maths lives in
``optimizers/``, ``landscapes/`` and ``simulate.py``, the figures in ``viz/``, the controls and views
in ``ui/``.
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Optimizer Playground", page_icon="⛰️", layout="wide", initial_sidebar_state="auto")

from simulate import Result  # noqa: E402  (set_page_config must come first)
from ui import cache, controls, state, views  # noqa: E402


def playground(result: Result) -> None:
    """The main tab: messages, the animated panels, update rules, loss curves, summary, downloads."""
    views.run_messages(result)
    fig = views.trajectories(result)
    views.update_rules(result)
    views.loss_and_summary(result)
    with st.expander("Download and share"):
        st.caption("The page's address holds the whole scene: copy it to share exactly this picture.")
        views.downloads(result, fig)


def main() -> None:
    """Draw the page: controls -> scene -> cached result -> tabs; finally the scene goes into the URL."""
    state.init()
    scene = controls.sidebar()
    st.title("Optimizer Playground")
    state.url_messages()
    result = cache.cached_simulate(scene)
    extra_query: dict[str, str | list[str]] = {}
    (tab_play,) = st.tabs(["Playground"])
    with tab_play:
        playground(result)
    state.sync_url(scene, extra_query)


main()
