"""The "your model" view: bring labelled sentences (an example set, a paste, a file), see the
split, train one or more architectures in the server's queue with live curves and a Stop
button, then explore, download or remove the session's models; or upload a checkpoint. The
training is rnnviz.own_model in a worker process; this module reads controls and draws."""

from __future__ import annotations

import streamlit as st

import rnnviz
from rnnviz.figures import training_curves
from rnnviz.labelled import (
    EXAMPLE_SETS,
    MAX_BYTES,
    LabelledDataError,
    RefusedInput,
    example_set,
    parse_pairs,
    split,
)
from rnnviz.own_model import MAX_CHECKPOINT_BYTES
from rnnviz.registry import ARCHITECTURES, RECURRENT
from rnnviz.tracing import architecture, token_mode
from rnnviz.training_jobs import QueueRefused, TrainingRequest

from .. import common
from ..i18n import text
from ..inputs import escape_markdown
from ..own_models import (
    MAX_SESSION_MODELS,
    OwnModel,
    add_model,
    new_group,
    owner,
    remove_model,
    session_model,
    session_names,
    take_evicted,
    training_queue,
)

POLL_SECONDS = 1.0
SOURCES = (*EXAMPLE_SETS, "paste", "upload")
DEFAULT_ARCHS = ["rnn", "lstm", "bow"]
_JOB = "_own_job"
_REFUSED = "_own_refused"
_SEEN_CHECKPOINT = "_own_seen_checkpoint"


def refusal(error: RefusedInput, language: str) -> str:
    """A refusal in the page's language, user text in it escaped."""
    values = {
        name: escape_markdown(value) if isinstance(value, str) else value
        for name, value in error.values.items()
    }
    return text(f"own_err_{error.key}", language, **values)


def _read_data(language: str) -> tuple[list[tuple[str, str]] | None, str]:
    """The labelled pairs the visitor chose (None with a message shown if unusable), and a
    name for where they came from."""
    source = st.radio(
        text("own_source", language),
        SOURCES,
        key="own_source",
        horizontal=True,
        format_func=lambda name: text(f"own_source_{name}", language),
    )
    try:
        if source in EXAMPLE_SETS:
            st.caption(text(f"own_example_{source}", language))
            return example_set(source), f"rnnviz example set {EXAMPLE_SETS[source]}"
        if source == "paste":
            pasted = st.text_area(
                text("own_paste", language),
                key="own_text",
                height=180,
                max_chars=MAX_BYTES,
                placeholder="猫咬狗\t猫\n狗咬猫\t狗",
                help=text("own_paste_help", language),
            )
            if not pasted.strip():
                st.info(text("own_paste_empty", language), icon=":material/edit:")
                return None, ""
            return parse_pairs(pasted), "pasted in the page"
        upload = st.file_uploader(
            text("own_upload", language),
            type=["tsv", "txt", "csv"],
            key="own_file",
            help=text("own_upload_help", language),
            max_upload_size=2,  # MB; a file over MAX_BYTES below that gets our own message
        )
        if upload is None:
            return None, ""
        if upload.size > MAX_BYTES:  # refused before reading it
            megabytes = round(upload.size / 1e6, 1)
            raise LabelledDataError("too_big", f"{megabytes} MB", megabytes=megabytes)
        return parse_pairs(upload.getvalue()), "an uploaded file"
    except RefusedInput as error:
        st.error(refusal(error, language), icon=":material/error:")
        return None, ""


def _split_table(pairs: list[tuple[str, str]], language: str) -> None:
    parts = split(pairs)
    st.markdown(
        text(
            "own_split",
            language,
            lines=len(pairs),
            labels=len(parts.labels),
            train=len(parts.train),
            held=len(parts.held_out),
        )
    )
    st.dataframe(
        {
            text("own_label", language): list(parts.labels),
            text("own_train_count", language): [parts.train_counts[x] for x in parts.labels],
            text("own_held_count", language): [parts.held_out_counts[x] for x in parts.labels],
        },
        hide_index=True,
    )


