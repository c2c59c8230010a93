"""Lessons in the page: the lesson picker, the question and its reveal, predict-then-reveal, presentation mode.

Session-state keys:

- ``lesson_pick`` — the "Lesson" select box (``""`` is free play);
- ``lesson`` — the lesson the scene belongs to (read by :func:`ui.controls.sidebar`);
- ``predict`` — "Hide the paths until Reveal"; ``revealed`` — whether Reveal was pressed;
- ``present`` — presentation mode (also ``?present=1`` in the URL).

Buttons: ``reveal``, ``hide_again``, ``leave_present``.
"""

from __future__ import annotations

import streamlit as st

import lessons
from lessons import Lesson
from scene import Scene, decode, quote_value
from ui import state
from ui.views import is_phone
from ui.widgets import glue_math_punctuation

PICK = "lesson_pick"
LESSON = "lesson"
PREDICT = "predict"
REVEALED = "revealed"
PRESENT = "present"
#: The picker's controls (the page sends their values again where the sidebar's go again).
CONTROL_KEYS = (PICK, PREDICT, PRESENT)

#: Presentation mode: bigger text in the main area, no tab bar (only the first tab is shown), the sidebar
#: folded away: its » button (the header's only control left) opens it to change a setting in front of
#: the class, in its usual type.
_PRESENT_CSS = """
<style>
[data-testid="stToolbarActions"], [data-testid="stMainMenu"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stHeader"] { background: transparent !important; }
[data-testid="stHeader"], [data-testid="stHeader"] * { pointer-events: none !important; }
[data-testid="stHeader"] button { pointer-events: auto !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding-top: 1rem !important; max-width: 100% !important; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li {
  font-size: 1.6rem !important; line-height: 1.4 !important; }
[data-testid="stMain"] [data-testid="stAlert"] [data-testid="stMarkdownContainer"] p { font-size: 1.75rem !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] { display: none !important; }
[data-testid="stMain"] .stButton button p { font-size: 1.3rem !important; }
</style>
"""


def _title(key: str) -> str:
    """The select box's text for a lesson key (``""`` is free play)."""
    if not key:
        return "Free play"
    found = lessons.get(key)
    return found.title if found is not None else key


def current() -> Lesson | None:
    """The lesson the page is showing, or ``None`` in free play."""
    key = st.session_state.get(LESSON, "")
    return lessons.get(key) if isinstance(key, str) and key else None


def _on_pick() -> None:
    """Load the chosen lesson's scene into every control; "Free play" keeps the scene and drops the lesson."""
    from ui.controls import load_scene

    ss = st.session_state
    key = ss.get(PICK, "")
    chosen = lessons.get(key) if key else None
    if chosen is not None:
        load_scene(chosen.scene)
        ss[LESSON] = chosen.key
    else:
        ss[LESSON] = ""
    ss[REVEALED] = False


def _on_predict() -> None:
    """Turning "hide the paths" on starts a new guess."""
    st.session_state[REVEALED] = False


def _reveal() -> None:
    st.session_state[REVEALED] = True


def _hide_again() -> None:
    st.session_state[REVEALED] = False


def _leave_present() -> None:
    st.session_state[PRESENT] = False
    st.rerun()  # the whole page (title, tabs), not just the Playground fragment the button is in


def resolve(scene: Scene, msgs: list[str]) -> Scene:
    """The ``state.init`` hook: turn a link that names a lesson into the scene to show.

    A link that names a lesson but no landscape (``ls``) is the lesson's scene with the link's fields on
    top: a bare ``?lesson=<key>`` opens the lesson as it is, ``?lesson=ravine&view=3d`` the ravine in 3-D.
    The page's own links for a lesson always name the landscape and carry the whole scene, which is
    kept as decoded (and the lesson with it). An unknown key adds a message and gives free play. Also
    sets the lesson picker and presentation mode (``?present=1``) from the link.

    Args:
        scene: the scene decoded from the URL (its ``lesson`` field is the link's, unchecked).
        msgs: the URL messages; a message is appended for an unknown lesson, and they are replaced by
            those of decoding against the lesson's scene when that is done.

    Returns:
        The scene to load into the controls.
    """
    ss = st.session_state
    present = st.query_params.get(PRESENT)
    ss[PRESENT] = str(present).strip().lower() in ("1", "true", "yes", "on")
    ss[REVEALED] = False
    key = scene.lesson
    if not key:
        ss[PICK] = ""
        return scene
    found = lessons.get(key)
    if found is None:
        msgs.append(f"Unknown lesson {quote_value(key, limit=40)}; showing free play.")
        ss[PICK] = ""
        return scene.with_(lesson="")
    ss[PICK] = found.key
    if "ls" not in st.query_params:
        scene, msgs[:] = decode(state.query_dict(), base=found.scene)
    return scene.with_(lesson=found.key)


