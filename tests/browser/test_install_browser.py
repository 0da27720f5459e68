"""scripts/install-browser, which `make test` runs before the tests: silent when Chromium is there,
and a clear refusal, never a silent pass, when it cannot put it in."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM

pytestmark = pytest.mark.browser

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "install-browser"


def run(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT)], env={**os.environ, **env}, capture_output=True, text=True, timeout=60, check=False
    )


def test_the_script_is_executable_and_silent_when_chromium_is_installed() -> None:
    assert os.access(SCRIPT, os.X_OK)
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"no Chromium at {CHROMIUM}: `make test` runs {SCRIPT.name} first", pytrace=False)
    done = run()
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_a_chromium_it_cannot_install_is_an_error_that_says_what_to_do(tmp_path: Path) -> None:
    done = run(SLATE_CHROMIUM=str(tmp_path / "no-chromium"))
    assert done.returncode == 1 and done.stdout == ""
    assert "not an executable file" in done.stderr and "install Debian's 'chromium' package" in done.stderr
