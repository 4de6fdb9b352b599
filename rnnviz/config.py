"""Fields of the typed training configs: each carries its default and the --help text of its
command-line flag, so that a config dataclass is the one place a training option is defined."""

from __future__ import annotations

from dataclasses import field
from typing import Any


def option(default: Any, help: str) -> Any:
    """A config field with its default and the --help text of its flag."""
    return field(default=default, metadata={"help": help})


def arch_option() -> Any:
    """The required --arch field; its choices come from the registry."""
    return field(metadata={"help": "the architecture (the choices are the ones the task ships)"})
