"""The live class's HTTP side on a real server (streamlit run dashboard.py): the public state,
the event stream, and every write refused without the secret or when it is not a valid vote —
without changing anything."""

from __future__ import annotations

import pytest

from .class_client import Listener, request, start_class


@pytest.fixture(scope="module")
def live(server, browser):
    """A class started by a real presenter page (kept open): (code, secret)."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.set_default_timeout(60_000)
    code, secret = start_class(page, server, section=1)  # section 1 asks a question
    yield code, secret
    context.close()


def presenter_state(server, code, secret) -> dict:
    status, state = request(server, f"/api/class/{code}", secret=secret)
    assert status == 200
    return state


def test_unknown_or_malformed_codes_get_a_clear_answer(server):
    for code in ("ZZZZZZ", "abc", "A" * 300, "%3Cscript%3E", "AB0CDE"):
        status, answer = request(server, f"/api/class/{code}")
        assert (status, answer) == (404, {"error": "unknown"})
    status, answer = request(server, "/api/class/ZZZZZZ/vote", {"page": "0" * 32})
    assert (status, answer) == (404, {"error": "unknown"})


def test_the_public_state_holds_counts_only(server, live):
    code, secret = live
    status, state = request(server, f"/api/class/{code}")
    assert status == 200
    assert {"sec", "step", "revealed", "following", "round", "answered", "votes"} <= set(state)
    assert state["sec"] == 1 and state["round"] == 1 and state["choices"] == 2
    assert secret not in str(state)


def test_forged_moves_and_reveals_are_refused(server, live):
    code, secret = live
    before = presenter_state(server, code, secret)
    forged = [
        {"action": "move", "sec": 5, "step": 1},
        {"action": "step", "step": 3},
        {"action": "reveal"},
        {"action": "close"},
        {"action": "second"},
    ]
    for wrong in (None, "", "guess", secret[:-1], secret + "A"):
        for body in forged:
            status, answer = request(server, f"/api/class/{code}/control", body, secret=wrong)
            assert (status, answer) == (403, {"error": "forbidden"}), (wrong, body)
    assert presenter_state(server, code, secret) == before
    # the same request with the secret is taken, and every listener hears it
    listener = Listener(server, code)
    try:
        status, state = request(
            server, f"/api/class/{code}/control", {"action": "step", "step": 2}, secret=secret
        )
        assert status == 200 and state["step"] == 2
        _, heard = listener.wait_for(lambda s: s.get("step") == 2, timeout=5)
        assert heard["sec"] == 1
    finally:
        listener.close()
        request(server, f"/api/class/{code}/control", {"action": "step", "step": 1}, secret)


def test_invalid_votes_are_refused_without_changing_the_counts(server, live):
    code, secret = live
    listener = Listener(server, code)
    stranger = "f" * 32  # a page id that never listened
    try:
        listener.wait_for(lambda s: s.get("sec") == 1)
        vote = {"page": listener.page, "sec": 1, "round": 1, "choice": 0}
        status, answer = request(server, f"/api/class/{code}/vote", vote)
        assert status == 200 and answer["mine"] == {"1": 0}
        counted = presenter_state(server, code, secret)["votes"]
        refused = [
            ({**vote, "choice": 2}, 400),  # no third answer here
            ({**vote, "choice": -1}, 400),
            ({**vote, "choice": "1"}, 400),
            ({**vote, "choice": 1.0}, 400),
            ({**vote, "sec": 3}, 409),  # another question
            ({**vote, "round": 2}, 409),  # a round that is not open
            ({**vote, "page": stranger}, 409),
            ({**vote, "page": "<script>"}, 400),
            ({"page": listener.page}, 409),
        ]
        for body, expected in refused:
            status, answer = request(server, f"/api/class/{code}/vote", body)
            assert status == expected, (body, status, answer)
        for raw in (b"[1, 2]", b"not json", b"\xff\xfe", b"{" * 900):
            status, _ = request(server, f"/api/class/{code}/vote", raw)
            assert status == 400, raw
        huge = b'{"page": "' + b"a" * 100_000 + b'"}'
        status, answer = request(server, f"/api/class/{code}/vote", huge)
        assert (status, answer) == (413, {"error": "too-large"})
        assert presenter_state(server, code, secret)["votes"] == counted
        # a flood from one page: the first few change its vote, the rest are refused
        statuses = [
            request(server, f"/api/class/{code}/vote", {**vote, "choice": index % 2})[0]
            for index in range(30)
        ]
        assert 429 in statuses and statuses.count(200) < 10
        after = presenter_state(server, code, secret)["votes"]["1"]
        assert sum(after) == sum(counted["1"])  # still one vote for this page
    finally:
        listener.close()


def test_a_closed_round_refuses_votes(server, live):
    code, secret = live
    listener = Listener(server, code)
    try:
        listener.wait_for(lambda s: s.get("sec") == 1)
        vote = {"page": listener.page, "sec": 1, "round": 1, "choice": 1}
        assert request(server, f"/api/class/{code}/vote", vote)[0] == 200
        status, _ = request(server, f"/api/class/{code}/control", {"action": "close"}, secret)
        assert status == 200
        before = presenter_state(server, code, secret)
        status, answer = request(server, f"/api/class/{code}/vote", {**vote, "choice": 0})
        assert (status, answer) == (409, {"error": "closed"})
        _, heard = listener.wait_for(lambda s: not s["open"], timeout=5)
        assert heard["votes"]["1"] == before["votes"]["1"]  # public once closed
        assert presenter_state(server, code, secret) == before
    finally:
        listener.close()


def test_the_event_stream_needs_a_page_id(server, live):
    code, _ = live
    for query in ("", "?page=short", "?page=" + "g" * 32):
        status, answer = request(server, f"/api/class/{code}/events{query}")
        assert (status, answer) == (400, {"error": "invalid"})
    status, answer = request(server, "/api/class/ZZZZZZ/events?page=" + "a" * 32)
    assert (status, answer) == (404, {"error": "unknown"})
