"""Which optimizer when: a guide generated from the registry's specs, each row linking to a scene."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

import optimizers
from scene import Run, Scene, encode
from ui.widgets import display_math

#: For each optimizer, a scene that shows it well (checked by tests: every run stays finite and the
#: optimizer ends lower than where it started).
_BASE = Run.make("gd", lr=0.15)
_RAVINE = (("kappa", 50.0),)
GUIDE_SCENES: dict[str, Scene] = {
    "gd": Scene(
        landscape="quadratic",
        landscape_params=_RAVINE,
        runs=(Run.make("gd", lr=0.15), Run.make("gd", lr=0.05)),
        steps=100,
    ),
    "momentum": Scene(
        landscape="quadratic",
        landscape_params=_RAVINE,
        runs=(_BASE, Run.make("momentum", lr=0.15, beta=0.8)),
        steps=100,
    ),
    "sgd": Scene(
        landscape="quadratic", landscape_params=_RAVINE, runs=(_BASE, Run.make("sgd", lr=0.03, momentum=0.9)), steps=100
    ),
    "adagrad": Scene(landscape="rosenbrock", runs=(Run.make("gd", lr=0.001), Run.make("adagrad", lr=0.5))),
    "rmsprop": Scene(landscape="rosenbrock", runs=(Run.make("gd", lr=0.001), Run.make("rmsprop", lr=0.01))),
    "adadelta": Scene(landscape="booth", runs=(Run.make("gd", lr=0.01), Run.make("adadelta", lr=1.0)), steps=2000),
    "adam": Scene(landscape="rosenbrock", runs=(Run.make("gd", lr=0.001), Run.make("adam", lr=0.05))),
    "adamw": Scene(
        landscape="booth", runs=(Run.make("adam", lr=0.3), Run.make("adamw", lr=0.3, weight_decay=0.5)), steps=300
    ),
    "nadam": Scene(landscape="rosenbrock", runs=(Run.make("adam", lr=0.05), Run.make("nadam", lr=0.05))),
    "radam": Scene(landscape="himmelblau", runs=(Run.make("adam", lr=0.03), Run.make("radam", lr=0.03))),
    "adamax": Scene(landscape="rosenbrock", runs=(Run.make("adam", lr=0.05), Run.make("adamax", lr=0.05))),
    "newton": Scene(landscape="quadratic", landscape_params=_RAVINE, runs=(_BASE, Run.make("newton")), steps=50),
}


def scene_for(name: str) -> Scene:
    """The guide's demonstration scene of optimizer ``name`` (a GD-vs-it scene on Rosenbrock if none is set)."""
    return GUIDE_SCENES.get(name, Scene(runs=(Run.make("gd", lr=0.001), Run.make(name))))


def scene_link(scene: Scene) -> str:
    """A relative link (``?ls=…&r=…``) that opens ``scene``."""
    return "?" + urlencode(encode(scene), doseq=True, safe=":~")


def guide_frame() -> pd.DataFrame:
    """One row per optimizer: label, a link to a scene, what it is best for, pros, cons, type, what it keeps
    and its PyTorch class. The columns that decide a choice come first: the table is wider than the page."""
    rows = []
    for name in optimizers.names():
        s = optimizers.spec(name)
        rows.append(
            {
                "optimizer": s.label,
                "see it": scene_link(scene_for(name)),
                "best for": s.best_for,
                "pros": "; ".join(s.pros),
                "cons": "; ".join(s.cons),
                "type": s.family,
                "keeps": s.keeps,
                "PyTorch": f"torch.optim.{s.pytorch}" if s.pytorch else "— (textbook form)",
            }
        )
    return pd.DataFrame(rows)


def guide() -> None:
    """The Optimizer guide tab."""
    st.markdown(
        "**Which optimizer when.** Every optimizer of the playground, generated from its registry entry; "
        "*see it* opens a scene that shows it (in a new tab)."
        # A touch screen shows the table's toolbar at all times, above the table: room for it, so that it does
        # not cover the end of this sentence.
        "<style>@media (hover: none) { [data-testid='stMain'] [data-testid='stElementContainer']"
        ":has([data-testid='stDataFrame']) { margin-top: 2.5rem; } }</style>",
        unsafe_allow_html=True,
    )
    st.dataframe(
        guide_frame(),
        hide_index=True,
        width="stretch",
        key="guide_table",
        column_config={
            "see it": st.column_config.LinkColumn("see it", display_text="open ↗", width="small"),
            "best for": st.column_config.TextColumn(width="large"),
            "pros": st.column_config.TextColumn(width="large"),
            "cons": st.column_config.TextColumn(width="large"),
        },
    )
    st.caption(
        "In short (seeds 002 and 003): start with Adam when you do not know; SGD with momentum and a tuned "
        "schedule often generalizes better; RMSprop for RNNs and non-stationary problems; Adagrad for sparse "
        "features and short runs; Newton only where second derivatives are cheap."
    )
    for name in optimizers.names():
        s = optimizers.spec(name)
        with st.expander(f"{s.label} — {s.family}"):
            st.write(s.description)
            display_math(s.latex)
            st.markdown(f"[Open a scene that shows it]({scene_link(scene_for(name))})")
