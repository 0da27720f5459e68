"""The shot desk: run a generation through the job queue, store the images, record the versions.

Recording is all or nothing: images are written content-addressed first, then every version
of the job is added in one ledger transaction. If generation fails or is cancelled, nothing
is written; if the transaction fails, the files are unreferenced blobs, never half a version.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace

from PIL import Image

from agents import pacing
from agents.blocking import blocking_for
from agents.continuity import Continuity, ContinuityQuestion, Prepared
from agents.direction import Direction
from agents.reading.vagueness import pronoun_referent
from agents.spec import ShotSpec, read_spec, repainted_spec, revise_spec, revised_prompt
from config.presets import DEFAULT_ASPECT, frame_size
from memory.ledger import ImageStore, JobBook, Ledger, NewVersion, Version
from memory.ledger.images import ANIMATIC_SUFFIX, SCENE_SUFFIX
from tools import operations as ops
from tools.blocking import Blocking
from tools.compare import side_by_side
from tools.engine import (
    Box,
    Engine,
    GenerationError,
    GenerationRecord,
    GenerationRequest,
    GenerationResult,
    upscaled_size,
)
from tools.jobs import EventCallback, JobControl, JobQueue
from tools.png_record import encode_png


@dataclass(frozen=True)
class ShotAsk:
    """A new shot as the direction asked for it: what to draw, and each setting it gave (None: not said)."""

    description: str
    aspect_ratio: str | None = None
    seed: int | None = None
    negative_prompt: str = ""
    count: int = 1
    steps: int | None = None
    guidance: float | None = None
    sampler: str | None = None


@dataclass(frozen=True)
class ShotOutcome:
    """A recorded version and its image, as the chat surface needs it."""

    version_id: int
    shot_number: int
    version_number: int
    png: bytes
    width: int
    height: int
    seed: int
    is_previz: bool
    prompt: str
    mode: str = "txt2img"
    note: str = ""
    drift: tuple[str, ...] = ()  # consistency flags to show before anyone approves
    spec: str = ""  # what the agent understood, shown with the shot
    has_scene: bool = False  # a 3D scene (.blend) was kept: an artist can open the blocking
    has_animatic: bool = False  # the camera move was kept as a GIF: the thread can play it

    @property
    def label(self) -> str:
        return f"Shot {self.shot_number} · v{self.version_number}"


@dataclass(frozen=True)
class Picture:
    """An image Slate shows that is not a version (a comparison): nothing to approve on it."""

    filename: str
    png: bytes
    title: str


RECENT_OUTCOMES = 64
Work = Callable[[JobControl], list[GenerationResult]]


@dataclass(frozen=True)
class Plan:
    """A capability made concrete when its turn comes: the engine work, the version it starts
    from and the reading to record with the result (None: keep the parent's)."""

    work: Work
    parent: Version | None
    spec: ShotSpec | None = None


class ShotDesk:
    def __init__(
        self,
        engine: Engine,
        ledger: Ledger,
        images: ImageStore,
        base_side: int = 768,
        queue: JobQueue | None = None,
        continuity: Continuity | None = None,
    ) -> None:
        self.continuity = continuity
        self.engine = engine
        self.ledger = ledger
        self.images = images
        self.base_side = base_side
        self.queue = queue or JobQueue(workers=1)
        self.jobs = JobBook(ledger)
        self._recent: OrderedDict[int, ShotOutcome] = OrderedDict()  # outcomes of this process's runs

    def outcome(self, version_id: int) -> ShotOutcome:
        """A recorded version as the chat surface shows it (drift flags only for recent runs)."""
        if version_id in self._recent:
            return self._recent[version_id]
        version = self.ledger.version(version_id)
        if version is None:
            raise LookupError(f"version {version_id} does not exist")
        png = self.images.get(version.image_sha256)
        return _outcome(version, GenerationResult(Image.open(io.BytesIO(png)), record_of(version)), png)

    def compare(self, direction: Direction, numbers: Sequence[int]) -> Picture:
        """This thread's versions side by side, each captioned; refused for a version it lacks."""
        shot = self.ledger.shot_for_thread(direction.thread.channel_id, direction.thread.thread_ts)
        if shot is None:
            raise GenerationError("There is no shot in this thread yet to compare versions of.")
        panels = []
        for number in numbers:
            version = self.ledger.shot_version(shot.id, number)
            if version is None:
                raise GenerationError(f"Shot {shot.number} has no v{number}.")
            spec = ShotSpec.from_extra(version.extra).summary()
            detail = f"{version.mode} · seed {version.seed}" + (f" · {spec}" if spec else "")
            frame = self.images.image(version.image_sha256)
            panels.append((frame, f"Shot {shot.number} · v{number}", detail))
        sheet = io.BytesIO()
        side_by_side(panels).save(sheet, format="PNG")
        names = " and ".join(f"v{n}" for n in numbers)
        label = f"shot{shot.number:03d}_compare_" + "_".join(f"v{n}" for n in numbers)
        return Picture(f"{label}.png", sheet.getvalue(), f"Shot {shot.number}: {names}")

    def current_version(self, direction: Direction) -> Version | None:
        return self.ledger.latest_version(direction.thread.channel_id, direction.thread.thread_ts)

    def cast(self, direction: Direction) -> list[str]:
        """The names of the project's characters, for reading who a direction is about."""
        return list(self.cast_pronouns(direction))

    def look_names(self, direction: Direction) -> list[str]:
        """The project's looks, which reference stills may be kept for."""
        if self.continuity is None:
            return []
        project = self.ledger.project(direction.thread.team_id, direction.thread.channel_id)
        return [style.name for style in self.continuity.canon.styles(project.id)]

    def cast_pronouns(self, direction: Direction) -> dict[str, str]:
        """Each character's pronouns ("" when not given), for telling whom "her" can mean."""
        return self._cast(self.ledger.project(direction.thread.team_id, direction.thread.channel_id).id)

    def shot_count(self, direction: Direction) -> int:
        """How many shots this channel's project has (numbered 1 to this)."""
        project = self.ledger.project(direction.thread.team_id, direction.thread.channel_id)
        return self.ledger.shot_count(project.id)

    def cast_aliases(self, direction: Direction) -> dict[str, str]:
        """The other names the team uses for the cast ("the captain" → "Rook")."""
        if self.continuity is None:
            return {}
        project = self.ledger.project(direction.thread.team_id, direction.thread.channel_id)
        return {alias: c.name for c in self.continuity.canon.characters(project.id) for alias in c.aliases}

    # Capabilities ------------------------------------------------------------------
    #
    # Each capability is planned inside its job, not when it is asked for: the jobs of one
    # thread run in the order they were asked, so a revision starts from the version the job
    # before it made, even when both were asked within a second.

    def new_shot(
        self, direction: Direction, ask: ShotAsk, on_event: EventCallback | None = None
    ) -> list[ShotOutcome]:
        """A first version (or a fresh take, or a batch of variations) of the thread's shot.

        ``ask.aspect_ratio`` None means "not said": a shot it refers to ("like shot 4") lends its
        aspect and its reading, else the project's default frame, else 16:9.
        """
        project = self.ledger.project(direction.thread.team_id, direction.thread.channel_id)
        prepared = self._with_canon(direction, project.id, project.default_model)

        def plan() -> Plan:
            referred = self._referred_spec(project.id, prepared)
            aspect = ask.aspect_ratio or referred.aspect_ratio or project.default_aspect or DEFAULT_ASPECT
            try:
                width, height = frame_size(aspect, self.base_side)
            except ValueError as error:
                raise GenerationError(str(error)) from None
            request = GenerationRequest(
                prompt=ask.description,
                negative_prompt=ask.negative_prompt,
                width=width,
                height=height,
                seed=ask.seed,
                count=ask.count,
                title=ask.description[:80],
                model=project.default_model,
                steps=ask.steps or project.default_steps,
                guidance=ask.guidance,
                sampler=ask.sampler,
            )
            if prepared is not None:
                request = replace(
                    request,
                    prompt=prepared.prompt(ask.description),
                    negative_prompt=", ".join(p for p in (ask.negative_prompt, prepared.negative) if p),
                    seed=ask.seed if ask.seed is not None else prepared.pack.seed_hint,
                    references=prepared.references,
                    loras=prepared.loras,
                )
            spec = _with_referents(
                referred.merged(read_spec(ask.description, self._cast(project.id), aspect)), prepared
            )
            request = replace(
                request, blocking=self._blocking(spec, project.id, prepared, (width, height), request.prompt)
            )
            return Plan(
                lambda c: ops.generate(self.engine, request, c.report),
                self.current_version(direction),
                spec,
            )

        return self._run(direction, plan, on_event, prepared)

    def revise(
        self,
        direction: Direction,
        change: str,
        on_event: EventCallback | None = None,
        from_version: int | None = None,
    ) -> list[ShotOutcome]:
        """Image to image from the thread's current version (or ``from_version``), same seed, the
        change applied to prompt and spec."""
        current = self.current_version(direction)
        project_id = self.ledger.project(direction.thread.team_id, direction.thread.channel_id).id
        model = None if current is None or current.engine == "previz" else current.model
        prepared = self._with_canon(direction, project_id, model)

        def plan() -> Plan:
            parent, record, image = self._parent(direction, from_version)
            before = ShotSpec.from_extra(parent.extra)
            spec = revise_spec(before, change, self._cast(parent.shot.project_id))
            prompt = revised_prompt(parent.prompt, change.strip(), before, spec)
            canon = {}
            if prepared is not None:
                prompt = prepared.prompt(prompt)
                canon = {"references": prepared.references, "loras": prepared.loras}
            blocking = self._blocking(spec, parent.shot.project_id, prepared, image.size, prompt)
            return Plan(
                lambda c: [
                    ops.revise(
                        self.engine, record, image, prompt, progress=c.report, blocking=blocking, **canon
                    )
                ],
                parent,
                spec,
            )

        return self._run(direction, plan, on_event, prepared)

    def inpaint(
        self,
        direction: Direction,
        region: Box,
        change: str,
        on_event: EventCallback | None = None,
        from_version: int | None = None,
        region_said: str = "",
    ) -> list[ShotOutcome]:
        """Repaint one region of the current version (or v``from_version``); the rest stays. The
        version's reading takes what the change says ("stormier": storm) and its note says where
        ("repainted the sky on the left third"), so the caption matches the picture."""

        def plan() -> Plan:
            parent, record, image = self._parent(direction, from_version)
            prompt = f"{parent.prompt}, {change.strip()}"
            spec = repainted_spec(
                ShotSpec.from_extra(parent.extra), change, self._cast(parent.shot.project_id)
            )
            blocking = self._blocking(spec, parent.shot.project_id, None, image.size, prompt)
            note = {"repainted": region_said.strip()} if region_said.strip() else {}

            def work(c: JobControl) -> list[GenerationResult]:
                result = ops.inpaint(
                    self.engine, record, image, prompt, region=region, progress=c.report, blocking=blocking
                )
                return [replace(result, record=replace(result.record, extra={**result.record.extra, **note}))]

            return Plan(work, parent, spec)

        return self._run(direction, plan, on_event)

    def extend(
        self,
        direction: Direction,
        aspect_ratio: str,
        on_event: EventCallback | None = None,
        from_version: int | None = None,
    ) -> list[ShotOutcome]:
        """Outpaint the current version (or v``from_version``) to a new aspect ratio."""

        def plan() -> Plan:
            parent, record, image = self._parent(direction, from_version)
            spec = ShotSpec.from_extra(parent.extra).model_copy(update={"aspect_ratio": aspect_ratio})
            size = ops.extension_canvas(image, aspect_ratio)[0].size  # same camera, more of the set
            blocking = self._kept_blocking(parent, size)
            return Plan(
                lambda c: [
                    ops.extend(self.engine, record, image, aspect_ratio, progress=c.report, blocking=blocking)
                ],
                parent,
                spec,
            )

        return self._run(direction, plan, on_event)

    def vary(
        self,
        direction: Direction,
        how: str,
        count: int,
        on_event: EventCallback | None = None,
        from_version: int | None = None,
    ) -> list[ShotOutcome]:
        """Variations of the current version (or v``from_version``): subtle, strong, or reroll."""

        def plan() -> Plan:
            parent, record, image = self._parent(direction, from_version)
            blocking = self._kept_blocking(parent, image.size)
            return Plan(
                lambda c: ops.vary(self.engine, record, image, how, count, c.report, blocking=blocking),
                parent,
            )

        return self._run(direction, plan, on_event)

    def upscale(
        self,
        direction: Direction,
        factor: float,
        on_event: EventCallback | None = None,
        from_version: int | None = None,
    ) -> list[ShotOutcome]:
        """A larger copy of the current version (or v``from_version``)."""

        def plan() -> Plan:
            parent, record, image = self._parent(direction, from_version)
            size = upscaled_size(image.size, factor)  # a real re-render at the larger size
            blocking = self._kept_blocking(parent, size)
            return Plan(
                lambda c: [ops.upscale(self.engine, record, image, factor, c.report, blocking=blocking)],
                parent,
            )

        return self._run(direction, plan, on_event)

    def _asked_at(self, direction: Direction) -> str:
        """Where a direction stands in its thread's order: its message's ts."""
        job = self.jobs.get(direction.job_id) if direction.job_id is not None else None
        return job.ts if job is not None else ""

    def waiting_for_earlier(self, direction: Direction) -> bool:
        """Whether something asked earlier in this thread is still being made."""
        return direction.job_id is not None and self.jobs.earlier_unfinished(direction.job_id)

    def cancel(self, direction: Direction) -> int:
        """Cancel this person's queued and running shots; returns how many."""
        mine = [job for job in self.queue.pending() + self.queue.running() if job.user == direction.user_id]
        return sum(self.queue.cancel(job.id) for job in mine)

    def use_model(self, direction: Direction, model: str) -> str:
        """Switch this channel's project to another registered model for its new shots."""
        known = self.engine.model_names()
        if model not in known:
            raise GenerationError(f"Unknown model {model!r}. Configured models: {', '.join(known)}.")
        self.ledger.set_project_model(direction.thread.team_id, direction.thread.channel_id, model)
        return model

    def _with_canon(self, direction: Direction, project_id: int, model: str | None) -> Prepared | None:
        """The canon for this direction; a contradiction not overridden stops here, before any work."""
        if self.continuity is None:
            return None
        prepared = self._thread_canon(direction, project_id, model)
        issues = self.continuity.blocking_issues(direction, project_id, prepared)
        if issues:
            raise ContinuityQuestion(issues)
        return prepared

    def _thread_canon(self, direction: Direction, project_id: int, model: str | None) -> Prepared:
        """The continuity pack for the direction read with its thread's earlier directions."""
        assert self.continuity is not None
        thread = direction.thread
        history = list(direction.history) or self.ledger.thread_directions(
            thread.channel_id, thread.thread_ts
        )
        referent = pronoun_referent(direction.text, self._cast(project_id), " ".join(history))
        if referent:  # "close on her" with one woman in the canon: as if the thread had named her
            history = [*history, referent]
        return self.continuity.prepare(direction, project_id, history, self.engine, model)

    # Plumbing ------------------------------------------------------------------------

    def _parent(
        self, direction: Direction, number: int | None = None
    ) -> tuple[Version, GenerationRecord, Image.Image]:
        """The version a revision starts from: the thread's current one, or v``number``."""
        parent = self.current_version(direction)
        if parent is None:
            raise GenerationError("There is no shot in this thread yet: describe the shot first.")
        if number is not None and number != parent.number:
            shot = self.ledger.shot_for_thread(direction.thread.channel_id, direction.thread.thread_ts)
            parent = self.ledger.shot_version(shot.id, number) if shot else None
            if parent is None:
                raise GenerationError(f"This shot has no v{number}.")
        image = self.images.image(parent.image_sha256)
        return parent, record_of(parent), image

    def _referred_spec(self, project_id: int, prepared: Prepared | None) -> ShotSpec:
        """The reading of the shot a direction refers to ("like shot 4"), or an empty one."""
        if prepared is None or not prepared.pack.shots or self.continuity is None:
            return ShotSpec()
        version = self.continuity.canon.shot_version(project_id, prepared.pack.shots[0].shot)
        return ShotSpec.from_extra(version.extra) if version is not None else ShotSpec()

    def _cast(self, project_id: int) -> dict[str, str]:
        """Known names and their pronouns, so "mcu maya" finds Maya; empty without a canon (names
        are then guessed)."""
        if self.continuity is None:
            return {}
        return {c.name: c.pronouns for c in self.continuity.canon.characters(project_id)}

    def _blocking(
        self,
        spec: ShotSpec,
        project_id: int,
        prepared: Prepared | None,
        size: tuple[int, int],
        prompt: str,
    ) -> Blocking | None:
        """The 3D blocking of a version: its spec, the canon's cast (what each wears), its size.
        Engines that don't build scenes ignore it; one that can't be built is left out."""
        cast: list[object] = []
        if self.continuity is not None:
            cast = list(self.continuity.canon.characters(project_id))
            if prepared is not None:  # the costume for this scene, where the canon has one
                cast = list(prepared.pack.characters) + cast
        try:
            return blocking_for(spec, cast, size[0], size[1], prompt)
        except ValueError:
            return None

    def _kept_blocking(self, parent: Version, size: tuple[int, int]) -> Blocking | None:
        """The blocking of a version made from ``parent`` that keeps its reading (extend, vary,
        upscale): the parent's spec and prompt, at the new version's size."""
        spec = ShotSpec.from_extra(parent.extra)
        return self._blocking(spec, parent.shot.project_id, None, size, parent.prompt)

    def _run(
        self,
        direction: Direction,
        plan: Callable[[], Plan],
        on_event: EventCallback | None,
        prepared: Prepared | None = None,
    ) -> list[ShotOutcome]:
        """Queue the capability as one job that plans, generates and records, and wait for it."""

        def job(control: JobControl) -> list[ShotOutcome]:
            planned = plan()
            return self._record(direction, planned, planned.work(control), prepared)

        ready = (lambda: not self.waiting_for_earlier(direction)) if direction.job_id is not None else None
        thread = direction.thread
        submitted = self.queue.submit(
            direction.user_id,
            job,
            label=direction.text[:60],
            on_event=on_event,
            ready=ready,
            lane=(f"{thread.team_id}:{thread.channel_id}:{thread.thread_ts}", self._asked_at(direction)),
        )
        with pacing.waiting():  # another direction may be read meanwhile
            return submitted.wait()

    def _record(
        self,
        direction: Direction,
        plan: Plan,
        results: list[GenerationResult],
        prepared: Prepared | None,
    ) -> list[ShotOutcome]:
        """The one step every capability ends in: images stored, versions recorded with the
        job in one transaction, then indexed and drift-checked."""
        parent = plan.parent
        spec = plan.spec
        if spec is None and parent is not None:
            spec = ShotSpec.from_extra(parent.extra)  # repaint, extend, vary, upscale keep the reading
        if spec is not None:
            results = [
                replace(r, record=replace(r.record, extra={**r.record.extra, **spec.as_extra()}))
                for r in results
            ]
        encoded = [encode_png(result.image, result.record) for result in results]
        versions = self.ledger.record_versions(
            [
                NewVersion(
                    thread=direction.thread,
                    record=result.record,
                    image_sha256=self.images.put(png),
                    scene_sha256=self.images.put(result.scene, SCENE_SUFFIX) if result.scene else None,
                    animatic_sha256=self.images.put(result.animatic, ANIMATIC_SUFFIX)
                    if result.animatic
                    else None,
                    direction=direction.text,
                    title=direction.text[:80],
                    is_previz=result.is_previz,
                    parent_id=parent.id if parent else None,
                    created_by=direction.user_id,
                )
                for result, png in zip(results, encoded, strict=True)
            ],
            job_id=direction.job_id,
        )
        drift: list[str] = []
        if self.continuity is not None:  # every version, repaints and upscales too, is indexed and checked
            project_id = versions[0].shot.project_id
            if prepared is None:  # a change of an existing frame: the canon of the thread's shot
                prepared = self._thread_canon(direction, project_id, parent.model if parent else None)
            drift = self.continuity.after(project_id, versions, [r.image for r in results], prepared.pack)
        outcomes = [
            _outcome(v, r, png, tuple(f for f in drift if f.startswith(f"v{v.number}:")))
            for v, r, png in zip(versions, results, encoded, strict=True)
        ]
        for outcome in outcomes:
            self._recent[outcome.version_id] = outcome
        while len(self._recent) > RECENT_OUTCOMES:
            self._recent.popitem(last=False)
        return outcomes


_REFERRED = {"pronoun", "alias"}  # how the continuity pack found a character the words don't name


def _with_referents(spec: ShotSpec, prepared: Prepared | None) -> ShotSpec:
    """The spec with the characters the canon found by a pronoun ("close on her": Maya) or by
    another name ("the captain": Rook) in it."""
    found = [c.name for c in prepared.pack.characters if c.how_found in _REFERRED] if prepared else []
    missing = [name for name in found if name not in spec.characters]
    return spec.model_copy(update={"characters": [*missing, *spec.characters]}) if missing else spec


def record_of(version: Version) -> GenerationRecord:
    """The generation record a version was made with, to start a revision from."""
    values = {f.name: getattr(version, f.name) for f in fields(GenerationRecord)}
    return GenerationRecord(
        **values | {"references": tuple(version.references), "extra": dict(version.extra)}
    )


def _note(extra: dict[str, str]) -> str:
    """What the caption adds about how the version was made: the upscaler, or where it was repainted."""
    if repainted := extra.get("repainted"):
        return f"repainted: {repainted}"
    return extra.get("upscaler", "")


def _outcome(
    version: Version, result: GenerationResult, png: bytes, drift: tuple[str, ...] = ()
) -> ShotOutcome:
    return ShotOutcome(
        version_id=version.id,
        shot_number=version.shot.number,
        version_number=version.number,
        png=png,
        width=result.image.width,
        height=result.image.height,
        seed=result.record.seed,
        is_previz=result.is_previz,
        prompt=result.record.prompt,
        mode=result.record.mode,
        note=_note(result.record.extra),
        drift=drift,
        spec=ShotSpec.from_extra(result.record.extra).summary(),
        has_scene=version.scene_sha256 is not None,
        has_animatic=version.animatic_sha256 is not None,
    )
