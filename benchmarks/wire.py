"""Bytes on the wire, counted by a TCP relay between a browser and a server: every byte the
server sent, on HTTP connections and on websocket connections (a connection whose request asks
to upgrade to a websocket) apart. Chromium's own count of a websocket is its frames' payload
after decompression, so this is what shows what permessage-deflate saves."""

from __future__ import annotations

import asyncio
import threading
import urllib.parse


class WireCounter:
    """A relay on a free loopback port in a thread of its own; `url` is the server's URL as
    seen through it. `take()` returns (HTTP bytes, websocket bytes) received by the browser
    since the last call."""

    def __init__(self, upstream_url: str) -> None:
        parsed = urllib.parse.urlsplit(upstream_url)
        self.upstream = (parsed.hostname, parsed.port)
        self.http = self.socket = 0
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._ready.wait(10)
        self.url = f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._relay, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _relay(self, reader, writer) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        kind = {"websocket": False}

        async def client_to_server() -> None:
            while data := await reader.read(65536):
                if b"upgrade: websocket" in data.lower():
                    kind["websocket"] = True
                up_writer.write(data)
                await up_writer.drain()
            up_writer.close()

        async def server_to_client() -> None:
            while data := await up_reader.read(65536):
                with self._lock:
                    if kind["websocket"]:
                        self.socket += len(data)
                    else:
                        self.http += len(data)
                writer.write(data)
                await writer.drain()
            writer.close()

        try:
            await asyncio.gather(client_to_server(), server_to_client())
        except (ConnectionError, OSError):
            writer.close()
            up_writer.close()

    def take(self) -> tuple[int, int]:
        with self._lock:
            taken = (self.http, self.socket)
            self.http = self.socket = 0
        return taken

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
