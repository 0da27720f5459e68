"""Content-addressed image files: the SHA-256 of the bytes is the name.

Writing the same image twice is a no-op, and a file appears only complete (written to a
temporary name, then renamed), so a crash never leaves a truncated image behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from PIL import Image

from tools.images import upright_rgb

SCENE_SUFFIX = ".blend"  # a version's 3D scene (Blender), kept beside its frame
ANIMATIC_SUFFIX = ".gif"  # its camera move played as a few frames, when the shot has one


class ImageStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def put(self, data: bytes, suffix: str = ".png") -> str:
        """Store the bytes and return their SHA-256 hex digest."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest, suffix)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def path(self, digest: str, suffix: str = ".png") -> Path:
        return self.root / digest[:2] / f"{digest}{suffix}"

    def get(self, digest: str, suffix: str = ".png") -> bytes:
        return self.path(digest, suffix).read_bytes()

    def image(self, digest: str, suffix: str = ".png") -> Image.Image:
        """A stored image as upright 8-bit RGB (checked on the way in; a reference still is kept
        as it was uploaded, 16-bit or turned by EXIF, so it is normalised here as on the way in)."""
        with Image.open(self.path(digest, suffix)) as image:
            return upright_rgb(image)
