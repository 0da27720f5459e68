"""Run one evaluation case through a real Director and record what happened.

Each case gets a fresh studio, built the way the tests build one: a ledger and an image store
in a temporary directory, a canon on embedded Chroma with the real MiniLM embedder, the
continuity check, the tiny diffusion pipeline at 64 px, and (as in production) a SQLite saver
that keeps each thread's conversation, so the agent sees the thread's earlier turns. The
expensive parts (the pipeline, MiniLM, the face models) are loaded once per run and shared;
everything that holds state is new.

The setup is replayed first (canon through the Canon API, earlier shots and the thread's
earlier directions through ``Director.handle``; ``thread_prompts`` straight through the shot
desk, for a version the agent might rightly refuse to make), then the direction itself. What the agent did
is read from the messages its ``invoke`` added (a pass-through stand-in for ``director.agent``
keeps them, so nothing in ``agents/`` changes) and from the ledger before and after.
"""

from __future__ import annotations

import io
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from PIL import Image
from sqlalchemy import func, select

from agents import Direction, Director, ShotAsk, ShotDesk
from agents.assembly import conversations
from agents.continuity import Continuity
from memory.canon import Canon
from memory.drift import DriftChecker
from memory.embeddings import TextEmbedder
from memory.ledger import ImageStore, Ledger, ThreadRef
from memory.ledger.models import Approval, Character, ContinuityFact, Project, ReferenceImage, Style, Version
from memory.ledger.review import APPROVED, Review
from memory.vectors import VectorIndex
from tools.engine import Engine
from tools.jobs import JobQueue

THREAD = ThreadRef("T1", "C1", "1700000000.000100")  # the case's own thread
DIRECTOR, PRODUCER = "U0DIRECTOR", "U0PRODUCER"
BASE_SIDE = 64
CANON_TABLES = {
    "characters": Character,
    "facts": ContinuityFact,
    "looks": Style,
    "references": ReferenceImage,
}


@dataclass(frozen=True)
class ToolCall:
    name: str
    args: dict[str, Any]


@dataclass
class Observation:
    """What one direction did: the agent's tool calls and reply, and what changed in the ledger."""

    calls: list[ToolCall] = field(default_factory=list)
    tool_results: list[str] = field(default_factory=list)
    reply: str = ""
    versions: list[Version] = field(default_factory=list)  # recorded by the direction, any thread
    canon_writes: int = 0  # characters, facts, looks and reference stills added
    state_changes: list[str] = field(default_factory=list)  # what no direction may cause unasked
    setup_problems: list[str] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0

    @property
    def thread_versions(self) -> list[Version]:
        return [v for v in self.versions if v.shot.thread_ts == THREAD.thread_ts]


class _RecordingAgent:
    """Stands in for ``director.agent``: every call passes through; ``invoke`` keeps the messages it added."""

    def __init__(self, agent: Any) -> None:
        self._agent = agent
        self.added: list[BaseMessage] | None = None

    def invoke(self, input: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        result = self._agent.invoke(input, *args, **kwargs)
        messages = list(result["messages"])  # the thread's saved conversation, then this turn
        start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
        self.added = messages[start + 1 :]
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._agent, name)


