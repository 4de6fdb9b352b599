"""The floor for one dashboard page in benchmarks/bench_rerun.py: a bare Streamlit page with
that page's very charts (their Plotly JSON, written by the benchmark from an AppTest run of the
page to the file $RNNVIZ_FLOOR_SPECS), turned into figures once per server and drawn with
st.plotly_chart on every rerun, beside the same kinds of widgets (sidebar choices, a select, a
slider, a text input). Its rerun costs what Streamlit costs to send those charts, nothing else.
Run by the benchmark: RNNVIZ_FLOOR_SPECS=FILE streamlit run benchmarks/floor_same_app.py"""

import json
import os

import plotly.graph_objects as go
import streamlit as st


@st.cache_resource
def figures(path: str) -> list[go.Figure]:
    with open(path, encoding="utf-8") as file:
        return [go.Figure(spec) for spec in json.load(file)]


with st.sidebar:
    st.segmented_control("Language", ["zh", "en"], key="lang", default="zh")
    st.radio("View", ["explore", "compare", "arch", "lesson"], key="view", index=2)
st.title("floor")
left, right = st.columns(2)
left.selectbox("Profession", ["a", "b", "c"], key="prof")
right.slider("k", 0, 50, 20, key="k")
st.text_input("Sentence", key="own")
for number, figure in enumerate(figures(os.environ["RNNVIZ_FLOOR_SPECS"])):
    st.plotly_chart(figure, key=f"chart{number}", theme=None)
