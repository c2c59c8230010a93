"""A Plotly figure from a prebuilt JSON-ready dict, skipping Plotly's object model.

Building ``go.Figure(data, layout, frames)`` walks every attribute of every frame, even with
validation off: for an animated figure that is most of a page rerun. The figure builders here write
plain dicts that follow Plotly's schema (a test re-validates them through ``go.Figure``), and wrap them
in :class:`SpecFigure`, which is still a ``go.Figure`` for anything that calls ``to_dict`` (Streamlit's
``st.plotly_chart``, ``plotly.io.to_json`` and ``to_html``).
"""

from __future__ import annotations

import copy
from typing import Any

import plotly.graph_objects as go


class SpecFigure(go.Figure):
    """A ``go.Figure`` whose dict form is ``spec`` as given.

    Only the dict form is real: ``fig.data`` and ``fig.layout`` are empty. Use :meth:`validated` to get
    an ordinary, fully checked figure.
    """

    def __init__(self, spec: dict[str, Any]) -> None:
        super().__init__()
        self._spec = spec

    def to_dict(self) -> dict[str, Any]:
        """The figure as a dict (a shallow copy of the prebuilt spec; callers only read it)."""
        return dict(self._spec)

    def to_plotly_json(self) -> dict[str, Any]:
        """Same as :meth:`to_dict`."""
        return self.to_dict()

    @property
    def spec(self) -> dict[str, Any]:
        """The prebuilt dict (read-only by convention)."""
        return self._spec

    def validated(self) -> go.Figure:
        """An ordinary ``go.Figure`` built from the spec with full validation (slow; for tests)."""
        return go.Figure(copy.deepcopy(self._spec))

    def __reduce__(self) -> tuple[Any, ...]:
        return (SpecFigure, (self._spec,))
