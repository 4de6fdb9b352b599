"""The live class's store (rnnviz.classroom): codes and secrets, who may write what, the two
rounds of votes, what is public, expiry and every cap, and its use from many threads."""

from __future__ import annotations

import re
import threading

import pytest
from redis_server import RedisServer

from rnnviz import classroom
from rnnviz.classroom import ClassError, Forbidden, MemoryClassStore, UnknownClass
from rnnviz.classroom_redis import RedisClassStore


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def page(number: int) -> str:
    return f"{number:032x}"


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture(scope="module")
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["memory", "redis"])
def store(request, clock):
    """Every rule holds for the process's store and for Redis (a real redis-server)."""
    if request.param == "memory":
        yield MemoryClassStore(clock)
        return
    shared = RedisClassStore(request.getfixturevalue("redis_server").url, clock)
    shared._client.flushdb()
    yield shared
    shared.close()


def kept(store) -> int:
    """How many things the store still holds (classes in memory, keys in Redis)."""
    if isinstance(store, MemoryClassStore):
        return len(store._classes)
    return len(store._client.keys("rnnviz:class:*"))


def question_class(store, choices=3, listeners=3):
    """A class on section 2, which asks a question with `choices` answers."""
    code, secret = store.create()
    store.move(code, secret, 2, 0, choices)
    for number in range(listeners):
        store.listen(code, page(number), True)
    return code, secret


def test_codes_are_six_unambiguous_characters_and_secrets_are_long(store):
    codes = set()
    for _ in range(50):
        code, secret = store.create()
        assert re.fullmatch("[A-HJKMNP-Z2-9]{6}", code)
        assert not set(code) & set("01OIL")
        assert len(secret) >= 32 and secret not in code  # ≥ 128 bits of base64
        codes.add(code)
    assert len(codes) == 50
    assert classroom.normal_code(" ab2cde ") == "AB2CDE"
    assert classroom.normal_code("AB0CDE") is None
    assert classroom.normal_code("ABCDEFG") is None


def test_only_the_secret_moves_steps_and_reveals(store):
    code, secret = store.create()
    other_code, other_secret = store.create()
    for wrong in ("", "x", other_secret, secret[:-1], secret + "x"):
        with pytest.raises(Forbidden):
            store.move(code, wrong, 3, 0, None)
        with pytest.raises(Forbidden):
            store.set_step(code, wrong, 4)
        with pytest.raises(Forbidden):
            store.reveal(code, wrong)
        assert not store.is_presenter(code, wrong)
    view = store.view(code)
    assert (view.sec, view.step, view.version) == (1, 0, 0)
    assert store.move(code, secret, 3, 2, None).sec == 3
    assert store.set_step(code, secret, 5).step == 5
    assert store.is_presenter(code, secret)
    assert store.view(other_code).sec == 1


def test_unknown_codes_and_bad_numbers_are_refused(store):
    code, secret = store.create()
    assert store.view("ZZZZZZ") is None
    with pytest.raises(UnknownClass):
        store.move("ZZZZZZ", secret, 2, 0, None)
    with pytest.raises(UnknownClass):
        store.vote("ZZZZZZ", page(1), 1, 1, 0)
    for sec, step, choices in ((0, 0, None), (65, 0, None), (2, -1, None), (2, 0, 1), (2, 0, 9)):
        with pytest.raises(ClassError):
            store.move(code, secret, sec, step, choices)
    with pytest.raises(ClassError):
        store.move(code, secret, True, 0, None)  # a bool is not a section
    assert store.view(code).version == 0


def test_two_rounds_of_votes(store):
    code, secret = question_class(store)
    store.vote(code, page(0), 2, 1, 0)
    store.vote(code, page(1), 2, 1, 0)
    store.vote(code, page(2), 2, 1, 2)
    store.vote(code, page(2), 2, 1, 1)  # changed its mind: counted once
    shown = store.view(code).question
    assert shown.votes[1] == (2, 1, 0) and shown.answered == 3
    store.close_round(code, secret)
    with pytest.raises(ClassError, match="closed"):
        store.vote(code, page(0), 2, 1, 1)
    store.open_second_round(code, secret)
    store.vote(code, page(0), 2, 2, 1)
    store.vote(code, page(1), 2, 2, 1)
    shown = store.view(code).question
    assert shown.votes == {1: (2, 1, 0), 2: (0, 2, 0)}
    assert (shown.round, shown.open, shown.answered) == (2, True, 2)
    assert store.own_choices(code, page(0), 2) == {1: 0, 2: 1}
    assert store.own_choices(code, page(2), 2) == {1: 1}
    store.reveal(code, secret)
    shown = store.view(code).question
    assert shown.revealed and not shown.open
    with pytest.raises(ClassError):
        store.vote(code, page(2), 2, 2, 0)
    assert store.view(code).question.votes == {1: (2, 1, 0), 2: (0, 2, 0)}


def test_the_teacher_may_skip_round_two(store):
    code, secret = question_class(store)
    store.vote(code, page(0), 2, 1, 1)
    store.close_round(code, secret)
    store.reveal(code, secret)
    shown = store.view(code).question
    assert shown.revealed and shown.round == 1 and shown.votes[2] == (0, 0, 0)
    with pytest.raises(ClassError):
        store.open_second_round(code, secret)


