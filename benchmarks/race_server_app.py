"""The dashboard with a race already running in its process, for benchmarks/bench_race.py: the
first run claims the race slot (as a teacher pressing Start would) with the options in the
environment, then draws the dashboard as usual."""

import os

import streamlit as st

from rnnviz.app.shell import run
from rnnviz.app.views.race import race_slot
from rnnviz.race import RaceConfig

st.set_page_config(page_title="rnnviz", page_icon="🔁", layout="wide")
slot = race_slot()
if slot.current is None:
    # No page polls for this race, so its owner's heartbeat must not expire during the class.
    slot.claim(
        RaceConfig(steps=int(os.environ.get("RNNVIZ_BENCH_RACE_STEPS", "1500"))),
        "benchmark",
        heartbeat_timeout=3600,
    )
run()
