"""A fresh `pip install -r requirements.txt` gives the app every package it imports, and
requirements-dev.txt gives the tests, benchmarks, training and docs the rest.

The imports are read with `ast` (imports inside functions count; relative imports resolved),
followed from dashboard.py through the project's own modules, and mapped to distributions with
importlib.metadata. A package is accepted only when a requirements file names it: being pulled
in by another package (pandas by streamlit, say) is not a promise anyone made.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIPPED_FOLDERS = {".git", ".venv", "venv", "node_modules", "artifacts", "__pycache__"}


def _python_files() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED_FOLDERS & set(path.relative_to(ROOT).parts)
    )


def _imported_names(path: Path) -> list[str]:
    """Absolute dotted names a file imports; `from . import x` also yields `package.x`."""
    package = list(path.relative_to(ROOT).parent.parts)
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            if module:
                names += [module] + [f"{module}.{alias.name}" for alias in node.names]
    return names


def _project_file(name: str) -> Path | None:
    parts = name.split(".")
    for candidate in (
        ROOT.joinpath(*parts).with_suffix(".py"),
        ROOT.joinpath(*parts, "__init__.py"),
    ):
        if candidate.exists():
            return candidate
    return None


def _first_party(files: list[Path]) -> set[str]:
    """Top-level names that are the project's own: its packages, and the sibling modules that
    scripts in benchmarks/ and docs/ import from their own folder."""
    names = {path.relative_to(ROOT).parts[0].removesuffix(".py") for path in files}
    return names | {path.stem for path in files} | {path.parent.name for path in files}


def third_party_imports(files: list[Path], first_party: set[str]) -> dict[str, Path]:
    """Top-level module -> one file importing it, for every module that is neither the
    standard library nor the project's own."""
    found: dict[str, Path] = {}
    for path in files:
        for name in _imported_names(path):
            top = name.split(".")[0]
            if top in sys.stdlib_module_names or top in first_party or top == "__future__":
                continue
            found.setdefault(top, path)
    return found


def reached_from(entry: Path) -> list[Path]:
    """The project's files that `entry` imports, directly or through other project files."""
    seen: set[Path] = set()
    todo = [entry]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _imported_names(path):
            parts = name.split(".")
            # `import a.b.c` runs a/__init__.py and a/b/__init__.py too.
            for length in range(1, len(parts) + 1):
                target = _project_file(".".join(parts[:length]))
                if target is not None:
                    todo.append(target)
    return sorted(seen)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def named_requirements(path: Path) -> set[str]:
    """Distribution names a requirements file names, following `-r other.txt`."""
    names: set[str] = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith(("-r ", "--requirement ")):
            names |= named_requirements(path.parent / line.split(maxsplit=1)[1])
            continue
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", line)
        if match:
            names.add(_normalise(match.group(0)))
    return names


def unnamed(imports: dict[str, Path], named: set[str]) -> list[str]:
    """One line per imported module whose distribution no requirements file names."""
    distributions = importlib.metadata.packages_distributions()
    problems = []
    for module, path in sorted(imports.items()):
        providers = {_normalise(d) for d in distributions.get(module, [])}
        where = path.relative_to(ROOT)
        if not providers:
            problems.append(f"{module} (imported by {where}) is not installed by any requirement")
        elif not providers & named:
            wanted = " or ".join(sorted(providers))
            problems.append(f"{wanted} (imported as {module} by {where}) is not named")
    return problems


FILES = _python_files()
FIRST_PARTY = _first_party(FILES)
APP_FILES = reached_from(ROOT / "dashboard.py")


def test_the_app_follows_its_imports_into_the_views():
    """The walk must reach the views and the core, or it checks nothing."""
    reached = {str(path.relative_to(ROOT)) for path in APP_FILES}
    assert {
        "rnnviz/app/shell.py",
        "rnnviz/app/views/lesson/__init__.py",
        "rnnviz/tracing.py",
    } <= reached
    assert "rnnviz/data.py" not in reached  # the training corpora stay out of the app


def test_requirements_txt_names_every_package_the_app_imports():
    imports = third_party_imports(APP_FILES, FIRST_PARTY)
    assert {"torch", "streamlit", "segno"} <= set(imports)
    problems = unnamed(imports, named_requirements(ROOT / "requirements.txt"))
    assert not problems, "requirements.txt misses:\n" + "\n".join(problems)


def test_requirements_dev_names_every_package_anything_else_imports():
    imports = third_party_imports(FILES, FIRST_PARTY)
    assert {"pytest", "playwright", "snownlp"} <= set(imports)
    problems = unnamed(imports, named_requirements(ROOT / "requirements-dev.txt"))
    assert not problems, "requirements-dev.txt misses:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "line",
    [
        line
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ],
)
def test_removing_a_requirement_the_app_imports_is_caught(line, tmp_path):
    """Every line of requirements.txt is imported by the app, and dropping it is reported by
    name: the check above can fail, and requirements.txt holds nothing the app does not use."""
    package = _normalise(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", line).group(0))
    shortened = tmp_path / "requirements.txt"
    kept = [other for other in (ROOT / "requirements.txt").read_text().splitlines()]
    shortened.write_text("\n".join(other for other in kept if other != line), encoding="utf-8")
    problems = unnamed(third_party_imports(APP_FILES, FIRST_PARTY), named_requirements(shortened))
    assert any(problem.startswith(package) for problem in problems), problems
