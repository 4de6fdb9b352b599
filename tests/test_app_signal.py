"""The RNN·LSTM·GRU view's learning signal, memory path and gradient notes through AppTest:
what the page says is what the core computes."""

import shutil

import pytest
from apptest import open_app
from streamlit.testing.v1 import AppTest

import rnnviz
from rnnviz.app.common import scientific
from rnnviz.app.i18n import text
from rnnviz.app.inputs import escape_markdown
from rnnviz.memory import live_fillers
from rnnviz.memory_path import lstm_cell_path


def app(**query) -> AppTest:
    return open_app(**query)


@pytest.fixture(scope="module")
def arch_page():
    return app(view="arch", k="30", prof="程序员")


def test_learning_signal_and_memory_path_are_drawn(arch_page):
    assert not arch_page.exception
    # a chart's title is drawn above it as Markdown (common.chart)
    titles = [block.value for block in arch_page.markdown]
    for key in ("signal_chart", "path_forget_chart", "path_separation_chart"):
        assert f"**{escape_markdown(text(key, 'zh'))}**" in titles


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


def test_a_radius_of_one_is_not_read_as_above_one():
    at = app(view="arch", rho="1.0")
    captions = [str(caption.value) for caption in at.caption]
    assert text("radius_one", "zh") in captions
    assert text("radius_large", "zh") not in captions


def test_the_memory_path_crosses_thirty_fillers_for_the_live_profession():
    at = app(view="arch", k="5", prof="厨师")
    captions = [str(caption.value) for caption in at.caption]
    assert text("path_prompt", "zh", profession="厨师", k=30) in captions


def test_a_broken_lstm_checkpoint_drops_only_the_memory_path(tmp_path, monkeypatch):
    from rnnviz.checkpoint import WEIGHTS_DIR

    copy = tmp_path / "weights"
    shutil.copytree(WEIGHTS_DIR, copy)
    broken = copy / "memory-lstm.pt"
    data = bytearray(broken.read_bytes())
    data[len(data) // 2] ^= 0xFF
    broken.write_bytes(bytes(data))
    monkeypatch.setenv("RNNVIZ_WEIGHTS", str(copy))
    at = app(view="arch")
    assert not at.exception
    titles = [block.value for block in at.markdown]
    assert f"**{escape_markdown(text('signal_chart', 'zh'))}**" in titles
    assert f"**{escape_markdown(text('path_forget_chart', 'zh'))}**" not in titles
    # the broken model says which file and how to restore it (issue 10)
    assert "memory-lstm.pt" in " ".join(str(e.value) for e in at.error)
