"""Where directions run: in this process (tests, scripts) or in the directing process.

``python -m bot`` keeps the process that answers Slack to the protocol: verify, write the job,
acknowledge, post the placeholder. Reading a direction (the agent, the embedding model, the
vector store) takes the interpreter for tens of milliseconds at a time, so it runs in its own
process, ``python -m bot.directing``, which takes each job from the book by its id over the
broker. Both sides are a ``Directions``: the listeners do not know which one they hold.
"""

from __future__ import annotations

import logging
from typing import Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks import WORKING, waiting_line
from memory.ledger import Job, JobBook
from tools.worker import celery_app

log = logging.getLogger(__name__)

DIRECT_QUEUE = "slate.direct"
DIRECT_TASK = "slate.direct"


class Directions(Protocol):
    def placeholder(self, job: Job) -> None:
        """Post the job's placeholder now: the thread's first sign of work."""

    def submit(self, job_id: int) -> None:
        """Have the job run; returns at once."""

    def recover(self) -> int:
        """Take on what an earlier process left unfinished; how many jobs that was."""

    def stop(self) -> None:
        """Shutting down mid-work: leave unfinished jobs for the next start, and say so."""


def post_placeholder(client: WebClient, jobs: JobBook, job: Job) -> None:
    """ "Working on it", or "queued after the request before it" when the thread has one still open."""
    text = waiting_line() if jobs.earlier_unfinished(job.id) else WORKING
    try:
        posted = client.chat_postMessage(channel=job.channel_id, thread_ts=job.thread_ts, text=text)
    except SlackApiError as error:
        log.warning("could not post a placeholder for job %s: %s", job.id, error.response.get("error"))
        return
    jobs.set_placeholder(job.id, posted["ts"])


class QueuedDirections:
    """The bot process's side: jobs go to the directing process over the broker.

    A job whose message is lost (the broker down at that moment) is still in the book, queued:
    the directing process takes it on when it next starts.
    """

    def __init__(self, client: WebClient, jobs: JobBook, broker_url: str) -> None:
        self.client, self.jobs = client, jobs
        self.celery = celery_app(broker_url)

    def placeholder(self, job: Job) -> None:
        post_placeholder(self.client, self.jobs, job)

    def submit(self, job_id: int) -> None:
        try:
            self.celery.send_task(DIRECT_TASK, args=[job_id], queue=DIRECT_QUEUE)
        except Exception:
            log.exception("job %s not handed on; the directing process runs it when it next starts", job_id)

    def recover(self) -> int:
        return 0  # the directing process recovers when it starts

    def stop(self) -> None:
        pass  # the directing process says "restarting" in the threads it was working on
