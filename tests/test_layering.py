"""The layering rule: every core module (rnnviz/ outside rnnviz/app/) imports without
streamlit, so notebooks, training and the tests can use the core alone."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import rnnviz

PACKAGE = Path(rnnviz.__file__).parent


def core_modules(folder: Path = PACKAGE, prefix: str = "rnnviz.") -> list[str]:
    """Every module under rnnviz/ except the app, found from the files (so the app package is
    never imported while looking)."""
    names = []
    for module in pkgutil.iter_modules([str(folder)]):
        if module.ispkg and module.name == "app" and folder == PACKAGE:
            continue
        names.append(prefix + module.name)
        if module.ispkg:
            names += core_modules(folder / module.name, f"{prefix}{module.name}.")
    return names


def test_the_walk_finds_the_core_and_skips_the_app():
    names = core_modules()
    assert {"rnnviz.tokens", "rnnviz.models", "rnnviz.train", "rnnviz.training"} <= set(names)
    assert not [name for name in names if name.startswith("rnnviz.app")]


def test_no_core_module_pulls_streamlit():
    code = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "    if 'streamlit' in sys.modules:\n"
        "        print(name)\n"
        "        break\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{result.stdout.strip()} imports streamlit"
