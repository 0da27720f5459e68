"""The director's agent loop on a scripted chat model (LangChain's ``GenericFakeChatModel``).

What is under test is the loop — tools run with the direction's context, what they return goes
back to the model, the model's last words are the reply, versions come back as outcomes — not
how any model reads a direction (the offline model has tests of its own).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.runnables import Runnable

from agents import Direction, Director, ShotDesk
from agents.director import MAX_STEPS
from memory.ledger import ImageStore, Ledger, ThreadRef
from tools.previz import PrevizEngine

THREAD = ThreadRef("T1", "C1", "1700000000.000100")


class ScriptedModel(GenericFakeChatModel):
    """Says the scripted messages in order; tools are bound as a hosted model binds them."""

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Runnable:
        return self


def call(name: str, **args: Any) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": f"call_{name}", "type": "tool_call"}])


def director(ledger: Ledger, images: ImageStore, *script: AIMessage) -> Director:
    desk = ShotDesk(PrevizEngine(), ledger, images, base_side=64)
    return Director(desk, ScriptedModel(messages=iter(script)))


def ask(director: Director, text: str):  # type: ignore[no-untyped-def]
    return director.handle(Direction(text=text, user_id="U1", thread=THREAD))


def test_a_tool_call_records_a_version_and_the_models_last_words_are_the_reply(
    ledger: Ledger, images: ImageStore
) -> None:
    agent = director(
        ledger,
        images,
        call("generate_shot", description="WS, the harbour at dusk", aspect_ratio="2.39:1"),
        AIMessage("Here is the harbour."),
    )
    reply = ask(agent, "anything at all: the model, not the words, decides")
    (outcome,) = reply.outcomes
    assert reply.text == "Here is the harbour." and outcome.label == "Shot 1 · v1"
    version = ledger.version(outcome.version_id)
    assert version is not None and version.prompt.startswith("WS, the harbour at dusk")
    assert version.width > version.height  # the aspect the tool was given


def test_what_a_tool_says_goes_back_to_the_model_and_a_refusal_records_nothing(
    ledger: Ledger, images: ImageStore
) -> None:
    seen: list[str] = []

    class Listening(ScriptedModel):
        def _generate(self, messages, stop=None, run_manager=None, **kwargs):  # type: ignore[no-untyped-def]
            seen.extend(m.text for m in messages if isinstance(m, ToolMessage))
            return super()._generate(messages, stop, run_manager, **kwargs)

    desk = ShotDesk(PrevizEngine(), ledger, images, base_side=64)
    agent = Director(
        desk, Listening(messages=iter([call("revise_shot", change="tighter"), AIMessage("Nothing yet.")]))
    )
    reply = ask(agent, "tighter")
    assert reply.outcomes == () and reply.text == "Nothing yet."
    assert len(seen) == 1 and "no shot" in seen[0].lower()
    assert ledger.latest_version(THREAD.channel_id, THREAD.thread_ts) is None


def test_a_revision_in_the_next_turn_starts_from_the_version_the_thread_has(
    ledger: Ledger, images: ImageStore
) -> None:
    agent = director(
        ledger,
        images,
        call("generate_shot", description="MS, Maya at the window, night"),
        AIMessage("v1"),
        call("revise_shot", change="make it rain"),
        AIMessage("v2"),
    )
    first = ask(agent, "first").outcomes[0]
    second = ask(agent, "second").outcomes[0]
    version = ledger.version(second.version_id)
    assert second.label == "Shot 1 · v2" and version is not None and version.parent_id == first.version_id


def test_a_model_that_never_stops_calling_tools_is_stopped(ledger: Ledger, images: ImageStore) -> None:
    looping = [call("find_shots") for _ in range(MAX_STEPS + 2)]
    agent = director(ledger, images, *looping)
    with pytest.raises(Exception, match="[Rr]ecursion"):
        ask(agent, "list shots")
