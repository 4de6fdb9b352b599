"""The layering rules: every core module (rnnviz/ outside rnnviz/app/) imports without
streamlit, so notebooks, training and the tests can use the core alone; the figures never
import torch or the models, so drawing never runs a network."""

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import rnnviz

PACKAGE = Path(rnnviz.__file__).parent
FIGURES = PACKAGE / "figures"


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


def _source(name: str) -> Path | None:
    """The file of rnnviz module `name` (a module or a package's __init__), None elsewhere."""
    if name != "rnnviz" and not name.startswith("rnnviz."):
        return None
    relative = Path(*name.split(".")[1:])
    for path in (PACKAGE / relative.with_suffix(".py"), PACKAGE / relative / "__init__.py"):
        if path.exists():
            return path
    return None


def _runtime_imports(path: Path, module: str, everywhere: bool = False) -> set[str]:
    """The modules `path` (module name `module`) imports when it runs: absolute names, those
    under `if TYPE_CHECKING:` (annotations only) and those imported inside a function left out
    unless `everywhere`. `from . import memory` counts as rnnviz.memory, not the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree) if everywhere else tree.body:
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[: len(parent) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                names.add(submodule if _source(submodule) else base)
    return names


def _reached(start: str, everywhere: bool = False) -> set[str]:
    """Every module `start` reaches through runtime imports (or through every import, with
    `everywhere`), following rnnviz's own modules (a package's parent __init__ aside: the rule
    is about what each module asks for)."""
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = _source(name)
        if path is not None:
            todo += _runtime_imports(path, name, everywhere)
    return seen


def test_figures_never_import_torch_or_the_models():
    """A figure builder draws finished numbers: nothing in rnnviz.figures (nor what it imports)
    asks for torch, the models or a module that runs them."""
    names = [f"rnnviz.figures.{module.name}" for module in pkgutil.iter_modules([str(FIGURES)])]
    assert "rnnviz.figures.traces" in names
    for name in ["rnnviz.figures", *names]:
        reached = _reached(name)
        assert not {n for n in reached if n.split(".")[0] == "torch"}, name
        assert not reached & {"rnnviz.models", "rnnviz.tracing", "rnnviz.checkpoint"}, name
        assert "streamlit" not in {n.split(".")[0] for n in reached}, name


def test_the_import_walk_sees_the_models_behind_tracing():
    """The walk follows rnnviz's own modules: tracing reaches the models and torch."""
    reached = _reached("rnnviz.tracing")
    assert "rnnviz.models" in reached and "torch" in reached


def circles(modules: list[str]) -> list[str]:
    """Every import a -> b among rnnviz's modules from which a is reached again, counting
    imports for annotations only and imports inside functions too (a deferred import that
    closes a circle is still a circle)."""
    found = []
    for name in modules:
        for imported in _runtime_imports(_source(name), name, everywhere=True) - {"rnnviz"}:
            if imported.startswith("rnnviz.") and name in _reached(imported, everywhere=True):
                found.append(f"{name} -> {imported}")
    return found


def test_no_core_module_imports_itself_round_a_circle():
    """No import cycle in the core: no module is reached again from what it imports."""
    assert circles(core_modules()) == []


def test_the_walk_reads_relative_and_deferred_imports():
    """`from . import x` is an arrow to x; an import in a function counts for circles."""
    assert "rnnviz.memory" in _runtime_imports(_source("rnnviz.race"), "rnnviz.race")
    store = _source("rnnviz.class_store")
    assert "rnnviz.classroom_redis" not in _runtime_imports(store, "rnnviz.class_store")
    assert "rnnviz.classroom_redis" in _runtime_imports(store, "rnnviz.class_store", True)
