"""The sidebar: widgets in, a :class:`scene.Scene` out; and the reverse, a scene into the widgets.

Widget keys (stable, so tests and callbacks address controls by key):

- ``landscape``; ``lp.<landscape>.<param>``; ``formula``, ``fb.x0`` … ``fb.y1`` (custom surface)
- ``optimizers`` (the multiselect); ``hp.<optimizer>.<copy>.<setting>`` (copy counts from 1)
- ``same_lr``, ``shared_lr``; ``x0``, ``y0``; ``steps``; ``seed``; ``view``; ``columns``
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import landscapes
import optimizers
from landscapes.formula import check_bounds
from optimizers import HyperParam
from scene import (
    BATCH_PARAM,
    CUSTOM,
    MAX_RUNS,
    MAX_STEPS,
    SCHEDULE_PARAMS,
    VIEWS,
    Run,
    Scene,
    format_number,
    landscape_param,
    markdown_literal,
    settings_of,
)
from simulate import run_labels
from ui import widgets

COPIES = "copies"
#: Keys of the sidebar controls that show a part of the scene, and prefixes of the rest of them (see the
#: module docstring).
CONTROL_KEYS = ("landscape", "formula", "optimizers", "same_lr", "shared_lr", "x0", "y0", "steps", "seed", "view")
CONTROL_PREFIXES = ("lp.", "fb.", "hp.", "more.")
#: Per-run settings shown behind the "Noise, clipping, η schedule" switch.
TRANSFORMS = ("noise", "clip_norm", "clip_value", "schedule", "step_size", "gamma", "T_max", "eta_min", "decay")
LAST_GOOD_FORMULA = "_last_good_formula"
SHARED_LR = HyperParam(
    name="shared_lr",
    symbol="η",
    default=0.01,
    low=1e-5,
    high=10.0,
    log=True,
    help=(
        "One learning rate for every optimizer: a fair comparison of the first-order methods. Newton's and "
        "Adadelta's η multiplies a step that has its own scale (their natural η is 1), so a small shared η "
        "slows them down."
    ),
)
VIEW_LABELS = {"panels": "Side by side", "overlay": "Overlay", "3d": "3-D"}


def landscape_title(key: str) -> str:
    """The select box's text for a landscape key."""
    return "Custom formula" if key == CUSTOM else landscapes.REGISTRY[key].title


#: The key of app.py's fragment that draws the run controls and the Playground tab: a run's setting
#: changed reruns only it.
PLAY_FRAGMENT = "play"


@dataclass(frozen=True)
class SidebarPlaces:
    """The sidebar's places, in order: the run controls between the others are drawn by app.py's fragment."""

    head: DeltaGenerator  # lesson picker, landscape, optimizers, shared η
    runs: DeltaGenerator  # each run's expander
    tail: DeltaGenerator  # start point, steps, seed, view

    @classmethod
    def make(cls) -> SidebarPlaces:
        """Empty places in the sidebar."""
        with st.sidebar:
            return cls(st.container(), st.container(), st.container())


@dataclass(frozen=True)
class RunsSetup:
    """What the run controls need from the rest of the sidebar."""

    pairs: tuple[tuple[str, int], ...]  # each run's (optimizer, copy), in order
    stochastic: bool  # a data landscape: runs get a mini-batch size
    same_lr: bool  # the shared η is on: the runs' own η sliders are disabled

    @classmethod
    def of(cls, scene: Scene) -> RunsSetup:
        """The setup that shows ``scene``'s runs (after :func:`load_scene`)."""
        return cls(tuple(run_copies(scene.runs)), is_stochastic(scene.landscape), scene.shared_lr is not None)


def is_stochastic(landscape: str) -> bool:
    """Whether ``landscape`` (a key, or ``"custom"``) is a data landscape: its runs get a mini-batch size."""
    cls = landscapes.REGISTRY.get(landscape)
    return bool(cls is not None and cls.stochastic)


