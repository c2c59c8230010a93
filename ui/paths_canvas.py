"""The animated panels as a Streamlit v2 component: ``ui/paths_canvas.js`` draws them on canvases.

The paths reach the browser once per scene (``viz.canvas.paths_payload``); Play, Pause, Replay, the
step scrubber and hover read-outs run there without a round trip, so moving a slider costs one small
JSON message and one canvas redraw instead of a Plotly figure with frames. A click on a panel reports
the point as the ``start`` trigger.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

_HERE = Path(__file__).resolve().parent
#: The summary table's style, shared with the 3-D view's table (``viz.canvas.summary_html``).
SUMMARY_CSS = (_HERE / "summary_table.css").read_text(encoding="utf-8")

_PANELS = st.components.v2.component(
    "optimizer_playground.paths",
    html="",
    css=(_HERE / "paths_canvas.css").read_text(encoding="utf-8") + SUMMARY_CSS,
    js=(_HERE / "page.js").read_text(encoding="utf-8") + (_HERE / "paths_canvas.js").read_text(encoding="utf-8"),
    isolate_styles=False,  # tests and benchmarks read the host's data-* attributes from the page
)


def paths_canvas(
    payload: dict[str, Any],
    *,
    key: str,
    on_start: Callable[[], None],
    on_drawn: Callable[[], None] | None = None,
) -> None:
    """Mount (or update) the panels with ``payload``; ``on_start`` runs when a panel is clicked.

    Args:
        payload: :func:`viz.canvas.paths_payload`'s data (strict JSON: no NaN).
        key: the element's key; the click lands in ``st.session_state[key]["start"]`` as ``[x, y]``.
        on_start: callback run (before the rerun) when the ``start`` trigger fires.
        on_drawn: if given, the browser reports (the ``drawn`` trigger) once it has drawn this data, and
            this callback runs.
    """
    if on_drawn is not None:
        payload = {**payload, "notify_drawn": True}
    # Sent as JSON bytes (the browser parses them): given a dict, Streamlit would encode it twice (once with
    # sorted keys for the element's identity, unused with a key) and scan it for dataframes on every rerun.
    blob = json.dumps(payload, separators=(",", ":"), allow_nan=False).encode()
    if on_drawn is None:
        _PANELS(data=blob, key=key, on_start_change=on_start)
    else:
        _PANELS(data=blob, key=key, on_start_change=on_start, on_drawn_change=on_drawn)
