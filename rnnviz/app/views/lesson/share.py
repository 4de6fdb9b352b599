"""The address students' phones open: the one the teacher typed or chose, checked; this
server's own network addresses, found on this machine (its host name and a route lookup;
nothing is sent anywhere), offered when the projector opened the page as localhost, where a
QR code would lead every phone to itself."""

from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
from urllib.parse import urlsplit, urlunsplit

import streamlit as st

from ...i18n import text

LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")


def is_loopback(url: str) -> bool:
    """True when `url`'s host is this machine only (localhost, 127.x.y.z, ::1, 0.0.0.0)."""
    host = (urlsplit(url).hostname or "").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _routed_address() -> str | None:
    """The IPv4 address this machine would send from to a private network: a UDP socket's
    connect() only looks the route up, it sends no packet."""
    with (
        contextlib.suppress(OSError),
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe,
    ):
        probe.connect(("10.255.255.255", 9))
        return probe.getsockname()[0]
    return None


def _host_addresses() -> list[str]:
    """The IPv4 addresses the machine's own host name resolves to (no DNS query for a name
    the system already knows; a failure means none)."""
    with contextlib.suppress(OSError, UnicodeError):
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        return [str(info[4][0]) for info in infos]
    return []


def _usable(text: str) -> bool:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    return not (
        address.is_loopback
        or address.is_unspecified
        or address.is_link_local
        or address.is_multicast
    )


def network_addresses() -> list[str]:
    """This machine's IPv4 addresses that another device could reach, private ones (a
    classroom's network) first; empty when it has none."""
    found = [_routed_address(), *_host_addresses()]
    unique = list(dict.fromkeys(address for address in found if address and _usable(address)))
    return sorted(unique, key=lambda address: not ipaddress.ip_address(address).is_private)


def student_bases(page_url: str, addresses: list[str]) -> list[str]:
    """The page's own address with its host replaced by each of `addresses` (scheme, port and
    path kept): what a phone on the same network can open."""
    parts = urlsplit(page_url or "http://localhost:8501/")
    port = f":{parts.port}" if parts.port else ""
    path = parts.path if parts.path.endswith("/") else f"{parts.path}/"
    scheme = parts.scheme if parts.scheme in ("http", "https") else "http"
    return [f"{scheme}://{address}{port}{path}" for address in addresses]


def listens_only_here(server_address: str | None) -> bool:
    """True when the server was started on a loopback address (phones cannot reach it);
    0.0.0.0 or no address means every network of the machine."""
    host = (server_address or "").strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_HOST = re.compile(r"[A-Za-z0-9.-]+|[0-9A-Fa-f:]+")


def student_base(typed: str) -> str | None:
    """The address a teacher typed as http(s)://host[:port]/path/, or None when it is not one
    (no other scheme, no user name, no query: only what a phone needs to reach this server)."""
    raw = typed.strip()
    if not raw:
        return None
    if "://" not in raw:
        raw = f"http://{raw}"
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or not _HOST.fullmatch(parts.hostname)
        or "@" in parts.netloc
        or parts.query
        or parts.fragment
    ):
        return None
    path = parts.path if parts.path.endswith("/") else f"{parts.path}/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def students_base(language: str) -> str | None:
    """The address students open: the one the teacher chose or typed, else the browser's own,
    unless that is this machine only (localhost): then None, and the teacher must choose."""
    chosen = st.session_state.get("lesson_address") or ""
    if chosen.strip():
        base = student_base(chosen)
        if base is not None:
            return base
        st.warning(text("lesson_bad_host", language))
    own = student_base(st.context.url or "")
    return None if own is None or is_loopback(own) else own


@st.cache_data(ttl=30, max_entries=1, show_spinner=False)
def _offered_addresses() -> list[str]:
    """network_addresses(), looked up at most every 30 s (a laptop may join the room's network
    while the page is open; a host name lookup can be slow)."""
    return network_addresses()


def _use_address(address: str | None = None) -> None:
    """Keep the address chosen (a button) or typed (the box, on Enter) for this tab."""
    typed = st.session_state.get("lesson_host_box", "")
    st.session_state["lesson_address"] = address if address is not None else typed


def address_choice(base: str | None, language: str) -> None:
    """Under the QR code: while the page is on localhost, a warning and this server's own
    network addresses to choose from; and always a box to type another address."""
    if base is None:
        st.warning(text("lesson_localhost", language), icon=":material/wifi_off:")
        bases = student_bases(st.context.url or "", _offered_addresses())
        with st.container(horizontal=True, key="lesson_addresses"):
            for index, offered in enumerate(bases):
                st.button(
                    offered,
                    key=f"lesson_address_{index + 1}",
                    on_click=_use_address,
                    args=(offered,),
                    icon=":material/lan:",
                )
        if not bases:
            st.caption(text("lesson_no_address", language))
    if listens_only_here(st.get_option("server.address")):
        st.caption(text("lesson_listen_all", language))
    st.text_input(
        text("lesson_host", language),
        key="lesson_host_box",
        value=st.session_state.get("lesson_address") or "",
        placeholder="http://192.168.1.10:8501",
        help=text("lesson_host_help", language),
        on_change=_use_address,
    )