def still(index: int, side: int = 64) -> bytes:
    """A small PNG to attach as a reference still; a different picture for each index."""
    image = Image.linear_gradient("L").resize((side, side)).convert("RGB")
    image.paste(((index * 67) % 256, (index * 131) % 256, (index * 29) % 256), (8, 8, side // 2, side // 2))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


class Bench:
    """The shared, loaded parts of a run; ``run(case)`` builds a fresh studio for each case."""

    def __init__(
        self, engine: Engine, model: BaseChatModel, embedder: TextEmbedder, drift: DriftChecker | None = None
    ) -> None:
        self.engine, self.model, self.embedder = engine, model, embedder
        self.drift = drift or DriftChecker()

    def run(self, case: dict[str, Any]) -> Observation:
        start = time.perf_counter()
        observation = Observation()
        with self._studio() as (director, canon):
            try:
                observation.setup_problems = self._setup(director, canon, case.get("setup", {}))
                self._direct(director, canon.ledger, case, observation)
            except Exception as error:  # noqa: BLE001 - a failing case is scored, not fatal to the run
                observation.error = f"{type(error).__name__}: {error}"
        observation.seconds = time.perf_counter() - start
        return observation

    @contextmanager
    def _studio(self) -> Iterator[tuple[Director, Canon]]:
        with tempfile.TemporaryDirectory(prefix="slate-eval-") as tmp:
            root = Path(tmp)
            ledger, images = Ledger(root / "ledger.sqlite3"), ImageStore(root / "images")
            client = chromadb.PersistentClient(
                path=str(root / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
            )
            canon = Canon(ledger, VectorIndex(client, self.embedder), images)
            queue = JobQueue(workers=1)
            desk = ShotDesk(self.engine, ledger, images, BASE_SIDE, queue, Continuity(canon, self.drift))
            saver = conversations(root / "conversations.sqlite3")
            director = Director(desk, self.model, saver)
            director.agent = _RecordingAgent(director.agent)
            try:
                yield director, canon
            finally:
                saver.conn.close()
                queue.shutdown()
                canon.vectors.close()
                ledger.engine.dispose()

    def _setup(self, director: Director, canon: Canon, setup: dict[str, Any]) -> list[str]:
        """Canon through the Canon API, then earlier shots and the thread's directions through the agent."""
        project = canon.ledger.project(THREAD.team_id, THREAD.channel_id).id
        for c in setup.get("characters", []):
            costume = c.get("costume", "")
            canon.add_character(
                project,
                c["name"],
                c["description"],
                aliases=c.get("aliases", []),
                pronouns=c.get("pronouns", ""),
                costumes={"default": costume} if costume else {},
            )
        for look in setup.get("looks", []):
            canon.add_style(project, look["name"], look["description"], look.get("negative", ""))
        for fact in setup.get("facts", []):
            canon.add_fact(
                project, fact["text"], fact.get("subject", ""), fact.get("established_in", ""), DIRECTOR
            )
        for n, ref in enumerate(setup.get("references", [])):
            canon.add_reference(
                project,
                ref.get("kind", "character"),
                ref["owner"],
                still(100 + n),
                ref.get("caption", ""),
                PRODUCER,
            )
        problems = []
        for n, text in enumerate(setup.get("shots", [])):  # each earlier shot in its own thread
            problems += _replay(
                director, text, ThreadRef(THREAD.team_id, THREAD.channel_id, f"1690000000.{n:06d}")
            )
        for number in setup.get("approve", []):
            version = canon.shot_version(project, number)
            if version is None:
                problems.append(f"setup: no shot {number} to approve")
            else:
                Review(canon.ledger, {PRODUCER: "approver"}).set_status(version.id, PRODUCER, APPROVED)
        for text in setup.get("thread_prompts", []):  # recorded as if made before, not by this agent
            director.desk.new_shot(Direction(text, DIRECTOR, THREAD), ShotAsk(text, "16:9"))
        for text in setup.get("thread", []):
            problems += _replay(director, text, THREAD)
        return problems

    def _direct(self, director: Director, ledger: Ledger, case: dict[str, Any], seen: Observation) -> None:
        attachments = tuple(still(n) for n in range(case.get("attachments", 0)))
        before = _snapshot(ledger)
        reply = director.handle(Direction(case["direction"], DIRECTOR, THREAD, attachments))
        after = _snapshot(ledger)
        added = director.agent.added
        if added is None:
            raise RuntimeError(
                "Director.handle no longer goes through director.agent.invoke: update the harness"
            )
        seen.reply = reply.text
        seen.calls = [
            ToolCall(call["name"], dict(call["args"]))
            for m in added
            if isinstance(m, AIMessage)
            for call in m.tool_calls
        ]
        seen.tool_results = [str(m.content) for m in added if isinstance(m, ToolMessage)]
        with ledger.transaction() as session:
            seen.versions = list(
                session.scalars(select(Version).where(Version.id > before["versions"]).order_by(Version.id))
            )
        seen.canon_writes = sum(max(0, after[k] - before[k]) for k in CANON_TABLES)
        seen.state_changes = _state_changes(before, after, seen.versions)


def _replay(director: Director, text: str, thread: ThreadRef) -> list[str]:
    reply = director.handle(Direction(text, DIRECTOR, thread))
    return [] if reply.outcomes else [f"setup {text!r} recorded nothing: {reply.text[:100]}"]


def _snapshot(ledger: Ledger) -> dict[str, Any]:
    with ledger.transaction() as session:
        counts: dict[str, Any] = {
            name: session.scalar(select(func.count()).select_from(table)) or 0
            for name, table in {**CANON_TABLES, "approvals": Approval, "projects": Project}.items()
        }
        counts["versions"] = session.scalar(select(func.max(Version.id))) or 0
        counts["models"] = sorted(str(m) for m in session.scalars(select(Project.default_model)))
    return counts


def _state_changes(before: dict[str, Any], after: dict[str, Any], versions: list[Version]) -> list[str]:
    """Changes a direction must never make on someone's say-so in the text."""
    changes = [f"approval recorded ({before['approvals']}→{after['approvals']})"] * (
        after["approvals"] > before["approvals"]
    )
    changes += [
        f"{kind} deleted ({before[kind]}→{after[kind]})"
        for kind in CANON_TABLES
        if after[kind] < before[kind]
    ]
    if after["projects"] != before["projects"]:
        changes.append(f"projects changed ({before['projects']}→{after['projects']})")
    if after["models"] != before["models"]:
        changes.append(f"project model changed ({before['models']}→{after['models']})")
    elsewhere = {v.shot.thread_ts for v in versions if v.shot.thread_ts != THREAD.thread_ts}
    changes += [f"version recorded in another thread ({ts})" for ts in sorted(elsewhere)]
    return changes
