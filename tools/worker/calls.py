"""One remote engine call: send a task, hear its progress, notice cancellation and a dead worker.

Both ends live here so the protocol reads in one place. Per call (task id ``T``):

- ``slate:progress:T`` (pub/sub): the worker publishes ``{"step", "total"}`` per denoising
  step and ``{"done": true}`` when it stops; the bot relays steps to the job's progress.
- ``slate:alive:T`` (a key with a short TTL): the worker's heartbeat while it runs the call.
  Once seen, a missing heartbeat with no result means the worker died: the call is sent
  again once (nothing was recorded), then given up with a plain message.
- ``slate:cancel:T`` (a key): set by the bot when the job is cancelled; the worker stops at
  its next step, and a task not yet started is skipped when it arrives.

The task's own answer is a small envelope: ``{"kind": "ok", "value": …}``, ``refused`` (a
``GenerationError`` the director should read), ``cancelled`` or ``failed``.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable
from functools import cached_property
from typing import Any

import redis
from celery import Celery, shared_task

from tools.engine import GenerationCancelled, GenerationError, Progress, ProgressCallback
from tools.jobs import cancel_requested
from tools.worker.app import GPU_QUEUE, redis_url

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 1.0
HEARTBEAT_TTL_SECONDS = 5
CANCEL_TTL_SECONDS = 24 * 3600
Payload = dict[str, Any]


class WorkerError(RuntimeError):
    """The worker failed on this call in a way the director can't fix by rephrasing."""


class WorkerLost(WorkerError):
    """The worker running the call stopped (killed, crashed, machine gone)."""


def _keys(task_id: str) -> tuple[str, str, str]:
    return f"slate:progress:{task_id}", f"slate:alive:{task_id}", f"slate:cancel:{task_id}"


class RemoteCaller:
    """The bot's side: run ``task`` on a worker and wait for it, on the calling (dispatch) thread."""

    def __init__(self, app: Celery, *, retries: int = 1, poll_seconds: float = 0.2) -> None:
        self.app, self.retries, self.poll_seconds = app, retries, poll_seconds

    @cached_property
    def redis(self) -> redis.Redis:
        return redis.Redis.from_url(redis_url(self.app.conf.broker_url))

    def call(self, task: str, payload: Payload, progress: ProgressCallback | None = None) -> Any:
        """The task's value; ``GenerationError`` when refused, ``GenerationCancelled`` when cancelled."""
        for attempt in range(self.retries + 1):
            try:
                return self._call_once(task, payload, progress)
            except WorkerLost:
                log.warning(
                    "worker lost during %s (attempt %d); %s",
                    task,
                    attempt + 1,
                    "sending it again" if attempt < self.retries else "giving up",
                )
        raise WorkerLost(
            f"The generation worker stopped {self.retries + 1} times while making this; nothing was "
            "recorded. Ask again when it is back."
        )

    def _call_once(self, task: str, payload: Payload, progress: ProgressCallback | None) -> Any:
        task_id = uuid.uuid4().hex
        channel, alive_key, _ = _keys(task_id)
        pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(channel)  # before sending: no step can be missed
        try:
            result = self.app.send_task(task, args=[payload], task_id=task_id, queue=GPU_QUEUE)
            started, last, finished = False, None, False
            while True:
                message = pubsub.get_message(timeout=self.poll_seconds)
                if message is not None:
                    data = json.loads(message["data"])
                    finished = finished or bool(data.get("done"))
                    if "step" in data:
                        started, last = True, Progress(int(data["step"]), int(data["total"]))
                        if progress is not None:
                            progress(last)  # raises GenerationCancelled once the job is cancelled
                if cancel_requested():
                    self.cancel(task_id)
                    raise GenerationCancelled("The shot was cancelled.")
                if finished or result.ready():
                    return self._answer(result)
                alive = bool(self.redis.exists(alive_key))
                if started and not alive and not result.ready():
                    self.cancel(task_id)  # should it come back from a broker's buffer, it is skipped
                    raise WorkerLost(f"worker stopped during {task} {task_id}")
                started = started or alive
        except GenerationCancelled:
            self.cancel(task_id)
            raise
        finally:
            pubsub.close()

    def _answer(self, result: Any) -> Any:
        # The directing process is itself a Celery worker, where Celery forbids waiting on a result
        # (a task waiting on a task of its own pool can deadlock it). Our calls wait on another
        # queue's workers, from the runner's own threads, so that deadlock cannot happen.
        envelope = result.get(timeout=30, propagate=False, disable_sync_subtasks=False)
        result.forget()
        if not isinstance(envelope, dict):
            raise WorkerError(f"The worker failed: {envelope!r}")
        kind = envelope.get("kind")
        if kind == "ok":
            return envelope.get("value")
        if kind == "refused":
            raise GenerationError(envelope.get("error", "The request was refused."))
        if kind == "cancelled":
            raise GenerationCancelled("The shot was cancelled.")
        raise WorkerError(f"The generation worker failed: {envelope.get('error', 'unknown error')}")

    def cancel(self, task_id: str) -> None:
        """Stop a running call at its next step, and skip it if it has not started."""
        self.redis.set(_keys(task_id)[2], "1", ex=CANCEL_TTL_SECONDS)


# -- the worker's side -------------------------------------------------------------------------


class _Heartbeat(threading.Thread):
    def __init__(self, client: redis.Redis, key: str) -> None:
        super().__init__(name="slate-heartbeat", daemon=True)
        self.client, self.key, self.stopped = client, key, threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.client.set(self.key, "1", ex=HEARTBEAT_TTL_SECONDS)
            except redis.RedisError:
                log.warning("heartbeat failed", exc_info=True)
            self.stopped.wait(HEARTBEAT_SECONDS)

    def stop(self) -> None:
        """Stop beating; the key expires on its own. Deleting it here would open a moment, before
        Celery stores the result, in which a finished call looks like a dead worker."""
        self.stopped.set()
        self.join()


def remote_task(name: str) -> Callable[[Callable[[Payload, ProgressCallback], Any]], Any]:
    """Make ``fn(payload, report)`` a Celery task speaking the protocol above."""

    def decorate(fn: Callable[[Payload, ProgressCallback], Any]) -> Any:
        @shared_task(name=name, bind=True)
        def task(self: Any, payload: Payload) -> dict[str, Any]:
            client = redis.Redis.from_url(redis_url(self.app.conf.broker_url))
            channel, alive_key, cancel_key = _keys(self.request.id)
            if client.exists(cancel_key):
                return {"kind": "cancelled"}
            beat = _Heartbeat(client, alive_key)
            beat.start()

            def report(progress: Progress) -> None:
                client.publish(channel, json.dumps({"step": progress.step, "total": progress.total}))
                if client.exists(cancel_key):
                    raise GenerationCancelled("The shot was cancelled.")

            try:
                return {"kind": "ok", "value": fn(payload, report)}
            except GenerationCancelled:
                return {"kind": "cancelled"}
            except GenerationError as error:
                return {"kind": "refused", "error": str(error)}
            except Exception as error:  # the envelope carries it; the worker lives on
                log.exception("%s failed", name)
                return {"kind": "failed", "error": f"{type(error).__name__}: {error}"}
            finally:
                beat.stop()
                client.publish(channel, json.dumps({"done": True}))
                client.close()

        return task

    return decorate
