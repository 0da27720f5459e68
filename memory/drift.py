"""The drift check: does a new shot still show the same people?

For each character we compare the faces in the new frame with that character's reference
faces (and with their face in the last approved shot), assign faces to characters, score the
match 0-100 and flag drift in plain words before anyone approves the shot.

Score: from the dlib distance ``d`` between the character's assigned face and their closest
reference face, with ``t`` the same-person threshold (0.6):

    d = 0      -> 100
    d = t      ->  60   (the pass mark: at or above 60 is "the same person")
    d = 2t     ->   0   (and beyond)

linear between those points. A character whose face isn't in the frame scores 0, with
``face_found`` False: that is "not measurable here", not "a different person".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
from PIL import Image

from memory.faces import SAME_PERSON_DISTANCE, Face, FaceIdentity

PASS_SCORE = 60.0

ImageSimilarity = Callable[[Image.Image, Image.Image], float]


class FaceCheck(Protocol):
    """What continuity asks of a drift check: here (``DriftChecker``) or on a worker."""

    def check(
        self,
        image: Image.Image,
        references: Mapping[str, Sequence[Image.Image]],
        previous: Mapping[str, Image.Image] | None = None,
        image_similarity: ImageSimilarity | None = None,
    ) -> DriftReport: ...


def score_for_distance(distance: float, threshold: float = SAME_PERSON_DISTANCE) -> float:
    """Map a face distance to 0-100; see the module docstring."""
    if distance <= threshold:
        return 100.0 - (100.0 - PASS_SCORE) * distance / threshold
    return max(0.0, PASS_SCORE * (1.0 - (distance - threshold) / threshold))


@dataclass(frozen=True)
class CharacterDrift:
    """One character in one new shot.

    ``distance``: to the closest reference face (or, with no usable reference, to their face
    in the last approved shot); None when no face was assigned to them.
    ``previous_distance``: to their face in the last approved shot, when one was given.
    ``image_similarity`` / ``previous_similarity``: the whole-image similarity callable's
    best value against the references / its value against the last approved shot.
    ``box``: where their face is in the new frame.
    """

    name: str
    score: float
    distance: float | None
    matched: bool
    face_found: bool
    note: str = ""
    previous_distance: float | None = None
    image_similarity: float | None = None
    previous_similarity: float | None = None
    box: tuple[int, int, int, int] | None = None


@dataclass(frozen=True)
class DriftReport:
    characters: list[CharacterDrift]
    flags: list[str]
    faces_in_frame: int

    @property
    def ok(self) -> bool:
        return not self.flags

    def __getitem__(self, name: str) -> CharacterDrift:
        for character in self.characters:
            if character.name == name:
                return character
        raise KeyError(name)


def assign(cost: np.ndarray) -> list[tuple[int, int]]:
    """One-to-one (row, column) pairs with the lowest total cost: scipy's Hungarian
    algorithm when scipy is installed, else greedy (cheapest pair first)."""
    if cost.size == 0:
        return []
    try:
        from scipy.optimize import linear_sum_assignment
    except ImportError:
        return assign_greedy(cost)
    rows, cols = linear_sum_assignment(cost)
    return list(zip(rows.tolist(), cols.tolist(), strict=True))


def assign_greedy(cost: np.ndarray) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    used_rows: set[int] = set()
    used_cols: set[int] = set()
    for flat in np.argsort(cost, axis=None, kind="stable"):
        row, col = (int(i) for i in np.unravel_index(flat, cost.shape))
        if row not in used_rows and col not in used_cols:
            pairs.append((row, col))
            used_rows.add(row)
            used_cols.add(col)
    return pairs


@dataclass
class _Anchors:
    """What we know of one character before looking at the new frame."""

    given: int
    references: list[Face]
    readable: list[Image.Image]
    previous: Face | None
    notes: list[str]

    @property
    def identity(self) -> list[Face]:
        return self.references or ([self.previous] if self.previous else [])


class DriftChecker:
    def __init__(self, faces: FaceIdentity | None = None, threshold: float = SAME_PERSON_DISTANCE) -> None:
        self.faces = faces or FaceIdentity()
        self.threshold = threshold

    def check(
        self,
        image: Image.Image,
        references: Mapping[str, Sequence[Image.Image]],
        previous: Mapping[str, Image.Image] | None = None,
        image_similarity: ImageSimilarity | None = None,
    ) -> DriftReport:
        """Check the new frame ``image`` against each character's reference images and, where
        given, the character's last approved shot (``previous``, by character name; names not in
        ``references`` are ignored)."""
        previous = previous or {}
        frame = self.faces.faces(image)
        names = list(references)
        anchors = {name: self._anchors(name, references[name], previous.get(name)) for name in names}

        checkable = [name for name in names if anchors[name].identity]
        cost = np.array(
            [[_closest(face, anchors[name].identity) for face in frame] for name in checkable]
        ).reshape(len(checkable), len(frame))
        assigned = {checkable[row]: frame[col] for row, col in assign(cost)}

        characters, flags = [], []
        for name in names:
            drift, flag = self._judge(name, anchors[name], assigned.get(name))
            if image_similarity is not None:
                drift = _with_similarity(
                    drift, image, anchors[name].readable, previous.get(name), image_similarity
                )
            characters.append(drift)
            flags.extend(flag)
        return DriftReport(characters=characters, flags=flags, faces_in_frame=len(frame))

    def _anchors(self, name: str, images: Sequence[Image.Image], previous: Image.Image | None) -> _Anchors:
        refs, readable, notes = [], [], []
        unreadable = faceless = 0
        for image in images:
            if not _readable(image):
                unreadable += 1
                continue
            readable.append(image)
            found = self.faces.faces(image)
            if found:
                refs.append(found[0])  # a reference is a portrait: its largest face is theirs
            else:
                faceless += 1
        if unreadable:
            notes.append(f"{unreadable} of {name}'s {len(images)} reference images could not be read")
        if faceless:
            notes.append(f"{faceless} of {name}'s {len(images)} reference images have no detectable face")

        before = None
        if previous is not None and _readable(previous):
            found = self.faces.faces(previous)
            if refs and found:
                before = min(found, key=lambda face: _closest(face, refs))
            elif found:
                before = found[0]
            else:
                notes.append(f"no face found in {name}'s last approved shot")
        elif previous is not None:
            notes.append(f"{name}'s last approved shot could not be read")
        return _Anchors(given=len(images), references=refs, readable=readable, previous=before, notes=notes)

    def _judge(self, name: str, anchors: _Anchors, face: Face | None) -> tuple[CharacterDrift, list[str]]:
        t = self.threshold
        notes, flags = list(anchors.notes), []
        if not anchors.identity:
            if anchors.readable:
                reason = f"none of the {anchors.given} reference images shows a detectable face"
            elif anchors.given:
                reason = f"none of the {anchors.given} reference images could be read"
            else:
                reason = "no reference images"
            flags.append(f"Can't check {name}: {reason}")
            return CharacterDrift(name, 0.0, None, False, False, "; ".join(notes or [reason])), flags
        if face is None:
            flags.append(f"{name}'s face wasn't found in the new shot")
            return CharacterDrift(name, 0.0, None, False, False, "; ".join(notes)), flags

        distance = _closest(face, anchors.identity)
        against = "references" if anchors.references else "last approved shot"
        if not anchors.references:
            notes.append("no reference face: compared with the last approved shot only")
        if distance >= t:
            flags.append(f"{name}'s face doesn't match the {against} (distance {distance:.2f}, above {t:g})")
        previous_distance = face.distance(anchors.previous) if anchors.previous else None
        if anchors.references and previous_distance is not None and previous_distance >= t:
            flags.append(
                f"{name}'s face has drifted from the last approved shot "
                f"(distance {previous_distance:.2f}, above {t:g})"
            )
        drift = CharacterDrift(
            name=name,
            score=round(score_for_distance(distance, t), 1),
            distance=round(distance, 4),
            matched=distance < t,
            face_found=True,
            note="; ".join(notes),
            previous_distance=None if previous_distance is None else round(previous_distance, 4),
            box=face.box,
        )
        return drift, flags


def _closest(face: Face, anchors: list[Face]) -> float:
    return min(face.distance(anchor) for anchor in anchors)


def _readable(image: object) -> bool:
    """False for anything that isn't a loadable, non-empty PIL image (a truncated upload, say)."""
    if not isinstance(image, Image.Image):
        return False
    try:
        image.load()
    except (OSError, ValueError, SyntaxError):
        return False
    return image.width > 0 and image.height > 0


def _with_similarity(
    drift: CharacterDrift,
    image: Image.Image,
    references: list[Image.Image],
    previous: Image.Image | None,
    similarity: ImageSimilarity,
) -> CharacterDrift:
    best = max((float(similarity(image, ref)) for ref in references), default=None)
    before = float(similarity(image, previous)) if previous is not None and _readable(previous) else None
    return replace(drift, image_similarity=best, previous_similarity=before)
