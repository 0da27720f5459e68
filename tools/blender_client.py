"""Slate's side of the Blender worker: one warm ``bpy`` process, driven over JSON lines.

``bpy`` lives in its own virtual environment (.venv-blender, set up by ``make install``: it pins
numpy<2 and is process-global, not thread-safe), so Slate never imports it. The client starts
``.venv-blender/bin/python tools/blender/worker.py`` once, keeps it warm, sends one request at a
time behind a lock, and starts it again if it died.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from tools.blocking import Blocking

ROOT = Path(__file__).resolve().parent.parent
BLENDER_VENV = ROOT / ".venv-blender"
WORKER = ROOT / "tools" / "blender" / "worker.py"
START_TIMEOUT_S = 120.0
REQUEST_TIMEOUT_S = 180.0


class BlenderUnavailable(RuntimeError):
    """The Blender venv is missing or the worker cannot start."""


class BlenderError(RuntimeError):
    """The worker answered a request with an error (it stays up for the next one)."""


@dataclass(frozen=True)
class Render:
    png: Path
    blend: Path
    seconds: float
    build_seconds: float
    render_seconds: float
    save_seconds: float
    rss_mb: float
    animatic: tuple[Path, ...] = ()  # frames along the camera move, when asked and there is one
    animatic_seconds: float = 0.0


def blender_python(venv: Path = BLENDER_VENV) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        raise BlenderUnavailable(
            f"{venv} is missing: `make install` sets it up (bpy in its own virtual environment)"
        )
    return python


def blender_available(venv: Path = BLENDER_VENV) -> bool:
    """Whether the Blender venv is set up (its python exists): cheap, starts nothing."""
    return (venv / "bin" / "python").exists()


class BlenderWorker:
    """A warm Blender worker process. Thread-safe: requests are serialised behind one lock."""

    def __init__(self, venv: Path = BLENDER_VENV, request_timeout_s: float = REQUEST_TIMEOUT_S) -> None:
        self.venv = Path(venv)
        self.request_timeout_s = request_timeout_s
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: deque[str] = deque(maxlen=60)
        self._next_id = 0
        self.starts = 0
        self.bpy_version = ""

    # -- lifecycle --------------------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc and self._proc.poll() is None else None

    def _start(self) -> None:
        python = blender_python(self.venv)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        self._lines = queue.Queue()
        self._stderr.clear()
        self._proc = subprocess.Popen(
            [str(python), str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
            env=env,
            cwd=str(ROOT),
        )
        self.starts += 1
        proc = self._proc
        threading.Thread(target=self._pump, args=(proc.stdout, self._lines), daemon=True).start()
        threading.Thread(target=self._drain, args=(proc.stderr, self._stderr), daemon=True).start()
        ready = self._read(START_TIMEOUT_S, what="start")
        if not ready.get("ready"):
            self._kill()
            raise BlenderUnavailable(f"the Blender worker did not start: {ready}")
        self.bpy_version = str(ready.get("bpy", ""))

    @staticmethod
    def _pump(stream, lines: queue.Queue[str | None]) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            lines.put(line)
        lines.put(None)

    @staticmethod
    def _drain(stream, tail: deque[str]) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            tail.append(line.rstrip())

    def _read(self, timeout_s: float, what: str) -> dict[str, object]:
        deadline = time.monotonic() + timeout_s
        while True:
            left = deadline - time.monotonic()
            try:
                line = self._lines.get(timeout=max(left, 0.01))
            except queue.Empty:
                self._kill()
                raise BlenderError(
                    f"the Blender worker did not answer ({what}) within {timeout_s:.0f}s"
                ) from None
            if line is None:
                code = self._proc.wait(timeout=5) if self._proc else None
                tail = "\n".join(list(self._stderr)[-8:])
                self._proc = None
                raise BlenderUnavailable(f"the Blender worker exited (code {code}) during {what}:\n{tail}")
            line = line.strip()
            if line.startswith("{"):
                return json.loads(line)

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc and proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)

    def close(self) -> None:
        with self._lock:
            proc = self._proc
            if proc and proc.poll() is None:
                try:
                    assert proc.stdin is not None
                    proc.stdin.write(json.dumps({"op": "quit"}) + "\n")
                    proc.stdin.flush()
                    proc.wait(timeout=10)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            self._kill()

    def __enter__(self) -> BlenderWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests ----------------------------------------------------------------------------------

    def request(self, message: dict[str, object]) -> dict[str, object]:
        """Send one request and wait for its answer, (re)starting the worker when it is not running."""
        with self._lock:
            for attempt in (1, 2):
                if self._proc is None or self._proc.poll() is not None:
                    self._start()
                assert self._proc is not None and self._proc.stdin is not None
                self._next_id += 1
                rid = self._next_id
                try:
                    self._proc.stdin.write(json.dumps({**message, "id": rid}) + "\n")
                    self._proc.stdin.flush()
                    answer = self._read(self.request_timeout_s, what=str(message.get("op", "render")))
                except (BrokenPipeError, BlenderUnavailable):
                    self._proc = None
                    if attempt == 2:
                        raise
                    continue  # it died under us: start a fresh one and try once more
                if answer.get("id") != rid:
                    self._kill()
                    raise BlenderError(f"the Blender worker answered request {answer.get('id')}, not {rid}")
                if not answer.get("ok"):
                    raise BlenderError(str(answer.get("error", answer)))
                return answer
        raise AssertionError("unreachable")

    def render(
        self,
        blocking: Blocking,
        png: Path | str,
        blend: Path | str | None = None,
        animatic: dict[str, int] | None = None,
        engine: str | None = None,
    ) -> Render:
        """Build, render and save ``blocking``; ``animatic`` ({"frames", "width", "height"}) also
        renders frames along its camera move, ``engine`` "cycles" renders in Cycles (benchmarks)."""
        png = Path(png).resolve()
        blend = Path(blend).resolve() if blend else png.with_suffix(".blend")
        message: dict[str, object] = {
            "op": "render",
            "scene": blocking.to_dict(),
            "png": str(png),
            "blend": str(blend),
            "animatic": animatic,
        }
        if engine:
            message["engine"] = engine
        answer = self.request(message)
        return Render(
            png=Path(str(answer["png"])),
            blend=Path(str(answer["blend"])),
            seconds=float(answer["seconds"]),  # type: ignore[arg-type]
            build_seconds=float(answer["build_seconds"]),  # type: ignore[arg-type]
            render_seconds=float(answer["render_seconds"]),  # type: ignore[arg-type]
            save_seconds=float(answer["save_seconds"]),  # type: ignore[arg-type]
            rss_mb=float(answer["rss_mb"]),  # type: ignore[arg-type]
            animatic=tuple(Path(str(p)) for p in answer.get("animatic") or ()),  # type: ignore[union-attr]
            animatic_seconds=float(answer.get("animatic_seconds", 0.0)),  # type: ignore[arg-type]
        )

    def inspect(self, blend: Path | str) -> dict[str, object]:
        """Reopen a saved .blend in the worker: the camera, figures, engine and resolution it holds."""
        answer = self.request({"op": "inspect", "blend": str(Path(blend).resolve())})
        return answer["info"]  # type: ignore[return-value]

    def rss_mb(self) -> float:
        return float(self.request({"op": "ping"})["rss_mb"])  # type: ignore[arg-type]


_shared: BlenderWorker | None = None
_shared_lock = threading.Lock()


def shared_worker() -> BlenderWorker:
    """The process-wide warm worker (started on first use)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = BlenderWorker()
        return _shared
