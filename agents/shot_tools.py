"""The tools the director agent may call, as LangChain tools.

Each tool validates its arguments (pydantic, from the signature), runs on the shot desk of
the current direction (passed as the run's context, never as a model-visible argument) and
returns a short text for the model plus the recorded outcome as an artifact for the bot.
A refused request comes back as text the model can relay; it is never an exception that
would lose the conversation.
"""

from __future__ import annotations

from dataclasses import dataclass

from langchain.tools import ToolRuntime, tool

from agents.desk import ShotDesk, ShotOutcome
from agents.direction import Direction
from config.presets import DEFAULT_ASPECT, AspectRatio
from tools.engine import GenerationError


@dataclass(frozen=True)
class DirectionContext:
    """What a tool needs beyond its arguments: who asked, where, and the desk to work on."""

    direction: Direction
    desk: ShotDesk


def _describe(outcome: ShotOutcome) -> str:
    kind = "previz frame" if outcome.is_previz else "image"
    return f"Recorded {outcome.label} ({kind}, {outcome.width}×{outcome.height}, seed {outcome.seed})."


@tool(response_format="content_and_artifact")
def generate_shot(
    description: str,
    runtime: ToolRuntime[DirectionContext],
    aspect_ratio: AspectRatio = DEFAULT_ASPECT,
    seed: int | None = None,
    negative_prompt: str = "",
) -> tuple[str, ShotOutcome | None]:
    """Generate a new shot from a visual description of the frame.

    Args:
        description: What the frame shows: shot size, subject and action, setting, light, mood.
        aspect_ratio: Frame aspect ratio preset.
        seed: A seed to reuse; omit for a new one.
        negative_prompt: What must not appear.
    """
    context = runtime.context
    try:
        outcome = context.desk.new_shot(context.direction, description, aspect_ratio, seed, negative_prompt)
    except GenerationError as error:
        return f"Could not generate the shot: {error}", None
    return _describe(outcome), outcome


@tool(response_format="content_and_artifact")
def revise_shot(change: str, runtime: ToolRuntime[DirectionContext]) -> tuple[str, ShotOutcome | None]:
    """Make a new version of this thread's current shot with a change, keeping seed and framing.

    Args:
        change: The change asked for, e.g. "make her jacket red" or "tighter, lower angle".
    """
    context = runtime.context
    try:
        outcome = context.desk.revise(context.direction, change)
    except GenerationError as error:
        return f"Could not revise the shot: {error}", None
    return _describe(outcome), outcome


SHOT_TOOLS = [generate_shot, revise_shot]
