"""The live class kept in Redis, so that every replica and every machine serves the same class:
`RedisClassStore` follows the `ClassStore` protocol of rnnviz.classroom with the same rules and
caps, each write one Lua script (atomic; the scripts are in rnnviz.classroom_lua), every key
expiring with its class (Redis TTL), changes told to other processes by pub/sub. Redis
unreachable: every call raises ClassUnavailable. It draws nothing and knows no Streamlit."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable

import cachetools
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from rnnviz import classroom, classroom_lua
from rnnviz.classroom import (
    ClassError,
    ClassUnavailable,
    ClassView,
    Forbidden,
    Question,
    UnknownClass,
    valid_page,
)

PREFIX = "rnnviz:class:"
INDEX = "rnnviz:classes"  # sorted set: code -> the time its class expires (caps MAX_CLASSES)
CHANNEL = "rnnviz:class-changes"  # pub/sub: "ORIGIN CODE" after a class changed
CONNECT_SECONDS = 0.5  # a call waits at most this long for an unreachable Redis ...
ANSWER_SECONDS = 1.0  # ... or for an answer
PAUSE_SECONDS = 2.0  # after a failure, calls fail at once for this long (no pile-up of waits)
VIEW_SECONDS = 1.0  # a view is read again at the latest after this long (listener counts age)


class RedisClassStore:
    """Classes in the Redis at `url` (redis://host:port/db), shared by every process that uses
    the same Redis. While it hears other processes' changes (after `subscribe`), reads of a
    class are cached until it changes (or for at most VIEW_SECONDS), so a thousand open
    streams cost one read per change."""

    def __init__(self, url: str, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._client = redis.Redis.from_url(
            url,
            socket_connect_timeout=CONNECT_SECONDS,
            socket_timeout=ANSWER_SECONDS,
            # one retry: a pooled connection may be stale after Redis restarted
            retry=Retry(NoBackoff(), 1),
            health_check_interval=30,
        )
        self._origin = secrets.token_hex(8)
        self._scripts = {
            name: self._client.register_script(classroom_lua.script(name, CHANNEL))
            for name in classroom_lua.BODIES
        }
        self._lock = threading.Lock()
        self._views: cachetools.TTLCache = cachetools.TTLCache(
            classroom.MAX_CLASSES, VIEW_SECONDS, timer=clock
        )
        self._served: cachetools.LRUCache = cachetools.LRUCache(classroom.MAX_CLASSES)
        self._callbacks: list[Callable[[str], None]] = []
        self._paused_until = 0.0
        self._listener: threading.Thread | None = None
        self._closed = threading.Event()
        self._hearing = threading.Event()  # subscribed to other processes' changes

    # --- calling Redis ----------------------------------------------------------------

    def _run(self, name: str, code: str, *arguments: object) -> list:
        """Run one script on the class `code`; ClassUnavailable if Redis cannot be reached."""
        if time.monotonic() < self._paused_until:
            raise ClassUnavailable
        limits = (
            classroom.LISTENER_SECONDS,
            classroom.MAX_CLASSES,
            classroom.MAX_LISTENERS,
            classroom.MAX_VOTERS,
            classroom.VOTE_BURST,
            classroom.VOTE_WINDOW,
            classroom.CLASS_SECONDS,
            len(PREFIX),
            self._origin,
        )
        try:
            return self._scripts[name](
                keys=[PREFIX + code, INDEX],
                args=[repr(float(self._clock())), *limits, *arguments],
            )
        except (redis.ConnectionError, redis.TimeoutError) as error:
            self._paused_until = time.monotonic() + PAUSE_SECONDS
            raise ClassUnavailable from error

    def _answer(self, code: str, reply: list) -> ClassView:
        """The ClassView of a script's reply; tells subscribers if the script changed it."""
        status = _text(reply[0])
        if status == "error":
            reason = _text(reply[1])
            raise {"unknown": UnknownClass, "forbidden": Forbidden}.get(
                reason, lambda: ClassError(reason)
            )()
        view = _view_of(code, reply)
        with self._lock:
            self._views[code] = view
            self._served[code] = True
        if status == "changed":
            self._notify(code)
        return view

    def _notify(self, code: str) -> None:
        for callback in list(self._callbacks):
            callback(code)

    # --- the teacher ------------------------------------------------------------------

    def create(self) -> tuple[str, str]:
        secret = secrets.token_urlsafe(classroom.SECRET_BYTES)
        while True:
            code = "".join(secrets.choice(classroom.ALPHABET) for _ in range(classroom.CODE_LENGTH))
            reply = self._run("create", code, _hash(secret))
            if _text(reply[0]) == "created":
                with self._lock:
                    self._served[code] = True
                return code, secret
            if _text(reply[1]) == "full":
                raise ClassError("full")

    def view(self, code: str) -> ClassView | None:
        if not isinstance(code, str) or classroom.normal_code(code) != code:
            return None
        if self._hearing.is_set():  # other processes' changes reach this process
            with self._lock:
                cached = self._views.get(code)
            if cached is not None:
                return cached
        try:
            return self._answer(code, self._run("view", code))
        except UnknownClass:
            return None

    def is_presenter(self, code: str, secret: str) -> bool:
        if not isinstance(secret, str) or classroom.normal_code(str(code)) != code:
            return False
        kept = self._run("secret", code)
        return kept is not None and hmac.compare_digest(_text(kept), _hash(secret))

    def move(self, code: str, secret: str, sec: int, step: int, choices: int | None) -> ClassView:
        if not (
            classroom._whole(sec, 1, classroom.MAX_SECTIONS) and classroom._whole(step, 0, 10**6)
        ):
            raise ClassError("invalid")
        if choices is not None and (
            not classroom._whole(choices, 0, classroom.MAX_CHOICES) or choices == 1
        ):
            raise ClassError("invalid")
        return self._write("move", code, _hash(secret), sec, step, choices or 0)

    def set_step(self, code: str, secret: str, step: int) -> ClassView:
        if not classroom._whole(step, 0, 10**6):
            raise ClassError("invalid")
        return self._write("step", code, _hash(secret), step)

    def close_round(self, code: str, secret: str) -> ClassView:
        return self._write("round", code, _hash(secret), "close")

    def open_second_round(self, code: str, secret: str) -> ClassView:
        return self._write("round", code, _hash(secret), "second")

    def reveal(self, code: str, secret: str) -> ClassView:
        return self._write("round", code, _hash(secret), "reveal")

    def _write(self, name: str, code: str, *arguments: object) -> ClassView:
        if not isinstance(code, str) or classroom.normal_code(code) != code:
            raise UnknownClass
        return self._answer(code, self._run(name, code, *arguments))

    # --- the students -----------------------------------------------------------------

    def vote(self, code: str, page: str, sec: int, round: int, choice: int) -> ClassView:
        if not valid_page(page):
            raise ClassError("invalid")
        numbers = [value if classroom._whole(value, 0, 10**6) else -1 for value in (sec, round)]
        if not classroom._whole(choice, 0, classroom.MAX_CHOICES):
            choice = -1
        return self._write("vote", code, page, *numbers, choice)

    def own_choices(self, code: str, page: str, sec: int) -> dict[int, int]:
        if not valid_page(page) or classroom.normal_code(str(code)) != code:
            return {}
        if not classroom._whole(sec, 1, classroom.MAX_SECTIONS):
            return {}
        reply = self._run("own", code, page, sec)
        return {
            number: int(choice)
            for number, choice in zip(classroom.ROUNDS, reply, strict=True)
            if choice is not None
        }

    def listen(self, code: str, page: str, following: bool) -> ClassView:
        if not valid_page(page):
            raise ClassError("invalid")
        return self._write("listen", code, page, "1" if following else "0")

    def leave(self, code: str, page: str) -> None:
        if not valid_page(page):
            return
        with contextlib.suppress(UnknownClass):
            self._write("leave", code, page)

    # --- changes from other processes -------------------------------------------------

    def subscribe(self, callback: Callable[[str], None]) -> Callable[[], None]:
        with self._lock:
            self._callbacks.append(callback)
            if self._listener is None:
                self._listener = threading.Thread(
                    target=self._listen_for_changes, name="rnnviz-class-changes", daemon=True
                )
                self._listener.start()

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return unsubscribe

    def _listen_for_changes(self) -> None:
        """Pub/sub in a thread: another process's change empties this process's cached view
        and wakes the subscribers. After Redis was out of reach, every class this process
        served is told as changed (notices sent meanwhile are lost)."""
        missed = False
        while not self._closed.is_set():
            subscription = self._client.pubsub(ignore_subscribe_messages=True)
            try:
                subscription.subscribe(CHANNEL)
                self._hearing.set()
                if missed:
                    with self._lock:
                        codes = list(self._served.keys())
                        self._views.clear()
                    for code in codes:
                        self._notify(code)
                    missed = False
                while not self._closed.is_set():
                    message = subscription.get_message(timeout=1.0)
                    if message is None or message.get("type") != "message":
                        continue
                    origin, _, code = _text(message["data"]).partition(" ")
                    if origin == self._origin:
                        continue
                    with self._lock:
                        self._views.pop(code, None)
                    self._notify(code)
            except (redis.ConnectionError, redis.TimeoutError):
                self._hearing.clear()
                missed = True
                self._closed.wait(PAUSE_SECONDS)
            finally:
                with contextlib.suppress(redis.RedisError, OSError):
                    subscription.close()

    def close(self) -> None:
        """Stop listening for changes and close the connections (tests; a server just exits)."""
        self._closed.set()
        if self._listener is not None:
            self._listener.join(timeout=5)
        self._client.close()


def _hash(secret: object) -> str:
    """What Redis keeps of a control secret: its SHA-256, never the secret."""
    return hashlib.sha256(str(secret).encode()).hexdigest()


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _view_of(code: str, reply: list) -> ClassView:
    """A script's view reply: status, sec, step, version, expires, following, listening and,
    if the section asks a question, choices, round, open, revealed and both rounds' counts."""
    sec, step, version = int(reply[1]), int(reply[2]), int(reply[3])
    question = None
    if len(reply) > 7:
        choices, round_number = int(reply[7]), int(reply[8])
        counts = [int(value) for value in reply[11:]]
        votes = {
            number: tuple(counts[index * choices : (index + 1) * choices])
            for index, number in enumerate(classroom.ROUNDS)
        }
        question = Question(choices, round_number, reply[9] == 1, reply[10] == 1, votes)
    return ClassView(
        code=code,
        sec=sec,
        step=step,
        following=int(reply[5]),
        listening=int(reply[6]),
        version=version,
        expires_at=float(_text(reply[4])),
        question=question,
    )
