"""The Celery application: one factory, the same settings for the bot and every worker."""

from __future__ import annotations

from celery import Celery

GPU_QUEUE = "slate.gpu"
# The modules whose tasks a worker runs. Named, not imported: the drift check lives with the
# continuity memory, which sits above tools/.
TASK_MODULES = ("tools.worker.tasks", "memory.drift_task")


def celery_app(broker_url: str, *, tasks: tuple[str, ...] = ()) -> Celery:
    """A Celery app on ``broker_url`` (Redis), results in the same Redis.

    Late acknowledgement with a prefetch of one: a worker holds only the message it is running,
    so a worker that dies loses at most that one job, and the bot (which watches each job's
    heartbeat) retries it; nothing sits unseen in a dead worker's buffer. ``tasks`` names the
    modules whose tasks this process runs (a worker's); a process that only sends needs none.
    """
    app = Celery("slate", broker=broker_url, backend=broker_url, include=list(tasks))
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        worker_prefetch_multiplier=1,
        task_default_queue=GPU_QUEUE,
        result_expires=3600,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        task_track_started=False,
        broker_transport_options={"visibility_timeout": 6 * 3600},
    )
    return app


def redis_url(broker_url: str) -> str:
    """The redis-py form of a kombu broker URL (``redis+socket:///p`` is ``unix:///p``)."""
    if broker_url.startswith("redis+socket://"):
        return "unix://" + broker_url.removeprefix("redis+socket://")
    return broker_url
