"""A second floor for ``bench_app.py --interleave``: the one-slider floor page with the app's controls around it.

The same sidebar widgets as the app's default page (lesson picker, toggles, landscape and its two
sliders, the optimizer multiselect, one open run expander with the learning-rate slider, three closed
ones, start point, steps, seed, view), the title, the app's tab bar (``ui/page_tabs.py``), four
update rules typeset with KaTeX and a closed expander, but only one Plotly line chart and no
computation. Moving its learning-rate slider shows what Streamlit's rerun of a page this size costs in
the browser by itself, beside the app's figure (which adds the simulation and the panels) and the
one-slider floor's.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ui.page_tabs import page_tabs
from ui.state import TABS

st.set_page_config(page_title="Floor with the app's controls", layout="wide")

RULE = (
    r"$$\begin{aligned} m_t &= \beta_1 m_{t-1} + (1-\beta_1) g_t \\ v_t &= \beta_2 v_{t-1} + (1-\beta_2) g_t^2 \\ "
    r"\theta_t &= \theta_{t-1} - \eta \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon} \end{aligned}$$"
)
HELP = "Help text, as the app's controls have."

with st.sidebar:
    st.selectbox("Lesson", ["Free play", "A ravine"], help=HELP)
    st.toggle("Hide the paths until Reveal", help=HELP)
    st.toggle("Presentation mode", help=HELP)
    st.divider()
    st.selectbox("Landscape", ["Rosenbrock's banana valley", "A ravine"])
    st.slider("a (minimum at (a, a²))", -1.5, 1.5, 1.0, help=HELP)
    st.slider("b (wall steepness)", 1.0, 500.0, 100.0, help=HELP)
    names = ["Gradient descent", "Momentum (EMA)", "RMSprop", "Adam"]
    st.multiselect("Optimizers", names, names, help=HELP)
    st.toggle("Same η for all", help=HELP)
    with st.expander("Gradient descent"):
        lr = st.slider("learning rate", min_value=0.01, max_value=1.0, value=0.1, step=0.01, key="lr", help=HELP)
        st.toggle("Noise, clipping, η schedule")
        c1, c2 = st.columns(2)
        c1.button("Copy")
        c2.button("Remove")
    for name in names[1:]:
        st.expander(name)
    st.caption("Start point (or click the surface)")
    c1, c2 = st.columns(2)
    c1.number_input("start x", value=-1.2)
    c2.number_input("start y", value=1.0)
    st.slider("steps", 1, 2000, 500)
    st.number_input("random seed", value=0)
    st.segmented_control("View", ["Side by side", "Overlay", "3-D"], default="Side by side")

st.title("Optimizer Playground")
with page_tabs(TABS, "play", lambda slug: None):
    x = np.arange(100)
    fig = go.Figure(go.Scatter(x=x.tolist(), y=np.round((1 - lr) ** x, 4).tolist(), mode="lines"))
    fig.update_layout(height=400, margin=dict(l=40, r=10, t=20, b=30))
    st.plotly_chart(fig, key="floor_chart")
    cols = st.columns(2)
    for i, name in enumerate(names):
        cols[i % 2].markdown(f"**{name}**\n\n{RULE}")
    st.expander("Download and share")