def run_pairs(chosen: list[str], copies: Mapping[str, Any]) -> list[tuple[str, int]]:
    """Each run's ``(optimizer, copy)`` from the chosen optimizers and their copy counts (at most
    :data:`MAX_RUNS`)."""
    return [(o, k) for o in chosen for k in range(1, max(1, int(copies.get(o, 1))) + 1)][:MAX_RUNS]


def hp_key(optimizer: str, copy: int, name: str) -> str:
    """Session-state key of one setting of one copy of an optimizer."""
    return f"hp.{optimizer}.{copy}.{name}"


# --- scene -> widgets ---------------------------------------------------------------------------------
def load_scene(scene: Scene) -> None:
    """Set every control to show ``scene`` (call before the widgets are drawn, or from a callback)."""
    ss = st.session_state
    ss["landscape"] = scene.landscape
    if scene.landscape == CUSTOM:
        ss["formula"] = scene.formula
        (ss["fb.x0"], ss["fb.x1"]), (ss["fb.y0"], ss["fb.y1"]) = scene.formula_bounds
    else:
        land_cls = landscapes.REGISTRY[scene.landscape]
        given = dict(scene.landscape_params)
        for p in land_cls.params:
            ss[f"lp.{scene.landscape}.{p.name}"] = given.get(p.name, p.default)
    order: list[str] = []
    copies: dict[str, int] = {}
    for run in scene.runs:
        if run.optimizer not in copies:
            order.append(run.optimizer)
        copies[run.optimizer] = copies.get(run.optimizer, 0) + 1
        k = copies[run.optimizer]
        for name, hp in settings_of(run.optimizer).items():
            key, value = hp_key(run.optimizer, k, name), run.get(name)
            if value != hp.default:
                ss[key] = value
            elif key in ss:  # an absent setting reads as its default: fewer keys keep every rerun fast
                del ss[key]
    ss["optimizers"] = order
    ss[COPIES] = copies
    for key in [k for k in ss if isinstance(k, str) and k.startswith("more.")]:
        del ss[key]
    ss["same_lr"] = scene.shared_lr is not None
    if scene.shared_lr is not None:
        ss["shared_lr"] = scene.shared_lr
    start = scene.start
    if start is None:
        start = tuple(_default_start(scene))
    ss["x0"], ss["y0"] = float(start[0]), float(start[1])
    ss["steps"] = int(scene.steps)
    ss["seed"] = int(scene.seed)
    ss["view"] = scene.view


def snapped_messages(scene: Scene) -> list[str]:
    """One message per number of ``scene`` that its control cannot show exactly, so that the control takes
    the nearest value it can (a link's η = 0.17 lies between the log slider's 0.15 and 0.2): a link then
    never changes silently. Landscape parameters, run settings and the shared learning rate."""
    msgs: list[str] = []

    def check(where: str, hp: HyperParam, value: Any) -> None:
        if hp.kind != "float" or isinstance(value, bool):
            return
        shown = widgets.coerce(hp, value)
        if shown != value:
            msgs.append(
                f"{where}: {hp.symbol or hp.name} = {format_number(float(value))} lies between the slider's steps; "
                f"using {format_number(float(shown))}."
            )

    if scene.landscape != CUSTOM:
        given = dict(scene.landscape_params)
        for p in landscapes.REGISTRY[scene.landscape].params:
            if p.name in given:
                check("Landscape", replace(landscape_param(p), symbol=p.name), given[p.name])
    for run, label in zip(scene.runs, run_labels(scene.runs, scene.shared_lr), strict=True):
        for name, value in run.params:
            check(label, settings_of(run.optimizer)[name], value)
    if scene.shared_lr is not None:
        check("Same η for all", SHARED_LR, scene.shared_lr)
    return msgs


def _default_start(scene: Scene) -> Any:
    if scene.landscape == CUSTOM:
        try:
            return landscapes.from_formula(scene.formula, bounds=scene.formula_bounds).start
        except ValueError:
            (x0, x1), (y0, y1) = scene.formula_bounds
            return ((x0 + x1) / 2, (y0 + y1) / 2)
    return landscapes.get(scene.landscape, **dict(scene.landscape_params)).start


