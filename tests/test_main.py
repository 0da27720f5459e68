"""``python -m bot`` says what is wrong and exits 2, instead of a traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bot.main import main


@pytest.fixture(autouse=True)
def local(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SLATE_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("SLATE_DATA_DIR", str(tmp_path / "data"))
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)


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
