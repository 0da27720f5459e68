"""Plain channel messages.

Slate acts on mentions; other messages are acknowledged so Slack counts the delivery as
handled (an unhandled event would get a 404 and be retried). Thread replies without a
mention will become revisions here once review lands.
"""

from __future__ import annotations

from slack_bolt import App


def register(app: App) -> None:
    @app.event("message")
    def acknowledge_message() -> None:
        return None
