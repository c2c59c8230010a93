"""The scene codec: URL and JSON round trips, and junk in every query parameter."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import landscapes
import optimizers
from scene import (
    CUSTOM,
    MAX_RUNS,
    MAX_STEPS,
    Run,
    Scene,
    decode,
    encode,
    from_json,
    markdown_literal,
    settings_of,
    to_json,
)
from tests.harness import markdown_shown, unescaped_punctuation

JUNK = ["NaN", "1e999", "../../etc/passwd", "<script>alert(1)</script>", "9" * 400, "", "-inf", "\x00"]


def _query(scene: Scene) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in encode(scene).items()}


def test_default_scene_encodes_to_an_empty_query() -> None:
    assert encode(Scene()) == {}
    scene, msgs = decode({})
    assert scene == Scene() and msgs == []


def test_round_trip_of_a_rich_scene() -> None:
    scene = Scene(
        landscape="quadratic",
        landscape_params=(("kappa", 25.0),),
        runs=(
            Run.make("gd", lr=0.05),
            Run.make("gd", lr=0.2, noise=0.5, clip_norm=1.0),
            Run.make("adam", lr=0.1, amsgrad=True, beta2=0.99, schedule="cosine", T_max=50),
            Run.make("sgd", lr=0.01, momentum=0.9, nesterov=True),
        ),
        start=(-1.25, 0.75),
        steps=123,
        seed=7,
        shared_lr=None,
        view="overlay",
    )
    back, msgs = decode(_query(scene))
    assert msgs == []
    assert back == scene
    again, msgs = from_json(to_json(scene))
    assert msgs == [] and again == scene


def test_custom_formula_round_trip() -> None:
    scene = Scene(landscape=CUSTOM, formula="x^2 + 3*sin(y)", formula_bounds=((-4.0, 4.0), (-2.0, 6.0)))
    back, msgs = decode(_query(scene))
    assert msgs == [] and back == scene


def test_run_make_drops_defaults_so_equal_runs_compare_equal() -> None:
    default_lr = optimizers.spec("adam").hyperparameter("lr").default
    assert Run.make("adam", lr=default_lr) == Run("adam")
    assert Run.make("adam", lr=0.5).get("lr") == 0.5
    assert Run("adam").get("beta1") == optimizers.spec("adam").hyperparameter("beta1").default


@pytest.mark.parametrize("junk", JUNK)
@pytest.mark.parametrize("key", ["ls", "lp", "r", "x0", "y0", "steps", "seed", "view", "lr", "fb"])
def test_junk_in_any_parameter_gives_a_message_and_a_sane_scene(key: str, junk: str) -> None:
    query = {key: [junk]}
    if key == "fb":
        query["ls"] = [CUSTOM]
    if key == "lp":
        query["lp"] = [f"b:{junk}"]
    scene, msgs = decode(query)
    assert scene.landscape in [*landscapes.names(), CUSTOM]
    assert 1 <= scene.steps <= MAX_STEPS
    assert all(r.optimizer in optimizers.names() for r in scene.runs)
    if scene.start is not None:
        assert all(abs(v) <= 1e6 for v in scene.start)
    if scene.shared_lr is not None:
        assert 0 < scene.shared_lr <= 10
    # Each of these junk values is unusable for that key, so the person is told.
    if not (key == "r" and junk == ""):
        assert msgs, f"{key}={junk!r} was accepted silently"
    for m in msgs:
        assert "<script>" not in m and "\x00" not in m and len(m) < 300


def test_out_of_range_values_are_clamped_with_a_message() -> None:
    scene, msgs = decode({"r": ["adam~lr:1000~beta1:-3~eps:1e-30"], "steps": ["100000"]})
    (run,) = scene.runs
    spec = optimizers.spec("adam")
    assert run.get("lr") == spec.hyperparameter("lr").high
    assert run.get("beta1") == spec.hyperparameter("beta1").low
    assert run.get("eps") == spec.hyperparameter("eps").low
    assert scene.steps == MAX_STEPS
    assert len(msgs) == 4


def test_unknown_optimizer_and_setting_are_dropped_with_messages() -> None:
    scene, msgs = decode({"r": ["__import__('os')", "gd~lr:0.1~evil:1"]})
    assert scene.runs == (Run.make("gd", lr=0.1),)
    assert len(msgs) == 2


def test_too_many_runs_are_cut() -> None:
    scene, msgs = decode({"r": ["gd"] * (MAX_RUNS + 5)})
    assert len(scene.runs) == MAX_RUNS and msgs


def test_every_setting_of_every_optimizer_round_trips_at_both_ends() -> None:
    for name in optimizers.names():
        for end in ("low", "high"):
            params = {}
            for hp in settings_of(name).values():
                if hp.kind == "bool":
                    params[hp.name] = end == "high"
                elif hp.kind == "choice":
                    params[hp.name] = hp.choices[-1 if end == "high" else 0]
                elif getattr(hp, end) is not None:
                    v = getattr(hp, end)
                    params[hp.name] = int(v) if hp.kind == "int" else float(v)
            scene = Scene(runs=(Run.make(name, **params),))
            back, msgs = decode(_query(scene))
            assert msgs == [], (name, end, msgs)
            assert back == scene, (name, end)


@pytest.mark.parametrize(
    ("query", "start"),
    [
        ({"x0": ["0.5"]}, (0.5, 1.0)),  # a link cut after x0: y stays at Rosenbrock's classic start (−1.2, 1)
        ({"y0": ["2"]}, (-1.2, 2.0)),
        ({"x0": ["NaN"], "y0": ["2"]}, (-1.2, 2.0)),  # an unusable x falls back to the landscape's x
        ({"lp": ["a:-1"], "y0": ["2"]}, (1.2, 2.0)),  # a < 0 mirrors the classic start across the valley
        ({"ls": ["himmelblau"], "x0": ["1e999"], "y0": ["1"]}, (landscapes.get("himmelblau").start[0], 1.0)),
    ],
)
def test_a_missing_or_unusable_start_coordinate_keeps_the_landscapes_own(
    query: dict[str, list[str]], start: tuple[float, float]
) -> None:
    scene, msgs = decode(query)
    assert scene.start == pytest.approx(start)
    bad = [m for m in msgs if m.startswith("start")]
    assert len(bad) == (1 if any(v in ("NaN", "1e999") for vs in query.values() for v in vs) else 0)
    if bad:
        assert f"using {start[0]:g}" in bad[0]


def test_a_start_coordinate_of_a_custom_formula_falls_back_to_its_window() -> None:
    query = {"ls": [CUSTOM], "f": ["(x - 3)^2 + y^2"], "fb": ["0~6~-2~2"], "y0": ["0.5"]}
    scene, msgs = decode(query)
    assert msgs == []
    (x_lo, x_hi), _ = scene.formula_bounds
    assert x_lo <= scene.start[0] <= x_hi and scene.start[1] == 0.5
    assert scene.start[0] == landscapes.from_formula(scene.formula, bounds=scene.formula_bounds).start[0]


def test_decoding_against_a_base_fills_in_what_the_link_leaves_out() -> None:
    base = Scene(
        landscape="quadratic",
        landscape_params=(("kappa", 20.0),),
        runs=(Run.make("adam", lr=0.1),),
        start=(1.0, 2.0),
        steps=90,
        view="overlay",
        lesson="ravine",
    )
    assert decode({"lesson": "ravine"}, base=base) == (base, [])
    assert decode({"steps": "7", "view": "3d"}, base=base) == (base.with_(steps=7, view="3d"), [])
    # Another landscape takes none of the base's surface (parameters, start), but its runs and steps.
    scene, msgs = decode({"ls": "saddle"}, base=base)
    assert not msgs and scene == base.with_(landscape="saddle", landscape_params=(), start=None)
    # A start coordinate given alone is completed from the landscape's own start, as without a base.
    scene, _ = decode({"x0": "0.5"}, base=base)
    assert scene.start == (0.5, float(landscapes.get("quadratic", kappa=20.0).start[1]))


def test_a_misspelt_key_gets_a_message_and_unrelated_ones_none() -> None:
    from scene import QUERY_KEYS, misspelt_keys

    query = {"setps": "100", "seeds": "3", "utm_source": "mail", "fbclid": "x", "steps": "5", "x": "1"}
    msgs = misspelt_keys(query, QUERY_KEYS)
    assert msgs == [
        "Unknown setting “setps” in the link was ignored; did you mean “steps”?",
        "Unknown setting “seeds” in the link was ignored; did you mean “seed”?",
    ]
    assert misspelt_keys({"<script>alert(1)</script>": "1"}, QUERY_KEYS) == []


# GitHub-flavoured Markdown's bare links (its spec's "autolinks (extension)"): www., http:// and https://,
# and e-mail addresses.
_GFM_AUTOLINK = re.compile(r"www\.|https?://|[-.\w+]@[-\w]", re.IGNORECASE)


@given(st.text(max_size=60))
def test_a_quoted_text_has_no_markup_left(text: str) -> None:
    quoted = markdown_literal(text)
    assert unescaped_punctuation(quoted) == ""
    shown = markdown_shown(quoted)
    assert not _GFM_AUTOLINK.search(shown)
    # What a reader sees: the text itself (the word joiners are invisible), but for the characters that
    # would start HTML, code or maths.
    seen = shown.replace("\u2060", "")
    assert len(seen) == len(text.replace("\u2060", ""))
    assert all(a == b or a in "<>`$" for a, b in zip(text.replace("\u2060", ""), seen, strict=True))


@pytest.mark.parametrize(
    ("key", "value"),
    [("x0", "[win](//x.co)"), ("steps", "__5__"), ("seed", "**9**"), ("view", ":red[a]"), ("ls", "https://e.co")],
)
def test_a_value_from_the_link_is_quoted_as_typed(key: str, value: str) -> None:
    # A link could otherwise plant a clickable link or formatting in the page's own warning.
    _, msgs = decode({key: [value]})
    (msg,) = msgs
    assert markdown_shown(msg).replace("\u2060", "").count(value) == 1
    assert unescaped_punctuation(msg.split("“")[1].split("”")[0]) == ""


def test_format_number_writes_every_float() -> None:
    from scene import format_number

    cases = {
        0.0: "0",
        0.001: "0.001",
        0.0125: "0.0125",
        1506.37: "1506",
        1e-8: "1e-8",
        2.5e-8: "2.5e-8",
        1.5e12: "1.5e12",
    }
    for value, text in cases.items():
        assert format_number(value) == text
    assert format_number(float("nan")) == "NaN"  # a Hessian that is NaN at a kink or a pole
    assert format_number(float("inf")) == "∞" and format_number(float("-inf")) == "−∞"


@pytest.mark.parametrize("junk", ["NaN", "1e999", "-inf", "fast", "", "0x1p-3"])
def test_junk_shared_lr_leaves_each_run_its_own_lr(junk: str) -> None:
    # A junk ?lr= used to switch "Same η for all" on at a made-up 0.01, at which gradient descent diverged on
    # the default scene: a second message for a value nobody chose.
    scene, msgs = decode({"lr": [junk]})
    assert scene.shared_lr is None
    assert any("each run keeps its own η" in m for m in msgs), msgs
    # a number out of range still asks for one η for all: it is clamped
    clamped, msgs = decode({"lr": ["50"]})
    assert clamped.shared_lr == 10.0 and any("maximum" in m for m in msgs), msgs


def test_a_word_for_a_key_is_named_with_the_key() -> None:
    # ?landscape=../../etc/passwd and ?formula=... were ignored without a word: too far from "ls" and "f"
    # for a spelling match. The page still ignores them, but says which key was meant.
    from scene import QUERY_KEYS, misspelt_keys

    msgs = misspelt_keys({"landscape": ["../../etc/passwd"], "Formula": ["x^2"], "utm_source": ["mail"]}, QUERY_KEYS)
    assert msgs == [
        "Unknown setting “landscape” in the link was ignored; did you mean “ls”?",
        "Unknown setting “Formula” in the link was ignored; did you mean “f”?",
    ]


def test_copies_are_labelled_by_what_sets_each_apart() -> None:
    # The first three differing settings labelled two of four Adams "(λ=0, AMSGrad off, bias correction on)"
    # and left out the ε-inside that told them apart; with "same η for all" the labels showed η's nobody used.
    from urllib.parse import parse_qs

    from simulate import run_labels

    def labels(query: str) -> list[str]:
        scene, _ = decode(parse_qs(query))
        return run_labels(scene.runs, scene.shared_lr)

    adam = "r=adam~lr:0.1"
    adams = labels(f"{adam}&{adam}~bias_correction:0&{adam}~eps_inside:1&{adam}~amsgrad:1~weight_decay:0.1")
    assert adams[1:] == [
        "Adam #2 (bias correction off)",
        "Adam #3 (ε inside the root on)",
        "Adam #4 (λ=0.1, AMSGrad on)",
    ]
    assert len(set(adams)) == 4
    sgds = labels("r=sgd~momentum:0.9~nesterov:1&r=sgd~momentum:0.9~dampening:0.5&r=sgd~weight_decay:0.1")
    assert [s.split("#")[1] for s in sgds] == ["1 (Nesterov on)", "2 (τ=0.5)", "3 (μ=0, λ=0.1)"]
    # no value shared by most: each copy shows its own
    gds = labels("r=gd~lr:0.01&r=gd~lr:0.1&r=gd~lr:0.2")
    assert gds == [f"Gradient descent #{i} (η={v})" for i, v in ((1, 0.01), (2, 0.1), (3, 0.2))]
    # one η for all: the runs' own η tells nothing apart
    shared = labels("r=gd~lr:0.05&r=gd~lr:0.001&r=momentum&lr=10")
    assert shared == ["Gradient descent #1", "Gradient descent #2", "Momentum (EMA)"]
