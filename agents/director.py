"""The director agent: a LangChain agent loop over the shot tools.

``Director.handle`` is the one entry point the chat surface calls: a direction in, a reply
(text plus the versions it recorded) out. The system prompt is built per turn from the
thread's state in the ledger, so the agent always revises the version the team is looking at.
"""

from __future__ import annotations

from dataclasses import dataclass

from langchain.agents import create_agent
from langchain.agents.middleware import ModelRequest, dynamic_prompt
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.base import BaseCheckpointSaver

from agents import pacing
from agents.actions import ACTIONS, OTHER_ACTIONS, ShotAction, version_number
from agents.canon_tools import CANON_TOOLS
from agents.desk import Picture, ShotDesk, ShotOutcome
from agents.direction import Direction
from agents.prompts import SYSTEM_PROMPT, thread_state
from agents.question_tools import QUESTION_TOOLS
from agents.shot_tools import CANCELLED, SHOT_TOOLS, DirectionContext, attempt_capability
from memory.canon import CanonError, names_in
from tools.engine import GenerationError
from tools.jobs import EventCallback

MAX_STEPS = 12  # model ↔ tool round trips per direction; a loop beyond this is a bug, not work


@dataclass(frozen=True)
class DirectorReply:
    text: str
    outcomes: tuple[ShotOutcome, ...] = ()
    pictures: tuple[Picture, ...] = ()  # images that are not versions (a comparison)
    cancelled: bool = False  # the work this direction asked for was cancelled before it finished


@dynamic_prompt
def _prompt_with_thread_state(request: ModelRequest) -> str:
    context: DirectionContext = request.runtime.context
    desk, direction = context.desk, context.direction
    current = desk.current_version(direction)
    pending = current is None and desk.waiting_for_earlier(direction)
    cast = desk.cast_pronouns(direction)
    earlier = names_in(" ".join(direction.history), cast)
    state = thread_state(
        current,
        len(direction.attachments),
        pending,
        cast,
        earlier,
        desk.look_names(direction),
        desk.cast_aliases(direction),
        desk.shot_count(direction),
    )
    return f"{SYSTEM_PROMPT}\n\n{state}"


class Director:
    """``checkpointer`` keeps each Slack thread's conversation (a LangGraph SQLite saver in
    production), so a thread picked up days later goes on where it was."""

    def __init__(
        self, desk: ShotDesk, model: BaseChatModel, checkpointer: BaseCheckpointSaver | None = None
    ) -> None:
        self.desk = desk
        self.agent = create_agent(
            model,
            tools=[*SHOT_TOOLS, *CANON_TOOLS, *QUESTION_TOOLS],
            middleware=[_prompt_with_thread_state],
            context_schema=DirectionContext,
            checkpointer=checkpointer,
        )

    def handle(self, direction: Direction, on_event: EventCallback | None = None) -> DirectorReply:
        """Run the agent on one direction; ``on_event`` hears queue position and progress."""
        with pacing.reading():
            result = self._invoke(direction, on_event)
        messages = _this_turn(result["messages"])
        artifacts = [i for m in messages if isinstance(m, ToolMessage) and m.artifact for i in m.artifact]
        outcomes = tuple(self.desk.outcome(item) for item in artifacts if isinstance(item, int))
        pictures = tuple(item for item in artifacts if isinstance(item, Picture))
        final = next((m for m in reversed(messages) if isinstance(m, AIMessage) and not m.tool_calls), None)
        cancelled = any(isinstance(m, ToolMessage) and m.text.startswith(CANCELLED) for m in messages)
        return DirectorReply(
            text=final.text if final else "", outcomes=outcomes, pictures=pictures, cancelled=cancelled
        )

    def _invoke(self, direction: Direction, on_event: EventCallback | None) -> dict:
        thread = direction.thread
        return self.agent.invoke(
            {"messages": [HumanMessage(direction.text)]},
            context=DirectionContext(direction=direction, desk=self.desk, on_event=on_event),
            config={
                "recursion_limit": 2 * MAX_STEPS + 1,
                "configurable": {"thread_id": f"{thread.team_id}:{thread.channel_id}:{thread.thread_ts}"},
            },
        )

    def act(
        self, direction: Direction, action: ShotAction, on_event: EventCallback | None = None
    ) -> DirectorReply:
        """A button's action on its own version; no model reads it (the button said what it wants)."""
        if action.kind in OTHER_ACTIONS:
            try:
                number = version_number(self.desk, direction, action.version_id)
            except GenerationError as error:
                return DirectorReply(text=str(error))
            return DirectorReply(text=OTHER_ACTIONS[action.kind](self.desk, direction, action, number))
        if action.kind not in ACTIONS:
            return DirectorReply(text=f"Slate has no action {action.kind!r}.")
        what, run = ACTIONS[action.kind]

        def attempt() -> list[ShotOutcome]:
            number = version_number(self.desk, direction, action.version_id)
            return run(self.desk, direction, action, number, on_event)

        text, version_ids = attempt_capability(what, attempt)
        outcomes = tuple(self.desk.outcome(version_id) for version_id in version_ids)
        return DirectorReply(text=text, outcomes=outcomes, cancelled=text == CANCELLED)

    def remove_character(self, direction: Direction, name: str) -> DirectorReply:
        """Take a character out of the canon (asked with ``/slate character remove``, whose caller's
        role was checked there); the shots already made keep their records."""
        continuity = self.desk.continuity
        if continuity is None:
            return DirectorReply(text="Continuity memory is not configured for this workspace.")
        thread = direction.thread
        project_id = self.desk.ledger.project(thread.team_id, thread.channel_id).id
        try:
            continuity.canon.delete_character(project_id, name)
        except CanonError as error:
            return DirectorReply(text=f"Could not remove {name}: {error}")
        return DirectorReply(text=f"{name} is no longer in the canon; shots already made keep their records.")

    def recorded(self, version_ids: list[int]) -> DirectorReply:
        """Versions already recorded (by a process that stopped before showing them), as a reply."""
        outcomes = tuple(self.desk.outcome(version_id) for version_id in version_ids)
        labels = ", ".join(o.label for o in outcomes)
        return DirectorReply(text=f"Recorded {labels}." if outcomes else "Done.", outcomes=outcomes)

    def shutdown(self) -> None:
        """Stop the work under way now (it is taken on again after a restart)."""
        self.desk.queue.shutdown(wait=False, cancel_pending=True, cancel_running=True)

    def poke(self) -> None:
        """A job ended: work waiting for it in the same thread may start."""
        self.desk.queue.poke()


def _this_turn(messages: list[BaseMessage]) -> list[BaseMessage]:
    """The messages after this direction; earlier turns of the saved conversation come first."""
    start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=0)
    return messages[start:]
