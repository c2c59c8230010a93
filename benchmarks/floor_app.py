"""The floor for the speed benchmarks: the smallest Streamlit page with one slider and one Plotly chart.

Served exactly like the app (``streamlit run``), it measures what Streamlit, the websocket and
Plotly cost by themselves; ``bench_app.py`` and ``bench_load.py`` report the app's figures beside
this page's.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="Floor", layout="wide")

lr = st.slider("learning rate", min_value=0.01, max_value=1.0, value=0.1, step=0.01, key="lr")
x = np.arange(100)
fig = go.Figure(go.Scatter(x=x.tolist(), y=np.round((1 - lr) ** x, 4).tolist(), mode="lines"))
fig.update_layout(height=400, margin=dict(l=40, r=10, t=20, b=30))
st.plotly_chart(fig, key="floor_chart")
