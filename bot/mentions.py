"""``app_mention``: a direction addressed to Slate, in a channel or a thread.

The job was written before Slack was acknowledged (``bot/dedup.py``). The listener posts the
placeholder, so the thread shows work within a second, and hands the job to the runner. It
never waits for the shot. A viewer's direction is refused, to them alone.
"""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot import board
from bot.parts import BotParts


def register(app: App, parts: BotParts) -> None:
    @app.event("app_mention")
    def on_mention(context: BoltContext, client: WebClient) -> None:
        job = context.get("job")
        if job is None:
            return
        if board.takes(job):  # a pasted or attached scene: its board, not one shot
            board.from_mention(parts, client, job, context.team_id or "")
            return
        parts.take_on(client, job, context.team_id or "")
