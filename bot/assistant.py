"""Slate in Slack's assistant container: a DM thread of its own, suggested prompts, a status line.

Built on slack_bolt's ``Assistant``. A message in an assistant thread is a direction like a
mention: claimed by its event id (a redelivery never makes a second shot), written as a job,
shown with a placeholder while it runs, and the thread's status says "is drawing…" until the
answer lands. The project is the person's DM with Slate.
"""

from __future__ import annotations

from slack_bolt import Assistant, BoltContext, Say, SetStatus, SetSuggestedPrompts
from slack_sdk import WebClient

from bot.parts import BotParts
from bot.runner import direction_text
from memory.ledger import ThreadRef

GREETING = (
    "Hi, I'm Slate. Describe a shot and I'll draw it here — size, who, where, light, aspect — then "
    "ask for changes in this thread. `help` says what else I can do."
)
PROMPTS = [
    {"title": "A new shot", "message": "WS, Maya walks into the throne room at dusk, 2.39:1"},
    {"title": "A close-up", "message": "CU, Rook looks up into the rain, low angle, 85mm"},
    {"title": "What can you do?", "message": "help"},
    {"title": "The shots waiting for review", "message": "list the pending shots"},
]


def build(parts: BotParts) -> Assistant:
    assistant = Assistant()

    @assistant.thread_started
    def on_started(say: Say, set_suggested_prompts: SetSuggestedPrompts) -> None:
        say(GREETING)
        set_suggested_prompts(prompts=PROMPTS, title="Try one of these")

    @assistant.user_message
    def on_message(
        body: dict, payload: dict, context: BoltContext, set_status: SetStatus, client: WebClient
    ) -> None:
        thread = ThreadRef(context.team_id or "", payload["channel"], payload["thread_ts"])
        text = direction_text(payload, context.bot_user_id)
        job = parts.jobs.claim(body.get("event_id", ""), thread, payload.get("user", ""), text, payload)
        if job is None:
            return  # a redelivery of a message already taken on
        # the status line until Slate next posts in the thread (Slack clears it then)
        parts.take_on(client, job, thread.team_id, starting=lambda: set_status("is drawing…"))

    return assistant
