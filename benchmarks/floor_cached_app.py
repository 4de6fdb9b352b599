"""The floor for benchmarks/bench_rerun.py: floor_app.py's page (the same six Plotly charts, the
same widgets) with its figures built once per sentence and kept (st.cache_resource), so that a
rerun costs what Streamlit itself costs to send those charts (st.plotly_chart's copy and
encoding of each figure) and nothing else. Run: streamlit run benchmarks/floor_cached_app.py"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots


@st.cache_resource(max_entries=64)
def charts(sentence: str) -> list[go.Figure]:
    steps = max(1, min(len(sentence), 1000))
    hidden = 64
    rng = np.random.default_rng(len(sentence))
    x = list(range(steps))
    diagram = go.Figure()
    for t in range(min(steps, 14)):
        for y in (0, 1, 2):
            diagram.add_shape(type="rect", x0=t - 0.3, x1=t + 0.3, y0=y - 0.2, y1=y + 0.2)
            diagram.add_annotation(x=t, y=y, text=f"h{t}", showarrow=False)
    bars = go.Figure(go.Bar(x=rng.random(10), y=[f"w{i}" for i in range(10)], orientation="h"))
    heatmap = go.Figure(go.Heatmap(z=rng.uniform(-1, 1, (hidden, steps)), x=x, zmin=-1, zmax=1))
    gates = make_subplots(rows=5, cols=1, shared_xaxes=True)
    for row in range(1, 6):
        gates.add_trace(go.Heatmap(z=rng.random((hidden, steps)), x=x), row=row, col=1)
    lines = go.Figure([go.Scatter(x=x, y=rng.random(steps)) for _ in range(2)])
    gradient = go.Figure([go.Scatter(x=x, y=rng.random(steps) + 1e-3) for _ in range(2)])
    return [
        diagram.update_layout(height=300),
        bars.update_layout(height=320),
        heatmap.update_layout(height=480),
        gates.update_layout(height=730),
        lines.update_layout(height=300),
        gradient.update_layout(height=320, yaxis_type="log"),
    ]


sentence = st.text_input("Sentence", st.query_params.get("s", "我要去打篮球"), key="s")
steps = max(1, min(len(sentence), 1000))
step = st.select_slider("t", options=list(range(steps)), key="step") if steps > 1 else 0
diagram, bars, heatmap, gates, lines, gradient = charts(sentence)
left, right = st.columns([3, 2])
left.plotly_chart(diagram, key="diagram")
right.plotly_chart(bars, key="bars")
for line in range(3):
    st.latex(rf"h_{{{step + 1}}}[{line}] = \tanh({0.5 + line / 10:.3f})")
st.plotly_chart(heatmap, key="hidden")
st.plotly_chart(gates, key="gates")
st.plotly_chart(lines, key="lines")
st.plotly_chart(gradient, key="gradient")
