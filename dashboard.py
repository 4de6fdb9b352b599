"""rnnviz dashboard: streamlit run dashboard.py. Page setup only; the views are in rnnviz/app/."""

import streamlit as st

from rnnviz.app.shell import run

st.set_page_config(page_title="rnnviz", page_icon="🔁", layout="wide")
run()
