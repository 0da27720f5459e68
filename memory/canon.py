"""The project's canon: characters, looks, reference stills, continuity facts and shot history.

The ledger (SQLite) is the record; the vector index makes it findable by words and images.
Each write does both inside one ledger transaction — the vectors are upserted under stable
ids before the commit, so a failed upsert rolls the rows back and a retried write overwrites
the same vectors. One project never sees another's canon.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence

from PIL import Image
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from memory.ledger import ImageStore, Ledger
from memory.ledger.models import (
    Approval,
    Character,
    ContinuityFact,
    ContinuityOverride,
    ReferenceImage,
    Shot,
    Style,
    Version,
)
from memory.ledger.review import is_approved
from memory.vectors import ImageItem, TextItem, VectorIndex
from tools.engine import GenerationError
from tools.images import decode_image

MAX_REFERENCE_BYTES = 20 * 1024 * 1024


class CanonError(ValueError):
    """A canon write refused, with a message fit for the thread."""


def fold(name: str) -> str:
    """The lookup key of a name: case and spacing don't make a different character."""
    return re.sub(r"\s+", " ", name).strip().casefold()


def names_in(text: str, names: Iterable[str]) -> list[str]:
    """Which of ``names`` ``text`` mentions as whole words, in the order given ("Maya's" counts)."""
    return [n for n in names if n.strip() and re.search(rf"(?<!\w){re.escape(n.strip())}(?!\w)", text, re.I)]


def _character_text(c: Character) -> str:
    costumes = "; ".join(f"{when}: {what}" for when, what in c.costumes.items())
    aliases = f" (also {', '.join(c.aliases)})" if c.aliases else ""
    return f"{c.name}{aliases}. {c.description}" + (f" Costumes — {costumes}." if costumes else "")


