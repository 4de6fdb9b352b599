"""The interface strings as data (rnnviz/app/strings/*.toml): both languages hold the same keys
with the same fields, every key the code asks for exists, and no key is left unused."""

import ast
import re
import string
from pathlib import Path

import pytest

import rnnviz
from rnnviz.app import i18n
from rnnviz.app.i18n import LANGUAGES, STRINGS, load_strings, scientific, text
from rnnviz.export import CSV_HEADERS
from rnnviz.labelled import EXAMPLE_SETS
from rnnviz.registry import ARCHITECTURES, TASKS
from rnnviz.teaching import SECTIONS

APP = Path(rnnviz.__file__).parent / "app"
ROOT = APP.parent


def _app_trees() -> list[tuple[Path, ast.AST]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in APP.rglob("*.py")]


def _skeleton(node: ast.JoinedStr) -> str:
    """f"lesson_title_{name}" -> "lesson_title_{}"."""
    return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)


def _asked_keys() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The first argument of every text(...) call in the app: literal keys and f-string
    skeletons, each with where it is asked."""
    literals: dict[str, list[str]] = {}
    patterns: dict[str, list[str]] = {}
    for path, tree in _app_trees():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name != "text":
                continue
            first, where = node.args[0], f"{path.name}:{node.lineno}"
            if isinstance(first, ast.Constant):
                literals.setdefault(first.value, []).append(where)
            elif isinstance(first, ast.JoinedStr):
                patterns.setdefault(_skeleton(first), []).append(where)
            elif isinstance(first, ast.IfExp):
                for branch in (first.body, first.orelse):
                    if isinstance(branch, ast.Constant):
                        literals.setdefault(branch.value, []).append(where)
    return literals, patterns


def _refusals() -> set[str]:
    """The keys the core refuses a visitor's data with (as test_app_own reads them)."""
    source = (ROOT / "labelled.py").read_text() + (ROOT / "own_model.py").read_text()
    keys = set(re.findall(r'(?:RefusedInput|LabelledDataError)\(\s*"(\w+)"', source))
    keys |= {f"{what}_{problem}" for what in ("sentence", "label") for problem in ("empty", "long")}
    return keys - {"item", "ckpt_type"}  # only the Python API meets these two


def _expansions() -> dict[str, tuple[str, ...]]:
    """Every f-string key skeleton in the app -> the values its field takes."""
    from rnnviz.app import state
    from rnnviz.app.live_class import CLASS_STRINGS
    from rnnviz.app.views.lesson import CHAPTER
    from rnnviz.app.views.lesson.article import ARTICLE_NETWORKS
    from rnnviz.app.views.lesson.questions import QUESTION_SECTIONS

    tokenizations = ("word", "char")
    return {
        "path_lstm_{}": ("kept", "short", "closed"),
        "task_{}": tuple(TASKS),
        "csv_{}": tuple(CSV_HEADERS),
        "gate_{}": ("input", "forget", "candidate", "output", "reset", "update", "cell"),
        "mode_{}": tokenizations,
        "mode_fixed_{}": tokenizations,
        "factor_{}": ("norms", "product_of_norms", "product_norm", "cell_norms", "cell_product"),
        "importance_{}": ("removed", "unknown", "integrated_gradients"),
        "importance_{}_how": ("removed", "unknown", "integrated_gradients"),
        "lesson_chapter_{}": tuple(str(chapter) for chapter in CHAPTER.values()),
        "lesson_design_{}": ("last", "carry"),
        "lesson_box_{}": ("x", "h", "y"),
        "lesson_softmax_{}": ("z", "exp", "p"),
        "lesson_q_{}": QUESTION_SECTIONS,
        "lesson_c_{}": ("first", "middle", "final"),
        "lesson_title_{}": SECTIONS,
        "lesson_take_{}": SECTIONS,
        "lesson_network_{}": ARTICLE_NETWORKS,
        "lesson_{}_help": ("prev", "next", "qr", "dark", "present"),
        "lesson_c_more_{}": ("rnn", "lstm", "depends"),
        "class_{}": CLASS_STRINGS,
        "own_err_{}": tuple(sorted(_refusals())),
        "own_queue_{}": ("owner", "full"),
        "own_curve_{}": ("loss", "accuracy", "train", "held_out", "epoch"),
        "own_source_{}": (*EXAMPLE_SETS, "paste", "upload"),
        "own_example_{}": tuple(EXAMPLE_SETS),
        "own_arch_{}": tuple(ARCHITECTURES),
        "race_{}": ("stopped", "abandoned"),
        "view_{}": state.VIEWS,
    }


def test_both_languages_have_the_same_keys_in_the_same_order():
    chinese, english = load_strings("zh"), load_strings("en")
    assert list(chinese) == list(english)
    assert len(chinese) > 500
    assert set(LANGUAGES) == {path.stem for path in i18n.STRINGS_DIR.glob("*.toml")}


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_no_string_is_empty(language):
    assert [key for key, value in load_strings(language).items() if not value.strip()] == []


def _fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


# A language may leave out a value the other writes (str.format ignores it).
LEFT_OUT = {"lesson_order_flips": {"was"}}


def test_both_languages_take_the_same_fields():
    differ = {
        key: pair
        for key, pair in STRINGS.items()
        if _fields(pair[0]) ^ _fields(pair[1]) != LEFT_OUT.get(key, set())
    }
    assert differ == {}


def test_every_key_the_code_asks_for_exists():
    literals, patterns = _asked_keys()
    assert len(literals) > 300
    missing = {key: where for key, where in literals.items() if key not in STRINGS}
    assert missing == {}
    expansions = _expansions()
    assert set(patterns) == set(expansions), "a new f-string key: list what its field takes"
    absent = [
        skeleton.format(value)
        for skeleton, values in expansions.items()
        for value in values
        if skeleton.format(value) not in STRINGS
    ]
    assert absent == []


def test_no_key_is_unused():
    """A key is used if the app's code holds it as a string (a text() call, a table of keys)
    or one of its f-string keys makes it; the live class's "why not" lines are looked up
    only if present (class_why_<section>_<choice>)."""
    constants = {
        node.value
        for _, tree in _app_trees()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    made = {
        skeleton.format(value) for skeleton, values in _expansions().items() for value in values
    }
    optional = re.compile(rf"class_why_({'|'.join(SECTIONS)})_\d")
    unused = [
        key
        for key in STRINGS
        if key not in constants and key not in made and not optional.fullmatch(key)
    ]
    assert unused == []


def test_text_formats_and_falls_back_to_english():
    assert text("app_title", "zh") == STRINGS["app_title"][0]
    assert text("app_title", "en") == STRINGS["app_title"][1]
    assert text("app_title", "fr") == STRINGS["app_title"][1]
    with pytest.raises(KeyError):
        text("no_such_key", "en")


def test_the_sci_field_writes_numbers_in_the_app_style():
    template = "{x:sci}"
    assert i18n._FORMATTER.format(template, x=0.000123) == scientific(0.000123) == "1.2 × 10⁻⁴"
    assert i18n._FORMATTER.format(template, x="已写好") == "已写好"
