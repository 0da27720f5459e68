"""What the Slack listeners share: the ledger, the jobs book, review, and where directions run.

Listeners stay thin: they read the payload, ask these for the answer, and say it in Slack.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.directions import Directions
from memory.ledger import ImageStore, Job, JobBook, Ledger, ThreadRef
from memory.ledger.review import Refused, Review

if TYPE_CHECKING:
    from tools.export.options import ExportOptions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Where:
    """Who acted, and the thread it concerns (a button's message, a modal's origin)."""

    team_id: str
    channel_id: str
    thread_ts: str
    user_id: str

    @property
    def thread(self) -> ThreadRef:
        return ThreadRef(self.team_id, self.channel_id, self.thread_ts)

    def meta(self, **extra: object) -> dict:
        """Where a modal was opened from, for its ``private_metadata`` (see ``where_submitted``)."""
        return {"team_id": self.team_id, "channel_id": self.channel_id, "thread_ts": self.thread_ts, **extra}


@dataclass
class BotParts:
    ledger: Ledger
    jobs: JobBook
    review: Review
    directions: Directions
    models: tuple[str, ...] = ()  # the configured models, for the settings modal
    images: ImageStore | None = None  # the versions' files (a 3D scene to hand over)
    exports: ExportOptions | None = None  # hand-off settings; None: defaults beside the images

    def project_id(self, where: Where) -> int:
        return self.ledger.project_id(where.team_id, where.channel_id)

    def refuse(self, client: WebClient, where: Where, action: str) -> str | None:
        """None when this person may take ``action`` here; else why not, said to them alone."""
        try:
            self.review.check(self.project_id(where), where.user_id, action)
        except Refused as refused:
            tell(client, where, str(refused))
            return str(refused)
        return None

    def take_on(
        self, client: WebClient, job: Job, team_id: str, starting: Callable[[], object] | None = None
    ) -> None:
        """A job a person's message asked for (a mention, an assistant thread): shown and run,
        or, for someone who may not direct, ended with why, said to them alone. ``starting``
        runs once it is allowed, before the placeholder (an assistant thread's status line)."""
        where = Where(team_id, job.channel_id, job.thread_ts, job.user_id)
        refused = self.refuse(client, where, "direct")
        if refused:
            self.jobs.finish(job.id, "cancelled", reply="refused", error=refused)
            return
        if starting is not None:
            starting()
        self.directions.placeholder(job)
        self.directions.submit(job.id)

    def start_job(self, where: Where, text: str, payload: dict) -> Job:
        """A job with no Slack event behind it (a button, a modal, a command): written, shown, run."""
        payload = {"ts": slack_now(), **payload}
        job = self.jobs.create(where.thread, where.user_id, text, payload)
        self.directions.placeholder(job)
        self.directions.submit(job.id)
        return job

    def in_new_thread(
        self,
        client: WebClient,
        where: Where,
        opening: str,
        direction: str,
        action: str,
        payload: dict | None = None,
    ) -> str:
        """Work asked from the message box or a modal, in a thread of its own that Slate's
        message opens; refused (``Refused``) before anything is posted unless the role allows."""
        self.review.check(self.project_id(where), where.user_id, action)
        posted = client.chat_postMessage(channel=where.channel_id, text=opening)
        thread = Where(where.team_id, where.channel_id, posted["ts"], where.user_id)
        self.start_job(thread, direction, {"ts": posted["ts"], **(payload or {})})
        return "On it: see the new thread in this channel."


def slack_now() -> str:
    """Now as Slack writes a ``ts``: orders a button's job among the thread's messages."""
    return f"{time.time():.6f}"


def tell(client: WebClient, where: Where, text: str) -> None:
    """Only the person who acted sees this (why an action was refused, say)."""
    try:
        client.chat_postEphemeral(
            channel=where.channel_id, user=where.user_id, text=text, thread_ts=where.thread_ts
        )
    except SlackApiError as error:
        log.warning("could not tell %s: %s", where.user_id, error.response.get("error"))


def where_submitted(view: dict, body: dict) -> Where:
    """Where a submitted modal was opened from (its ``private_metadata``), and who submitted it."""
    meta = json.loads(view.get("private_metadata") or "{}")
    return Where(meta["team_id"], meta["channel_id"], meta.get("thread_ts", ""), body["user"]["id"])


def where_pressed(body: dict) -> Where:
    """Where a button was pressed: the message's thread (its own ts when it starts one)."""
    message = body.get("message") or {}
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    thread_ts = message.get("thread_ts") or message.get("ts") or container.get("message_ts", "")
    team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id", "")
    return Where(team, channel, thread_ts, (body.get("user") or {}).get("id", ""))
