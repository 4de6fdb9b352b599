"""The live class's state and rules, apart from any web framework: a class's code and control
secret, where the teacher is (section, step), the questions' rounds and vote counts, and who is
listening. `ClassStore` is the interface; `MemoryClassStore` keeps classes in this process
(thread-safe, bounded); a shared backend implements the same protocol. No Streamlit here."""

from __future__ import annotations

import contextlib
import hmac
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

# Six characters a reader never confuses (no 0/O, 1/I/L): 31⁶ ≈ 8.9×10⁸ codes.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
SECRET_BYTES = 24  # 192 bits of control secret
CLASS_SECONDS = 6 * 3600
MAX_CLASSES = 500  # at once; a new one is refused beyond (a running class is never dropped)
MAX_LISTENERS = 400  # pages listening to one class (followers and those browsing alone)
MAX_VOTERS = 400  # distinct voting pages per round of one question
MAX_CHOICES = 6
MAX_SECTIONS = 64
LISTENER_SECONDS = 45.0  # a listener not heard from for this long no longer counts
VOTE_BURST = 8  # votes one page may send ...
VOTE_WINDOW = 10.0  # ... within this many seconds
ROUNDS = (1, 2)
_CODE = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}")
_PAGE = re.compile(r"[0-9a-f]{32}")


class ClassError(Exception):
    """A request the class refuses; `reason` is a short machine-readable word."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnknownClass(ClassError):
    def __init__(self) -> None:
        super().__init__("unknown")


class Forbidden(ClassError):
    def __init__(self) -> None:
        super().__init__("forbidden")


class ClassUnavailable(ClassError):
    """A shared store (Redis) cannot be reached: the live class waits, the lesson goes on
    alone, and the class resumes when the store is back. Any operation may raise it."""

    def __init__(self) -> None:
        super().__init__("unavailable")


def normal_code(raw: str) -> str | None:
    """A typed or linked code, upper-cased, if it can be a class code; else None."""
    code = raw.strip().upper()
    return code if _CODE.fullmatch(code) else None


def valid_page(page: str) -> bool:
    """A page id as the browser makes it: 128 random bits in lowercase hex."""
    return isinstance(page, str) and _PAGE.fullmatch(page) is not None


@dataclass(frozen=True)
class Question:
    """One question section's state in a class. votes: per round, the count of each choice."""

    choices: int
    round: int
    open: bool
    revealed: bool
    votes: dict[int, tuple[int, ...]]

    @property
    def answered(self) -> int:
        return sum(self.votes[self.round])


@dataclass(frozen=True)
class ClassView:
    """What anyone may know of a class at one moment (counts only). `version` grows with every
    change. `question` is the current section's, or None when it asks nothing."""

    code: str
    sec: int
    step: int
    following: int
    listening: int
    version: int
    expires_at: float
    question: Question | None

    def public(self, presenter: bool = False) -> dict:
        """The JSON of GET /api/class/CODE. The counts of a round are public once it is
        closed; while it is open only the presenter sees them (a phone sees how many answered,
        never what)."""
        question = self.question
        votes: dict[str, list[int] | None] = {}
        if question is not None:
            for number in ROUNDS:
                hidden = number == question.round and question.open and not presenter
                shown = number <= question.round and not hidden
                votes[str(number)] = list(question.votes[number]) if shown else None
        return {
            "code": self.code,
            "sec": self.sec,
            "step": self.step + 1,
            "revealed": bool(question and question.revealed),
            "following": self.following,
            "round": question.round if question else 0,
            "open": bool(question and question.open and not question.revealed),
            "choices": question.choices if question else 0,
            "answered": question.answered if question else 0,
            "votes": votes,
            "version": self.version,
        }


class ClassStore(Protocol):
    """Every operation a page or a route needs. Writes other than `vote` and the listeners'
    bookkeeping take the secret and raise Forbidden without it; an unknown or expired code
    raises UnknownClass. `subscribe` calls back (from any thread) with a code after it changed."""

    def create(self) -> tuple[str, str]: ...
    def view(self, code: str) -> ClassView | None: ...
    def is_presenter(self, code: str, secret: str) -> bool: ...
    def move(
        self, code: str, secret: str, sec: int, step: int, choices: int | None
    ) -> ClassView: ...
    def set_step(self, code: str, secret: str, step: int) -> ClassView: ...
    def close_round(self, code: str, secret: str) -> ClassView: ...
    def open_second_round(self, code: str, secret: str) -> ClassView: ...
    def reveal(self, code: str, secret: str) -> ClassView: ...
    def vote(self, code: str, page: str, sec: int, round: int, choice: int) -> ClassView: ...
    def own_choices(self, code: str, page: str, sec: int) -> dict[int, int]: ...
    def listen(self, code: str, page: str, following: bool) -> ClassView: ...
    def leave(self, code: str, page: str) -> None: ...
    def subscribe(self, callback: Callable[[str], None]) -> Callable[[], None]: ...


