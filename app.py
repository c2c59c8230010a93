"""Optimizer Playground: see how gradient-descent optimizers move across a loss surface.

The page only turns widgets into a Scene and a Result into elements; the maths lives in
``optimizers/``, ``landscapes/`` and ``simulate.py``, the figures in ``viz/``, the controls and views
in ``ui/``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

st.set_page_config(page_title="Optimizer Playground", page_icon="⛰️", layout="wide", initial_sidebar_state="auto")

import plotly.graph_objects as go  # noqa: E402
from streamlit.delta_generator import DeltaGenerator  # noqa: E402

from scene import Scene  # noqa: E402
from simulate import Result  # noqa: E402  (set_page_config must come first)
from ui import cache, controls, guide_view, lessons_view, state, steps_view, views  # noqa: E402
from ui.sweep_view import sweep_query, sweep_view  # noqa: E402


@dataclass
class Playground:
    """The main tab's places, made before the sidebar so the panels can be drawn first."""

    question: DeltaGenerator
    messages: DeltaGenerator
    panels: DeltaGenerator
    rest: DeltaGenerator
    fig: Callable[[], go.Figure] | None = None
    drawn: Scene | None = None  # the scene whose panels are drawn

    @classmethod
    def make(cls) -> Playground:
        """Empty places, in page order."""
        return cls(st.container(), st.container(), st.container(), st.container())

    def draw_panels(self, result: Result) -> None:
        """The animated panels (or the 3-D view) of ``result``."""
        with self.panels:
            self.fig = views.trajectories(
                result, hidden=lessons_view.paths_hidden(), presentation=lessons_view.presenting()
            )
        self.drawn = result.scene


def playground(result: Result, places: Playground) -> None:
    """The main tab: lesson question, messages, the animated panels, update rules, loss curves, summary, downloads.

    While the class predicts (paths hidden) nothing that gives the paths away is shown; presentation mode
    shows only the question and the panels.
    """
    hidden, present = lessons_view.paths_hidden(), lessons_view.presenting()
    with places.question:
        lessons_view.question_panel()
    if not hidden:
        with places.messages:
            views.run_messages(result)
    if places.drawn is None:
        places.draw_panels(result)
    if present:
        return
    with places.rest:
        views.update_rules(result)
        if hidden:
            st.caption("Loss curves, summary and downloads are hidden until Reveal.")
            return
        views.loss_and_summary(result)
        # The buttons are built only while the expander is open (opening it reruns the page).
        box = st.expander("Download and share", key="downloads_open", on_change="rerun")
        with box:
            if box.open:
                st.caption("The page's address holds the whole scene: copy it to share exactly this picture.")
                views.downloads(result, places.fig)


def main() -> None:
    """Draw the page: controls -> scene -> cached result -> tabs; finally the scene goes into the URL.

    When the only change since the last run is a run's setting (a learning-rate slider moved), the scene
    is predicted from the controls' state and the panels are drawn before the sidebar, so they reach the
    browser first; the sidebar's scene is then compared with the prediction (a mismatch reruns the page
    the usual way).
    """
    state.init(resolve=lessons_view.resolve)
    # Controls that are not drawn on every run (other tabs, hidden run settings) keep their values.
    state.keep_widget_state(("sw_", "steps_", "hp."))
    early = state.take_initial_scene()  # a first run: the link's scene
    if early is None:
        last = state.changed_since_drawn()
        early = controls.predicted_scene(*last) if last is not None else None
    lessons_view.present_style()
    if not lessons_view.presenting():
        st.title("Optimizer Playground")
    state.url_messages()
    # Only the open tab is computed and sent (the tabs rerun the page when switched); the others keep
    # their controls' state and their part of the URL.
    if lessons_view.presenting():  # presentation mode hides the tab bar: always show the panels
        st.session_state[state.TAB] = state.TABS["play"]
    tab_play, tab_sweep, tab_steps, tab_guide = st.tabs(
        list(state.TABS.values()), key=state.TAB, on_change="rerun", default=state.initial_tab()
    )
    places = None
    if tab_play.open:
        with tab_play:
            places = Playground.make()
        if early is not None:
            places.draw_panels(cache.cached_simulate(early))
            st.session_state["_early_panels"] = st.session_state.get("_early_panels", 0) + 1  # for the tests
    lessons_view.picker()
    scene = controls.sidebar()
    if places is not None and places.drawn is not None and places.drawn != scene:
        state.forget_drawn()  # predicted wrongly: draw again in the usual order
        st.session_state["_early_missed"] = st.session_state.get("_early_missed", 0) + 1  # for the tests
        st.rerun()
    result = cache.cached_simulate(scene)
    extra_query: dict[str, str | list[str]] = {}
    extra_query.update(lessons_view.query_extra())
    if places is not None:
        playground(result, places)
    hidden = lessons_view.paths_hidden()  # while the class predicts, no tab may give the paths away
    with tab_sweep:
        if tab_sweep.open and hidden:
            st.info("Hidden until Reveal: the class is still predicting.")
        extra_query.update(sweep_view(scene) if tab_sweep.open and not hidden else sweep_query(scene))
    with tab_steps:
        if tab_steps.open and hidden:
            st.info("Hidden until Reveal: the class is still predicting.")
        elif tab_steps.open:
            steps_view.step_by_step(result)
    with tab_guide:
        if tab_guide.open:
            guide_view.guide()
    extra_query.update(state.tab_query())
    state.sync_url(scene, extra_query)
    state.remember_drawn(scene)


main()
