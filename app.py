"""Optimizer Playground: see how gradient-descent optimizers move across a loss surface.

The page only turns widgets into a Scene and a Result into elements; the maths lives in
``optimizers/``, ``landscapes/`` and ``simulate.py``, the figures in ``viz/``, the controls and views
in ``ui/``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import sweeps
from scene import Scene
from simulate import Result
from ui import cache, controls, guide_view, lessons_view, page_tabs, state, steps_view, sweep_view, views
from ui.sweep_view import sweep_query


@dataclass(frozen=True)
class TabPlaces:
    """The Playground tab's places, in page order. The fragment draws ``top`` and ``bottom``; the full run
    draws the update rules between them, so a fragment rerun does not send (and the browser does not
    typeset again) rules that did not change."""

    top: DeltaGenerator  # lesson question, messages, the animated panels
    rules: DeltaGenerator
    bottom: DeltaGenerator  # the 3-D view's loss curves and summary, downloads

    @classmethod
    def make(cls) -> TabPlaces:
        """Empty places in the current container."""
        return cls(st.container(), st.container(key=views.RULES_KEY), st.container())


@dataclass
class Playground:
    """Places for the question, the messages, the panels and what follows them at once (in the tab's top, in
    page order) and for the rest (its bottom, under the update rules); the panels are drawn into theirs
    first, so they reach the browser first."""

    question: DeltaGenerator
    messages: DeltaGenerator
    panels: DeltaGenerator
    under_panels: DeltaGenerator  # a revealed explanation on a projector or a phone (above the rules)
    rest: DeltaGenerator
    fig: Callable[..., go.Figure] | None = None

    @classmethod
    def make(cls, tab: TabPlaces) -> Playground:
        """Empty places in ``tab``."""
        with tab.top:
            question, messages, panels, under = st.container(), st.container(), st.container(), st.container()
        return cls(question, messages, panels, under, tab.bottom)

    def draw_panels(self, result: Result, on_drawn: Callable[[], None] | None = None) -> None:
        """The animated panels (or the 3-D view) of ``result``; ``on_drawn`` runs once the browser has drawn
        the panels (if it draws any)."""
        with self.panels:
            self.fig = views.trajectories(
                result, hidden=lessons_view.paths_hidden(), presentation=lessons_view.presenting(), on_drawn=on_drawn
            )


def playground(result: Result, places: Playground) -> None:
    """The main tab around its drawn panels (but the update rules): lesson question, messages, loss curves
    and summary (3-D view), downloads.

    While the class predicts (paths hidden) nothing that gives the paths away is shown; presentation mode
    shows only the question and the panels (and, once revealed, the explanation under them).
    """
    hidden, present = lessons_view.paths_hidden(), lessons_view.presenting()
    with places.question:
        lessons_view.question_panel()
    if not hidden:
        with places.messages:
            views.run_messages(result)
    if lessons_view.explanation_below():  # a projector or a phone: right under the panels, above the rules
        with places.under_panels:
            lessons_view.explanation()
    if present:
        return
    with places.rest:
        if hidden:
            st.caption("Loss curves, summary and downloads are hidden until Reveal.")
            return
        views.loss_and_summary(result)
        # The expanders' contents are built only while they are open (opening one reruns the tab).
        about = st.expander(f"About the surface: {result.landscape.title}", key="about_open", on_change="rerun")
        with about:
            if about.open:
                views.surface_about(result)
        box = st.expander("Download and share", key="downloads_open", on_change="rerun")
        with box:
            if box.open:
                st.caption("The page's address holds the whole scene: copy it to share exactly this picture.")
                views.downloads(result, places.fig)


_FULL_RUN = "_full_run"  # set by the full run just before it calls the fragment
_RULES = "_rules_drawn"  # the update rules the last full run drew
_RETRIED = "_play_retried"  # the fragment reran the page once because its controls disagreed
_NOTIFY = "_notify_drawn"  # set by a session's first run: the panels are to say when they are drawn
_HELD = "_rules_held"  # the first run held the update rules back until the panels are drawn


def _panels_drawn() -> None:
    """The browser has drawn a session's first panels: rerun the page, now with the update rules.

    Typesetting the rules (KaTeX) in the same first render as the panels delays the panels by about half
    a second; so the first run holds them back.
    """
    if st.session_state.pop(_HELD, False):
        state.request_resend()  # this run follows the first at once: the controls' values go again
        st.rerun()


@st.fragment(key=controls.PLAY_FRAGMENT)
def runs_and_playground(base: Scene, setup: controls.RunsSetup, tab: TabPlaces | None) -> Scene:
    """The run controls (in the sidebar's place for them) and, when ``tab`` is given, the Playground tab
    but its update rules.

    A fragment: a run's setting changed (a learning-rate slider moved) reruns only this, with the
    arguments of the last full run: ``base`` is the scene of the rest of the sidebar, whose widgets cannot
    have changed since (they rerun the whole page). The runs are read from the controls' state and the
    panels drawn first, so they reach the browser first; the drawn controls must agree (else the page
    reruns once). A change that other parts of the page show (the update rules, another open tab) reruns
    the whole page.
    """
    ss = st.session_state
    alone = not ss.pop(_FULL_RUN, False)
    notify = ss.pop(_NOTIFY, False)
    scene = base.with_(runs=controls.read_runs(setup))
    if alone:
        if tab is None or views.rule_texts(scene) != ss.get(_RULES):
            st.rerun()
        state.keep_widget_state(("hp.",), controls.drawn_run_keys())  # closed run expanders keep their values
    if tab is not None:
        places = Playground.make(tab)
        result = cache.cached_simulate(scene)
        places.draw_panels(result, on_drawn=_panels_drawn if notify else None)
        if notify:
            ss[_HELD] = places.fig is not None  # the browser draws panels: it will report them drawn
        playground(result, places)
    drawn = controls.runs_ui(setup)
    if drawn != scene.runs and not ss.get(_RETRIED):
        ss[_RETRIED] = True
        st.rerun()
    ss[_RETRIED] = False
    if alone:
        state.sync_url(scene, {**lessons_view.query_extra(), **sweep_query(scene), **state.tab_query()})
    return scene.with_(runs=drawn)  # what the full run gets back (a fragment rerun's return is dropped)


def draw_runs_and_playground(
    base: Scene, setup: controls.RunsSetup, side: controls.SidebarPlaces, tab: TabPlaces | None
) -> Scene:
    """Call the fragment from the full run; returns the scene it drew."""
    st.session_state[_FULL_RUN] = True
    with side.runs:
        return runs_and_playground(base, setup, tab)


def _pick_tab(slug: str) -> None:
    st.session_state[state.TAB] = state.TABS[slug]


def _drawn_tab_keys() -> set[str]:
    """The controls of the Sweeps or Step by step tab that this run draws: the open tab's (unless the
    class is predicting or the page presents, when no tab but the Playground shows controls)."""
    if lessons_view.paths_hidden() or lessons_view.presenting():
        return set()
    open_tab = state.open_tab()
    if open_tab == state.TABS["sweeps"]:
        return set(sweep_view.CONTROL_KEYS)
    if open_tab == state.TABS["steps"]:
        return set(steps_view.CONTROL_KEYS)
    return set()


def main() -> None:
    """Draw the page: controls -> scene -> cached result -> tabs; finally the scene goes into the URL.

    The run controls and the Playground tab are one fragment (:func:`runs_and_playground`): a run's setting
    changed reruns only them. On a session's first run the link's scene is known before the sidebar is
    drawn, so the fragment is called first and the panels reach the browser first; the sidebar's scene is
    then compared with it (a mismatch reruns the page).
    """
    # A phone's sidebar starts folded away: Streamlit's "auto" opens it on a phone held sideways (844 × 390),
    # whose first screen then shows no panel. Asked for here, in the page's first config: a second
    # set_page_config in the same run did not always fold it.
    phone = views.is_phone()
    st.set_page_config(
        page_title="Optimizer Playground",
        page_icon="⛰️",
        layout="wide",
        initial_sidebar_state="collapsed" if phone else "auto",
    )
    ss = st.session_state
    state.resend_controls(lessons_view.CONTROL_KEYS)
    state.init(resolve=lessons_view.resolve, known_keys=(lessons_view.PRESENT, *sweeps.QUERY_KEYS))
    # Controls that are not drawn on every run (other tabs, hidden run settings) keep their values.
    state.keep_widget_state(("sw_", "steps_", "hp."), controls.drawn_run_keys() | _drawn_tab_keys())
    side = controls.SidebarPlaces.make()
    initial = state.take_initial_scene()  # a first run: the link's scene
    lessons_view.present_style()
    views.phone_style()
    if not lessons_view.presenting():
        st.title("Optimizer Playground")
    state.url_messages()
    # Only the open tab is computed and sent (a pick reruns the page); the others keep their controls'
    # state and their part of the URL.
    if lessons_view.presenting():  # presentation mode has no tab bar: always the panels
        ss[state.TAB] = state.TABS["play"]
    open_tab = state.open_tab()
    if lessons_view.presenting():
        st.empty()  # where the tab bar stands: the tab's container keeps its place, and the panels in it
        body = st.container(key=page_tabs.PANEL_KEY)
    else:
        body = page_tabs.page_tabs(state.TABS, state.tab_slug(open_tab), _pick_tab)
    tab = None
    if open_tab == state.TABS["play"]:
        with body:
            tab = TabPlaces.make()
    if initial is not None:
        setup_first = controls.RunsSetup.of(initial)
        ss[_NOTIFY] = not lessons_view.presenting()  # presenting shows no rules: nothing to hold back
        scene = draw_runs_and_playground(initial, setup_first, side, tab)
        ss["_early_panels"] = ss.get("_early_panels", 0) + 1  # for the tests
    with side.head:
        lessons_view.picker()
    base, setup = controls.sidebar(side)
    if initial is None:
        scene = draw_runs_and_playground(base, setup, side, tab)
    elif base != scene or setup != setup_first:
        ss["_early_missed"] = ss.get("_early_missed", 0) + 1  # for the tests
        state.request_resend()
        st.rerun()  # the link's scene is not what the sidebar shows: draw again in the usual order
    held = initial is not None and ss.get(_HELD, False)
    if not held:
        ss.pop(_HELD, None)
    ss[_RULES] = None if held else views.rule_texts(scene)  # held: a fragment rerun reruns the page
    if tab is not None and not lessons_view.presenting() and not held:
        with tab.rules:
            views.update_rules(ss[_RULES])
    hidden = lessons_view.paths_hidden()  # while the class predicts, no tab may give the paths away
    extra_query: dict[str, str | list[str]] = dict(lessons_view.query_extra())
    with body:
        if open_tab == state.TABS["sweeps"]:
            if hidden:
                st.info("Hidden until Reveal: the class is still predicting.")
            else:
                extra_query.update(sweep_view.sweep_view(scene))
        elif open_tab == state.TABS["steps"]:
            if hidden:
                st.info("Hidden until Reveal: the class is still predicting.")
            else:
                steps_view.step_by_step(cache.cached_simulate(scene))
        elif open_tab == state.TABS["guide"]:
            guide_view.guide()
    if open_tab != state.TABS["sweeps"] or hidden:
        extra_query.update(sweep_query(scene))
    extra_query.update(state.tab_query())
    state.sync_url(scene, extra_query)


main()