# --- callbacks ----------------------------------------------------------------------------------------
def _on_landscape_change() -> None:
    """A new landscape starts from its own demonstration point."""
    key = st.session_state["landscape"]
    if key == CUSTOM:
        st.session_state.setdefault("formula", Scene().formula)
        return
    start = landscapes.get(key).start
    st.session_state["x0"], st.session_state["y0"] = float(start[0]), float(start[1])


def run_count() -> int:
    """How many runs the chosen optimizers and their copies make (before the cap at :data:`MAX_RUNS`)."""
    ss = st.session_state
    copies = ss.get(COPIES, {})
    return sum(max(1, int(copies.get(o, 1))) for o in ss.get("optimizers", []) if o in optimizers.names())


def _add_copy(optimizer: str, copy: int) -> None:
    """Append a copy of run ``copy`` of ``optimizer`` with the same settings."""
    ss = st.session_state
    copies = dict(ss.get(COPIES, {}))
    if run_count() >= MAX_RUNS:  # the button is disabled then; a stale click does nothing
        return
    n = copies.get(optimizer, 1) + 1
    copies[optimizer] = n
    for name in settings_of(optimizer):
        src, dst = hp_key(optimizer, copy, name), hp_key(optimizer, n, name)
        if src in ss:
            ss[dst] = ss[src]
        else:  # the source is at its default (an absent key); drop a removed copy's leftover value
            ss.pop(dst, None)
    ss[COPIES] = copies
    ss[run_expander_key(optimizer, n)] = True  # show the new copy's controls
    st.rerun()  # the whole page: the button is in the Playground fragment, the runs come from the sidebar


def _remove_copy(optimizer: str, copy: int) -> None:
    """Remove run ``copy`` of ``optimizer``; later copies move up one place."""
    ss = st.session_state
    copies = dict(ss.get(COPIES, {}))
    n = copies.get(optimizer, 1)
    if n <= 1:
        ss["optimizers"] = [o for o in ss.get("optimizers", []) if o != optimizer]
    else:
        # Each later copy's settings, its "Noise, clipping, η schedule" switch and whether its expander is
        # open move up with it (the switch stayed with the place: a copy with noise moved up behind an off
        # switch, its noise still applied and its controls hidden).
        makers = [lambda k, name=name: hp_key(optimizer, k, name) for name in settings_of(optimizer)]
        makers += [lambda k: more_key(optimizer, k), lambda k: run_expander_key(optimizer, k)]
        for k in range(copy, n):
            for key in makers:
                if key(k + 1) in ss:
                    ss[key(k)] = ss[key(k + 1)]
                else:  # the next copy's setting is at its default (an absent key)
                    ss.pop(key(k), None)
        for key in makers:
            ss.pop(key(n), None)
        copies[optimizer] = n - 1
        ss[COPIES] = copies
    st.rerun()  # the whole page (see _add_copy)


# --- widgets -> scene ---------------------------------------------------------------------------------
def landscape_ui() -> dict[str, Any]:
    """Landscape choice and its parameters; returns the scene fields they set."""
    options = [*landscapes.names(), CUSTOM]
    st.session_state.setdefault("landscape", Scene().landscape)
    if st.session_state["landscape"] not in options:
        st.session_state["landscape"] = Scene().landscape
    key = st.selectbox(
        "Landscape", options, key="landscape", format_func=landscape_title, on_change=_on_landscape_change
    )
    out: dict[str, Any] = {"landscape": key}
    if key == CUSTOM:
        out.update(formula_ui())
        return out
    cls = landscapes.REGISTRY[key]
    params = {}
    for p in cls.params:
        hp = landscape_param(p)
        v = widgets.control(hp, f"lp.{key}.{p.name}", label=p.label)
        if v != p.default:
            params[p.name] = float(v)
    out["landscape_params"] = tuple(sorted(params.items()))
    return out


