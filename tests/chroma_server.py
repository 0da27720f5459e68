"""A real Chroma server for tests: ``chroma run`` from this environment on a free loopback port.

    with running_chroma(tmp_path) as url:   # "http://127.0.0.1:PORT", answering its heartbeat
        VectorIndex.open(url=url)

``chroma_server_url`` is the same as a session fixture (one server for the whole run, ~2 s to
start); import it into a test module or ``conftest.py`` to use it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

STARTUP_TIMEOUT_S = 30.0


def chroma_executable() -> Path:
    """The ``chroma`` CLI installed beside this Python (the venv's bin)."""
    candidate = Path(sys.executable).with_name("chroma")
    if not candidate.exists():
        raise RuntimeError(f"no chroma CLI at {candidate}; install chromadb into this environment")
    return candidate


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _heartbeat(url: str) -> bool:
    # Loopback only: never through an HTTP(S)_PROXY from the environment.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{url}/api/v2/heartbeat", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def running_chroma(path: Path, timeout_s: float = STARTUP_TIMEOUT_S) -> Iterator[str]:
    """Start ``chroma run --path PATH`` on a free port, yield its URL once it answers, stop it after."""
    path.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (path.parent / f"{path.name}-chroma-{port}.log").open("wb")
    command = [
        str(chroma_executable()),
        "run",
        "--path",
        str(path),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "NO_COLOR": "1"}
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + timeout_s
        while not _heartbeat(url):
            if process.poll() is not None:
                raise RuntimeError(f"chroma run exited with {process.returncode}; see {log.name}")
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"chroma run did not answer {url} within {timeout_s:.0f} s; see {log.name}"
                )
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def chroma_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_chroma(tmp_path_factory.mktemp("chroma-server") / "data") as url:
        yield url
