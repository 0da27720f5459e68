"""``app_mention``: a direction addressed to Slate, in a channel or a thread.

The job was written before Slack was acknowledged (``bot/dedup.py``). The listener posts the
placeholder, so the thread shows work within a second, and hands the job to the runner. It
never waits for the shot.
"""

from __future__ import annotations

from slack_bolt import App, BoltContext

from bot.directions import Directions


def register(app: App, runner: Directions) -> None:
    @app.event("app_mention")
    def on_mention(context: BoltContext) -> None:
        job = context.get("job")
        if job is None:
            return
        runner.placeholder(job)
        runner.submit(job.id)