def formula_ui() -> dict[str, Any]:
    """The custom formula box and its window."""
    d = Scene()
    ss = st.session_state
    ss.setdefault("formula", d.formula)
    text = st.text_input(
        "f(x, y) =",
        key="formula",
        max_chars=500,
        help="Use x and y, + − * / ** ^, numbers, pi, e and sin, cos, tan, exp, log, sqrt, abs, "
        "tanh, sinh, cosh, arctan. Example: (1 - x)^2 + 5*(y - x^2)^2",
    )
    (bx0, bx1), (by0, by1) = d.formula_bounds
    for k, v in (("fb.x0", bx0), ("fb.x1", bx1), ("fb.y0", by0), ("fb.y1", by1)):
        ss.setdefault(k, v)
    # a row of columns for each axis: on a phone the columns stack, and one pair of columns for both axes
    # read x from, y from, x to, y to
    c1, c2 = st.columns(2)
    x0 = c1.number_input("x from", key="fb.x0", min_value=-1e6, max_value=1e6, step=0.5)
    x1 = c2.number_input("x to", key="fb.x1", min_value=-1e6, max_value=1e6, step=0.5)
    c1, c2 = st.columns(2)
    y0 = c1.number_input("y from", key="fb.y0", min_value=-1e6, max_value=1e6, step=0.5)
    y1 = c2.number_input("y to", key="fb.y1", min_value=-1e6, max_value=1e6, step=0.5)
    try:
        bounds = check_bounds(((x0, x1), (y0, y1)))
    except ValueError as e:
        bounds = d.formula_bounds
        st.error(f"The window is not usable: {e}. Using the default window.")  # check_bounds's words and numbers
    try:
        landscapes.from_formula(text, bounds=bounds)
        ss[LAST_GOOD_FORMULA] = (text, bounds)
    except ValueError as e:
        text, bounds = ss.get(LAST_GOOD_FORMULA, (d.formula, d.formula_bounds))
        # The message quotes the person's text; the formula kept has passed the parser (no backtick).
        why = str(e).rstrip(".") + "."
        st.error(f"Formula not accepted: {markdown_literal(why)}\n\nStill showing `f(x, y) = {text}`.")
    return {"formula": text, "formula_bounds": bounds}


def run_ui(
    optimizer: str,
    copy: int,
    stochastic: bool,
    same_lr: bool,
    draw: bool = True,
    kept: Mapping[str, Any] | None = None,
) -> Run:
    """The controls of one run (inside its expander); returns the run.

    With ``draw=False`` (the expander is closed) no widget is drawn and the run is read from the kept
    control state: fewer widgets keep every rerun fast. ``kept`` is a snapshot of the session state to
    read settings that are not drawn from (one dict lookup instead of a session-state read each);
    by default the session state itself.
    """
    spec = optimizers.spec(optimizer)
    settings = settings_of(optimizer)
    ss = st.session_state
    state: Mapping[str, Any] = ss if kept is None else kept

    def setting(hp: HyperParam, shown: bool = True, **kw: Any) -> Any:
        key = hp_key(optimizer, copy, hp.name)
        if draw and shown:
            return widgets.control(hp, key, **kw)
        return widgets.coerce(hp, state.get(key, hp.default))

    values: dict[str, Any] = {}
    for hp in spec.hyperparameters:
        values[hp.name] = setting(hp, disabled=same_lr and hp.name == "lr")
    if stochastic:
        values[BATCH_PARAM.name] = setting(BATCH_PARAM, label="mini-batch size B (0 = full batch)")
    # The transforms sit behind a switch; while hidden their values are kept (app.py keeps "hp." state)
    # and still apply.
    more = more_key(optimizer, copy)
    if more not in ss:
        ss[more] = any(setting(settings[n], shown=False) != settings[n].default for n in TRANSFORMS)
    shown = bool(st.toggle("Noise, clipping, η schedule", key=more)) if draw else False
    for name in ("noise", "clip_norm", "clip_value", "schedule"):
        values[name] = setting(settings[name], shown)
    for name in SCHEDULE_PARAMS.get(str(values["schedule"]), ()):
        values[name] = setting(settings[name], shown)
    if draw:
        c1, c2 = st.columns(2)
        full = run_count() >= MAX_RUNS  # 8 optimizers and no copies: the click did nothing, without a word
        c1.button(
            "Add a copy",
            key=f"copy.{optimizer}.{copy}",
            on_click=_add_copy,
            args=(optimizer, copy),
            help=f"At most {MAX_RUNS} runs: remove one to add a copy."
            if full
            else "Run this optimizer again with its own settings, e.g. GD at three learning rates.",
            disabled=full,
            width="stretch",
        )
        c2.button(
            "Remove", key=f"remove.{optimizer}.{copy}", on_click=_remove_copy, args=(optimizer, copy), width="stretch"
        )
    return Run.make(optimizer, **values)