@dataclass
class _Question:
    choices: int
    round: int = 1
    open: bool = True
    revealed: bool = False
    ballots: dict[int, dict[str, int]] = field(default_factory=lambda: {n: {} for n in ROUNDS})

    def frozen(self) -> Question:
        votes = {}
        for number in ROUNDS:
            counts = [0] * self.choices
            for choice in self.ballots[number].values():
                counts[choice] += 1
            votes[number] = tuple(counts)
        return Question(self.choices, self.round, self.open, self.revealed, votes)


@dataclass
class _Class:
    code: str
    secret: str
    expires_at: float
    sec: int = 1
    step: int = 0
    version: int = 0
    questions: dict[int, _Question] = field(default_factory=dict)
    listeners: dict[str, tuple[bool, float]] = field(
        default_factory=dict
    )  # page -> (following, seen)
    recent_votes: dict[str, list[float]] = field(default_factory=dict)


class MemoryClassStore:
    """Classes kept in this process: one lock, classes dropped 6 h after they start, at most
    MAX_CLASSES at once, every per-class table capped."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._classes: dict[str, _Class] = {}
        self._callbacks: list[Callable[[str], None]] = []

    # --- bookkeeping ------------------------------------------------------------------

    def _expire(self, now: float) -> None:
        for code in [c for c, room in self._classes.items() if room.expires_at <= now]:
            del self._classes[code]

    def _get(self, code: str) -> _Class:
        now = self._clock()
        self._expire(now)
        room = self._classes.get(code) if isinstance(code, str) else None
        if room is None:
            raise UnknownClass
        return room

    def _owned(self, code: str, secret: str) -> _Class:
        room = self._get(code)
        if not isinstance(secret, str) or not hmac.compare_digest(
            secret.encode(), room.secret.encode()
        ):
            raise Forbidden
        return room

    def _view(self, room: _Class) -> ClassView:
        now = self._clock()
        alive = [f for f, seen in room.listeners.values() if now - seen <= LISTENER_SECONDS]
        question = room.questions.get(room.sec)
        return ClassView(
            code=room.code,
            sec=room.sec,
            step=room.step,
            following=sum(alive),
            listening=len(alive),
            version=room.version,
            expires_at=room.expires_at,
            question=question.frozen() if question else None,
        )

    def _changed(self, room: _Class) -> ClassView:
        room.version += 1
        return self._view(room)

    def _notify(self, code: str) -> None:
        for callback in list(self._callbacks):
            callback(code)

    def _write(self, action: Callable[[], tuple[ClassView, bool]]) -> ClassView:
        """Run `action` under the lock; tell subscribers (outside it) when it changed a class."""
        with self._lock:
            view, changed = action()
        if changed:
            self._notify(view.code)
        return view

    # --- the teacher ------------------------------------------------------------------

    def create(self) -> tuple[str, str]:
        """A new class: its code and its control secret (ClassError "full" past MAX_CLASSES)."""
        secret = secrets.token_urlsafe(SECRET_BYTES)
        with self._lock:
            now = self._clock()
            self._expire(now)
            if len(self._classes) >= MAX_CLASSES:
                raise ClassError("full")
            code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            while code in self._classes:
                code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            self._classes[code] = _Class(code, secret, now + CLASS_SECONDS)
        return code, secret

    def view(self, code: str) -> ClassView | None:
        with self._lock:
            try:
                return self._view(self._get(code))
            except UnknownClass:
                return None

    def is_presenter(self, code: str, secret: str) -> bool:
        with self._lock:
            try:
                self._owned(code, secret)
            except ClassError:
                return False
            return True

    def move(self, code: str, secret: str, sec: int, step: int, choices: int | None) -> ClassView:
        """The teacher is on section `sec` (1-based) at `step` (0-based); a section that asks a
        question with `choices` answers (0: none) opens its first round on the first visit
        (None: leave the section's question as it is)."""
        if not (_whole(sec, 1, MAX_SECTIONS) and _whole(step, 0, 10**6)):
            raise ClassError("invalid")
        if choices is not None and (not _whole(choices, 0, MAX_CHOICES) or choices == 1):
            raise ClassError("invalid")

        def action():
            room = self._owned(code, secret)
            question = room.questions.get(sec)
            if choices and (question is None or question.choices != choices):
                room.questions[sec] = _Question(choices)
            changed = (room.sec, room.step) != (sec, step) or room.questions.get(sec) != question
            room.sec, room.step = sec, step
            return (self._changed(room) if changed else self._view(room)), changed

        return self._write(action)

    def set_step(self, code: str, secret: str, step: int) -> ClassView:
        if not _whole(step, 0, 10**6):
            raise ClassError("invalid")

        def action():
            room = self._owned(code, secret)
            if room.step == step:
                return self._view(room), False
            room.step = step
            return self._changed(room), True

        return self._write(action)

    def _round_action(self, code: str, secret: str, change: Callable[[_Question], bool]):
        def action():
            room = self._owned(code, secret)
            question = room.questions.get(room.sec)
            if question is None:
                raise ClassError("no-question")
            if not change(question):
                raise ClassError("wrong-round")
            return self._changed(room), True

        return self._write(action)

    def close_round(self, code: str, secret: str) -> ClassView:
        """Close the current round: its counts become public, no vote changes any more."""

        def change(question: _Question) -> bool:
            if not question.open or question.revealed:
                return False
            question.open = False
            return True

        return self._round_action(code, secret, change)

    def open_second_round(self, code: str, secret: str) -> ClassView:
        """After round 1 closed (the room discussed): round 2 on the same choices."""

        def change(question: _Question) -> bool:
            if question.round != 1 or question.open or question.revealed:
                return False
            question.round, question.open = 2, True
            return True

        return self._round_action(code, secret, change)

    def reveal(self, code: str, secret: str) -> ClassView:
        """Show the answer to everyone following; closes an open round (round 2 may be skipped)."""

        def change(question: _Question) -> bool:
            if question.revealed:
                return False
            question.open, question.revealed = False, True
            return True

        return self._round_action(code, secret, change)

    # --- the students -----------------------------------------------------------------

    def vote(self, code: str, page: str, sec: int, round: int, choice: int) -> ClassView:
        """One page's choice in the open round of the section the class is on; a later vote
        of the same page in the same round replaces it. Refused (ClassError) for another
        section or round, a closed round, a choice that does not exist, a page that is not
        listening, or more than VOTE_BURST votes in VOTE_WINDOW seconds from one page."""
        if not valid_page(page):
            raise ClassError("invalid")

        def action():
            room = self._get(code)
            question = room.questions.get(room.sec)
            now = self._clock()
            if question is None or sec != room.sec:
                raise ClassError("other-question")
            if round != question.round or not question.open or question.revealed:
                raise ClassError("closed")
            if not _whole(choice, 0, question.choices - 1):
                raise ClassError("invalid")
            if page not in room.listeners:
                raise ClassError("not-listening")
            ballots = question.ballots[round]
            if page not in ballots and len(ballots) >= MAX_VOTERS:
                raise ClassError("full")
            recent = [t for t in room.recent_votes.get(page, []) if now - t < VOTE_WINDOW]
            if len(recent) >= VOTE_BURST:
                raise ClassError("too-many")
            room.recent_votes[page] = [*recent, now]
            if ballots.get(page) == choice:
                return self._view(room), False
            ballots[page] = choice
            return self._changed(room), True

        return self._write(action)

    def own_choices(self, code: str, page: str, sec: int) -> dict[int, int]:
        """The choices this page made in each round of section `sec` (round -> choice)."""
        with self._lock:
            try:
                question = self._get(code).questions.get(sec)
            except UnknownClass:
                return {}
            if question is None:
                return {}
            return {n: question.ballots[n][page] for n in ROUNDS if page in question.ballots[n]}

    def listen(self, code: str, page: str, following: bool) -> ClassView:
        """A page listens (or says it still does: call at least every LISTENER_SECONDS),
        following the teacher or browsing on its own."""
        if not valid_page(page):
            raise ClassError("invalid")

        def action():
            room = self._get(code)
            now = self._clock()
            for stale in [p for p, (_, seen) in room.listeners.items() if now - seen > 3600]:
                del room.listeners[stale]
                room.recent_votes.pop(stale, None)
            before = room.listeners.get(page)
            if before is None and len(room.listeners) >= MAX_LISTENERS:
                raise ClassError("full")
            room.listeners[page] = (following, now)
            changed = before is None or before[0] != following or now - before[1] > LISTENER_SECONDS
            return (self._changed(room) if changed else self._view(room)), changed

        return self._write(action)

    def leave(self, code: str, page: str) -> None:
        """The page stopped listening (its votes stay until the class expires)."""

        def action():
            room = self._get(code)
            if room.listeners.pop(page, None) is None:
                return self._view(room), False
            return self._changed(room), True

        with contextlib.suppress(UnknownClass):
            self._write(action)

    def subscribe(self, callback: Callable[[str], None]) -> Callable[[], None]:
        with self._lock:
            self._callbacks.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return unsubscribe


def _whole(value: object, low: int, high: int) -> bool:
    """An int (not a bool) within [low, high]."""
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
