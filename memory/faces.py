"""Faces in a picture: where they are and who they look like.

dlib's frontal face detector finds the faces, its 5-point landmark model aligns each one, and
its ResNet model turns the aligned face into 128 numbers. Two faces of the same person are
usually less than 0.6 apart (Euclidean distance); different people are usually more.

The model files ship in the ``face-recognition-models`` package. We find them with
``importlib.util.find_spec`` rather than importing the package, because its ``__init__``
imports ``pkg_resources``. We use the 5-point landmark model, not the 68-point one, whose
training data excludes commercial use.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps

SAME_PERSON_DISTANCE = 0.6
LANDMARKS_FILE = "shape_predictor_5_face_landmarks.dat"
DESCRIPTOR_FILE = "dlib_face_recognition_resnet_model_v1.dat"


def model_dir() -> Path:
    """The folder of model files inside the installed ``face-recognition-models`` package."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("face model files not found: pip install face-recognition-models")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


@dataclass(frozen=True, eq=False)
class Face:
    """One detected face: its box (left, top, right, bottom, in the given image's pixels,
    clipped to the image), its 128-d identity descriptor and the detector's confidence
    (above 0; weak detections, under ~0.3, include the odd false positive)."""

    box: tuple[int, int, int, int]
    descriptor: np.ndarray
    confidence: float = 0.0

    @property
    def area(self) -> int:
        left, top, right, bottom = self.box
        return max(0, right - left) * max(0, bottom - top)

    def distance(self, other: Face) -> float:
        return float(np.linalg.norm(self.descriptor - other.descriptor))


class FaceIdentity:
    """Detects faces and describes them. The three dlib models load once, on first use.

    ``upsample_below``: images whose shorter side is under this many pixels are upsampled once
    (2x) before detection, so that faces down to ~40 px are found; larger images are not,
    which keeps detection fast and avoids false positives at small scales.
    ``jitter``: dlib's ``num_jitters``: describe each face N times with small random crops and
    average (slower by N, slightly more stable). Results are cached by image content, so
    describing the same reference on every check costs one hash.

    dlib's models are shared by every thread that uses this object, so calls are serialised.
    """

    def __init__(
        self,
        models: Path | None = None,
        *,
        upsample_below: int = 384,
        jitter: int = 0,
        cache_size: int = 128,
    ) -> None:
        self.models = models
        self.upsample_below = upsample_below
        self.jitter = jitter
        self.cache_size = cache_size
        self._lock = threading.Lock()
        self._dlib: tuple[Any, Any, Any] | None = None
        self._cache: OrderedDict[bytes, list[Face]] = OrderedDict()

    def faces(self, image: Image.Image, jitter: int | None = None) -> list[Face]:
        """Every face in the image, largest first."""
        jitter = self.jitter if jitter is None else jitter
        pixels = np.asarray(ImageOps.exif_transpose(image).convert("RGB"))
        if pixels.size == 0:
            return []
        key = hashlib.sha256(f"{pixels.shape}:{jitter}:".encode() + pixels.tobytes()).digest()
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return list(self._cache[key])
            found = self._describe(pixels, jitter)
            self._cache[key] = found
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return list(found)

    def _describe(self, pixels: np.ndarray, jitter: int) -> list[Face]:
        detector, landmarks, resnet = self._load()
        height, width = pixels.shape[:2]
        upsample = 1 if min(height, width) < self.upsample_below else 0
        found = []
        rects, confidences, _ = detector.run(pixels, upsample, 0.0)
        for rect, confidence in zip(rects, confidences, strict=True):
            shape = landmarks(pixels, rect)
            descriptor = np.asarray(resnet.compute_face_descriptor(pixels, shape, jitter), dtype=np.float64)
            box = (
                max(0, rect.left()),
                max(0, rect.top()),
                min(width, rect.right()),
                min(height, rect.bottom()),
            )
            found.append(Face(box=box, descriptor=descriptor, confidence=float(confidence)))
        return sorted(found, key=lambda face: face.area, reverse=True)

    def _load(self) -> tuple[Any, Any, Any]:
        """The detector, landmark model and descriptor model (caller holds the lock)."""
        if self._dlib is None:
            import dlib

            folder = self.models or model_dir()
            self._dlib = (
                dlib.get_frontal_face_detector(),
                dlib.shape_predictor(str(folder / LANDMARKS_FILE)),
                dlib.face_recognition_model_v1(str(folder / DESCRIPTOR_FILE)),
            )
        return self._dlib
