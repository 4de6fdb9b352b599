"""The models a browser session trained or uploaded: kept in that session's state only (never
shared, never written to disk), at most MAX_SESSION_MODELS, the oldest evicted first; and the
server's one training queue. The views find these models by name through resources. Nothing
here draws or trains (training is rnnviz.training_jobs)."""

from __future__ import annotations

import secrets
import uuid
from collections import OrderedDict
from dataclasses import dataclass

import streamlit as st

from rnnviz.models import RecurrentModel
from rnnviz.registry import RECURRENT
from rnnviz.tracing import architecture
from rnnviz.training_jobs import TrainingQueue

MAX_SESSION_MODELS = 6
PREFIX = "own"
_MODELS = "_own_models"
_OWNER = "_own_owner"
_EVICTED = "_own_evicted"


@dataclass(frozen=True)
class OwnModel:
    """A session's model and a sentence it was trained on (what explore opens it with)."""

    model: RecurrentModel
    sample: str | None


@st.cache_resource(show_spinner=False)
def training_queue() -> TrainingQueue:
    """The server's queue: one training at a time, in a low-priority worker process."""
    return TrainingQueue()


def owner() -> str:
    """This session's random id (its jobs in the queue are asked for with it)."""
    if _OWNER not in st.session_state:
        st.session_state[_OWNER] = uuid.uuid4().hex
    return st.session_state[_OWNER]


def _models() -> OrderedDict[str, OwnModel]:
    if _MODELS not in st.session_state:
        st.session_state[_MODELS] = OrderedDict()
    return st.session_state[_MODELS]


def session_names() -> list[str]:
    """This session's model names, oldest first."""
    return list(st.session_state.get(_MODELS, {}))


def session_model(name: str) -> OwnModel | None:
    return st.session_state.get(_MODELS, {}).get(name)


def new_group() -> str:
    """A name for the models trained together, `own<6 hex digits>`: random, so that two
    sessions' models never share a key of the server's trace cache."""
    return f"{PREFIX}{secrets.token_hex(3)}"


def own_tasks(names: list[str]) -> list[str]:
    """The groups among `names` holding a recurrent model: the RNN·LSTM·GRU view offers each
    as a task, like the shipped `<task>-<arch>` models."""
    groups = [
        name.partition("-")[0]
        for name in names
        if name.startswith(PREFIX) and name.partition("-")[2] in RECURRENT
    ]
    return list(dict.fromkeys(groups))


def add_model(model: RecurrentModel, sample: str | None = None, group: str | None = None) -> str:
    """Keep `model` for this session as `<group>-<arch>` (a new group unless given: the models
    of one training share theirs); beyond MAX_SESSION_MODELS the oldest is dropped and its
    name remembered for a notice."""
    name = f"{group or new_group()}-{architecture(model)}"
    models = _models()
    models[name] = OwnModel(model, sample)
    while len(models) > MAX_SESSION_MODELS:
        evicted, _ = models.popitem(last=False)
        st.session_state.setdefault(_EVICTED, []).append(evicted)
    return name


def remove_model(name: str) -> None:
    _models().pop(name, None)


def take_evicted() -> list[str]:
    """Names dropped since the last call (shown once as a notice)."""
    return st.session_state.pop(_EVICTED, [])
