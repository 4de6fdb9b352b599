"""rnnviz/app/watchers.py: a session's file watchers are dropped on every run when the server
watches no files (Streamlit 1.67 starts them again when a websocket reconnects), and only
then. The server side is measured by benchmarks/bench_load.py with sticky sessions, which
reconnect."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit import config
from streamlit.runtime import Runtime
from streamlit.runtime.app_session import AppSession

from rnnviz.app import watchers


class Session:
    def __init__(self) -> None:
        self.dropped = 0

    def disconnect_file_watchers(self) -> None:
        self.dropped += 1


@pytest.fixture
def served(monkeypatch):
    """A running server's session, as the page script sees it."""
    session = Session()
    runtime = SimpleNamespace(get_app_session=lambda session_id: {"s1": session}.get(session_id))
    monkeypatch.setattr(watchers.Runtime, "exists", staticmethod(lambda: True))
    monkeypatch.setattr(watchers.Runtime, "instance", staticmethod(lambda: runtime))
    monkeypatch.setattr(watchers, "get_script_run_ctx", lambda: SimpleNamespace(session_id="s1"))
    return session


def test_the_methods_it_calls_are_streamlits_public_ones():
    assert callable(Runtime.get_app_session) and callable(AppSession.disconnect_file_watchers)


def test_a_session_of_a_server_watching_nothing_loses_its_watchers(served, monkeypatch):
    monkeypatch.setattr(config, "get_option", lambda name: "none")
    assert watchers.drop_file_watchers()
    assert watchers.drop_file_watchers()
    assert served.dropped == 2


def test_a_server_that_watches_files_keeps_them(served, monkeypatch):
    monkeypatch.setattr(config, "get_option", lambda name: "auto")
    assert not watchers.drop_file_watchers()
    assert served.dropped == 0


def test_an_unknown_session_or_no_server_is_left_alone(served, monkeypatch):
    monkeypatch.setattr(config, "get_option", lambda name: "none")
    monkeypatch.setattr(watchers, "get_script_run_ctx", lambda: SimpleNamespace(session_id="s2"))
    assert not watchers.drop_file_watchers()
    monkeypatch.setattr(watchers, "get_script_run_ctx", lambda: None)
    assert not watchers.drop_file_watchers()
    monkeypatch.setattr(watchers.Runtime, "exists", staticmethod(lambda: False))
    assert not watchers.drop_file_watchers()
    assert served.dropped == 0


def test_the_project_watches_no_files():
    toml = Path(watchers.__file__).resolve().parents[2] / ".streamlit" / "config.toml"
    assert 'fileWatcherType = "none"' in toml.read_text(encoding="utf-8")
