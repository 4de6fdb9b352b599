"""Shared fixtures: a small vocabulary and seeded untrained models of every architecture."""

import pytest

import rnnviz
from rnnviz import Vocab, build_model

SENTENCES = [
    "我要去打篮球",
    "我要打篮球去",
    "今天我要去打球",
    "我的职业是程序员，我最擅长的是电脑",
    "dog bites man 123",
]


@pytest.fixture(scope="session")
def vocab() -> Vocab:
    return Vocab.build((rnnviz.tokenize(text) for text in SENTENCES), max_size=100)


@pytest.fixture(params=["rnn", "lstm", "gru", "bow", "position"])
def arch(request) -> str:
    return request.param


@pytest.fixture
def classifier(arch, vocab):
    return build_model(
        arch, "classifier", vocab, labels=["负面", "正面"], embed_size=8, hidden_size=6, seed=3
    )
