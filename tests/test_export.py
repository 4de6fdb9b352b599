import csv
import io
import json

import numpy as np
import pytest

import rnnviz
from rnnviz.export import BOM, safe_cell, trace_to_csv, trace_to_json


@pytest.fixture(scope="module")
def lm_trace():
    return rnnviz.trace(rnnviz.load_model("lm-rnn"), "我要去打篮球<b>")


def rows_of(document: str) -> list[list[str]]:
    assert document.startswith(BOM)
    return list(csv.reader(io.StringIO(document[len(BOM) :])))


def test_csv_has_one_row_per_token(lm_trace):
    rows = rows_of(trace_to_csv(lm_trace))
    header, body = rows[0], rows[1:]
    assert header[:2] == ["step", "token"]
    assert len(body) == len(lm_trace.tokens)
    assert [row[1] for row in body] == lm_trace.tokens
    assert [int(row[0]) for row in body] == list(range(1, len(lm_trace.tokens) + 1))
    column = header.index("grad_hidden")
    np.testing.assert_allclose(
        [float(row[column]) for row in body], lm_trace.grad_hidden, rtol=1e-5
    )
    first_unit = header.index("h_0")
    np.testing.assert_allclose(
        [float(row[first_unit]) for row in body], lm_trace.hidden[:, 0], rtol=1e-5, atol=1e-6
    )


def test_csv_starts_with_a_byte_order_mark_in_utf8():
    trace = rnnviz.trace(rnnviz.load_model("sentiment-lstm"), "服务很好")
    encoded = trace_to_csv(trace).encode("utf-8")
    assert encoded.startswith(b"\xef\xbb\xbf")
    assert encoded.decode("utf-8-sig").startswith("step,token,")


@pytest.mark.parametrize(
    "cell,expected",
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("我要", "我要"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_cells_are_prefixed(cell, expected):
    assert safe_cell(cell) == expected


def test_typed_formulas_reach_the_csv_as_text():
    trace = rnnviz.trace(
        rnnviz.load_model("sentiment-rnn"), ["=HYPERLINK(x)", "+1", "-", "@a", "好"]
    )
    body = rows_of(trace_to_csv(trace))[1:]
    assert [row[1] for row in body] == ["'=HYPERLINK(x)", "'+1", "'-", "'@a", "好"]
    # numbers stay numbers: a negative hidden value is not quoted
    values = [float(cell) for row in body for cell in row[7:]]
    assert min(values) < 0


def test_csv_headers_are_arguments():
    trace = rnnviz.trace(rnnviz.load_model("sentiment-rnn"), "很好")
    header = rows_of(trace_to_csv(trace, {"step": "步", "token": "词", "hidden": "单元 h_{j}"}))[0]
    assert header[:3] == ["步", "词", "unknown"]
    assert header[7:9] == ["单元 h_0", "单元 h_1"]


def test_json_holds_every_field(lm_trace):
    document = json.loads(trace_to_json(lm_trace, top_k=5))
    assert document["tokens"] == lm_trace.tokens
    assert document["target"] == lm_trace.labels[lm_trace.target]
    np.testing.assert_allclose(document["hidden"], lm_trace.hidden, atol=5.1e-5)
    np.testing.assert_allclose(document["grad_hidden"], lm_trace.grad_hidden, rtol=5e-4)
    first = document["probs"][0]
    assert len(first) == 5
    order = np.argsort(-lm_trace.probs[0], kind="stable")[:5]
    assert list(first) == [lm_trace.labels[i] for i in order]
    np.testing.assert_allclose(list(first.values()), lm_trace.probs[0, order], rtol=5e-4)
    assert "5 most probable" in document["note"]


def test_classifier_json_keeps_every_class():
    trace = rnnviz.trace(rnnviz.load_model("sentiment-lstm"), "服务很好")
    document = json.loads(trace_to_json(trace))
    np.testing.assert_allclose(document["probs"], trace.probs, rtol=5e-4)
    assert document["labels"] == trace.labels
