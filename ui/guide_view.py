"""Which optimizer when: a guide generated from the registry's specs, each row linking to a scene."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

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


# The guide's table: wrapped text, every word on the page (a data grid cut the texts at a column's width
# and scrolled sideways). Where the page's main column is narrow (a phone, or a laptop with the sidebar
# open), each optimizer becomes a block, each part after its name: a container query, on the column's width.
GUIDE_CSS = """<style>
.og-wrap { container-type: inline-size; }
.og-guide { border-collapse: collapse; width: 100%; font-size: 0.92rem; line-height: 1.4; margin: 0.5rem 0 1rem; }
.og-guide th, .og-guide td { border-bottom: 1px solid #e5e8ec; padding: 8px 10px; text-align: left; }
.og-guide td { vertical-align: top; }
.og-guide th { font-weight: 600; color: #52606d; border-bottom-width: 2px; }
.og-guide td:first-child { width: 24%; }
.og-guide ul { margin: 0; padding-left: 1.1em; }
.og-guide li { margin: 0; }
.og-guide .og-name { font-weight: 600; }
.og-guide .og-meta { color: #52606d; font-size: 0.85em; }
.og-guide code { font-size: 0.85em; }
@container (max-width: 680px) {
  .og-guide, .og-guide tbody, .og-guide tr, .og-guide td { display: block; width: auto; }
  .og-guide thead { display: none; }
  .og-guide tr { border-bottom: 1px solid #e5e8ec; padding: 8px 0; }
  .og-guide td, .og-guide td:first-child { border: 0; padding: 2px 0; width: auto; }
  .og-guide td + td::before { content: attr(data-label) ": "; color: #52606d; font-weight: 600; }
}
</style>"""

GUIDE_COLUMNS = ("Optimizer", "Best for", "Pros", "Cons")


def _items(texts: tuple[str, ...]) -> str:
    return "<ul>" + "".join(f"<li>{escape(t)}</li>" for t in texts) + "</ul>"


def guide_table() -> str:
    """The guide's table as HTML: one row per optimizer, in registry order.

    Returns:
        A ``<table class="og-guide">`` in a ``div`` (whose width its narrow layout measures). Its columns:
        the optimizer (its label, a link to a scene that shows it, its type, what it keeps and its PyTorch
        class), what it is best for, its pros and its cons (lists). Every text is HTML-escaped; no line is
        blank (the table goes through Markdown).
    """
    head = "".join(f"<th>{c}</th>" for c in GUIDE_COLUMNS)
    rows = []
    for name in optimizers.names():
        s = optimizers.spec(name)
        torch = f"<code>torch.optim.{escape(s.pytorch)}</code>" if s.pytorch else "textbook form, not in PyTorch"
        first = (
            f'<span class="og-name">{escape(s.label)}</span> · '
            f'<a href="{escape(scene_link(scene_for(name)))}" target="_blank">see it ↗</a><br>'
            f'<span class="og-meta">{escape(s.family)}; keeps {escape(s.keeps)}; {torch}</span>'
        )
        cells = [
            f"<td>{first}</td>",
            f'<td data-label="Best for">{escape(s.best_for)}</td>',
            f'<td data-label="Pros">{_items(s.pros)}</td>',
            f'<td data-label="Cons">{_items(s.cons)}</td>',
        ]
        rows.append(f'<tr data-optimizer="{escape(name)}">{"".join(cells)}</tr>')
    table = f'<table class="og-guide"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    return f'<div class="og-wrap">{table}</div>'


def guide() -> None:
    """The Optimizer guide tab."""
    st.markdown(
        "**Which optimizer when.** Every optimizer of the playground, generated from its registry entry; "
        "*see it* opens a scene that shows it (in a new tab)."
    )
    st.markdown(GUIDE_CSS + guide_table(), unsafe_allow_html=True)
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
