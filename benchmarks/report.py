"""Shared by the benchmarks: the sentences they type, Markdown tables, and writing one
benchmark's section of docs/PERFORMANCE.md in place (between its start/end markers)."""

from __future__ import annotations

import platform
import time
from collections.abc import Sequence
from pathlib import Path

import torch

# Sentences the benchmarks type: the article's examples and review-like text.
SENTENCES = [
    "我要去打篮球",
    "我要打篮球去",
    "今天我要去打球",
    "我要打球去今天",
    "我的职业是程序员，我最擅长的是电脑",
    "这本书写得太好了，推荐大家看",
    "房间很小，服务态度也很差",
    "送货很快，质量不错",
    "dog bites man",
    "我不喜欢这个酒店",
    "价格便宜，配置过得去，外观也好看",
    "地段好，设施全，服务一流",
    "老四星，设备陈旧，不如一般的三星",
    "电池不耐用，屏幕还可以",
    "今天天气很好，我们去公园散步",
    "我的职业是厨师，今天很忙，我最擅长的是做饭",
    "这个手机真的很好用",
    "差，太差了",
    "还会再来的",
    "物流太慢了，等了一个星期",
]
PERFORMANCE = Path(__file__).resolve().parent.parent / "docs" / "PERFORMANCE.md"


def table(headers: Sequence[str], rows: Sequence[Sequence]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    return (
        f"{time.strftime('%Y-%m-%d')}, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, torch {torch.__version__}, "
        f"{torch.get_num_threads()} torch thread(s)"
    )


def write_section(name: str, command: str, body: str) -> None:
    """Replace the section `name` of docs/PERFORMANCE.md (append it if missing)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    section = f"{start}\nMeasured {machine()} with `{command}`:\n\n{body}\n{end}"
    text = PERFORMANCE.read_text(encoding="utf-8") if PERFORMANCE.exists() else "# Performance\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    PERFORMANCE.parent.mkdir(parents=True, exist_ok=True)
    PERFORMANCE.write_text(text, encoding="utf-8")
    print(body)