def drawn_run_keys() -> set[str]:
    """The keys of the run settings this run draws (those of the open run expanders, as :func:`run_ui`
    shows them), from the session state: the runs the optimizer multiselect and the copy counts give."""
    ss = st.session_state
    stochastic = is_stochastic(str(ss.get("landscape")))
    chosen = [o for o in ss.get("optimizers", []) if o in optimizers.names()]
    keys: set[str] = set()
    for optimizer, copy in run_pairs(chosen, ss.get(COPIES, {})):
        if not ss.get(run_expander_key(optimizer, copy)):
            continue
        names = [hp.name for hp in optimizers.spec(optimizer).hyperparameters]
        if stochastic:
            names.append(BATCH_PARAM.name)
        if ss.get(more_key(optimizer, copy)):
            schedule = ss.get(hp_key(optimizer, copy, "schedule"), "none")
            names += ["noise", "clip_norm", "clip_value", "schedule", *SCHEDULE_PARAMS.get(str(schedule), ())]
        keys.update(hp_key(optimizer, copy, n) for n in names)
    return keys


def run_copies(runs: tuple[Run, ...]) -> list[tuple[str, int]]:
    """``(optimizer, copy)`` of each run, in order: :func:`optimizers_ui` numbers the copies of an
    optimizer 1, 2, … in the order they appear."""
    seen: dict[str, int] = {}
    pairs = []
    for r in runs:
        seen[r.optimizer] = seen.get(r.optimizer, 0) + 1
        pairs.append((r.optimizer, seen[r.optimizer]))
    return pairs


def read_runs(setup: RunsSetup) -> tuple[Run, ...]:
    """The runs the run controls show, read from the controls' state without drawing a widget.

    The Playground fragment draws the panels from these before it draws the controls (so the panels
    reach the browser first), then checks them against the drawn controls' values.
    """
    kept = st.session_state.to_dict() if setup.pairs else {}
    return tuple(run_ui(o, k, setup.stochastic, setup.same_lr, draw=False, kept=kept) for o, k in setup.pairs)


def runs_ui(setup: RunsSetup) -> tuple[Run, ...]:
    """Each run's expander with its controls (drawn only while it is open); returns the runs."""
    # Settings that are not drawn are read from one snapshot (no widget of this run has written yet).
    kept = st.session_state.to_dict() if setup.pairs else {}
    runs: list[Run] = []
    for optimizer, k in setup.pairs:
        # The first copy keeps its plain title: a keyed expander whose label changes would close.
        title = optimizers.spec(optimizer).label + (f" #{k}" if k > 1 else "")
        box = st.expander(title, key=run_expander_key(optimizer, k), on_change="rerun")
        with box:
            runs.append(run_ui(optimizer, k, setup.stochastic, setup.same_lr, draw=bool(box.open), kept=kept))
    return tuple(runs)


def more_key(optimizer: str, copy: int) -> str:
    """Session-state key of a run's "Noise, clipping, η schedule" switch."""
    return f"more.{optimizer}.{copy}"


def run_expander_key(optimizer: str, copy: int) -> str:
    """Session-state key of a run's expander (its controls are drawn only while it is open)."""
    return f"run.{optimizer}.{copy}"


