"""The floor for the benchmarks: a bare Streamlit page that draws the same number and sizes of
Plotly charts as the explore view (for the sentence in ?s=), from random numbers, no model.
Run by the benchmarks: streamlit run benchmarks/floor_app.py"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

sentence = st.text_input("Sentence", st.query_params.get("s", "我要去打篮球"), key="s")
steps = max(1, min(len(sentence), 1000))
hidden = 64
rng = np.random.default_rng(len(sentence))
x = list(range(steps))
step = st.select_slider("t", options=x, key="step") if steps > 1 else 0

left, right = st.columns([3, 2])
diagram = go.Figure()
for t in range(min(steps, 14)):
    for y in (0, 1, 2):
        diagram.add_shape(type="rect", x0=t - 0.3, x1=t + 0.3, y0=y - 0.2, y1=y + 0.2)
        diagram.add_annotation(x=t, y=y, text=f"h{t}", showarrow=False)
left.plotly_chart(diagram.update_layout(height=300), key="diagram")
bars = go.Figure(go.Bar(x=rng.random(10), y=[f"w{i}" for i in range(10)], orientation="h"))
right.plotly_chart(bars.update_layout(height=320), key="bars")
for line in range(3):
    st.latex(rf"h_{{{step + 1}}}[{line}] = \tanh({rng.random():.3f})")
heatmap = go.Figure(go.Heatmap(z=rng.uniform(-1, 1, (hidden, steps)), x=x, zmin=-1, zmax=1))
st.plotly_chart(heatmap.update_layout(height=480), key="hidden")
gates = make_subplots(rows=5, cols=1, shared_xaxes=True)
for row in range(1, 6):
    gates.add_trace(go.Heatmap(z=rng.random((hidden, steps)), x=x), row=row, col=1)
st.plotly_chart(gates.update_layout(height=730), key="gates")
lines = go.Figure([go.Scatter(x=x, y=rng.random(steps)) for _ in range(2)])
st.plotly_chart(lines.update_layout(height=300), key="lines")
gradient = go.Figure([go.Scatter(x=x, y=rng.random(steps) + 1e-3) for _ in range(2)])
st.plotly_chart(gradient.update_layout(height=320, yaxis_type="log"), key="gradient")