class Canon:
    def __init__(self, ledger: Ledger, vectors: VectorIndex, images: ImageStore) -> None:
        self.ledger, self.vectors, self.images = ledger, vectors, images

    # Characters ------------------------------------------------------------------------

    def add_character(
        self,
        project_id: int,
        name: str,
        description: str,
        *,
        aliases: Sequence[str] = (),
        pronouns: str = "",
        palette: Sequence[str] = (),
        costumes: Mapping[str, str] | None = None,
        lora_path: str | None = None,
        lora_scale: float = 0.8,
    ) -> Character:
        if not name.strip():
            raise CanonError("A character needs a name.")
        if not description.strip():
            raise CanonError(
                f"Describe {name.strip()} (face, hair, build, costume) so shots can keep them consistent."
            )
        with self.ledger.transaction() as session:
            self._refuse_taken_names(session, project_id, [name, *aliases])
            character = Character(
                project_id=project_id,
                name=name.strip(),
                key=fold(name),
                description=description.strip(),
                aliases=[a.strip() for a in aliases if a.strip()],
                pronouns=pronouns.strip().lower(),
                palette=list(palette),
                costumes=dict(costumes or {}),
                lora_path=lora_path,
                lora_scale=lora_scale,
            )
            session.add(character)
            session.flush()
            self._index_character(character)
            return character

    def update_character(self, project_id: int, name: str, **changes: object) -> Character:
        """Change a character's description, costumes, palette, pronouns, aliases or LoRA."""
        allowed = {"description", "aliases", "pronouns", "palette", "costumes", "lora_path", "lora_scale"}
        unknown = set(changes) - allowed
        if unknown:
            raise CanonError(f"Unknown character fields: {', '.join(sorted(unknown))}.")
        with self.ledger.transaction() as session:
            character = self._character(session, project_id, name)
            for field, value in changes.items():
                setattr(character, field, value)
            if not character.description.strip():
                raise CanonError(f"{character.name}'s description can't be empty.")
            session.flush()
            self._index_character(character)
            return character

    def character(self, project_id: int, name: str) -> Character | None:
        with self.ledger.transaction() as session:
            return self._find_character(session, project_id, name)

    def characters(self, project_id: int) -> list[Character]:
        with self.ledger.reading() as session:
            return list(session.scalars(select(Character).where(Character.project_id == project_id)))

    def delete_character(self, project_id: int, name: str) -> None:
        """Remove a character, its reference stills (files no one else uses) and its vectors."""
        with self.ledger.transaction() as session:
            character = self._character(session, project_id, name)
            refs = list(
                session.scalars(
                    select(ReferenceImage).where(
                        ReferenceImage.owner_kind == "character", ReferenceImage.owner_id == character.id
                    )
                )
            )
            session.execute(delete(ReferenceImage).where(ReferenceImage.id.in_([r.id for r in refs])))
            session.delete(character)
            session.flush()
            orphans = [r.image_sha256 for r in refs if not self._image_in_use(session, r.image_sha256)]
            self.vectors.delete(project_id, "characters", ids=[f"character:{character.id}"])
            if refs:
                self.vectors.delete(project_id, "references", ids=[f"ref:{r.id}" for r in refs])
        for digest in orphans:  # after the commit: a rolled-back delete must not lose files
            self.images.path(digest, suffix=".ref").unlink(missing_ok=True)

    # Looks -----------------------------------------------------------------------------

    def add_style(self, project_id: int, name: str, description: str, negative: str = "") -> Style:
        if not name.strip() or not description.strip():
            raise CanonError("A look needs a name and a description (lens, grade, palette, grain, light).")
        with self.ledger.transaction() as session:
            if session.scalar(select(Style).where(Style.project_id == project_id, Style.key == fold(name))):
                raise CanonError(f"There is already a look called {name.strip()!r} in this project.")
            style = Style(
                project_id=project_id,
                name=name.strip(),
                key=fold(name),
                description=description.strip(),
                negative=negative,
            )
            session.add(style)
            session.flush()
            text = f"{style.name}. {style.description}"
            self.vectors.upsert_texts(
                project_id,
                "styles",
                [TextItem(f"style:{style.id}", text, {"style_id": style.id, "name": style.name})],
            )
            return style

    def styles(self, project_id: int) -> list[Style]:
        with self.ledger.reading() as session:
            return list(session.scalars(select(Style).where(Style.project_id == project_id)))

    # Reference stills ----------------------------------------------------------------

    def add_reference(
        self,
        project_id: int,
        owner_kind: str,
        owner_name: str,
        data: bytes,
        caption: str = "",
        added_by: str = "",
    ) -> ReferenceImage:
        """A still for a character or a look; a bad or oversized image is refused before any write."""
        image = self.check_reference(data)
        digest = hashlib.sha256(data).hexdigest()
        with self.ledger.transaction() as session:
            owner = self._owner(session, project_id, owner_kind, owner_name)
            taken = select(ReferenceImage.id).where(
                ReferenceImage.owner_kind == owner_kind,
                ReferenceImage.owner_id == owner.id,
                ReferenceImage.image_sha256 == digest,
            )
            if session.scalar(taken) is not None:
                raise CanonError(f"That image is already a reference for {owner.name}.")
            self.images.put(data, suffix=".ref")
            reference = ReferenceImage(
                project_id=project_id,
                owner_kind=owner_kind,
                owner_id=owner.id,
                image_sha256=digest,
                caption=caption or f"{owner.name} reference",
                added_by=added_by,
            )
            session.add(reference)
            session.flush()
            item = ImageItem(
                f"ref:{reference.id}",
                image,
                f"{owner.name}: {reference.caption}",
                {"owner_kind": owner_kind, "owner_id": owner.id, "name": owner.name, "sha256": digest},
            )
            self.vectors.upsert_images(project_id, "references", [item])
            return reference

    @staticmethod
    def check_reference(data: bytes) -> Image.Image:
        """Decode a would-be reference still, or say why it can't be one."""
        try:
            return decode_image(data, max_bytes=MAX_REFERENCE_BYTES)
        except GenerationError as error:
            raise CanonError(str(error)) from None

    def references(self, project_id: int, owner_kind: str, owner_id: int) -> list[ReferenceImage]:
        with self.ledger.transaction() as session:
            return list(
                session.scalars(
                    select(ReferenceImage).where(
                        ReferenceImage.project_id == project_id,
                        ReferenceImage.owner_kind == owner_kind,
                        ReferenceImage.owner_id == owner_id,
                    )
                )
            )

    def reference_image_bytes(self, reference: ReferenceImage) -> bytes:
        return self.images.get(reference.image_sha256, suffix=".ref")

    # Facts, shots, overrides ---------------------------------------------------------

    def add_fact(
        self, project_id: int, text: str, subject: str = "", established_in: str = "", added_by: str = ""
    ) -> ContinuityFact:
        if not text.strip():
            raise CanonError("A continuity fact can't be empty.")
        with self.ledger.transaction() as session:
            fact = ContinuityFact(
                project_id=project_id,
                text=text.strip(),
                subject=subject.strip(),
                established_in=established_in,
                added_by=added_by,
            )
            session.add(fact)
            session.flush()
            metadata = {"fact_id": fact.id, "subject": fold(fact.subject), "established_in": established_in}
            self.vectors.upsert_texts(project_id, "facts", [TextItem(f"fact:{fact.id}", fact.text, metadata)])
            return fact

    def facts(self, project_id: int) -> list[ContinuityFact]:
        with self.ledger.reading() as session:
            return list(
                session.scalars(select(ContinuityFact).where(ContinuityFact.project_id == project_id))
            )

    def index_version(self, project_id: int, version: Version) -> None:
        """Make a version findable: "like shot 12", "the castle from the opening"."""
        metadata = {
            "version_id": version.id,
            "shot": version.shot.number,
            "version": version.number,
            "sha256": version.image_sha256,
        }
        self.vectors.upsert_texts(
            project_id, "shots", [TextItem(f"shot:{version.id}", version.prompt, metadata)]
        )

    def record_override(
        self, project_id: int, direction: str, issue: str, user_id: str
    ) -> ContinuityOverride:
        with self.ledger.transaction() as session:
            override = ContinuityOverride(
                project_id=project_id, direction=direction, issue=issue, user_id=user_id
            )
            session.add(override)
            session.flush()
            return override

    def shot_version(self, project_id: int, number: int) -> Version | None:
        """Shot ``number``'s approved version if it has one, else its latest."""
        with self.ledger.reading() as session:
            shot = session.scalar(select(Shot).where(Shot.project_id == project_id, Shot.number == number))
            if shot is None:
                return None
            versions = list(
                session.scalars(select(Version).where(Version.shot_id == shot.id).order_by(Version.number))
            )
            approved = [v for v in versions if is_approved(session, v.id)]
            return (approved or versions or [None])[-1]

    def last_approved_version(self, project_id: int) -> Version | None:
        """The project's most recently approved version: "same framing as the last approved shot"."""
        with self.ledger.reading() as session:
            candidates = session.scalars(
                select(Version)
                .join(Shot)
                .join(Approval, Approval.version_id == Version.id)
                .where(Shot.project_id == project_id, Approval.decision.in_(("approved", "final")))
                .order_by(Approval.id.desc())
            )
            return next((v for v in candidates if is_approved(session, v.id)), None)

    # Helpers ---------------------------------------------------------------------------

    def _index_character(self, character: Character) -> None:
        metadata = {"character_id": character.id, "name": character.name}
        item = TextItem(f"character:{character.id}", _character_text(character), metadata)
        self.vectors.upsert_texts(character.project_id, "characters", [item])

    @staticmethod
    def _find_character(session: Session, project_id: int, name: str) -> Character | None:
        key = fold(name)
        for character in session.scalars(select(Character).where(Character.project_id == project_id)):
            if character.key == key or key in {fold(a) for a in character.aliases}:
                return character
        return None

    def _character(self, session: Session, project_id: int, name: str) -> Character:
        character = self._find_character(session, project_id, name)
        if character is None:
            raise CanonError(f"There is no character called {name!r} in this project.")
        return character

    def _refuse_taken_names(self, session: Session, project_id: int, names: Sequence[str]) -> None:
        for name in names:
            taken = self._find_character(session, project_id, name)
            if taken is not None:
                raise CanonError(f"{name.strip()!r} is already {taken.name} in this project.")

    def _owner(self, session: Session, project_id: int, kind: str, name: str) -> Character | Style:
        if kind == "character":
            return self._character(session, project_id, name)
        if kind == "style":
            style = session.scalar(
                select(Style).where(Style.project_id == project_id, Style.key == fold(name))
            )
            if style is None:
                raise CanonError(f"There is no look called {name!r} in this project.")
            return style
        raise CanonError(f"References belong to a character or a look, not a {kind!r}.")

    @staticmethod
    def _image_in_use(session: Session, digest: str) -> bool:
        """Another character or look may hold the same still (stored once, by content)."""
        return (
            session.scalar(select(ReferenceImage.id).where(ReferenceImage.image_sha256 == digest).limit(1))
            is not None
        )
