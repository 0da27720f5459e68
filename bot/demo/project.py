"""The sample project ``make demo`` opens: a cast with reference stills, a look, continuity
facts and a scene of three shots in different statuses, so the first screen shows what Slate
is for.

It is made *through the product*: the people of the local workspace act as a team would — the
director introduces the characters in #shots with stills attached, adds the look with
``/slate`` and the facts in messages (Ari one with ``/slate``), directs the shots; April,
made an approver with ``/slate role``, presses Approve; the director presses Request changes
and writes the note; Ari asks for a revision.
Every message, canon entry, version and status is what Slate's own listeners, agent and
ledger wrote. Each step waits on what the workspace then shows (the thread's answer, a
version's status line), never on a fixed sleep, and the whole run has one deadline: a step
that fails or runs out of time is reported and the rest skipped, and the workspace stays as
it is, usable.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.demo.stills import portrait_png
from bot.version_message import shown_images
from localslack import LocalWorkspace
from localslack.state import APPROVER_ID, ARTIST_ID, DIRECTOR_ID, SHOTS_ID

log = logging.getLogger("slate.demo")

BOT = LocalWorkspace.bot_user_id
IN_PROGRESS = (":clapper:", ":hourglass_flowing_sand:")  # the placeholder and its progress lines
FIRST_STEP_S = 150.0  # the directing process loads the agent and the embedding model first
STEP_S = 60.0
DEADLINE_S = 300.0

# (who, name, description as the director says it) — the stills come from bot/demo/stills.py
CAST = (
    (
        DIRECTOR_ID,
        "Maya",
        "a woman in her 30s, short dark hair, a scar on her left cheek (she/her), wears a red hooded cloak",
    ),
    (
        DIRECTOR_ID,
        "Rook",
        "a broad-shouldered knight in his 50s, bald, grey beard (he/him), wears dented silver armour",
    ),
    (
        ARTIST_ID,
        "Ines",
        "a young cartographer, long auburn braid, round spectacles (she/her), wears a green coat",
    ),
)
LOOK = "Torchlight"
LOOK_WORDS = "anamorphic 40mm, amber torchlight against blue dusk, heavy grain, no daylight"
# The continuity lint asks before a shot that contradicts one. Said both ways a team says them:
# in a message to @slate, or with `/slate fact add` (whose "On it" only the person sees).
FACTS = (  # (who, by /slate, the fact)
    (DIRECTOR_ID, False, "Rook's sword broke in scene 11; he carries only the hilt from then on"),
    (DIRECTOR_ID, False, "Maya's scar is on her left cheek, since scene 3"),
    (ARTIST_ID, True, "the throne room's east window has been boarded up since scene 9"),
)
SHOTS = (  # scene 12: who directs, the direction
    (
        DIRECTOR_ID,
        "scene 12, WS, Maya walks into the throne room at dusk, torchlight, Rook waits by the door, 2.39:1",
    ),
    (DIRECTOR_ID, "scene 12, MCU, Rook watches Maya from the shadows of the throne room, low angle, 2.39:1"),
    (ARTIST_ID, "scene 12, CU, Ines unrolls a map on the throne room table, 2.39:1"),
)
CHANGES_NOTE = "warmer light on Rook's face, and keep Maya soft in the background"
REVISION = "tighter, low angle"


class StepFailed(Exception):
    """A step did not end as it should: what the workspace showed instead."""


@dataclass
class Step:
    name: str
    ok: bool
    seconds: float
    detail: str = ""


@dataclass
class SeedReport:
    steps: list[Step] = field(default_factory=list)
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(s.ok for s in self.steps) and not self.skipped

    def summary(self) -> str:
        if self.ok:
            return f"Sample project seeded in {self.seconds:.1f} s ({len(self.steps)} steps)."
        failed = next((s for s in self.steps if not s.ok), None)
        said = f"step '{failed.name}' failed: {failed.detail}" if failed else "it was stopped"
        rest = f"; not done: {', '.join(self.skipped)}" if self.skipped else ""
        return (
            f"The sample project is incomplete after {self.seconds:.1f} s — {said}{rest}. "
            "The workspace works as it is."
        )


class DemoProject:
    """Seeds one workspace; ``run`` returns what was done. ``stopping`` ends it early (Ctrl-C)."""

    def __init__(
        self,
        workspace: LocalWorkspace,
        *,
        channel: str = SHOTS_ID,
        deadline_s: float = DEADLINE_S,
        first_step_s: float = FIRST_STEP_S,
        step_s: float = STEP_S,
        stopping: threading.Event | None = None,
    ) -> None:
        self.ws, self.channel = workspace, channel
        self.deadline_s, self.first_step_s, self.step_s = deadline_s, first_step_s, step_s
        self.stopping = stopping or threading.Event()
        self.threads: dict[str, str] = {}  # "shot 1" -> its thread's ts
        self._deadline = 0.0
        self._first = True

    # -- the run ---------------------------------------------------------------------------

    def steps(self) -> list[tuple[str, Callable[[], str]]]:
        steps: list[tuple[str, Callable[[], str]]] = []
        for who, name, description in CAST:
            steps.append((f"character {name}", lambda w=who, n=name, d=description: self.character(w, n, d)))
        steps.append((f"look {LOOK}", self.look))
        for i, (who, command, fact) in enumerate(FACTS, 1):
            steps.append((f"fact {i}", lambda w=who, c=command, f=fact: self.fact(w, f, command=c)))
        steps.append(("shot 1", lambda: self.shot(1)))
        steps.append(("April made approver", self.approver))
        steps.append((f"look {LOOK} for new shots", self.use_look))
        steps.append(("shot 2", lambda: self.shot(2)))
        steps.append(("shot 3", lambda: self.shot(3)))
        steps.append(("April approves shot 1", self.approve))
        steps.append(("changes requested on shot 2", self.request_changes))
        steps.append(("shot 3 v2", self.revise))
        return steps

    def run(self) -> SeedReport:
        report = SeedReport()
        started = time.monotonic()
        self._deadline = started + self.deadline_s
        steps = self.steps()
        for index, (name, step) in enumerate(steps):
            if self.stopping.is_set():
                report.skipped = [n for n, _ in steps[index:]]
                break
            at = time.monotonic()
            try:
                detail = step()
            except Exception as error:  # a step's failure ends the seeding, never the demo
                seconds = time.monotonic() - at
                report.steps.append(Step(name, False, seconds, _said(error)))
                report.skipped = [n for n, _ in steps[index + 1 :]]
                log.warning("demo: %s failed after %.1f s: %s", name, seconds, _said(error))
                break
            seconds = time.monotonic() - at
            report.steps.append(Step(name, True, seconds, detail))
            log.info("demo: %s — %s (%.1f s)", name, detail, seconds)
        report.seconds = time.monotonic() - started
        return report

    # -- the steps -------------------------------------------------------------------------

    def character(self, who: str, name: str, description: str) -> str:
        files = [
            self.ws.upload_as(who, f"{name.lower()}-{angle}.png", portrait_png(name, angle))["id"]
            for angle in ("front", "three-quarter")
        ]
        posted = self.ws.post_user_message(
            f"<@{BOT}> character: {name} — {description}", channel=self.channel, user=who, files=files
        )
        answer = self._answer(posted["ts"])
        if "is in the canon" not in answer or f"Kept {len(files)} reference still" not in answer:
            raise StepFailed(f"Slate answered: {answer}")
        return f"in the canon with {len(files)} stills"

    def look(self) -> str:
        thread = self._command_thread(DIRECTOR_ID, f"look add {LOOK}: {LOOK_WORDS}", "adds a look")
        answer = self._answer(thread)
        if "saved" not in answer:
            raise StepFailed(f"Slate answered: {answer}")
        return answer

    def fact(self, who: str, fact: str, *, command: bool) -> str:
        if command:
            thread = self._command_thread(who, f"fact add {fact}", "adds a fact")
        else:
            thread = self.ws.post_user_message(f"<@{BOT}> fact: {fact}", channel=self.channel, user=who)["ts"]
        answer = self._answer(thread)
        if "Noted for continuity" not in answer:
            raise StepFailed(f"Slate answered: {answer}")
        return answer

    def shot(self, number: int) -> str:
        who, direction = SHOTS[number - 1]
        posted = self.ws.post_user_message(f"<@{BOT}> {direction}", channel=self.channel, user=who)
        self.threads[f"shot {number}"] = posted["ts"]
        answer = self._answer(posted["ts"])
        shown = self._shown(posted["ts"])
        if not shown:
            raise StepFailed(f"no shot came back; Slate answered: {answer}")
        return f"v1 shown (version {shown[-1][0]})"

    def approver(self) -> str:
        return self._command(DIRECTOR_ID, f"role <@{APPROVER_ID}> approver", "is now an approver")

    def use_look(self) -> str:
        return self._command(DIRECTOR_ID, f"look use {LOOK}", "New shots take the look")

    def approve(self) -> str:
        version_id, message_ts = self._latest("shot 1")
        self.ws.press_button(APPROVER_ID, self.channel, message_ts, f"slate.approve.{version_id}")
        self._wait(lambda: "Approved" in self._status_line("shot 1", version_id), "the Approved status line")
        return self._status_line("shot 1", version_id)

    def request_changes(self) -> str:
        version_id, message_ts = self._latest("shot 2")
        before = {v["id"] for v in self.ws.open_views(DIRECTOR_ID)}
        self.ws.press_button(DIRECTOR_ID, self.channel, message_ts, f"slate.request_changes.{version_id}")

        def modal() -> dict | None:
            return next((v for v in self.ws.open_views(DIRECTOR_ID) if v["id"] not in before), None)

        self._wait(lambda: modal() is not None, "the Request changes modal")
        view = modal()
        assert view is not None
        note = {"note": {"note": {"type": "plain_text_input", "value": CHANGES_NOTE}}}
        submitted = self.ws.submit_view(DIRECTOR_ID, view["id"], note)
        if submitted.errors:
            raise StepFailed(f"the modal was refused: {submitted.errors}")
        self._wait(
            lambda: "Changes requested" in self._status_line("shot 2", version_id),
            "the Changes requested status line",
        )
        thread = self.threads["shot 2"]
        self._wait(
            lambda: any(CHANGES_NOTE in m.get("text", "") for m in self.ws.replies(self.channel, thread)),
            "the note in the thread",
        )
        return self._status_line("shot 2", version_id)

    def revise(self) -> str:
        thread = self.threads["shot 3"]
        before = len(self._shown(thread))
        self.ws.post_user_message(
            f"<@{BOT}> {REVISION}", channel=self.channel, user=ARTIST_ID, thread_ts=thread
        )
        self._wait(lambda: len(self._shown(thread)) > before or self._failed(thread), "the revision")
        if len(self._shown(thread)) <= before:
            raise StepFailed(f"no v2 came back; Slate answered: {self._bot_replies(thread)[-1]}")
        return f"v2 shown (version {self._shown(thread)[-1][0]}), pending review"

    # -- reading the workspace as a person reads it ----------------------------------------

    def _answer(self, thread_ts: str) -> str:
        """Slate's finished answer in a thread (its placeholder edited into the reply)."""
        self._wait(lambda: bool(self._finished(thread_ts)), "Slate's answer")
        return self._finished(thread_ts)[-1]

    def _bot_replies(self, thread_ts: str) -> list[str]:
        replies = self.ws.replies(self.channel, thread_ts)[1:]
        return [m.get("text", "") for m in replies if m.get("user") == BOT or m.get("bot_id")]

    def _finished(self, thread_ts: str) -> list[str]:
        return [t for t in self._bot_replies(thread_ts) if not t.startswith(IN_PROGRESS)]

    def _failed(self, thread_ts: str) -> bool:
        return any(t.startswith(":warning:") for t in self._bot_replies(thread_ts))

    def _shown(self, thread_ts: str) -> list[tuple[int, dict, dict]]:
        return shown_images(self.ws.replies(self.channel, thread_ts))

    def _latest(self, shot: str) -> tuple[int, str]:
        shown = self._shown(self.threads[shot])
        if not shown:
            raise StepFailed(f"{shot} shows no version")
        version_id, _, message = shown[-1]
        return version_id, message["ts"]

    def _status_line(self, shot: str, version_id: int) -> str:
        for shown_id, _, message in self._shown(self.threads[shot]):
            if shown_id == version_id:
                block = next(
                    (b for b in message["blocks"] if b.get("block_id") == f"v{version_id}.status"), {}
                )
                return " ".join(e.get("text", "") for e in block.get("elements", []))
        return ""

    def _command(self, who: str, text: str, expected: str) -> str:
        """``/slate <text>`` as the person types it; the answer Slack shows them alone."""
        seen = len(self.ws.ephemeral_for(who, self.channel))
        acked = self.ws.run_slash_command(who, self.channel, "/slate", text)
        if acked.status != 200:
            raise StepFailed(f"/slate {text} was answered {acked.status}")
        if acked.body.get("text"):
            answer = acked.body["text"]
        else:
            self._wait(lambda: len(self.ws.ephemeral_for(who, self.channel)) > seen, "the answer to /slate")
            answer = self.ws.ephemeral_for(who, self.channel)[-1].get("text", "")
        if expected not in answer:
            raise StepFailed(f"/slate {text}: {answer}")
        return answer

    def _command_thread(self, who: str, text: str, opening: str) -> str:
        """``/slate`` work that Slate does in a new thread it opens: that thread's ts."""
        before = {m["ts"] for m in self.ws.messages(self.channel)}
        self._command(who, text, "new thread")

        def opened() -> list[dict]:
            return [
                m
                for m in self.ws.messages(self.channel)
                if m["ts"] not in before and m.get("bot_id") and opening in m.get("text", "")
            ]

        self._wait(lambda: bool(opened()), "the thread Slate opens")
        return opened()[-1]["ts"]

    def _wait(self, ready: Callable[[], bool], what: str) -> None:
        """Until ``ready`` — within this step's time (longer for the first, while the directing
        process starts) and the run's deadline; raises ``StepFailed`` naming ``what``."""
        timeout = min(self.first_step_s if self._first else self.step_s, self._deadline - time.monotonic())
        done = self.ws.wait_for(lambda: ready() or self.stopping.is_set(), timeout=max(0.0, timeout))
        if self.stopping.is_set():
            raise StepFailed("stopped")
        if not done:
            raise StepFailed(f"no {what} within {max(0.0, timeout):.0f} s")
        self._first = False


def _said(error: Exception) -> str:
    return str(error) if isinstance(error, StepFailed) else f"{type(error).__name__}: {error}"
