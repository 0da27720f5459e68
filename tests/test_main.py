"""``python -m bot`` says what is wrong and exits 2, instead of a traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bot.main import main


@pytest.fixture(autouse=True)
def local(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLATE_DATA_DIR", str(isolated_env / "data"))


def test_bad_settings_exit_2_naming_the_setting(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SLACK_BOT_TOKEN", "not-a-token-SECRET")
    assert main() == 2
    err = capsys.readouterr().err
    assert "SLACK_BOT_TOKEN" in err and "SECRET" not in err


def test_a_port_in_use_exits_2_and_says_so(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        monkeypatch.setenv("SLATE_PORT", str(taken.getsockname()[1]))
        monkeypatch.setenv("SLATE_WORKSPACE_PORT", "0")
        assert main() == 2
    assert "could not start the server" in capsys.readouterr().err