def optimizers_ui() -> tuple[tuple[tuple[str, int], ...], bool, float | None]:
    """The optimizer multiselect and the shared-η switch; returns each run's (optimizer, copy), whether
    the shared η is on, and its value."""
    ss = st.session_state
    d = Scene()
    ss.setdefault("optimizers", list(dict.fromkeys(r.optimizer for r in d.runs)))
    ss["optimizers"] = [o for o in ss["optimizers"] if o in optimizers.names()]
    chosen = st.multiselect(
        "Optimizers",
        optimizers.names(),
        key="optimizers",
        format_func=lambda k: optimizers.spec(k).label,
        max_selections=MAX_RUNS,
        help="Each one gets its own panel and controls; use “Add a copy” to run one twice.",
    )
    same_lr = st.toggle("Same η for all", key="same_lr", help=SHARED_LR.help)
    shared = widgets.control(SHARED_LR, "shared_lr", label="shared learning rate η") if same_lr else None
    copies = dict(ss.get(COPIES, {}))
    pairs = run_pairs(chosen, copies)
    ss[COPIES] = {o: max(1, int(copies.get(o, 1))) for o in chosen}
    return tuple(pairs), bool(same_lr), (float(shared) if shared is not None else None)


def start_ui(bounds: tuple[tuple[float, float], tuple[float, float]]) -> dict[str, Any]:
    """Start point, steps, seed."""
    ss = st.session_state
    d = Scene()
    ss.setdefault("steps", d.steps)
    ss.setdefault("seed", d.seed)
    (bx0, bx1), (by0, by1) = bounds
    ss.setdefault("x0", (bx0 + bx1) / 2)
    ss.setdefault("y0", (by0 + by1) / 2)
    st.caption("Start point (or click the surface)")
    c1, c2 = st.columns(2)
    x0 = c1.number_input("start x", key="x0", min_value=-1e6, max_value=1e6, step=0.1, format="%.4g")
    y0 = c2.number_input("start y", key="y0", min_value=-1e6, max_value=1e6, step=0.1, format="%.4g")
    steps = st.slider("steps", min_value=1, max_value=MAX_STEPS, key="steps")
    seed = st.number_input(
        "random seed",
        min_value=0,
        max_value=2**31 - 1,
        step=1,
        key="seed",
        help="Seeds the gradient noise and the mini-batches: same seed, same picture. Every run draws from "
        "this seed, so runs that differ only in a setting (copies at two η) meet the same noise: a fair "
        "comparison. Another seed, another draw.",
    )
    return {"start": (float(x0), float(y0)), "steps": int(steps), "seed": int(seed)}


def view_ui() -> dict[str, Any]:
    """How the runs are shown."""
    st.session_state.setdefault("view", Scene().view)
    view = st.segmented_control("View", VIEWS, key="view", format_func=VIEW_LABELS.get, width="stretch")
    return {"view": view if view in VIEWS else "panels"}


def sidebar(places: SidebarPlaces) -> tuple[Scene, RunsSetup]:
    """Draw the sidebar around the run controls (``places.head`` and ``places.tail``).

    Returns the scene it describes, its runs read from the run controls' state (:func:`read_runs`;
    app.py's fragment draws those controls into ``places.runs``), and the run controls' setup.
    """
    with places.head:
        fields = landscape_ui()
        if fields["landscape"] == CUSTOM:
            bounds = fields["formula_bounds"]
            stochastic = False
        else:
            cls = landscapes.REGISTRY[fields["landscape"]]
            try:
                land = landscapes.get(fields["landscape"], **dict(fields["landscape_params"]))
            except ValueError:
                land = landscapes.get(fields["landscape"])
            bounds, stochastic = land.bounds, cls.stochastic
        pairs, same_lr, shared = optimizers_ui()
    with places.tail:
        fields.update(start_ui(bounds))
        if fields["landscape"] != CUSTOM and tuple(fields["start"]) == tuple(float(v) for v in land.start):
            fields["start"] = None  # the landscape's own start: keeps links short and lessons portable
        fields.update(view_ui())
    setup = RunsSetup(pairs, stochastic, same_lr)
    lesson = st.session_state.get("lesson", "")
    scene = Scene(runs=read_runs(setup), shared_lr=shared, lesson=lesson if isinstance(lesson, str) else "", **fields)
    return scene, setup
