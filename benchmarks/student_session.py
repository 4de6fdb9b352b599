"""A student's browser tab as the load benchmarks speak it: Streamlit's websocket protocol
(connect to /_stcore/stream with subprotocol "streamlit", send BackMsg rerun_script with a
query string, read ForwardMsgs until script_finished), with the cookies a browser holds.
Used by bench_load, bench_class*, bench_compression, bench_memory, bench_race, bench_rerun."""

from __future__ import annotations

import hashlib
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
RERUN_DEADLINE = 120  # seconds: a rerun without script_finished by then is an error


def query_for(sentence: str) -> str:
    return urllib.parse.urlencode({"s": sentence})


def page_cookies(url: str) -> dict[str, str]:
    """The cookies a browser holds after loading the page (HAProxy's SERVERID names the
    replica; Streamlit's _streamlit_xsrf is its XSRF token)."""
    with urllib.request.urlopen(url + "/", timeout=60) as response:
        response.read()
        headers = response.headers.get_all("Set-Cookie") or []
    return dict(header.split(";", 1)[0].split("=", 1) for header in headers)


@dataclass
class Session:
    """One browser tab: a websocket and the results of its reruns. A sticky session first
    loads the page and sends its cookies with the websocket, as a browser does."""

    url: str
    sticky: bool = False
    cookies: dict[str, str] = field(default_factory=dict)
    socket_replica: str = ""  # the replica that answered the websocket handshake
    session_id: str = ""  # Streamlit's id of this session, from its new_session message
    socket: websocket.WebSocket = field(init=False)

    def __post_init__(self):
        if self.sticky:
            self.cookies = page_cookies(self.url)
        self.connect()

    @property
    def replica(self) -> str:
        """The replica the page's SERVERID cookie names."""
        return self.cookies.get("SERVERID", "")

    def connect(self) -> None:
        """Open the websocket; with the last session id once there is one (a reconnect), as
        Streamlit's frontend sends it."""
        address = self.url.replace("http://", "ws://") + "/_stcore/stream"
        if not self.sticky:
            self.socket = websocket.create_connection(
                address, subprotocols=["streamlit"], timeout=60
            )
            return
        token = self.cookies.get("_streamlit_xsrf", "PLACEHOLDER_AUTH_TOKEN")
        self.socket = websocket.create_connection(
            address,
            subprotocols=["streamlit", token] + ([self.session_id] if self.session_id else []),
            cookie="; ".join(f"{name}={value}" for name, value in self.cookies.items()),
            timeout=60,
        )
        self.socket_replica = (self.socket.getheaders() or {}).get("x-served-by", "")

    def reconnect(self) -> None:
        """Reconnect as Streamlit's frontend does after a dropped connection: wait its first
        back-off (250 ms), check /_stcore/health, then open a websocket with the session id."""
        self.socket.close()
        time.sleep(0.25)
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        request = urllib.request.Request(
            self.url + "/_stcore/health", headers={"Cookie": cookie} if cookie else {}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
        self.connect()

    def rerun(self, query: str, charts: bool = True) -> tuple[float, str, bool]:
        """Send rerun_script; returns (seconds, signature of the charts drawn, ok): ok if the
        script finished without an exception (and drew charts, unless `charts` is False)."""
        message = BackMsg()
        message.rerun_script.query_string = query
        # As the browser's Back / Forward sends it: within a session the app reads a changed URL
        # only then (any other rerun's URL may be an older echo), so a student's next page is
        # sent as a history navigation to its URL.
        message.rerun_script.is_history_navigation = True
        message.rerun_script.page_script_hash = ""
        started = time.perf_counter()
        self.socket.send_binary(message.SerializeToString())
        specs, ok = [], True
        while True:
            # Control frames too, so that the server's pings (every 30 s) cannot keep a rerun
            # that never finishes waiting forever.
            opcode, frame = self.socket.recv_data_frame(control_frame=True)
            if time.perf_counter() - started > RERUN_DEADLINE:
                raise TimeoutError(f"no script_finished within {RERUN_DEADLINE} s")
            if opcode != websocket.ABNF.OPCODE_BINARY:
                continue
            reply = ForwardMsg.FromString(frame.data)
            kind = reply.WhichOneof("type")
            if kind == "new_session":
                self.session_id = reply.new_session.initialize.session_id
            elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                element = reply.delta.new_element
                element_type = element.WhichOneof("type")
                if element_type == "plotly_chart":
                    specs.append(element.plotly_chart.spec)
                elif element_type == "exception":
                    ok = False
            elif kind == "script_finished":
                ok = ok and reply.script_finished in FINISHED
                break
        elapsed = time.perf_counter() - started
        signature = hashlib.sha256("\n".join(specs).encode()).hexdigest()[:16]
        return elapsed, signature, ok and (bool(specs) or not charts)

    def close(self):
        self.socket.close()
