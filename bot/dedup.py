"""Middleware: take each Slack event id once, so a retried delivery never makes a second shot.

Slack resends an event (same ``event_id``) when it saw no 2xx within 3 seconds, and a
timeout retry can arrive while the first delivery is still being worked on. The claim is
stored in the ledger, so it also holds across a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import BoltResponse

from memory.ledger import Ledger

log = logging.getLogger(__name__)


def event_dedup(ledger: Ledger) -> Callable[..., BoltResponse | None]:
    def middleware(body: dict, context: dict, next: Callable[[], None]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id is None:
            return next()
        if not ledger.claim_event(event_id):
            log.info("event %s already taken on; acknowledging the redelivery without acting", event_id)
            return BoltResponse(status=200, body="")
        context["event_id"] = event_id
        return next()

    return middleware
