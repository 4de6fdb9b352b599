"""The RNN·LSTM·GRU view's learning signal, memory path and gradient notes through AppTest:
what the page says is what the core computes."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import rnnviz
from rnnviz.app.common import scientific
from rnnviz.app.i18n import text
from rnnviz.memory import live_fillers
from rnnviz.memory_path import lstm_cell_path

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"


def app(**query) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


@pytest.fixture(scope="module")
def arch_page():
    return app(view="arch", k="30", prof="程序员")


def test_learning_signal_and_memory_path_are_drawn(arch_page):
    assert not arch_page.exception
    titles = [
        json.loads(chart.proto.spec)["layout"]["title"]["text"]
        for chart in arch_page.get("plotly_chart")
    ]
    assert any(title.startswith("刚初始化的网络") for title in titles)
    assert any(title.startswith("memory-lstm：携带职业的单元") for title in titles)
    assert any(title.startswith("只换职业时 h 移动多远") for title in titles)


def test_the_memory_path_reading_shows_the_measured_products(arch_page):
    fillers = live_fillers(30)
    path = lstm_cell_path(rnnviz.load_model("memory-lstm"), "程序员", fillers)
    infos = " ".join(str(info.value) for info in arch_page.info)
    for unit, product in zip(path.units, path.filler_product, strict=True):
        assert f"#{unit} {product:.2f}" in infos
    assert scientific(path.median_filler_product) in infos


def test_the_note_stands_beside_every_trained_gradient_chart(arch_page):
    note = text("decay_note", "zh")
    captions = [str(caption.value) for caption in arch_page.caption]
    assert captions.count(note) == 2  # the sentence's decay chart and the live try's
    explore = app(view="explore")
    assert note in [str(caption.value) for caption in explore.caption]
