"""How Slate's replies read in a thread: captions and status lines (Block Kit comes with review)."""

from __future__ import annotations

from agents import ShotOutcome

WORKING = ":clapper: Working on it…"


def shot_caption(outcome: ShotOutcome) -> str:
    """The line under an image: what it is, how it was made, enough to remake it."""
    kind = "previz (storyboard frame, no diffusion model configured)" if outcome.is_previz else outcome.mode
    note = f" · {outcome.note}" if outcome.note else ""
    drift = "".join(f"\n:warning: {flag}" for flag in outcome.drift)
    spec = f"\n_Read as:_ {outcome.spec}" if outcome.spec else ""
    return (
        f"*{outcome.label}* — {kind} · {outcome.width}×{outcome.height} · seed `{outcome.seed}`{note}{spec}\n"
        f"> {outcome.prompt}{drift}"
    )


def shot_filename(outcome: ShotOutcome) -> str:
    return f"shot{outcome.shot_number:03d}_v{outcome.version_number:02d}.png"


def failure(reason: str) -> str:
    return f":warning: {reason} Nothing was recorded; try again or rephrase the direction."


def waiting_line() -> str:
    return ":hourglass_flowing_sand: Queued — after the request before it in this thread."


def lost(direction: str) -> str:
    """What the thread is told when a job could not be finished, even on its retry."""
    shown = direction if len(direction) <= 200 else direction[:200] + "…"
    return (
        ":warning: Slate stopped twice while working on this, so it was not made and nothing was "
        f"recorded:\n> {shown}\nAsk again (mention @slate with the direction) to make it."
    )
