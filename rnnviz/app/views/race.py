"""The race (issue 15) on the page: RNN, LSTM and GRU trained live on identical batches of the
long-memory task, one race at a time per server process, watched by everyone, stoppable by the
session that started it; afterwards that session steps through the models it trained. The
training itself is rnnviz.race; this module reads controls and draws."""

from __future__ import annotations

import json
import time
import uuid
from functools import partial

import streamlit as st

import rnnviz
from rnnviz import figures
from rnnviz.memory import PROFESSIONS, live_prompt_tokens
from rnnviz.race import MAX_SEED, PAGE_MAX_STEPS, RaceConfig, RaceInputError
from rnnviz.race_runner import RaceSlot, RaceSnapshot
from rnnviz.registry import RECURRENT

from .. import common
from ..chart_cache import recipe
from ..i18n import text
from ..resources import trace_cache

PAGE_MIN_STEPS = 10
POLL_SECONDS = 1.0
CHART_DISTANCES = (0, 10, 30)
SESSION_KEY = "race_owner_session"


@st.cache_resource(show_spinner=False)
def race_slot() -> RaceSlot:
    """The process-wide slot: one race at a time per server process."""
    return RaceSlot()


def _session_id() -> str:
    """This browser session's id, the same in every view that draws the race."""
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = uuid.uuid4().hex
    return st.session_state[SESSION_KEY]


def _eval_every(steps: int) -> int:
    """About 30 measurements per race, never more often than every 10 steps."""
    return max(10, round(steps / 30))


def _config(key_prefix: str, language: str) -> RaceConfig | None:
    """The race the controls describe, or None after saying what is wrong."""
    steps = st.session_state.get(f"{key_prefix}_steps")
    seed = st.session_state.get(f"{key_prefix}_seed")
    archs = tuple(st.session_state.get(f"{key_prefix}_archs") or ())
    if not archs:
        st.error(text("race_no_arch", language))
    elif not isinstance(steps, int) or not PAGE_MIN_STEPS <= steps <= PAGE_MAX_STEPS:
        st.error(text("race_bad_steps", language, low=PAGE_MIN_STEPS, high=PAGE_MAX_STEPS))
    elif not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        st.error(text("race_bad_seed", language, high=MAX_SEED))
    else:
        try:
            return RaceConfig(
                steps=steps,
                seed=seed,
                archs=tuple(arch for arch in RECURRENT if arch in archs),
                eval_every=_eval_every(steps),
                long_only=bool(st.session_state.get(f"{key_prefix}_long")),
            )
        except RaceInputError as error:
            st.error(str(error))
    return None


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "…"
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min"


def _status(snapshot: RaceSnapshot, owner: bool, language: str) -> None:
    config = snapshot.config
    if snapshot.status == "running":
        if not owner:
            started = time.strftime("%H:%M:%S", time.localtime(snapshot.started_at))
            archs = " · ".join(arch.upper() for arch in config.archs)
            st.info(text("race_other", language, time=started, archs=archs, seed=config.seed))
        st.progress(
            min(snapshot.step / config.steps, 1.0),
            text=text(
                "race_progress",
                language,
                step=snapshot.step,
                steps=config.steps,
                rate=snapshot.steps_per_second,
                left=_duration(snapshot.seconds_left),
            ),
        )
    elif snapshot.status == "finished":
        st.success(text("race_finished", language, steps=snapshot.step, seconds=snapshot.seconds))
    elif snapshot.status == "failed":
        st.error(text("race_failed", language, error=snapshot.error))
    else:
        st.warning(text(f"race_{snapshot.status}", language, step=snapshot.step))


