"""The tools the director agent may call, as LangChain tools.

Each tool validates its arguments (pydantic, from the signature), runs on the shot desk of
the current direction (passed as the run's context, never as a model-visible argument) and
returns a short text for the model plus the recorded version ids as an artifact: small enough
to keep in the thread's saved conversation, and the director turns them back into outcomes.
A refused request comes back as text the model can relay; it never loses the conversation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from langchain.tools import ToolRuntime, tool

from agents.continuity import ContinuityQuestion
from agents.desk import ShotAsk, ShotDesk, ShotOutcome
from agents.direction import Direction
from agents.reading.regions import find_region
from config.presets import AspectRatio
from tools.engine import GenerationCancelled, GenerationError
from tools.jobs import EventCallback, QueueFull
from tools.worker.calls import WorkerError

ToolResult = tuple[str, list[int]]
CANCELLED = "Cancelled: nothing from it was recorded."


@dataclass(frozen=True)
class DirectionContext:
    """What a tool needs beyond its arguments: who asked, where, the desk, and who to tell about progress."""

    direction: Direction
    desk: ShotDesk
    on_event: EventCallback | None = None


def _describe(outcomes: list[ShotOutcome]) -> str:
    first = outcomes[0]
    kind = "previz frame" if first.is_previz else "image"
    labels = ", ".join(o.label for o in outcomes)
    seeds = ", ".join(str(o.seed) for o in outcomes)
    note = f" ({first.note})" if first.note else ""
    reading = f" Read as: {first.spec}." if first.spec else ""
    drift = [flag for o in outcomes for flag in o.drift]
    warning = f" Consistency check: {'; '.join(drift)}." if drift else ""
    return f"Recorded {labels} ({kind}, {first.width}×{first.height}, seed {seeds}){note}.{reading}{warning}"


def attempt_capability(what: str, run: Callable[[], list[ShotOutcome]]) -> ToolResult:
    """Run a capability; what went wrong becomes the answer's words, never an exception."""
    try:
        outcomes = run()
    except ContinuityQuestion as question:
        return str(question), []
    except GenerationCancelled:
        return CANCELLED, []
    except (GenerationError, QueueFull, WorkerError) as error:
        return f"Could not {what}: {error}", []
    return _describe(outcomes), [o.version_id for o in outcomes]


@tool(response_format="content_and_artifact")
def generate_shot(
    description: str,
    runtime: ToolRuntime[DirectionContext],
    aspect_ratio: AspectRatio | None = None,
    seed: int | None = None,
    negative_prompt: str = "",
    count: int = 1,
    steps: int | None = None,
    guidance: float | None = None,
    sampler: str | None = None,
) -> ToolResult:
    """Generate a new shot (or a fresh take of this thread's shot) from a visual description.

    Args:
        description: What the frame shows: shot size, subject and action, setting, light, mood.
        aspect_ratio: Frame aspect ratio preset; omit unless the direction names one (then a shot it
            refers to lends its own, else 16:9).
        seed: A seed to reuse; omit for a new one.
        negative_prompt: What must not appear.
        count: How many variations to make at once (1–8).
        steps: Denoising steps; omit for the model's default.
        guidance: Guidance (CFG) scale; omit for the model's default.
        sampler: Sampler by name (euler, euler_a, dpmpp_2m, dpmpp_2m_karras, ddim, unipc, ...).
    """
    c = runtime.context
    return attempt_capability(
        "generate the shot",
        lambda: c.desk.new_shot(
            c.direction,
            ShotAsk(description, aspect_ratio, seed, negative_prompt, count, steps, guidance, sampler),
            c.on_event,
        ),
    )


@tool(response_format="content_and_artifact")
def revise_shot(
    change: str, runtime: ToolRuntime[DirectionContext], from_version: int | None = None
) -> ToolResult:
    """Make a new version of this thread's shot with a change, keeping seed and framing.

    Args:
        change: The change asked for, e.g. "make her jacket red", "tighter, lower angle",
            "swap Rook for Maya".
        from_version: Start from this version number ("go back to v2 but…"); omit for the current one.
    """
    c = runtime.context
    return attempt_capability(
        "revise the shot", lambda: c.desk.revise(c.direction, change, c.on_event, from_version)
    )