def _submit(pairs, source: str, mode: str, archs: list[str], language: str) -> None:
    request = TrainingRequest(tuple(pairs), tuple(archs), mode, 0, source)
    try:
        job = training_queue().submit(owner(), request)
    except QueueRefused as error:
        st.session_state[_REFUSED] = text(f"own_queue_{error}", language)
        return
    st.session_state[_JOB] = {"id": job, "sample": pairs[0][0], "archs": list(archs)}


def _collect(job: dict) -> None:
    """Turn the finished job's checkpoints into this session's models."""
    results = training_queue().collect(job["id"], owner())
    group = new_group()
    for checkpoint in results.values():
        add_model(rnnviz.load_checkpoint(checkpoint), job["sample"], group)
    st.session_state.pop(_JOB, None)


def _progress_panel(language: str) -> None:
    """The job's place in the queue, or its progress and curves; reruns every second while the
    job waits or runs."""
    job = st.session_state.get(_JOB)
    if job is None:
        return
    view = training_queue().snapshot(job["id"], owner())
    if view is None:
        st.session_state.pop(_JOB, None)
        return
    if view.state == "waiting":
        st.info(text("own_waiting", language, place=view.place), icon=":material/hourglass_top:")
    if view.progress:
        done = sum(
            items[-1]["epoch"] / items[-1]["epochs"] for items in view.progress.values() if items
        )
        current = (view.arch or "").upper()
        st.progress(
            min(1.0, done / len(job["archs"])),
            text=text("own_training", language, arch=current) if view.state == "running" else None,
        )
        titles = {
            name: text(f"own_curve_{name}", language)
            for name in ("loss", "accuracy", "train", "held_out", "epoch")
        }
        common.chart(training_curves(view.progress, titles), key="own_curves")
    elif view.state == "running":
        st.progress(0.0, text=text("own_starting", language))
    if view.state in ("waiting", "running"):
        st.button(
            text("own_stop", language),
            key="own_stop",
            icon=":material/stop:",
            on_click=training_queue().stop,
            args=(job["id"], owner()),
        )
        return
    if view.state == "failed":  # said by the next full run, which stops the polling
        st.session_state[_REFUSED] = text(
            "own_failed", language, error=escape_markdown(view.error or "")
        )
        training_queue().collect(job["id"], owner())
        st.session_state.pop(_JOB, None)
    else:
        _collect(job)
    st.rerun(scope="app")


def _train_controls(pairs, source: str, language: str) -> None:
    left, right = st.columns([1, 2])
    with left:
        mode = st.radio(
            text("mode", language),
            ["word", "char"],
            key="own_mode",
            horizontal=True,
            format_func=lambda value: text(f"mode_{value}", language),
        )
    with right:
        archs = st.pills(
            text("own_archs", language),
            ARCHITECTURES,
            selection_mode="multi",
            default=DEFAULT_ARCHS,
            key="own_archs",
            format_func=lambda arch: text(f"own_arch_{arch}", language),
        )
    busy = st.session_state.get(_JOB) is not None  # a click was handled before this run
    st.button(
        text("own_train", language),
        key="own_train",
        type="primary",
        icon=":material/model_training:",
        disabled=busy or pairs is None or not archs,
        on_click=_submit,
        args=(pairs, source, mode, list(archs or []), language),
    )
    refused = st.session_state.pop(_REFUSED, None)
    if refused:
        st.warning(refused, icon=":material/block:")
    job = st.session_state.get(_JOB)
    polling = job is not None
    st.fragment(run_every=POLL_SECONDS if polling else None)(_progress_panel)(language)


