"""Turning what a person typed into tokens, with a message instead of a traceback for every
kind of bad input, and safe Markdown for showing user text. It never draws: the views show
the messages it returns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rnnviz.tokens import MAX_CHARS, MAX_TOKENS, clean_text, tokenize

from .i18n import text

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&^=\"'])")


def escape_markdown(value: str) -> str:
    """User text as inert Markdown: every character Markdown could read as syntax is escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value.replace("\n", " "))


@dataclass(frozen=True)
class Reading:
    """tokens: what the model reads (None when there is nothing to read); errors stop the
    view, notices are shown above it."""

    tokens: tuple[str, ...] | None
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def read_sentence(raw: str | None, mode: str, language: str) -> Reading:
    cleaned = clean_text(raw or "")
    if not cleaned.strip():
        return Reading(None, errors=[text("err_empty", language)])
    notices = []
    if len(cleaned) > MAX_CHARS:
        notices.append(
            text(
                "err_cut",
                language,
                kept=MAX_CHARS,
                total=len(cleaned),
                limit=MAX_CHARS,
                unit=text("unit_chars", language),
            )
        )
        cleaned = cleaned[:MAX_CHARS]
    try:
        tokens = tokenize(cleaned, mode)
    except ValueError as error:
        return Reading(None, errors=[text("err_generic", language, message=str(error))])
    if len(tokens) > MAX_TOKENS:
        notices.append(
            text(
                "err_cut",
                language,
                kept=MAX_TOKENS,
                total=len(tokens),
                limit=MAX_TOKENS,
                unit=text("unit_tokens", language),
            )
        )
        tokens = tokens[:MAX_TOKENS]
    return Reading(tuple(tokens), notices=notices)


def code_span(value: str) -> str:
    """`value` on one line as a Markdown code span, shown exactly as written: its fence is
    longer than any run of backticks inside, so nothing in it is read as Markdown, HTML, math
    or a directive. Empty when there is nothing to show."""
    flat = " ".join(value.split())
    if not flat:
        return ""
    fence = "`" * (max((len(run) for run in re.findall("`+", flat)), default=0) + 1)
    pad = " " if flat[0] == "`" or flat[-1] == "`" else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def token_chips(tokens, is_unknown) -> str:
    """Tokens as Markdown badges (unknown ones red and marked with a question mark, so that
    colour is not the only sign), every token escaped."""
    chips = []
    for token, unknown in zip(tokens, is_unknown, strict=True):
        shown = escape_markdown(token)
        chips.append(f":red-badge[:material/help: {shown}]" if unknown else f":blue-badge[{shown}]")
    return " ".join(chips)