@tool(response_format="content_and_artifact")
def repaint_region(
    region: str, change: str, runtime: ToolRuntime[DirectionContext], from_version: int | None = None
) -> ToolResult:
    """Repaint one region of this thread's current shot, leaving the rest of the frame as it is.

    Args:
        region: Where, in words: "left third", "right half", "top-left corner", "sky", "centre"...
        change: What the region should show instead.
        from_version: Start from this version number ("… v5"); omit for the current one.
    """
    c = runtime.context
    found = find_region(region)
    if found is None:
        return (
            f"Could not repaint: I don't know the region {region!r}. Try left/centre/right third, "
            "left/right/top/bottom half, a corner, the sky, the foreground or the centre.",
            [],
        )
    return attempt_capability(
        "repaint the region",
        lambda: c.desk.inpaint(c.direction, found[0], change, c.on_event, from_version, region_said=found[1]),
    )


@tool(response_format="content_and_artifact")
def extend_frame(
    aspect_ratio: AspectRatio, runtime: ToolRuntime[DirectionContext], from_version: int | None = None
) -> ToolResult:
    """Extend (outpaint) this thread's current shot to a wider or taller aspect ratio.

    Args:
        aspect_ratio: The new aspect ratio.
        from_version: Start from this version number ("… v5"); omit for the current one.
    """
    c = runtime.context
    return attempt_capability(
        "extend the frame", lambda: c.desk.extend(c.direction, aspect_ratio, c.on_event, from_version)
    )


@tool(response_format="content_and_artifact")
def vary_shot(
    runtime: ToolRuntime[DirectionContext],
    how: Literal["subtle", "strong", "reroll"] = "subtle",
    count: int = 4,
    from_version: int | None = None,
) -> ToolResult:
    """Make variations of this thread's current shot.

    Args:
        how: "subtle" keeps the frame, "strong" changes more, "reroll" is the same prompt with new seeds.
        count: How many variations (1–8).
        from_version: Start from this version number ("… v5"); omit for the current one.
    """
    c = runtime.context
    return attempt_capability(
        "make variations", lambda: c.desk.vary(c.direction, how, count, c.on_event, from_version)
    )


@tool(response_format="content_and_artifact")
def upscale_shot(
    runtime: ToolRuntime[DirectionContext], factor: float = 2.0, from_version: int | None = None
) -> ToolResult:
    """Upscale this thread's current shot.

    Args:
        factor: How much larger, above 1 and at most 4.
        from_version: Start from this version number ("… v5"); omit for the current one.
    """
    c = runtime.context
    return attempt_capability(
        "upscale the shot", lambda: c.desk.upscale(c.direction, factor, c.on_event, from_version)
    )


@tool(response_format="content_and_artifact")
def cancel_shots(runtime: ToolRuntime[DirectionContext]) -> ToolResult:
    """Cancel the shots this person has queued or generating."""
    c = runtime.context
    cancelled = c.desk.cancel(c.direction)
    if not cancelled:
        return "You have no shots queued or generating.", []
    return f"Cancelled {cancelled} shot(s); nothing from them is recorded.", []


@tool(response_format="content_and_artifact")
def use_model(model: str, runtime: ToolRuntime[DirectionContext]) -> ToolResult:
    """Switch this channel's project to another configured model for its new shots.

    Args:
        model: The model's name in the model registry.
    """
    c = runtime.context
    try:
        c.desk.use_model(c.direction, model)
    except GenerationError as error:
        return f"Could not switch models: {error}", []
    return f"New shots in this channel now use the model {model!r}.", []


@tool(response_format="content_and_artifact")
def compare_versions(versions: list[int], runtime: ToolRuntime[DirectionContext]) -> ToolResult:
    """Show versions of this thread's shot side by side in one image, each with its caption.

    Args:
        versions: The version numbers to compare, e.g. [2, 5].
    """
    c = runtime.context
    if not 2 <= len(versions) <= 4:
        return "Compare two to four versions, e.g. “compare v2 and v5”.", []
    try:
        picture = c.desk.compare(c.direction, versions)
    except GenerationError as error:
        return f"Could not compare: {error}", []
    return f"{picture.title}, side by side.", [picture]


SHOT_TOOLS = [
    generate_shot,
    revise_shot,
    repaint_region,
    extend_frame,
    vary_shot,
    upscale_shot,
    compare_versions,
    use_model,
    cancel_shots,
]
