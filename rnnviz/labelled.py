"""Labelled sentences brought by a visitor: reading pasted or uploaded `sentence<TAB>label` lines
(or a two-column CSV) into checked pairs, the seeded held-out split every trainer uses, and the
example sets shipped in rnnviz/datasets/. Every refusal names the line or field at fault; this
module trains nothing."""

from __future__ import annotations

import csv
import io
import random
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .tokens import clean_text

DATASETS_DIR = Path(__file__).parent / "datasets"
# The shipped example sets: name -> file in rnnviz/datasets/ (sources in its README.md).
EXAMPLE_SETS = {"order": "order.tsv", "reviews": "reviews.tsv"}
MAX_BYTES = 1_000_000
MAX_LINES = 5000
MIN_LABELS, MAX_LABELS = 2, 10
MAX_SENTENCE_CHARS = 300
MAX_LABEL_CHARS = 30
HELD_OUT_SHARE = 0.2
HEADERS = {("sentence", "label"), ("text", "label"), ("句子", "标签")}


class RefusedInput(ValueError):
    """A visitor's file or text that cannot be used. The message (English) names the line or
    field at fault; `key` and `values` let a page say the same in its own language."""

    def __init__(self, key: str, message: str, **values: object) -> None:
        super().__init__(message)
        self.key = key
        self.values = values


class LabelledDataError(RefusedInput):
    """Labelled data that cannot be used."""


@dataclass(frozen=True)
class Split:
    """Indices into the pairs: those trained on and those held out, and the count of each
    label in both (labels in first-appearance order)."""

    train: tuple[int, ...]
    held_out: tuple[int, ...]
    labels: tuple[str, ...]
    train_counts: dict[str, int]
    held_out_counts: dict[str, int]


def decode(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is dropped). Refuses, naming what it looks like: more
    than MAX_BYTES, UTF-16, binary data and other encodings such as GBK (with the line)."""
    if len(data) > MAX_BYTES:
        raise LabelledDataError(
            "too_big",
            f"The data is {len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB "
            f"(at most {MAX_LINES:,} lines).",
            megabytes=round(len(data) / 1e6, 1),
        )
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise LabelledDataError("utf16", "The file is UTF-16 text; save it as UTF-8 and try again.")
    if b"\x00" in data[:4096]:
        raise LabelledDataError(
            "binary", "This is binary data, not text: give lines `sentence<TAB>label`."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LabelledDataError(
            "not_utf8",
            f"Line {line} is not UTF-8 text (GBK or another encoding?); save the file as UTF-8 "
            "and try again.",
            line=line,
        ) from error


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """(line number, fields) of every non-blank line; TAB-separated if the first line has a
    TAB, else CSV."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if "\t" in first:
        return [(number, line.split("\t")) for number, line in enumerate(lines, 1) if line.strip()]
    rows = []
    try:
        for number, fields in enumerate(csv.reader(io.StringIO(text)), 1):
            if any(field.strip() for field in fields):
                rows.append((number, fields))
    except csv.Error as error:
        raise LabelledDataError("csv", f"The CSV cannot be read ({error}).") from error
    return rows


def _field(raw: str, number: int, what: str, limit: int) -> str:
    value = clean_text(raw).strip()
    if not value:
        raise LabelledDataError(
            f"{what}_empty", f"Line {number}: the {what} is empty.", line=number
        )
    if len(value) > limit:
        raise LabelledDataError(
            f"{what}_long",
            f"Line {number}: the {what} has {len(value):,} characters; the limit is {limit}.",
            line=number,
            count=len(value),
            limit=limit,
        )
    return value