def test_invalid_votes_change_nothing(store):
    code, secret = question_class(store, choices=2)
    store.vote(code, page(0), 2, 1, 1)
    before = store.view(code)
    refused = [
        (page(1), 2, 1, 2),  # a choice that does not exist
        (page(1), 2, 1, -1),
        (page(1), 2, 1, True),
        (page(1), 2, 1, "0"),
        (page(1), 3, 1, 0),  # another question
        (page(1), 2, 2, 0),  # a round not open
        (page(99), 2, 1, 0),  # a page that is not listening
        ("not-a-page", 2, 1, 0),
        (None, 2, 1, 0),
    ]
    for voter, sec, number, choice in refused:
        with pytest.raises(ClassError):
            store.vote(code, voter, sec, number, choice)
    after = store.view(code)
    assert after.question == before.question and after.version == before.version


def test_a_flood_from_one_page_is_cut(store, clock):
    code, _ = question_class(store)
    for index in range(classroom.VOTE_BURST):
        store.vote(code, page(0), 2, 1, index % 3)
    with pytest.raises(ClassError, match="too-many"):
        store.vote(code, page(0), 2, 1, 0)
    assert store.view(code).question.votes[1] == (0, 1, 0)  # its last accepted vote only
    clock.now += classroom.VOTE_WINDOW + 1
    store.vote(code, page(0), 2, 1, 2)
    assert store.view(code).question.votes[1] == (0, 0, 1)


def test_open_round_counts_are_the_presenters_only(store):
    code, secret = question_class(store)
    store.vote(code, page(0), 2, 1, 2)
    public = store.view(code).public()
    assert public["votes"] == {"1": None, "2": None}
    assert public["answered"] == 1 and public["round"] == 1 and public["open"]
    assert store.view(code).public(presenter=True)["votes"]["1"] == [0, 0, 1]
    store.close_round(code, secret)
    assert store.view(code).public()["votes"] == {"1": [0, 0, 1], "2": None}
    assert set(public) >= {"sec", "step", "revealed", "following", "round", "answered", "votes"}
    assert "secret" not in str(store.view(code).public(True)).lower()
    assert secret not in str(store.view(code).public(True))


def test_followers_are_counted_while_they_listen(store, clock):
    code, _ = store.create()
    store.listen(code, page(1), True)
    store.listen(code, page(2), True)
    store.listen(code, page(3), False)  # browsing on its own
    view = store.view(code)
    assert (view.following, view.listening) == (2, 3)
    store.leave(code, page(2))
    assert store.view(code).following == 1
    clock.now += classroom.LISTENER_SECONDS + 1  # a page that vanished without a word
    assert store.view(code).following == 0
    store.listen(code, page(1), True)
    assert store.view(code).following == 1


def test_classes_expire_after_six_hours(store, clock):
    code, secret = question_class(store)
    store.vote(code, page(0), 2, 1, 0)
    clock.now += 6 * 3600 - 1
    assert store.view(code) is not None
    clock.now += 2
    assert store.view(code) is None
    assert store.own_choices(code, page(0), 2) == {}
    with pytest.raises(UnknownClass):
        store.move(code, secret, 2, 0, None)
    assert kept(store) == 0  # nothing of it is kept


def test_caps_on_classes_listeners_and_voters(store, monkeypatch):
    monkeypatch.setattr(classroom, "MAX_CLASSES", 3)
    monkeypatch.setattr(classroom, "MAX_LISTENERS", 4)
    monkeypatch.setattr(classroom, "MAX_VOTERS", 2)
    created = [store.create() for _ in range(3)]
    with pytest.raises(ClassError, match="full"):
        store.create()
    assert all(store.view(code) for code, _ in created)  # a running class is never dropped
    other = store
    code, secret = created[0]
    other.move(code, secret, 2, 0, 3)
    for number in range(4):
        other.listen(code, page(number), True)
    with pytest.raises(ClassError, match="full"):
        other.listen(code, page(9), True)
    other.vote(code, page(0), 2, 1, 0)
    other.vote(code, page(1), 2, 1, 0)
    with pytest.raises(ClassError, match="full"):
        other.vote(code, page(2), 2, 1, 0)
    other.vote(code, page(1), 2, 1, 1)  # a page that voted may still change its vote
    assert other.view(code).question.votes[1] == (1, 1, 0)


def test_subscribers_hear_each_change_and_only_changes(store):
    heard = []
    unsubscribe = store.subscribe(heard.append)
    code, secret = question_class(store, listeners=1)
    count = len(heard)
    store.set_step(code, secret, 0)  # no change
    store.move(code, secret, 2, 0, 3)  # no change
    assert len(heard) == count
    store.set_step(code, secret, 1)
    store.vote(code, page(0), 2, 1, 1)
    assert heard[count:] == [code, code]
    unsubscribe()
    store.set_step(code, secret, 2)
    assert len(heard) == count + 2


def test_returning_to_a_question_keeps_its_rounds(store):
    code, secret = question_class(store)
    store.vote(code, page(0), 2, 1, 2)
    store.close_round(code, secret)
    store.move(code, secret, 3, 0, 0)
    assert store.view(code).question is None
    store.move(code, secret, 2, 0, 3)
    shown = store.view(code).question
    assert shown.votes[1] == (0, 0, 1) and not shown.open


def test_many_threads_lose_no_vote(store):
    code, secret = store.create()
    store.move(code, secret, 2, 0, 3)
    pages = [page(number) for number in range(300)]
    for voter in pages:
        store.listen(code, voter, True)
    errors = []

    def vote(chunk):
        for index, voter in chunk:
            try:
                store.vote(code, voter, 2, 1, index % 3)
            except ClassError as error:
                errors.append(error)

    chunks = [list(enumerate(pages))[start::8] for start in range(8)]
    threads = [threading.Thread(target=vote, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.view(code).question.votes[1] == (100, 100, 100)
