"""The live class over HTTP, mounted on the dashboard's st.App: a public read-only state
(GET /api/class/CODE), one event stream per page (GET /api/class/CODE/events), the teacher's
writes (POST /api/class/CODE/control, secret in the X-Class-Secret header) and the students'
votes (POST /api/class/CODE/vote). The rules live in rnnviz.classroom; this reads requests and
answers them, and never draws a page."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from rnnviz.class_store import shared_store
from rnnviz.classroom import (
    LISTENER_SECONDS,
    ClassError,
    ClassStore,
    normal_code,
    valid_page,
)

MAX_BODY = 1024  # bytes: every write is a few numbers
KEEPALIVE_SECONDS = 15.0  # a comment line keeps proxies from closing an idle stream
SECRET_HEADER = "x-class-secret"
STATUS = {
    "unknown": 404,
    "forbidden": 403,
    "too-many": 429,
    "invalid": 400,
    "too-large": 413,
    "unavailable": 503,  # the shared store (Redis) is out of reach: try again later
}
NO_STORE = {"Cache-Control": "no-store"}


class Hub:
    """Wakes the event streams of a class when the store says it changed. The store may call
    from any thread (a Streamlit script run); the streams wait in the server's event loop."""

    def __init__(self, store: ClassStore) -> None:
        self.store = store
        self._loop: asyncio.AbstractEventLoop | None = None
        self._events: dict[str, asyncio.Event] = {}
        self._unsubscribe: Callable[[], None] | None = None

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._unsubscribe = self.store.subscribe(self._heard)

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._unsubscribe = None

    def _heard(self, code: str) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake, code)

    def _wake(self, code: str) -> None:
        event = self._events.pop(code, None)
        if event is not None:
            event.set()

    def forget(self, code: str) -> None:
        """The class is over: wake whoever still waits on it, keep nothing of it."""
        self._wake(code)

    def event(self, code: str) -> asyncio.Event:
        """The event the next change of `code` sets (take it before reading the state)."""
        if self._loop is None:  # served without the lifespan (a test's own ASGI client)
            self.start(asyncio.get_running_loop())
        return self._events.setdefault(code, asyncio.Event())


def _error(reason: str) -> JSONResponse:
    return JSONResponse({"error": reason}, status_code=STATUS.get(reason, 409), headers=NO_STORE)


def _code(request: Request) -> str | None:
    return normal_code(request.path_params.get("code", ""))


def _is_presenter(store: ClassStore, request: Request, code: str) -> bool:
    secret = request.headers.get(SECRET_HEADER)
    return bool(secret) and store.is_presenter(code, secret)


async def _body(request: Request) -> dict[str, Any]:
    """The request's small JSON object, or ClassError (too-large, invalid)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise ClassError("too-large")
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            raise ClassError("too-large")
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as error:
        raise ClassError("invalid") from error
    if not isinstance(body, dict):
        raise ClassError("invalid")
    return body


def class_routes(store: ClassStore, hub: Hub) -> list[Route]:
    """The routes of the live class, reading and writing `store`."""

    async def state(request: Request) -> Response:
        code = _code(request)
        try:
            view = store.view(code) if code else None
            if view is None:
                return _error("unknown")
            presenter = _is_presenter(store, request, code)
        except ClassError as error:
            return _error(error.reason)
        return JSONResponse(view.public(presenter), headers=NO_STORE)

    async def events(request: Request) -> Response:
        code = _code(request)
        page = request.query_params.get("page", "")
        following = request.query_params.get("follow") == "1"
        try:
            if code is None or store.view(code) is None:
                return _error("unknown")
            presenter = _is_presenter(store, request, code)
            if not presenter:
                if not valid_page(page):
                    return _error("invalid")
                store.listen(code, page, following)
        except ClassError as error:
            return _error(error.reason)
        return StreamingResponse(
            _stream(store, hub, code, None if presenter else (page, following), presenter),
            media_type="text/event-stream",
            headers={**NO_STORE, "X-Accel-Buffering": "no"},
        )

    async def control(request: Request) -> Response:
        code = _code(request)
        if code is None:
            return _error("unknown")
        secret = request.headers.get(SECRET_HEADER, "")
        try:
            body = await _body(request)
            action = body.get("action")
            if action == "step":
                view = store.set_step(code, secret, _one_based(body.get("step")))
            elif action == "move":
                view = store.move(
                    code, secret, body.get("sec"), _one_based(body.get("step", 1)), None
                )
            elif action == "close":
                view = store.close_round(code, secret)
            elif action == "second":
                view = store.open_second_round(code, secret)
            elif action == "reveal":
                view = store.reveal(code, secret)
            else:
                raise ClassError("invalid")
        except ClassError as error:
            return _error(error.reason)
        return JSONResponse(view.public(True), headers=NO_STORE)

    async def vote(request: Request) -> Response:
        code = _code(request)
        if code is None:
            return _error("unknown")
        try:
            body = await _body(request)
            page = body.get("page")
            view = store.vote(code, page, body.get("sec"), body.get("round"), body.get("choice"))
            mine = store.own_choices(code, page, view.sec)
        except ClassError as error:
            return _error(error.reason)
        answer = {"ok": True, "mine": {str(n): c for n, c in mine.items()}, "version": view.version}
        return JSONResponse(answer, headers=NO_STORE)

    return [
        Route("/api/class/{code}", state, methods=["GET"]),
        Route("/api/class/{code}/events", events, methods=["GET"]),
        Route("/api/class/{code}/control", control, methods=["POST"]),
        Route("/api/class/{code}/vote", vote, methods=["POST"]),
    ]


def _one_based(value: Any) -> int:
    """A 1-based step from a request, 0-based for the store (ClassError if not a step)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ClassError("invalid")
    return value - 1


async def _stream(
    store: ClassStore,
    hub: Hub,
    code: str,
    listener: tuple[str, bool] | None,
    presenter: bool,
) -> AsyncIterator[str]:
    """Server-sent events: the class's state whenever it changes (a `gone` event when the class
    expires), a comment every KEEPALIVE_SECONDS; a listening page is kept counted while it is
    connected and forgotten when it leaves. The stream ends if the store becomes unavailable
    (the page reconnects, and is answered 503 until it is back)."""
    version = None
    refreshed = asyncio.get_running_loop().time()
    try:
        while True:
            changed = hub.event(code)
            try:
                view = store.view(code)
            except ClassError:
                return
            if view is None:
                hub.forget(code)
                yield "event: gone\ndata: {}\n\n"
                return
            if view.version != version:
                version = view.version
                yield f"data: {json.dumps(view.public(presenter))}\n\n"
            try:
                await asyncio.wait_for(changed.wait(), KEEPALIVE_SECONDS)
            except TimeoutError:
                yield ": keepalive\n\n"
            now = asyncio.get_running_loop().time()
            if listener is not None and now - refreshed > LISTENER_SECONDS / 3:
                refreshed = now
                with contextlib.suppress(ClassError):
                    store.listen(code, *listener)
    finally:
        if listener is not None:
            with contextlib.suppress(ClassError):
                store.leave(code, listener[0])


def class_server() -> dict[str, Any]:
    """The keyword arguments of the dashboard's st.App: the class routes on the process's
    store, and a lifespan that ties the store's change notices to the server's event loop."""
    store = shared_store()
    hub = Hub(store)

    @contextlib.asynccontextmanager
    async def lifespan(_app) -> AsyncIterator[None]:
        hub.start(asyncio.get_running_loop())
        try:
            yield None
        finally:
            hub.stop()

    return {"routes": class_routes(store, hub), "lifespan": lifespan}
