"""The one-slider floor page with ``k`` extra elements in the sidebar, for ``bench_rerun_cost.py``.

Query parameters: ``k`` (0–200 extra elements), ``kind`` (``markdown``, ``slider`` or ``selectbox``)
and ``frag`` (``1``: the slider and the chart are a fragment, so moving the slider reruns only them and
the extra elements are not sent again). Without parameters it is ``floor_app.py``.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="Floor, padded", layout="wide")

KINDS = ("markdown", "slider", "selectbox")
q = st.query_params
k_text, kind, in_fragment = q.get("k", "0"), q.get("kind", "markdown"), q.get("frag", "0") == "1"
k = int(k_text) if k_text.isdigit() and int(k_text) <= 200 else 0
kind = kind if kind in KINDS else "markdown"

with st.sidebar:
    for i in range(k):
        if kind == "markdown":
            st.markdown(f"Line **{i}** of some text")
        elif kind == "slider":
            st.slider(f"setting {i}", 0, 10, 3, key=f"pad_slider_{i}")
        else:
            st.selectbox(f"choice {i}", ["one", "two", "three"], key=f"pad_select_{i}")


def slider_and_chart() -> None:
    """The floor itself: one slider, one Plotly line chart."""
    lr = st.slider("learning rate", min_value=0.01, max_value=1.0, value=0.1, step=0.01, key="lr")
    x = np.arange(100)
    fig = go.Figure(go.Scatter(x=x.tolist(), y=np.round((1 - lr) ** x, 4).tolist(), mode="lines"))
    fig.update_layout(height=400, margin=dict(l=40, r=10, t=20, b=30))
    st.plotly_chart(fig, key="floor_chart")


if in_fragment:
    st.fragment(slider_and_chart)()
else:
    slider_and_chart()