def _panel(language: str, key_prefix: str, polling: bool, watch_only: bool = False) -> None:
    """Start/Stop, progress and live curves; polled every second while a race runs. A page
    that follows a live class only watches (its Start and Stop are disabled)."""
    slot = race_slot()
    session = _session_id()
    current = slot.current
    snapshot = current.snapshot() if current is not None else None
    owner = snapshot is not None and snapshot.owner == session
    running = snapshot is not None and snapshot.status == "running"
    if running and owner:
        current.beat()
    left, right = st.columns(2)
    if left.button(
        text("race_start", language),
        key=f"{key_prefix}_start",
        type="primary",
        disabled=running or watch_only,
        icon=":material/play_arrow:",
    ):
        config = _config(key_prefix, language)
        if config is not None:
            if slot.claim(config, session) is None:
                st.warning(text("race_busy", language))
            else:
                st.rerun()
    if right.button(
        text("race_stop", language),
        key=f"{key_prefix}_stop",
        disabled=watch_only or not (running and owner),
        icon=":material/stop:",
    ):
        current.stop()
        current.join(timeout=5)
        snapshot = current.snapshot()
        running = snapshot.status == "running"
    if watch_only:
        st.caption(text("class_race_watch", language))
    if snapshot is None:
        st.info(text("race_none", language))
        return
    _status(snapshot, owner, language)
    if snapshot.evaluations:
        common.chart(
            recipe(
                figures.race_chart,
                snapshot.evaluations,
                snapshot.config.steps,
                CHART_DISTANCES,
                text("race_chart", language, prompts=snapshot.config.eval_prompts),
                text("training_step", language),
                text("race_panel", language),
                chance=1 / len(PROFESSIONS),
            ),
            key=f"{key_prefix}_chart",
        )
        st.caption(text("race_chart_note", language))
        st.download_button(
            text("race_download", language),
            "\n".join(json.dumps(e) for e in snapshot.evaluations) + "\n",
            file_name=f"race-seed{snapshot.config.seed}-{snapshot.config.steps}.jsonl",
            mime="application/x-ndjson",
            key=f"{key_prefix}_download",
            icon=":material/download:",
        )
    if not running and owner:
        models = current.take_models()
        if models is not None:
            # The models are this session's alone; `run` names them in the shared trace cache.
            run = uuid.uuid4().hex
            st.session_state[f"{key_prefix}_models"] = (snapshot.config, snapshot.step, models, run)
            st.rerun()
    if polling and not running:
        st.rerun()  # leave the polling fragment: the page reruns once without the timer


def _step_through(language: str, key_prefix: str) -> None:
    """The session's own race models on a memory prompt: prediction, h_t and the gates."""
    config, step_count, models, run = st.session_state[f"{key_prefix}_models"]
    st.markdown(f"**{text('race_models_title', language, steps=step_count, seed=config.seed)}**")
    left, right = st.columns(2)
    profession = left.selectbox(
        text("profession", language), list(PROFESSIONS), key=f"{key_prefix}_prof"
    )
    distance = right.slider(text("filler_k", language), 0, 50, 20, key=f"{key_prefix}_k")
    tokens = tuple(live_prompt_tokens(profession, distance))
    common.token_line("".join(tokens) + " → ?")
    step = st.slider(text("step", language), 1, len(tokens), len(tokens), key=f"{key_prefix}_t")
    columns = st.columns(len(models))
    for column, (arch, model) in zip(columns, models.items(), strict=True):
        trace = trace_cache().get(
            ("race", run, arch, tokens), partial(rnnviz.trace, model, list(tokens))
        )
        with column:
            label, probability = trace.predicted(step - 1)
            st.metric(
                arch.upper(),
                label,
                f"p = {probability:.3f}",
                delta_color="off",
                delta_arrow="off",
            )
            common.chart(
                figures.hidden_heatmap(
                    trace,
                    step - 1,
                    text("hidden", language),
                    unit_title=text("axis_unit", language),
                ),
                key=f"{key_prefix}_hidden_{arch}",
            )
            if trace.gates:
                common.chart(
                    figures.gate_heatmaps(trace, step - 1, common.gate_titles(language)),
                    key=f"{key_prefix}_gates_{arch}",
                )
            else:
                st.caption(text("no_gates", language, arch=arch.upper()))


def render_race(language: str, key_prefix: str = "race", watch_only: bool = False) -> None:
    """The race section: controls, Start/Stop, live curves, then the session's own models
    (watch_only: a page following a live class cannot start or stop a race)."""
    st.subheader(text("race_title", language))
    st.caption(text("race_intro", language))
    steps_column, seed_column = st.columns(2)
    steps_column.number_input(
        text("race_steps", language),
        PAGE_MIN_STEPS,
        PAGE_MAX_STEPS,
        600,
        step=50,
        key=f"{key_prefix}_steps",
    )
    seed_column.number_input(text("race_seed", language), 0, MAX_SEED, 0, key=f"{key_prefix}_seed")
    st.multiselect(
        text("race_archs", language),
        RECURRENT,
        default=list(RECURRENT),
        format_func=str.upper,
        key=f"{key_prefix}_archs",
    )
    st.toggle(
        text("race_long_only", language),
        key=f"{key_prefix}_long",
        help=text("race_long_only_help", language),
    )
    current = race_slot().current
    polling = current is not None and current.running
    st.fragment(run_every=POLL_SECONDS if polling else None)(_panel)(
        language, key_prefix, polling, watch_only
    )
    if f"{key_prefix}_models" in st.session_state:
        _step_through(language, key_prefix)
