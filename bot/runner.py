"""Directions off Slack's request threads: each one taken from the jobs book to its answer.

Listeners only post the placeholder and hand the job here; this runner reads the thread and
the attachments, runs the director (which queues generation on the workers and waits on a
thread of this pool, never on Bolt's), posts the result and ends the job in the ledger. On
start-up ``recover`` takes on what a previous process left: a job that had recorded its
versions is posted (unless the thread already shows them), one that was cut short is run
once more, and one that was already retried is reported lost, plainly, in its thread.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from functools import cached_property

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from agents import Direction, Director, DirectorReply, ShotAction
from agents.direction import MAX_DIRECTION_CHARS
from bot.blocks import failure, lost, shot_caption, shot_filename
from bot.board import board_finished
from bot.directions import post_placeholder
from bot.files import AttachmentError, image_attachments
from bot.progress import EditBudget, PlaceholderStatus
from bot.text import plain_text
from bot.threads import thread_history
from bot.version_message import result_blocks, shown_versions
from memory.ledger import Job, JobBook, ThreadRef

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 2  # the first run and one retry after a crash
OPENING_WAIT_SECONDS = 5.0
FAILED = "Something went wrong while making this shot."
RESTARTING = (
    ":arrows_counterclockwise: Slate is restarting; it will pick this up again as soon as it is back."
)


class DirectionRunner:
    def __init__(
        self,
        client: WebClient,
        director: Director,
        jobs: JobBook,
        executor: Executor | None = None,
    ) -> None:
        self.client, self.director, self.jobs = client, director, jobs
        self.executor = executor or ThreadPoolExecutor(max_workers=32, thread_name_prefix="slate-direction")
        self._running: set[int] = set()
        self._lock = threading.Lock()
        self.stopping = False
        self.edits = EditBudget()

    @cached_property
    def bot_user_id(self) -> str | None:
        """The bot's own user id, to tell its messages from people's in a thread."""
        try:
            return self.client.auth_test().get("user_id")
        except SlackApiError:
            return None

    # -- what listeners call ----------------------------------------------------------------

    def placeholder(self, job: Job) -> None:
        """The first sign of work, at once: a placeholder in the thread (the listener's only Slack call)."""
        post_placeholder(self.client, self.jobs, job)

    def submit(self, job_id: int) -> None:
        with self._lock:
            if job_id in self._running:
                return
            self._running.add(job_id)
        self.executor.submit(self._guarded, job_id)

    # -- start-up ---------------------------------------------------------------------------

    def recover(self, before: datetime | None = None) -> int:
        """Take on what the last process left unfinished; returns how many jobs that was.

        ``before``: only jobs written before then (the directing process's start); later ones
        reach it over the broker, each once its placeholder is up."""
        unfinished = self.jobs.unfinished(before)
        for job in unfinished:
            if job.version_ids:
                self.executor.submit(self._post_recorded, job)
            elif job.attempts >= MAX_ATTEMPTS:
                self._give_up(job)
            else:
                self.submit(job.id)
        if unfinished:
            log.info("recovered %d unfinished job(s) from the ledger", len(unfinished))
        return len(unfinished)

    def close(self) -> None:
        """Let the directions under way finish, then stop."""
        self.executor.shutdown(wait=True, cancel_futures=True)

    def stop(self) -> None:
        """Shutting down mid-work: jobs under way are left unfinished in the ledger, for the next
        start to take on, and their threads are told so; nothing waits for a shot."""
        self.stopping = True
        self.director.shutdown()
        self.executor.shutdown(wait=True, cancel_futures=True)

    # -- one job ----------------------------------------------------------------------------

    def _guarded(self, job_id: int) -> None:
        try:
            self._run(job_id)
        except Exception:
            log.exception("job %s failed outside the director", job_id)
        finally:
            with self._lock:
                self._running.discard(job_id)
            self.director.poke()

    def _run(self, job_id: int) -> None:
        job = self.jobs.start(job_id)
        if job is None:
            return  # already ended (a redelivery, or recovered twice)
        if not job.placeholder_ts:
            self.placeholder(job)
            job = self.jobs.get(job_id) or job
        say = self._say(job)
        if job.payload.get("action"):
            self._act(job, say)
            return
        if job.payload.get("remove_character"):
            reply = self.director.remove_character(_direction(job), job.payload["remove_character"])
            self._end(job, "done", say, reply.text)
            return
        text = job.text
        if len(text) > MAX_DIRECTION_CHARS:
            message = (
                f"That direction is {len(text):,} characters; Slate reads at most "
                f"{MAX_DIRECTION_CHARS:,}. Split it, or keep the part that describes the shot."
            )
            self._end(job, "failed", say, failure(message), error=message)
            return
        try:
            attachments = image_attachments(self.client, job.payload)
        except AttachmentError as error:
            self._end(job, "failed", say, failure(str(error)), error=str(error))
            return
        self._await_opening(job)
        direction = replace(
            _direction(job),
            attachments=attachments,
            history=thread_history(self.client, job.channel_id, job.thread_ts, job.ts, self.bot_user_id),
        )
        try:
            with PlaceholderStatus(
                self.client, job.channel_id, job.placeholder_ts or "", budget=self.edits
            ) as status:
                reply = self.director.handle(direction, on_event=status)
        except Exception as error:
            log.exception("direction in %s failed", direction.thread)
            self._end(job, "failed", say, failure(FAILED), error=f"{type(error).__name__}: {error}")
            return
        self._post(job, reply)
        self._end(job, "cancelled" if reply.cancelled else "done", None, reply.text)

    def _act(self, job: Job, say) -> None:  # type: ignore[no-untyped-def]
        """A button's job: its action on its version, with the progress a direction gets."""
        action = ShotAction(**job.payload["action"])
        try:
            with PlaceholderStatus(
                self.client, job.channel_id, job.placeholder_ts or "", budget=self.edits
            ) as status:
                reply = self.director.act(_direction(job), action, on_event=status)
        except Exception as error:
            log.exception("action %s in job %s failed", action.kind, job.id)
            self._end(job, "failed", say, failure(FAILED), error=f"{type(error).__name__}: {error}")
            return
        self._post(job, reply)
        self._end(job, "cancelled" if reply.cancelled else "done", None, reply.text)

    def _await_opening(self, job: Job, timeout: float = OPENING_WAIT_SECONDS) -> None:
        """A reply can reach us before the mention that opened its thread (Slack delivers
        concurrently): give that opening direction a moment to arrive, so the reply is read as
        a change to the shot it makes, not as a thread with nothing in it."""
        if job.ts == job.thread_ts or self.jobs.exists_at(job.channel_id, job.thread_ts):
            return
        if not self._opened_by_mention(job):
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.jobs.exists_at(job.channel_id, job.thread_ts):
            time.sleep(0.05)

    def _opened_by_mention(self, job: Job) -> bool:
        if self.jobs.ledger.latest_version(job.channel_id, job.thread_ts) is not None:
            return False
        try:
            replies = self.client.conversations_replies(channel=job.channel_id, ts=job.thread_ts, limit=1)
        except SlackApiError:
            return False
        opening = (replies.get("messages") or [{}])[0]
        return bool(self.bot_user_id) and f"<@{self.bot_user_id}>" in str(opening.get("text", ""))

    def _post_recorded(self, job: Job) -> None:
        """A job that recorded its versions but may not have shown them: show them once."""
        try:
            reply = self.director.recorded(job.version_ids)
            already = self._shown_versions(job)
            self._post(
                job, replace(reply, outcomes=tuple(o for o in reply.outcomes if o.version_id not in already))
            )
            self._end(job, "done", None, reply.text)
        except Exception:
            log.exception("could not post the recorded versions of job %s", job.id)

    def _give_up(self, job: Job) -> None:
        message = lost(job.text)
        say = self._say(job)
        self._end(job, "failed", say, message, error="lost: the process stopped twice while working on it")

    # -- Slack -----------------------------------------------------------------------------

    def _post(self, job: Job, reply: DirectorReply) -> None:
        """The placeholder becomes the answer: each version's image (uploaded privately, shown by
        its Slack file id), caption, status and buttons, in one message."""
        if not reply.outcomes and not reply.pictures:
            self._say(job)(reply.text or "Done.")
            return
        uploads = [{"content": o.png, "filename": shot_filename(o), "title": o.label} for o in reply.outcomes]
        uploads += [{"content": p.png, "filename": p.filename, "title": p.title} for p in reply.pictures]
        uploaded = self.client.files_upload_v2(file_uploads=uploads)
        file_ids = [f["id"] for f in uploaded.get("files") or []]
        versions, pictures = file_ids[: len(reply.outcomes)], file_ids[len(reply.outcomes) :]
        self.jobs.set_files(job.id, {o.version_id: f for o, f in zip(reply.outcomes, versions, strict=True)})
        text = "\n".join([reply.text, *(shot_caption(o) for o in reply.outcomes)])
        blocks = result_blocks(
            reply.text,
            zip(reply.outcomes, versions, strict=True),
            zip(reply.pictures, pictures, strict=True),
        )
        self._say(job)(text[:3900], blocks)

    def _say(self, job: Job):  # type: ignore[no-untyped-def]
        def say(text: str, blocks: list[dict] | None = None) -> None:
            if job.placeholder_ts:
                self.client.chat_update(
                    channel=job.channel_id, ts=job.placeholder_ts, text=text, blocks=blocks or []
                )
            else:
                self.client.chat_postMessage(
                    channel=job.channel_id, thread_ts=job.thread_ts, text=text, blocks=blocks
                )

        return say

    def _end(self, job: Job, state: str, say, text: str, error: str = "") -> None:  # type: ignore[no-untyped-def]
        if self.stopping and state != "done":
            self._say(job)(RESTARTING)  # still unfinished in the ledger: the next start takes it on
            return
        if say is not None:
            try:
                say(text)
            except SlackApiError as failed:
                log.warning(
                    "could not tell the thread about job %s: %s", job.id, failed.response.get("error")
                )
        self.jobs.finish(job.id, state, reply=text, error=error)
        board_finished(self.client, self.jobs.ledger, self.jobs.get(job.id) or job)  # a board shot's frame

    def _shown_versions(self, job: Job) -> set[int]:
        try:
            replies = self.client.conversations_replies(channel=job.channel_id, ts=job.thread_ts, limit=200)
        except SlackApiError:
            return set()
        return shown_versions(replies.get("messages", []))


def _direction(job: Job) -> Direction:
    thread = ThreadRef(team_id=job.team_id, channel_id=job.channel_id, thread_ts=job.thread_ts)
    return Direction(text=job.text, user_id=job.user_id, thread=thread, job_id=job.id)


def direction_text(event: dict, bot_user_id: str | None) -> str:
    """The words of an event, without the mention; a missing or null text is an empty direction."""
    text = event.get("text")
    return plain_text(text if isinstance(text, str) else "", bot_user_id)
