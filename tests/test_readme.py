"""The README's promises: two Quick start commands, which CI runs verbatim, and the models
table made from the shipped cards."""

import re
from pathlib import Path

from rnnviz.cards import models_table

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_quick_start_has_exactly_two_single_line_commands():
    commands = quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    assert "streamlit run dashboard.py" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start_commands()[1] in ci.splitlines()


def test_models_table_matches_the_cards():
    table = README.split("<!-- models-table:start -->\n", 1)[1].split("\n<!-- models-table:end", 1)[
        0
    ]
    assert table.strip() == models_table()
