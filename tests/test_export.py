import csv
import io
import json

import numpy as np
import pytest

import rnnviz
from rnnviz.export import trace_to_csv, trace_to_json


@pytest.fixture(scope="module")
def lm_trace():
    return rnnviz.trace(rnnviz.load_model("lm-rnn"), "我要去打篮球<b>")


def test_csv_has_one_row_per_token(lm_trace):
    rows = list(csv.reader(io.StringIO(trace_to_csv(lm_trace))))
    header, body = rows[0], rows[1:]
    assert len(body) == len(lm_trace.tokens)
    assert [row[1] for row in body] == lm_trace.tokens
    column = header.index("grad_hidden")
    np.testing.assert_allclose(
        [float(row[column]) for row in body], lm_trace.grad_hidden, rtol=1e-5
    )
    first_unit = header.index("h_0")
    np.testing.assert_allclose(
        [float(row[first_unit]) for row in body], lm_trace.hidden[:, 0], rtol=1e-5, atol=1e-6
    )


def test_json_holds_every_field(lm_trace):
    document = json.loads(trace_to_json(lm_trace, top_k=5))
    assert document["tokens"] == lm_trace.tokens
    assert document["target"] == lm_trace.labels[lm_trace.target]
    np.testing.assert_allclose(document["hidden"], lm_trace.hidden, rtol=1e-6)
    top = max(document["probs"][0], key=document["probs"][0].get)
    assert top == lm_trace.labels[int(np.argmax(lm_trace.probs[0]))]
    assert len(document["probs"][0]) == 5
