"""``app_mention``: a direction addressed to Slate, in a channel or a thread.

The job was written before Slack was acknowledged (``bot/dedup.py``). The listener posts the
placeholder, so the thread shows work within a second, and hands the job to the runner. It
never waits for the shot. A viewer's direction is refused, to them alone.
"""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.parts import BotParts, Where, tell
from memory.ledger.review import Refused


def register(app: App, parts: BotParts) -> None:
    @app.event("app_mention")
    def on_mention(context: BoltContext, client: WebClient) -> None:
        job = context.get("job")
        if job is None:
            return
        where = Where(context.team_id or "", job.channel_id, job.thread_ts, job.user_id)
        try:
            parts.review.check(parts.project_id(where), job.user_id, "direct")
        except Refused as refused:  # a viewer: told why, the job ends without a shot
            parts.jobs.finish(job.id, "cancelled", reply="refused", error=str(refused))
            tell(client, where, str(refused))
            return
        parts.directions.placeholder(job)
        parts.directions.submit(job.id)