def picker() -> None:
    """The "Lesson" select box and the lecture-hall switches (the page puts them at the top of the sidebar)."""
    ss = st.session_state
    options = ["", *lessons.keys()]
    if ss.get(PICK) not in options:
        ss[PICK] = ""
    ss.setdefault(PREDICT, False)
    ss.setdefault(PRESENT, False)
    st.selectbox(
        "Lesson",
        options,
        key=PICK,
        format_func=_title,
        on_change=_on_pick,
        help="A lesson sets the whole scene and asks the class a question; the answer comes with Reveal.",
    )
    st.toggle(
        "Hide the paths until Reveal",
        key=PREDICT,
        on_change=_on_predict,
        help="Predict-then-reveal: the class sees the surface and guesses before the paths appear.",
    )
    st.toggle(
        "Presentation mode",
        key=PRESENT,
        help=(
            "For a projector: large text and thick lines, only the question and the panels. The sidebar folds "
            "away; » (top left) opens it to change a setting in front of the class."
        ),
    )
    st.divider()


def paths_hidden() -> bool:
    """Whether the paths (and everything that gives them away) are hidden: predicting, not yet revealed."""
    ss = st.session_state
    return bool(ss.get(PREDICT)) and not bool(ss.get(REVEALED))


def presenting() -> bool:
    """Whether presentation mode is on."""
    return bool(st.session_state.get(PRESENT))


def present_style() -> None:
    """In presentation mode: the large-text style, and the sidebar folded away (it opens again when the
    mode is left: the page's first ``st.set_page_config`` asks for ``auto``, ``collapsed`` on a phone)."""
    if not presenting():
        return
    st.set_page_config(initial_sidebar_state="collapsed")
    st.markdown(_PRESENT_CSS, unsafe_allow_html=True)


def query_extra() -> dict[str, str]:
    """The URL parameters this view adds (``present=1`` in presentation mode)."""
    return {PRESENT: "1"} if presenting() else {}


def question_panel() -> None:
    """Above the panels: the lesson's question, the Reveal button and, once revealed, the explanation
    (on a projector or a phone, :func:`explanation_below`, the page puts it under the panels instead).

    In free play with "hide the paths" on, only the Reveal button is shown.
    """
    ss = st.session_state
    les = current()
    hidden = paths_hidden()
    revealed = bool(ss.get(REVEALED))
    if les is not None:
        title = les.title if les.title[-1] in ".?!" else f"{les.title}."  # "Same names, same paths?" ends itself
        st.info(f"**{title}** {glue_math_punctuation(les.question)}", icon=":material/quiz:")
    elif hidden:
        st.info("The paths are hidden: what will each optimizer do? Reveal shows them.", icon=":material/quiz:")
    if les is None and not hidden and not presenting():
        return  # free play: nothing to ask (no empty row of buttons)
    asks = not revealed and (les is not None or hidden)
    hides = revealed and bool(ss.get(PREDICT) or les is not None)
    # Presenting, "Leave presentation mode" (the long label) comes first in the row when no Reveal or Hide
    # again stands before it (free play), not off in the middle.
    widths = [1, 1, 3] if not presenting() else [1, 1.3, 1.7] if asks or hides else [1.3, 1, 1.7]
    c1, c2, c3 = st.columns(widths)  # the long label fits beside the sidebar
    if asks:
        c1.button(
            "Reveal",
            key="reveal",
            type="primary",
            on_click=_reveal,
            width="stretch",
            help="Show the paths and the explanation. (Streamlit cannot see the animation end, so this is a button.)",
        )
    elif hides:
        c1.button("Hide again", key="hide_again", on_click=_hide_again, width="stretch")
    if presenting():
        (c2 if asks or hides else c1).button(
            "Leave presentation mode", key="leave_present", on_click=_leave_present, width="stretch"
        )
    if not explanation_below():
        explanation()
    elif les is not None and revealed:
        c3.markdown("↓ The explanation is under the panels.")


def explanation_below() -> bool:
    """Whether a revealed explanation goes under the panels: on a projector and on a phone. Above them, at
    the moment of Reveal, it pushed the panels off the screen (a lesson's explanation is up to half a
    1080-line screen; on a 360-px phone the saddle's moved them from 500 to 1,300 px down the page)."""
    return presenting() or is_phone()


def explanation() -> None:
    """A revealed lesson's explanation (and its source, but when presenting); nothing before Reveal.

    Presenting, it goes under the panels: above them it pushed them off a projector's screen at the
    moment the class was to see them (a lesson's explanation is up to half a 1080-line screen).
    """
    les = current()
    if les is None or not st.session_state.get(REVEALED):
        return
    with st.container(border=True):
        st.markdown(glue_math_punctuation(les.explanation))
        if les.source and not presenting():
            st.caption(f"Source: {les.source}")