def _checkpoint_upload(language: str) -> None:
    upload = st.file_uploader(
        text("own_checkpoint", language),
        type=["pt"],
        key="own_checkpoint",
        help=text("own_checkpoint_help", language, mb=MAX_CHECKPOINT_BYTES // 2**20),
        max_upload_size=MAX_CHECKPOINT_BYTES // 2**20,  # larger files stop in the browser
    )
    if upload is None:
        return
    # The file the box holds is read once (the box keeps it across reruns); only the last
    # one's refusal is remembered.
    seen_id, refused = st.session_state.get(_SEEN_CHECKPOINT, (None, None))
    if upload.file_id != seen_id:
        refused = None
        try:
            if upload.size > MAX_CHECKPOINT_BYTES:
                raise RefusedInput("ckpt_too_big", "too big", megabytes=round(upload.size / 2**20))
            name = add_model(rnnviz.load_checkpoint(upload.getvalue()))
            st.success(text("own_checkpoint_loaded", language, name=name))
        except RefusedInput as error:
            refused = refusal(error, language)
        st.session_state[_SEEN_CHECKPOINT] = (upload.file_id, refused)
    if refused:
        st.error(refused, icon=":material/error:")


def _open_in(view: str, name: str, sample: str | None) -> None:
    """Button callback: show the model in another view (before its widgets are drawn)."""
    st.session_state["view"] = view
    if view == "explore":
        st.session_state.update(model=name, untrained=False, step=0, target=0)
        if sample:
            st.session_state["s"] = sample
    elif view == "arch":
        st.session_state.update(task=name.partition("-")[0], astep=0)
        if sample:
            st.session_state["a"] = sample
    else:
        st.session_state["cmodel"] = name
        if sample:
            st.session_state["c1"] = sample
    mode = token_mode(session_model(name).model) if session_model(name) else None
    if mode:
        st.session_state["mode"] = mode


def _metric(value) -> str:
    return "—" if value is None else f"{value:.0%}"


def _model_list(language: str) -> None:
    names = session_names()
    st.subheader(text("own_models", language, cap=MAX_SESSION_MODELS))
    for evicted in take_evicted():
        st.warning(text("own_evicted", language, name=evicted), icon=":material/delete_sweep:")
    if not names:
        st.caption(text("own_models_none", language))
        return
    for name in reversed(names):
        own: OwnModel = session_model(name)
        card = own.model.card
        metrics = card.get("metrics", {})
        with st.container(border=True):
            st.markdown(
                text(
                    "own_model_line",
                    language,
                    name=name,
                    arch=architecture(own.model).upper(),
                    mode=text(f"mode_{token_mode(own.model)}", language),
                    train=_metric(metrics.get("training_accuracy")),
                    held=_metric(metrics.get("held_out_accuracy")),
                    seconds=card.get("training", {}).get("seconds", "—"),
                )
            )
            columns = st.columns(5)
            columns[4].button(
                text("own_arch_view", language),
                key=f"own_arch_{name}",
                on_click=_open_in,
                args=("arch", name, own.sample),
                disabled=architecture(own.model) not in RECURRENT,
            )
            columns[0].button(
                text("own_explore", language),
                key=f"own_explore_{name}",
                on_click=_open_in,
                args=("explore", name, own.sample),
            )
            columns[1].button(
                text("own_compare", language),
                key=f"own_compare_{name}",
                on_click=_open_in,
                args=("compare", name, own.sample),
            )
            columns[2].download_button(
                text("own_download", language),
                rnnviz.checkpoint_bytes(own.model),
                file_name=f"{name}.pt",
                mime="application/octet-stream",
                key=f"own_download_{name}",
                on_click="ignore",
            )
            columns[3].button(
                text("own_remove", language),
                key=f"own_remove_{name}",
                on_click=remove_model,
                args=(name,),
            )
            common.model_card(card, language)


def render(language: str, known) -> None:
    st.caption(text("own_intro", language))
    pairs, source = _read_data(language)
    if pairs is not None:
        _split_table(pairs, language)
    _train_controls(pairs, source, language)
    st.subheader(text("own_checkpoint_title", language))
    _checkpoint_upload(language)
    _model_list(language)
