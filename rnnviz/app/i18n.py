"""Every label, help text and message of the dashboard in 中文 and English, and how a value
is written into one (`{x:sci}` writes a number as 1.2 × 10⁻⁴, never 1.2e-04). The strings
themselves are data, one file per language in strings/ (zh.toml, en.toml, the same keys in the
same order), read once at import; this module never draws and imports nothing of the app."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from string import Formatter

LANGUAGES = {"zh": "中文", "en": "English"}
STRINGS_DIR = Path(__file__).resolve().parent / "strings"


def load_strings(language: str) -> dict[str, str]:
    """The strings file of `language` as key -> template, in the file's order."""
    with (STRINGS_DIR / f"{language}.toml").open("rb") as file:
        return tomllib.load(file)


def _both(chinese: dict[str, str], english: dict[str, str]) -> dict[str, tuple[str, str]]:
    if chinese.keys() != english.keys():
        differ = sorted(chinese.keys() ^ english.keys())
        raise ValueError(f"zh.toml and en.toml differ in keys: {', '.join(differ)}")
    return {key: (chinese[key], english[key]) for key in chinese}


# key -> (中文, English)
STRINGS: dict[str, tuple[str, str]] = _both(load_strings("zh"), load_strings("en"))


# The classifiers' labels as the checkpoints store them -> their keys above.
CLASS_KEYS = {
    "负面": "class_negative",
    "正面": "class_positive",
    "打球": "class_ball",
    "学习": "class_study",
    "吃饭": "class_eat",
    "购物": "class_shop",
}


def class_name(label: str, language: str) -> str:
    """A classifier's class label in `language`; any other label (a word) as it is."""
    key = CLASS_KEYS.get(label)
    return text(key, language) if key else label


def text(key: str, language: str, **values) -> str:
    """The string `key` in `language` ("zh" or "en"), formatted with `values`."""
    chinese, english = STRINGS[key]
    template = chinese if language == "zh" else english
    return _FORMATTER.format(template, **values) if values else template


def scientific(value: float) -> str:
    """0.000123 -> 1.2 × 10⁻⁴ (plain text, no markup)."""
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    mantissa = value / 10**exponent
    superscript = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    if exponent in (0, -1):
        return f"{value:.2f}"
    return f"{mantissa:.1f} × 10{superscript}"


class _Numbers(Formatter):
    """str.format, plus the `sci` spec: a number in the app's scientific style (0 as "0"); a
    value already written as text is kept as it is."""

    def format_field(self, value, format_spec: str) -> str:
        if format_spec == "sci":
            return value if isinstance(value, str) else scientific(float(value))
        return super().format_field(value, format_spec)


_FORMATTER = _Numbers()
