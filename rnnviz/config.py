"""Fields of the typed configs and the command-line flags made from them: each field carries
its default and the --help text of its flag, so that a config dataclass is the one place an
option is defined (train.py's tasks, the race). It holds no defaults of its own and runs
nothing."""

from __future__ import annotations

import argparse
import typing
from collections.abc import Mapping
from dataclasses import MISSING, field, fields
from typing import Any


def option(default: Any, help: str, flag: bool = True) -> Any:
    """A config field with its default and the --help text of its flag (flag=False: a field
    the command line does not set)."""
    return field(default=default, metadata={"help": help, "flag": flag})


def arch_option() -> Any:
    """The required --arch field; its choices come from the registry."""
    return field(metadata={"help": "the architecture (the choices are the ones the task ships)"})


def option_like(config_type: type, name: str, help: str | None = None) -> Any:
    """A flag field with the default of field `name` of another config (so the two never
    differ), and its --help text unless `help` is given."""
    source = next(item for item in fields(config_type) if item.name == name)
    return option(source.default, help or source.metadata["help"])


def add_flags(
    parser: argparse.ArgumentParser,
    config_type: type,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> None:
    """One flag per field of `config_type` (--hidden-size for hidden_size), its default and
    --help taken from the field: a bool is --x/--no-x, a tuple takes several words. Fields made
    with flag=False are left out; overrides: field name -> argparse keywords used instead."""
    types = typing.get_type_hints(config_type)
    for item in fields(config_type):
        if not item.metadata.get("flag", True):
            continue
        kind = types[item.name]
        if kind is bool:
            how: dict[str, Any] = {"action": argparse.BooleanOptionalAction}
        elif typing.get_origin(kind) is tuple:
            how = {"nargs": "*", "type": typing.get_args(kind)[0]}
        else:
            how = {"type": kind}
        if item.default is not MISSING:
            how["default"] = list(item.default) if isinstance(item.default, tuple) else item.default
        how.update((overrides or {}).get(item.name, {}))
        flag = "--" + item.name.replace("_", "-")
        parser.add_argument(flag, help=item.metadata["help"], **how)
