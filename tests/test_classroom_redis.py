"""The live class in Redis (rnnviz.classroom_redis) on a real redis-server: what only a shared
store has to do — several processes (here several stores) serving one class, no vote lost
between them, every key expiring with its class, nothing secret or personal kept, Redis out of
reach (refused, or hanging) and back, and the HTTP routes answering 503 meanwhile."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request

import pytest
import uvicorn
from redis_server import RedisServer, free_port
from starlette.applications import Starlette

from rnnviz import classroom
from rnnviz.app.live_class.routes import Hub, class_routes
from rnnviz.class_store import make_store
from rnnviz.classroom import ClassError, ClassUnavailable, MemoryClassStore
from rnnviz.classroom_redis import PAUSE_SECONDS, RedisClassStore


def page(number: int) -> str:
    return f"{number:032x}"


@pytest.fixture
def server():
    running = RedisServer().start()
    yield running
    running.stop()


@pytest.fixture
def replicas(server):
    """Two stores on one Redis, as two replicas of the app have."""
    stores = [RedisClassStore(server.url), RedisClassStore(server.url)]
    yield stores
    for store in stores:
        store.close()


def wait_until(check, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return check()


def test_the_environment_chooses_the_store(server):
    assert isinstance(make_store(""), MemoryClassStore)
    shared = make_store(server.url)
    try:
        assert isinstance(shared, RedisClassStore)
        code, _ = shared.create()
        assert shared.view(code).sec == 1
    finally:
        shared.close()


def test_two_replicas_serve_one_class_and_hear_each_other(replicas):
    first, second = replicas
    heard: list[str] = []
    first.subscribe(heard.append)
    code, secret = first.create()
    assert second.is_presenter(code, secret) and not second.is_presenter(code, secret + "x")
    second.move(code, secret, 2, 0, 3)
    assert wait_until(lambda: code in heard)  # through pub/sub, from the other store
    assert first.view(code).question.choices == 3  # its cached view was dropped
    second.listen(code, page(1), True)
    first.vote(code, page(1), 2, 1, 2)  # listening on one replica, voting through the other
    assert second.view(code).question.votes[1] == (0, 0, 1)
    assert second.own_choices(code, page(1), 2) == {1: 2}
    count = len(heard)
    second.set_step(code, secret, 4)
    assert wait_until(lambda: len(heard) > count)
    assert first.view(code).step == 4


def test_phones_on_two_replicas_lose_no_vote(replicas):
    """120 phones, half on each replica, all voting at once from 12 threads, then changing
    their minds: every phone counted once, with its last choice."""
    first, second = replicas
    code, secret = first.create()
    first.move(code, secret, 2, 0, 3)
    phones = [page(number) for number in range(120)]
    for index, phone in enumerate(phones):
        (first, second)[index % 2].listen(code, phone, True)
    errors: list[Exception] = []

    def vote(chunk: list[tuple[int, str]], shift: int) -> None:
        for index, phone in chunk:
            try:
                (first, second)[index % 2].vote(code, phone, 2, 1, (index + shift) % 3)
            except ClassError as error:
                errors.append(error)

    for shift in (0, 1):
        chunks = [list(enumerate(phones))[start::12] for start in range(12)]
        threads = [threading.Thread(target=vote, args=(chunk, shift)) for chunk in chunks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert second.view(code).question.votes[1] == (40, 40, 40)
    assert first.own_choices(code, phones[0], 2) == {1: 1}


def test_every_key_expires_with_its_class_and_no_secret_is_kept(replicas, server):
    store = replicas[0]
    code, secret = store.create()
    store.move(code, secret, 2, 0, 3)
    store.listen(code, page(1), True)
    store.listen(code, page(2), False)
    store.vote(code, page(1), 2, 1, 0)
    client = store._client
    keys = client.keys(f"rnnviz:class:{code}*")
    assert len(keys) >= 6  # the class, its questions, listeners, ballots, counts, vote times
    for key in keys:
        assert classroom.CLASS_SECONDS - 60 < client.ttl(key) <= classroom.CLASS_SECONDS
    held = []
    for key in keys:
        kind = client.type(key)
        if kind == b"hash":
            held += [part for item in client.hgetall(key).items() for part in item]
        else:
            assert kind == b"zset"
            held += client.zrange(key, 0, -1)  # page ids: random, nothing personal
    dump = b" ".join(held)
    assert secret.encode() not in dump  # only the secret's SHA-256
    assert client.ttl("rnnviz:classes") == -1 and client.zcard("rnnviz:classes") == 1


def test_refused_connections_fail_fast_and_the_class_resumes(server):
    """Redis stopped and restarted: calls raise ClassUnavailable at once, then work again; the
    subscriber hears every class it served as changed once pub/sub is back."""
    store = RedisClassStore(server.url)
    try:
        heard: list[str] = []
        store.subscribe(heard.append)
        code, _ = store.create()
        server.stop()
        started = time.monotonic()
        for _ in range(20):
            with pytest.raises(ClassUnavailable):
                store.view(code)
        assert time.monotonic() - started < 2.0
        with pytest.raises(ClassUnavailable):
            store.create()
        server.start()  # same port, empty (no persistence in this test)
        assert wait_until(lambda: _answers(store), PAUSE_SECONDS + 3)
        assert wait_until(lambda: code in heard, 5)
        other, secret = store.create()
        assert store.move(other, secret, 3, 0, None).sec == 3
    finally:
        store.close()


def test_a_hanging_redis_is_unavailable_and_then_resumes_with_its_class(server):
    """Redis stopped (SIGSTOP, as a network partition looks): a call gives up after its
    timeout, the ones after fail at once; on SIGCONT the class is there, every vote kept."""
    store = RedisClassStore(server.url)
    try:
        code, secret = store.create()
        store.move(code, secret, 2, 0, 2)
        store.listen(code, page(1), True)
        store.vote(code, page(1), 2, 1, 1)
        os.kill(server.process.pid, signal.SIGSTOP)
        try:
            started = time.monotonic()
            with pytest.raises(ClassUnavailable):
                store.set_step(code, secret, 3)
            with pytest.raises(ClassUnavailable):
                store.vote(code, page(1), 2, 1, 0)
            assert time.monotonic() - started < 4.0
        finally:
            os.kill(server.process.pid, signal.SIGCONT)
        assert wait_until(lambda: _answers(store), PAUSE_SECONDS + 3)
        view = store.view(code)
        assert view.sec == 2 and view.question.votes[1] == (0, 1)
    finally:
        store.close()


def _answers(store: RedisClassStore) -> bool:
    try:
        store.view("ABCDEF")
    except ClassUnavailable:
        return False
    return True


@contextlib.contextmanager
def routes_server(store):
    """The class routes alone (no Streamlit) under uvicorn on a free port."""
    hub = Hub(store)
    port = free_port()
    config = uvicorn.Config(
        Starlette(routes=class_routes(store, hub)), host="127.0.0.1", port=port, log_level="error"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    assert wait_until(lambda: running.started, 10)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=10)


def fetch(url: str, body: dict | None = None) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    call = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(call, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_routes_answer_503_while_redis_is_down_and_resume(server):
    store = RedisClassStore(server.url)
    try:
        code, secret = store.create()
        store.move(code, secret, 2, 0, 2)
        with routes_server(store) as url:
            assert fetch(f"{url}/api/class/{code}")[0] == 200
            server.stop()
            vote = {"page": page(1), "sec": 2, "round": 1, "choice": 0}
            for path, body in (
                (f"/api/class/{code}", None),
                (f"/api/class/{code}/events?page={page(1)}&follow=1", None),
                (f"/api/class/{code}/vote", vote),
                (f"/api/class/{code}/control", {"action": "reveal"}),
            ):
                assert fetch(url + path, body) == (503, {"error": "unavailable"}), path
            server.start()
            assert wait_until(lambda: fetch(f"{url}/api/class/{code}")[0] != 503, 8)
            # an empty Redis came back: the class is unknown now, a clear 404, a new one works
            assert fetch(f"{url}/api/class/{code}") == (404, {"error": "unknown"})
            fresh, _ = store.create()
            assert fetch(f"{url}/api/class/{fresh}")[1]["sec"] == 1
    finally:
        store.close()
