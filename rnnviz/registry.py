"""The one list of tasks and of the architectures each task ships with, and the gate layout of
each architecture. Every other list of tasks, architectures or shipped model names is derived
from this one. It imports nothing: neither torch nor numpy."""

from __future__ import annotations

from typing import Any

ARCHITECTURES = ("rnn", "lstm", "gru", "bow", "position")
# The gates of each architecture, in the order their rows are stacked in U, W and b (H rows
# each, as torch.nn.LSTM and torch.nn.GRU stack them); a trace's gates carry these names.
GATE_NAMES = {
    "rnn": (),
    "lstm": ("input", "forget", "candidate", "output"),
    "gru": ("reset", "update", "candidate"),
    "bow": (),
    "position": (),
}
ARCHS_BY_TASK: dict[str, tuple[str, ...]] = {
    "sentiment": ("rnn", "lstm", "gru", "bow"),
    "lm": ("rnn", "lstm"),
    # next character: reads 我的职业是程序员，我最擅长的是电脑 with no unknown token
    "charlm": ("rnn", "lstm"),
    "memory": ("rnn", "lstm", "gru"),
    # the article's 我要去打篮球 / 今天我要去打球: what someone is going to do, read by the
    # article's "traditional network" (one weight block per position) beside the others
    "activity": ("rnn", "lstm", "bow", "position"),
}
# The sentiment task reads at most the last REVIEW_TOKENS tokens of a review: the verdict
# of a review is mostly at its end, and a vanilla RNN remembers the end best. (Here, not in
# data.py, so that the model cards can say it without the app importing the corpora.)
REVIEW_TOKENS = 100
# Every task python -m rnnviz.train trains and the weights folder may ship, in display order.
TRAINED_TASKS = tuple(ARCHS_BY_TASK)
# The architectures raced side by side (the RNN·LSTM·GRU view, rnnviz.race).
RECURRENT = ("rnn", "lstm", "gru")
# The tasks the RNN·LSTM·GRU view offers: those shipping two or more recurrent architectures.
TASKS = tuple(
    task for task, archs in ARCHS_BY_TASK.items() if len(set(archs) & set(RECURRENT)) >= 2
)


# The tasks whose models read characters (rnnviz.tokenize's "char" mode); the others read words.
CHARACTER_TASKS = ("charlm",)


def gate_blocks(arch: str, stacked: Any, axis: int = 0) -> dict[str, Any]:
    """A stacked U, W, b (or their product with an input) cut into its gates: name -> the block
    of H entries along `axis` (GATE_NAMES order). Slices, no copies, of a numpy array or a
    torch tensor alike."""
    names = GATE_NAMES[arch]
    size = stacked.shape[axis] // len(names)
    blocks = {}
    for index, name in enumerate(names):
        where = [slice(None)] * stacked.ndim
        where[axis] = slice(index * size, (index + 1) * size)
        blocks[name] = stacked[tuple(where)]
    return blocks


def task_token_mode(task: str) -> str:
    """The unit of text the models of `task` are trained on and read: "char" or "word"."""
    return "char" if task in CHARACTER_TASKS else "word"


def model_name(task: str, arch: str) -> str:
    return f"{task}-{arch}"