def parse_pairs(data: bytes | str) -> list[tuple[str, str]]:
    """(sentence, label) pairs from lines `sentence<TAB>label` or a two-column CSV (an optional
    header `sentence,label` is skipped). Control characters are dropped; emoji and HTML are
    kept as plain text. Raises LabelledDataError naming the line or field: empty data, a line
    without its TAB, more than two fields, an empty sentence or label, too many lines, fewer
    than MIN_LABELS or more than MAX_LABELS labels."""
    text = decode(data) if isinstance(data, bytes) else data
    if len(text.encode("utf-8")) > MAX_BYTES:
        megabytes = round(len(text.encode("utf-8")) / 1e6, 1)
        raise LabelledDataError(
            "too_big",
            f"The text is {megabytes} MB; the limit is {MAX_BYTES / 1e6:.0f} MB "
            f"(at most {MAX_LINES:,} lines).",
            megabytes=megabytes,
        )
    rows = _rows(text)
    if not rows:
        raise LabelledDataError(
            "empty", "There is no data: give one `sentence<TAB>label` per line."
        )
    if len(rows) > MAX_LINES + 1:
        raise LabelledDataError(
            "too_many_lines",
            f"There are {len(rows):,} lines; the limit is {MAX_LINES:,}.",
            count=len(rows),
        )
    pairs = []
    for index, (number, fields) in enumerate(rows):
        if len(fields) == 1:
            raise LabelledDataError(
                "no_tab",
                f"Line {number} has no TAB (or comma) between the sentence and its label: "
                f"{_preview(fields[0])}",
                line=number,
                preview=_preview(fields[0]),
            )
        if len(fields) > 2:
            raise LabelledDataError(
                "fields",
                f"Line {number} has {len(fields)} fields; give exactly two, the sentence and "
                "its label.",
                line=number,
                count=len(fields),
            )
        if index == 0 and tuple(field.strip().lower() for field in fields) in HEADERS:
            continue
        sentence = _field(fields[0], number, "sentence", MAX_SENTENCE_CHARS)
        label = _field(fields[1], number, "label", MAX_LABEL_CHARS)
        pairs.append((sentence, label))
    return check_pairs(pairs)


def _preview(line: str) -> str:
    shown = "".join(c for c in line[:40] if unicodedata.category(c)[0] != "C")
    return f"“{shown}…”" if len(line) > 40 else f"“{shown}”"


def check_pairs(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs as a list, if there are at most MAX_LINES of them, each two strings, with
    MIN_LABELS to MAX_LABELS labels; else LabelledDataError saying which."""
    pairs = list(pairs)
    if not pairs:
        raise LabelledDataError(
            "empty", "There is no data: give one `sentence<TAB>label` per line."
        )
    if len(pairs) > MAX_LINES:
        raise LabelledDataError(
            "too_many_lines",
            f"There are {len(pairs):,} lines; the limit is {MAX_LINES:,}.",
            count=len(pairs),
        )
    for number, pair in enumerate(pairs, 1):
        if (
            not isinstance(pair, (tuple, list))
            or len(pair) != 2
            or not all(isinstance(item, str) and item.strip() for item in pair)
        ):
            raise LabelledDataError(
                "item", f"Item {number} is not a (sentence, label) pair of texts.", line=number
            )
    labels = Counter(label for _, label in pairs)
    if len(labels) < MIN_LABELS:
        raise LabelledDataError(
            "one_label",
            f"Every line has the label “{next(iter(labels))}”: a classifier needs at least "
            f"{MIN_LABELS} labels.",
            label=next(iter(labels)),
        )
    if len(labels) > MAX_LABELS:
        raise LabelledDataError(
            "labels",
            f"There are {len(labels)} labels; the limit is {MAX_LABELS}: "
            + ", ".join(list(labels)[:12]),
            count=len(labels),
        )
    return [(sentence, label) for sentence, label in pairs]


def split(pairs: Sequence[tuple[str, str]], seed: int = 0, share: float = HELD_OUT_SHARE) -> Split:
    """The held-out split: for each label, a seeded shuffle of its lines, round(share * n) of
    them held out (at least one when the label has two lines or more, none when it has one)."""
    labels = tuple(dict.fromkeys(label for _, label in pairs))
    rng = random.Random(seed)
    train, held_out = [], []
    for label in labels:
        indices = [i for i, (_, item) in enumerate(pairs) if item == label]
        rng.shuffle(indices)
        count = 0 if len(indices) < 2 else max(1, round(share * len(indices)))
        held_out += indices[:count]
        train += indices[count:]
    return Split(
        train=tuple(sorted(train)),
        held_out=tuple(sorted(held_out)),
        labels=labels,
        train_counts={label: sum(pairs[i][1] == label for i in train) for label in labels},
        held_out_counts={label: sum(pairs[i][1] == label for i in held_out) for label in labels},
    )


def example_set(name: str) -> list[tuple[str, str]]:
    """A shipped example set by name (EXAMPLE_SETS), parsed like a visitor's file."""
    if name not in EXAMPLE_SETS:
        raise ValueError(f"Unknown example set {name!r}; valid: {', '.join(EXAMPLE_SETS)}.")
    return parse_pairs((DATASETS_DIR / EXAMPLE_SETS[name]).read_bytes())
