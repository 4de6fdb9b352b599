"""Bytes on the wire, counted by a TCP relay between a browser and a server: every byte the
server sent, on HTTP connections and on websocket connections (a connection whose request asks
to upgrade to a websocket) apart. Chromium's own count of a websocket is its frames' payload
after decompression, so this is what shows what permessage-deflate saves. The relay runs in a
process of its own, so that it takes no time from the benchmark's browser driver."""

from __future__ import annotations

import asyncio
import multiprocessing
import urllib.parse


def _serve(host: str, port: int, http, socket, ready) -> None:
    async def relay(reader, writer) -> None:
        up_reader, up_writer = await asyncio.open_connection(host, port)
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
                counter = socket if kind["websocket"] else http
                with counter.get_lock():
                    counter.value += len(data)
                writer.write(data)
                await writer.drain()
            writer.close()

        try:
            await asyncio.gather(client_to_server(), server_to_client())
        except (ConnectionError, OSError):
            writer.close()
            up_writer.close()

    async def main() -> None:
        server = await asyncio.start_server(relay, "127.0.0.1", 0)
        ready.put(server.sockets[0].getsockname()[1])
        await server.serve_forever()

    asyncio.run(main())


class WireCounter:
    """The relay in front of `upstream_url`; `url` is the server as seen through it.
    `take()` returns (HTTP bytes, websocket bytes) received by the browser since the last
    call."""

    def __init__(self, upstream_url: str) -> None:
        parsed = urllib.parse.urlsplit(upstream_url)
        self._http = multiprocessing.Value("q", 0)
        self._socket = multiprocessing.Value("q", 0)
        ready = multiprocessing.Queue()
        self._process = multiprocessing.Process(
            target=_serve,
            args=(parsed.hostname, parsed.port, self._http, self._socket, ready),
            daemon=True,
        )
        self._process.start()
        self.url = f"http://127.0.0.1:{ready.get(timeout=30)}"

    def take(self) -> tuple[int, int]:
        taken = []
        for counter in (self._http, self._socket):
            with counter.get_lock():
                taken.append(counter.value)
                counter.value = 0
        return taken[0], taken[1]

    def close(self) -> None:
        self._process.terminate()
        self._process.join(5)
