"""``python -m memory``: the canon kept from the command line, with clear errors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from memory.__main__ import main


@pytest.fixture(autouse=True)
def data_dir(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SLATE_DATA_DIR", str(isolated_env / "data"))
    return isolated_env


def test_characters_references_facts_and_looks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    still = tmp_path / "maya.png"
    Image.new("RGB", (64, 64), (180, 120, 90)).save(still)
    commands = [
        ["character", "add", "Maya", "young woman, dark braided hair", "--alias", "the queen"],
        ["reference", "add", "the queen", str(still), "--caption", "front"],
        ["fact", "add", "The sword broke in scene 14", "--where", "scene 14"],
        ["look", "add", "Night exterior", "anamorphic, teal grade", "--negative", "daylight"],
        ["character", "list"],
    ]
    for command in commands:
        assert main(["--channel", "C1", *command]) == 0
    out = capsys.readouterr().out
    assert "kept 1 reference still(s) for the queen" in out and "Maya: young woman" in out
    assert main(["--channel", "C2", "character", "list"]) == 0
    assert "no characters yet" in capsys.readouterr().out


def test_bad_input_is_a_clear_error_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--channel", "C1", "character", "add", "Maya", "young woman"]) == 0
    assert main(["--channel", "C1", "character", "add", "maya", "someone else"]) == 1
    assert "already Maya" in capsys.readouterr().err
    good = io.BytesIO()
    Image.new("RGB", (8, 8)).save(good, format="PNG")
    (tmp_path / "good.png").write_bytes(good.getvalue())
    (tmp_path / "bad.png").write_bytes(b"not an image")
    assert (
        main(
            [
                "--channel",
                "C1",
                "reference",
                "add",
                "Maya",
                str(tmp_path / "good.png"),
                str(tmp_path / "bad.png"),
            ]
        )
        == 1
    )
    assert "not an image" in capsys.readouterr().err
    assert not list((tmp_path / "data" / "images").rglob("*.ref"))
