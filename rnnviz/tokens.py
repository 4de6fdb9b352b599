"""Text -> tokens (jieba words, single characters, whole Latin words) and the Vocab that maps
tokens to ids. Nothing here knows about models."""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

MODES = ("word", "char")
# A limit that keeps a trace well under a second and a heatmap drawable; the app cuts longer
# pastes to it and says so, the API refuses them.
MAX_CHARS = 5000
MAX_TOKENS = 1000

PAD = "<pad>"
UNK = "<unk>"

_LATIN = r"[A-Za-z0-9\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]+(?:['’][A-Za-z]+)*"
_CJK = r"[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\U00020000-\U0002FA1F]+"
_PIECE = re.compile(rf"(?P<latin>{_LATIN})|(?P<cjk>{_CJK})|(?P<space>\s+)|(?P<other>.)", re.S)

_jieba_lock = threading.Lock()


@lru_cache(maxsize=1)
def _jieba_tokenizer():
    """The one jieba tokenizer of the process, built lazily; jieba's own lazy init is not
    thread-safe, so it is initialised once under a lock."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    with _jieba_lock:
        tokenizer.initialize()
    return tokenizer


def clean_text(text: str) -> str:
    """Drop control and format characters (keep ordinary whitespace and emoji joiners)."""
    if not isinstance(text, str):
        raise ValueError(f"Text must be a string, got {type(text).__name__}.")
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\n\t " or char == "\u200d":
            kept.append(char)
        elif category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            kept.append(char)
    return "".join(kept)


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"Unknown tokenization mode {mode!r}; valid modes: {', '.join(MODES)}.")
    return mode


def tokenize(text: str, mode: str = "word") -> list[str]:
    """Split text into tokens.

    mode "word": Chinese segmented by jieba; "char": one token per Chinese character.
    In both, runs of Latin letters/digits stay whole, every other visible character
    (punctuation, emoji) is a token of its own, whitespace and control characters go.
    Raises ValueError for empty text or text longer than MAX_CHARS characters.
    """
    check_mode(mode)
    text = clean_text(text)
    if not text.strip():
        raise ValueError("The text is empty: type a sentence, for example 我要去打篮球.")
    if len(text) > MAX_CHARS:
        raise ValueError(
            f"The text has {len(text):,} characters; the limit is {MAX_CHARS:,}. Shorten it."
        )
    tokens: list[str] = []
    for match in _PIECE.finditer(text):
        kind = match.lastgroup
        piece = match.group()
        if kind == "space":
            continue
        if kind == "cjk":
            if mode == "char":
                tokens.extend(piece)
            else:
                tokens.extend(_jieba_tokenizer().lcut(piece, HMM=True))
        elif kind == "other" and tokens and piece == "\u200d":
            tokens[-1] += piece  # keep emoji joined by a zero-width joiner together
        elif kind == "other" and tokens and tokens[-1].endswith("\u200d"):
            tokens[-1] += piece
        elif kind == "other" and unicodedata.category(piece) in ("Mn", "Sk") and tokens:
            tokens[-1] += piece  # variation selectors and skin tones belong to the emoji before
        else:
            tokens.append(piece)
    if not tokens:
        raise ValueError("The text has no readable tokens after removing control characters.")
    return tokens


@dataclass(frozen=True)
class Vocab:
    """Token <-> id. Id 0 is <pad>, id 1 is <unk>; every other token has its own id."""

    itos: tuple[str, ...]
    stoi: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if tuple(self.itos[:2]) != (PAD, UNK):
            raise ValueError("A Vocab starts with <pad>, <unk>.")
        object.__setattr__(self, "stoi", {token: i for i, token in enumerate(self.itos)})

    @classmethod
    def build(cls, sentences: Iterable[Sequence[str]], max_size: int, min_count: int = 1) -> Vocab:
        """The max_size most frequent tokens (ties broken by first appearance), plus specials."""
        counts: dict[str, int] = {}
        for sentence in sentences:
            for token in sentence:
                counts[token] = counts.get(token, 0) + 1
        ranked = sorted(counts.items(), key=lambda item: -item[1])
        kept = [token for token, count in ranked if count >= min_count and token not in (PAD, UNK)]
        return cls((PAD, UNK, *kept[: max(0, max_size - 2)]))

    def __len__(self) -> int:
        return len(self.itos)

    @property
    def unk_id(self) -> int:
        return self.stoi[UNK]

    def encode(self, tokens: Sequence[str]) -> list[int]:
        """Ids of the tokens; a token outside the vocabulary gets the id of <unk>."""
        unknown = self.unk_id
        return [self.stoi.get(token, unknown) for token in tokens]

    def is_unknown(self, tokens: Sequence[str]) -> list[bool]:
        return [token not in self.stoi or token in (PAD, UNK) for token in tokens]
