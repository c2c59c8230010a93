"""Session start-up from the URL, and keeping the URL in step with the controls."""

from __future__ import annotations

from collections.abc import Callable, Collection

import streamlit as st

from scene import CUSTOM, QUERY_KEYS, Scene, decode, encode, misspelt_keys
from ui.controls import CONTROL_KEYS, CONTROL_PREFIXES, load_scene, snapped_messages

URL_MESSAGES = "url_messages"
INITIAL_SCENE = "_initial_scene"
_RESEND = "_resend_controls"
#: The page's tabs: URL slug -> title. The first is the default and is left out of the URL.
TABS = {"play": "Playground", "sweeps": "Sweeps", "steps": "Step by step", "guide": "Optimizer guide"}
TAB = "tab"


def query_dict() -> dict[str, list[str]]:
    """The page's query parameters, every value as a list (repeated keys keep all values)."""
    return {k: list(st.query_params.get_all(k)) for k in st.query_params}


def init(resolve: Callable[[Scene, list[str]], Scene] | None = None, known_keys: Collection[str] = ()) -> None:
    """On a session's first run, set every control from the URL (messages for what was rejected, snapped to a
    slider's steps or misspelt).

    Args:
        resolve: optional hook that may replace the decoded scene, e.g. with the lesson's scene under the
            link's changes when the link names a lesson but no landscape; it may change the messages.
        known_keys: the query parameters the page reads besides the scene's and the tab: a parameter
            that is none of them but resembles one gets a message (:func:`scene.misspelt_keys`).
    """
    ss = st.session_state
    if ss.get("_initialised"):
        return
    query = query_dict()
    scene, msgs = decode(query)
    if resolve is not None:
        scene = resolve(scene, msgs)
    msgs += snapped_messages(scene)
    msgs += misspelt_keys(query, (*QUERY_KEYS, TAB, *known_keys))
    load_scene(scene)
    if scene.landscape != CUSTOM:  # a formula's window is filled in by the sidebar: no early panels
        ss[INITIAL_SCENE] = scene  # what the sidebar will return on this first run (the panels may go first)
    ss["lesson"] = scene.lesson
    ss[URL_MESSAGES] = msgs
    initial_tab()
    ss["_initialised"] = True


def request_resend() -> None:
    """Ask the next run to send the sidebar controls' values again (see :func:`resend_controls`)."""
    st.session_state[_RESEND] = True


def resend_controls(extra: tuple[str, ...] = ()) -> None:
    """Send the sidebar controls' values to the browser again on a run that :func:`request_resend` asked for.

    A session's first run sends each control with the value its link set; a run that follows at once
    (the page reruns as soon as the panels are drawn) sends it without one, as Streamlit does for a
    value the browser already has. The browser may not have taken the first value in yet; it then
    showed, and on the next change sent, the control's minimum (start x -1000000, steps 1). Setting
    the values again makes that run send them too. (Not on every run: a value sent with a control
    moves it back if the person has moved it on since the run began.) ``extra``: more keys to send.
    """
    if st.session_state.pop(_RESEND, False):
        keys = {*CONTROL_KEYS, *extra}
        _reassign(lambda key: key in keys or key.startswith(CONTROL_PREFIXES))


def sync_url(scene: Scene, extra: dict[str, str | list[str]] | None = None) -> None:
    """Write ``scene`` (and the views' own ``extra`` parameters) into the query string, only when it changed."""
    merged = {**encode(scene), **(extra or {})}
    want = {k: v if isinstance(v, list) else [v] for k, v in merged.items()}
    if query_dict() != want:
        st.query_params.from_dict(want)


def url_messages() -> None:
    """Show what was rejected in the link, with a button to dismiss it."""
    msgs = st.session_state.get(URL_MESSAGES) or []
    if not msgs:
        return
    with st.container(border=True):
        st.warning(
            "Some values in the link were not usable and were replaced:\n\n"
            + "\n".join(f"- {m}" for m in msgs[:12])
            + ("\n- …" if len(msgs) > 12 else "")
        )
        if st.button("Dismiss", key="dismiss_url_messages"):
            st.session_state[URL_MESSAGES] = []
            st.rerun()


def initial_tab() -> str:
    """The tab a session opens on (its title): the URL's ``tab`` (by slug) on the session's first run, else
    the first tab."""
    ss = st.session_state
    if "_initial_tab" not in ss:
        slug = st.query_params.get(TAB)
        if slug is not None and slug not in TABS:
            ss.setdefault(URL_MESSAGES, []).append("Unknown tab in the link; showing the Playground.")
        ss["_initial_tab"] = TABS.get(slug or "play", TABS["play"])
    return str(ss["_initial_tab"])


def open_tab() -> str:
    """The open tab's title (session state ``TAB``; :func:`initial_tab` until a tab is picked)."""
    ss = st.session_state
    if ss.get(TAB) not in TABS.values():
        ss[TAB] = initial_tab()
    return str(ss[TAB])


def tab_slug(title: str) -> str:
    """The URL slug of the tab titled ``title`` (the first tab's for an unknown title)."""
    return next((k for k, v in TABS.items() if v == title), "play")


def tab_query() -> dict[str, str]:
    """The open tab as a query parameter (nothing for the first tab)."""
    slug = tab_slug(str(st.session_state.get(TAB)))
    return {} if slug == "play" else {TAB: slug}


def keep_widget_state(prefixes: tuple[str, ...], drawn: Collection[str] = ()) -> None:
    """Keep the values of widgets whose keys start with ``prefixes`` while they are not drawn.

    Streamlit forgets a widget's value on a run that does not draw it; re-assigning the value at the
    top of the run turns it into plain session state that survives until the widget is drawn again.
    Keys in ``drawn`` (widgets this run draws) are left alone: a re-assigned value is sent to the
    browser with the widget, and would move back a slider the person has moved on since this run began.
    """
    _reassign(lambda key: key.startswith(prefixes) and key not in drawn)


def _reassign(wanted: Callable[[str], bool]) -> None:
    """Assign every session-state value whose (string) key is ``wanted`` to itself."""
    ss = st.session_state
    # One pass over a snapshot: iterating the proxy walks the whole session state twice (keys, then len)
    # and reads every value again.
    for key, value in ss.to_dict().items():
        if isinstance(key, str) and wanted(key):
            ss[key] = value


def take_initial_scene() -> Scene | None:
    """On a session's first run, the scene its link describes (once), else None."""
    return st.session_state.pop(INITIAL_SCENE, None)
