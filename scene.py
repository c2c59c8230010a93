"""The whole state of what a person sees, as one frozen, hashable value, and its URL/JSON codec.

Everything speaks scene: the controls build one, a URL or a lesson decodes into one, ``simulate``
turns one into a result, and the exports write one back out. A :class:`Scene` is hashable, so it is
the cache key of the simulation and the figures.

The query-string format is short and readable::

    ?ls=rosenbrock&lp=b:100&r=gd~lr:0.001&r=adam~lr:0.05~amsgrad:1&x0=-1.5&y0=2&steps=300

Decoding never raises: every rejected value is reported in a message and replaced by a sane one.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import landscapes
import optimizers
from landscapes.formula import check_bounds
from optimizers import HyperParam

Value = float | int | bool | str
Bounds = tuple[tuple[float, float], tuple[float, float]]

VIEWS = ("panels", "overlay", "3d")
MAX_STEPS = 2000
MAX_RUNS = 8
MAX_SEED = 2**31 - 1
#: Batch size of the data landscapes' mini-batch gradient; 0 means the full batch (plain GD).
BATCH_PARAM = HyperParam(
    name="batch_size",
    symbol="B",
    default=0,
    low=0,
    high=512,
    log=False,
    help="Mini-batch size for data landscapes: 1 is SGD, 0 is the full batch (plain gradient descent).",
    kind="int",
)
#: The schedule parameters that each learning-rate schedule actually reads.
SCHEDULE_PARAMS: dict[str, tuple[str, ...]] = {
    "none": (),
    "step": ("step_size", "gamma"),
    "exponential": ("gamma",),
    "cosine": ("T_max", "eta_min"),
    "inverse_time": ("decay",),
}
CUSTOM = "custom"
MAX_TEXT = 500
DEFAULT_FORMULA = "(1 - x)^2 + 5*(y - x^2)^2"
DEFAULT_FORMULA_BOUNDS: Bounds = ((-2.0, 2.0), (-1.0, 3.0))


@dataclass(frozen=True)
class Run:
    """One optimizer run: the registry key and its non-default settings.

    Attributes:
        optimizer: key in :func:`optimizers.names`.
        params: sorted ``(name, value)`` pairs of the settings that differ from the defaults; names are
            the optimizer's own hyperparameters, the common transforms (noise, clipping, schedule)
            and ``batch_size``.
    """

    optimizer: str
    params: tuple[tuple[str, Value], ...] = ()

    def get(self, name: str) -> Value:
        """The value of setting ``name``: the stored one, or the declared default."""
        for k, v in self.params:
            if k == name:
                return v
        return settings_of(self.optimizer)[name].default

    def kwargs(self) -> dict[str, Value]:
        """Every setting of the run (defaults filled in), keyed by name."""
        return {name: self.get(name) for name in settings_of(self.optimizer)}

    def effective(self) -> dict[str, Value]:
        """The settings that change what the run does: :meth:`kwargs` without the parameters of
        learning-rate schedules the run does not use."""
        kw = self.kwargs()
        used = SCHEDULE_PARAMS.get(str(kw.get("schedule", "none")), ())
        unused = {p for ps in SCHEDULE_PARAMS.values() for p in ps} - set(used)
        return {k: v for k, v in kw.items() if k not in unused}

    @staticmethod
    def make(optimizer: str, **params: Value) -> Run:
        """Build a run, dropping settings equal to their default so equal runs compare equal."""
        declared = settings_of(optimizer)
        kept = {k: v for k, v in params.items() if k in declared and v != declared[k].default}
        return Run(optimizer, tuple(sorted(kept.items())))


@dataclass(frozen=True)
class Scene:
    """Everything that determines the picture.

    Attributes:
        landscape: key in :func:`landscapes.names`, or ``"custom"`` for a formula.
        landscape_params: sorted ``(name, value)`` pairs of the landscape's own parameters.
        formula: the custom formula (only used when ``landscape == "custom"``).
        formula_bounds: the custom formula's plotting window.
        runs: the optimizer runs, in panel order.
        start: the start point, or ``None`` for the landscape's own default start.
        steps: number of optimizer steps.
        seed: seed of gradient noise and mini-batch sampling.
        shared_lr: when set, every run uses this learning rate ("same η for all").
        view: ``"panels"`` (side by side), ``"overlay"`` (all paths on one surface) or ``"3d"``.
        lesson: key of the lesson this scene came from, or ``""`` for free play.
    """

    landscape: str = "rosenbrock"
    landscape_params: tuple[tuple[str, float], ...] = ()
    formula: str = DEFAULT_FORMULA
    formula_bounds: Bounds = DEFAULT_FORMULA_BOUNDS
    runs: tuple[Run, ...] = field(
        default_factory=lambda: (
            Run.make("gd", lr=0.002),
            Run.make("momentum", lr=0.01),
            Run.make("rmsprop", lr=0.01),
            Run.make("adam", lr=0.1),
        )
    )
    start: tuple[float, float] | None = None
    steps: int = 500
    seed: int = 0
    shared_lr: float | None = None
    view: str = "panels"
    lesson: str = ""

    def with_(self, **changes: Any) -> Scene:
        """A copy with some fields changed."""
        return replace(self, **changes)


# --- the settings a run accepts ---------------------------------------------------------------------
def settings_of(optimizer: str) -> dict[str, HyperParam]:
    """Every setting a run of ``optimizer`` accepts: its own hyperparameters, the common transforms
    and the mini-batch size, keyed by name (in that order)."""
    out = {hp.name: hp for hp in optimizers.spec(optimizer).hyperparameters}
    for hp in optimizers.COMMON:
        if hp.name != "seed":  # the scene's seed is global
            out.setdefault(hp.name, hp)
    out.setdefault(BATCH_PARAM.name, BATCH_PARAM)
    return out


def clean_value(hp: HyperParam, raw: Any) -> tuple[Value, str | None]:
    """Coerce ``raw`` (a string from a URL, or a value) into a valid value of ``hp``.

    Returns:
        ``(value, message)``: the value to use and, when ``raw`` was rejected or clamped, a short
        message saying what happened (``None`` when ``raw`` was fine).
    """
    name = f"{hp.name} ({hp.symbol})" if hp.symbol else hp.name
    text = str(raw).strip()[:40] if not isinstance(raw, (bool, int, float)) else raw
    if hp.kind == "bool":
        if isinstance(raw, bool):
            return raw, None
        low = str(raw).strip().lower()
        if low in ("1", "true", "yes", "on"):
            return True, None
        if low in ("0", "false", "no", "off"):
            return False, None
        return hp.default, f"{name}: {quote_value(raw)} is not on/off; using {hp.default}."
    if hp.kind == "choice":
        if str(raw) in hp.choices:
            return str(raw), None
        return hp.default, f"{name}: {quote_value(raw)} is not one of {', '.join(hp.choices)}; using {hp.default}."
    try:
        v = float(text)
    except (TypeError, ValueError, OverflowError):
        return hp.default, f"{name}: {quote_value(raw)} is not a number; using {hp.default:g}."
    if not math.isfinite(v):
        return hp.default, f"{name}: {quote_value(raw)} is not a finite number; using {hp.default:g}."
    msg = None
    if hp.low is not None and v < hp.low:
        v, msg = float(hp.low), f"{name}: {quote_value(raw)} is below the minimum {hp.low:g}; using {hp.low:g}."
    elif hp.high is not None and v > hp.high:
        v, msg = float(hp.high), f"{name}: {quote_value(raw)} is above the maximum {hp.high:g}; using {hp.high:g}."
    if hp.kind == "int":
        return round(v), msg
    return v, msg


#: The query parameters :func:`decode` reads (the page adds its own: the tab, presentation mode, the sweep's).
QUERY_KEYS = ("lesson", "ls", "lp", "f", "fb", "r", "x0", "y0", "steps", "seed", "view", "lr")


#: Words a person may write for a link's short keys (``?landscape=rosenbrock`` for ``?ls=rosenbrock``): too far
#: from the key for a spelling match, they were ignored without a word.
KEY_WORDS = {
    "landscape": "ls",
    "surface": "ls",
    "formula": "f",
    "function": "f",
    "bounds": "fb",
    "window": "fb",
    "run": "r",
    "runs": "r",
    "optimizer": "r",
    "optimizers": "r",
    "learning_rate": "lr",
    "eta": "lr",
}


def misspelt_keys(query: Mapping[str, Any], known: Iterable[str]) -> list[str]:
    """A message for each parameter of ``query`` that is not one of ``known`` but nearly is (``setps``,
    ``seeds``) or is a word for one (``landscape`` for ``ls``, see :data:`KEY_WORDS`): it is ignored, and
    the message names the key meant. Parameters like nothing known (``utm_source`` from a mailing list)
    are ignored without a word."""
    names = list(known)
    msgs = []
    for key in query:
        if key in names:
            continue
        word = KEY_WORDS.get(str(key).strip().lower())
        close = [word] if word in names else difflib.get_close_matches(str(key), names, n=1, cutoff=0.7)
        if close:
            msgs.append(f"Unknown setting {quote_value(key)} in the link was ignored; did you mean “{close[0]}”?")
    return msgs


# The characters that start HTML, code spans and maths become look-alikes (as the messages have always
# shown them); the rest of the ASCII punctuation is escaped.
_LOOK_ALIKES = str.maketrans({"<": "‹", ">": "›", "`": "'", "$": "＄"})
_PUNCTUATION = frozenset(string.punctuation)
# Where GitHub-flavoured Markdown would start a bare link ("www.", "://", an e-mail's "@"); it finds them in
# the text after the escapes are resolved, so an invisible word joiner goes in.
_AUTOLINK = re.compile(r"www(?=\.)|:(?=/)|@", re.IGNORECASE)


def markdown_literal(text: str) -> str:
    """``text`` written so that Streamlit's Markdown shows it as typed, for a message that quotes a user.

    ``<``, ``>``, a backtick and ``$`` become look-alikes (‹ › ' ＄); every other ASCII punctuation
    character gets a backslash, which CommonMark renders as the character itself; and a word joiner
    (U+2060, invisible) follows ``www`` before a dot, a colon before a slash and every ``@``. So no
    emphasis (``__x__``, ``**x**``), link (``[a](b)``, ``https://…``, ``www.…``, e-mail), strikethrough,
    emoji or colour directive (``:red[x]``) can form from the text.
    """
    text = _AUTOLINK.sub(lambda m: m.group(0) + "\u2060", text.translate(_LOOK_ALIKES))
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in text)


def quote_value(raw: Any, limit: int = 24) -> str:
    """A short, harmless rendering of a user's value for a message: printable, at most ``limit``
    characters, between quotes, and shown as typed by Streamlit's Markdown (:func:`markdown_literal`)."""
    text = "".join(ch if ch.isprintable() else "?" for ch in str(raw))
    if len(text) > limit:
        text = text[: limit - 3] + "…"
    return "“" + markdown_literal(text) + "”"


def _num(raw: str, low: float, high: float, default: float, what: str, msgs: list[str]) -> float:
    hp = HyperParam(name=what, symbol="", default=default, low=low, high=high, log=False, help="")
    v, m = clean_value(hp, raw)
    if m:
        msgs.append(m)
    return float(v)


def make_landscape(scene: Scene) -> tuple[landscapes.Landscape, list[str]]:
    """The scene's landscape; a bad formula or parameter falls back with a message instead of raising."""
    msgs: list[str] = []
    if scene.landscape == CUSTOM:
        try:
            return landscapes.from_formula(scene.formula, bounds=scene.formula_bounds), msgs
        except ValueError as e:
            msgs.append(f"The formula was not accepted: {e} Showing the default formula instead.")
            return landscapes.from_formula(DEFAULT_FORMULA, bounds=scene.formula_bounds), msgs
    try:
        return landscapes.get(scene.landscape, **dict(scene.landscape_params)), msgs
    except ValueError as e:
        msgs.append(f"{e}; using the landscape's defaults.")
        return landscapes.get(scene.landscape), msgs


def format_number(v: float) -> str:
    """Short display of a setting: ``0.001``, ``0.99``, ``1e-5``, ``2.5e-8`` (for labels, ticks, messages)."""
    if v == 0:
        return "0"
    if not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("∞" if v > 0 else "−∞")
    if 1e-3 <= abs(v) < 1e4:
        return f"{v:.4g}"
    m, e = f"{v:.2e}".split("e")
    return f"{m.rstrip('0').rstrip('.')}e{int(e)}"


def format_point(p: Sequence[float]) -> str:
    """A point as ``(x, y)`` with :func:`format_number`'s coordinates: ``(1, 0.5)``, ``(-2.5e-8, 3)``."""
    return f"({format_number(float(p[0]))}, {format_number(float(p[1]))})"


def landscape_param(p: landscapes.Param) -> HyperParam:
    """A landscape's parameter as a :class:`HyperParam`, so one set of controls and checks serves both."""
    return HyperParam(
        name=p.name,
        symbol="",
        default=p.default,
        low=p.low,
        high=p.high,
        log=p.log,
        help=p.help,
        kind="int" if p.integer else "float",
    )


# --- URL codec ----------------------------------------------------------------------------------------
def _fmt(v: Value) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):
        return f"{v:.10g}"
    return str(v)


def encode_run(run: Run) -> str:
    """``adam~lr:0.05~amsgrad:1``: the optimizer key and its non-default settings."""
    return "~".join([run.optimizer, *(f"{k}:{_fmt(v)}" for k, v in run.params)])


def encode(scene: Scene) -> dict[str, str | list[str]]:
    """The scene as query parameters, leaving out what equals the default scene.

    A scene with a lesson always names its landscape (``ls``): a link that names a lesson but no
    landscape is one a person wrote, and the page decodes it against the lesson's scene.
    """
    d = Scene()
    out: dict[str, str | list[str]] = {}
    if scene.lesson:
        out["lesson"] = scene.lesson
    if scene.landscape != d.landscape or scene.lesson:  # a lesson's link always names its surface
        out["ls"] = scene.landscape
    if scene.landscape_params:
        out["lp"] = "~".join(f"{k}:{_fmt(v)}" for k, v in scene.landscape_params)
    if scene.landscape == CUSTOM:
        out["f"] = scene.formula
        (x0, x1), (y0, y1) = scene.formula_bounds
        out["fb"] = "~".join(_fmt(float(v)) for v in (x0, x1, y0, y1))
    if scene.runs != d.runs:
        out["r"] = [encode_run(r) for r in scene.runs]
    if scene.start is not None:
        out["x0"], out["y0"] = _fmt(float(scene.start[0])), _fmt(float(scene.start[1]))
    for name in ("steps", "seed", "view"):
        if getattr(scene, name) != getattr(d, name):
            out[name] = _fmt(getattr(scene, name))
    if scene.shared_lr is not None:
        out["lr"] = _fmt(scene.shared_lr)
    return out


def _landscape_params(key: str) -> dict[str, landscapes.Param]:
    return {p.name: p for p in landscapes.REGISTRY[key].params}


def decode_run(text: str, msgs: list[str]) -> Run | None:
    """Parse one ``r=`` value; ``None`` (with a message) when the optimizer is unknown."""
    parts = str(text).split("~")
    key = parts[0].strip()
    if key not in optimizers.names():
        msgs.append(f"Unknown optimizer {quote_value(key)} in the link was left out.")
        return None
    declared = settings_of(key)
    params: dict[str, Value] = {}
    for part in parts[1:]:
        name, sep, raw = part.partition(":")
        if not sep or name not in declared:
            msgs.append(f"{optimizers.spec(key).label}: setting {quote_value(name)} is unknown and was ignored.")
            continue
        value, m = clean_value(declared[name], raw)
        if m:
            msgs.append(f"{optimizers.spec(key).label}: {m}")
        params[name] = value
    return Run.make(key, **params)


def decode(query: Mapping[str, Any], base: Scene | None = None) -> tuple[Scene, list[str]]:
    """Turn query parameters (values: a string or a list of strings) into a scene.

    Args:
        query: the parameters.
        base: the scene whose fields fill in what the link leaves out (default: ``Scene()``, the base of
            :func:`encode`). A link that names another landscape than the base's takes none of the base's
            surface (its parameters, formula, start).

    Never raises. Returns:
        ``(scene, messages)``: the scene with every rejected value replaced by a sane one, and one
        message per rejected or adjusted value.
    """
    msgs: list[str] = []

    def first(name: str) -> str | None:
        v = query.get(name)
        if isinstance(v, (list, tuple)):
            v = v[-1] if v else None
        return None if v is None else str(v)

    d = Scene() if base is None else base
    kw: dict[str, Any] = {}

    lesson = first("lesson")
    if lesson:
        kw["lesson"] = lesson  # resolved (and checked) by the caller, who knows the lessons

    ls = first("ls")
    landscape = d.landscape
    if ls is not None:
        if ls in landscapes.names() or ls == CUSTOM:
            landscape = ls
        else:
            msgs.append(f"Unknown landscape {quote_value(ls)}; showing {landscapes.get(d.landscape).title}.")
    kw["landscape"] = landscape
    if landscape != d.landscape:  # another surface: nothing of the base's carries over
        blank = Scene()
        d = d.with_(landscape_params=(), start=None, formula=blank.formula, formula_bounds=blank.formula_bounds)

    lp = first("lp")
    if lp and landscape != CUSTOM:
        declared = _landscape_params(landscape)
        params: dict[str, float] = {}
        for part in lp.split("~"):
            name, sep, raw = part.partition(":")
            if not sep or name not in declared:
                msgs.append(f"Landscape parameter {quote_value(name)} is unknown and was ignored.")
                continue
            p = declared[name]
            hp = replace(landscape_param(p), name=p.label)  # messages name the parameter as its slider does
            value, m = clean_value(hp, raw)
            if m:
                msgs.append(m)
            if value != p.default:
                params[name] = float(value)
        kw["landscape_params"] = tuple(sorted(params.items()))

    if landscape == CUSTOM:
        f = first("f")
        if f is not None:
            kw["formula"] = f[:MAX_TEXT]
            if len(f) > MAX_TEXT:
                msgs.append(f"The formula in the link was longer than {MAX_TEXT} characters and was cut.")
        fb = first("fb")
        if fb is not None:
            try:
                vals = [float(v) for v in fb.split("~")]
            except ValueError:
                vals = []
            try:
                if len(vals) != 4:
                    raise ValueError("the bounds must be four numbers")
                kw["formula_bounds"] = check_bounds(((vals[0], vals[1]), (vals[2], vals[3])))
            except ValueError as e:  # check_bounds's words, with numbers only: no Markdown in them
                msgs.append(f"Formula bounds {quote_value(fb)} were not used ({e}); using the defaults.")

    rs = query.get("r")
    if rs is not None:
        items = [rs] if isinstance(rs, str) else list(rs)
        runs = [r for r in (decode_run(t, msgs) for t in items[: MAX_RUNS * 2]) if r is not None]
        if len(runs) > MAX_RUNS:
            msgs.append(f"Only the first {MAX_RUNS} runs of the link are shown.")
            runs = runs[:MAX_RUNS]
        if runs:
            kw["runs"] = tuple(runs)
        else:
            msgs.append("The link names no usable optimizer; showing the default set.")

    x0, y0 = first("x0"), first("y0")
    if x0 is not None or y0 is not None:
        # A missing or unusable coordinate keeps the landscape's own start (a link cut after x0, say).
        sx, sy = (float(v) for v in make_landscape(d.with_(**kw))[0].start)
        kw["start"] = (
            _num(x0, -1e6, 1e6, sx, "start x", msgs) if x0 is not None else sx,
            _num(y0, -1e6, 1e6, sy, "start y", msgs) if y0 is not None else sy,
        )
    s = first("steps")
    if s is not None:
        kw["steps"] = int(_num(s, 1, MAX_STEPS, d.steps, "steps", msgs))
    s = first("seed")
    if s is not None:
        kw["seed"] = int(_num(s, 0, MAX_SEED, d.seed, "seed", msgs))
    v = first("view")
    if v is not None:
        if v in VIEWS:
            kw["view"] = v
        else:
            msgs.append(f"Unknown view {quote_value(v)}; showing panels.")
    lr = first("lr")
    if lr is not None:
        try:
            usable = math.isfinite(float(lr.strip()[:40]))
        except (ValueError, OverflowError):
            usable = False
        if usable:  # a number out of range is clamped: the link did ask for one η for all
            kw["shared_lr"] = _num(lr, 1e-6, 10.0, 0.01, "shared learning rate η", msgs)
        else:  # junk does not switch on "Same η for all" at a made-up η (0.01 made gradient descent diverge)
            msgs.append(f"shared learning rate η: {quote_value(lr)} is not a finite number; each run keeps its own η.")
    return d.with_(**kw), msgs


# --- JSON ---------------------------------------------------------------------------------------------
def to_json(scene: Scene) -> str:
    """The scene as a JSON document (the same fields as the URL, spelled out)."""
    doc = {
        "landscape": scene.landscape,
        "landscape_params": dict(scene.landscape_params),
        "runs": [{"optimizer": r.optimizer, **dict(r.params)} for r in scene.runs],
        "start": list(scene.start) if scene.start is not None else None,
        "steps": scene.steps,
        "seed": scene.seed,
        "shared_lr": scene.shared_lr,
        "view": scene.view,
        "lesson": scene.lesson,
        "url_query": encode(scene),
    }
    if scene.landscape == CUSTOM:
        doc["formula"] = scene.formula
        doc["formula_bounds"] = [list(b) for b in scene.formula_bounds]
    return json.dumps(doc, indent=2, ensure_ascii=False)


def from_json(text: str) -> tuple[Scene, list[str]]:
    """Read a scene written by :func:`to_json` (through the same validation as a URL)."""
    try:
        doc = json.loads(text)
        query = doc["url_query"]
        if not isinstance(query, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return Scene(), ["That file is not a scene exported by Optimizer Playground."]
    return decode(query)


def runs_from(items: Iterable[tuple[str, Mapping[str, Value]]]) -> tuple[Run, ...]:
    """Convenience for lessons: ``[("gd", {"lr": 0.1}), ...]`` to runs."""
    return tuple(Run.make(k, **dict(p)) for k, p in items)
