"""An animatic: a few frames rendered along the camera move, played as a looping GIF.

Slack plays a GIF inline in a thread, so a director sees the move without opening Blender. The
frames span the move's two seconds, each held for its share of them, so the loop plays at the
move's own pace; the last frame holds a little longer so the loop reads as start → end.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image

from tools.camera_move import FPS, FRAMES

FRAMES_SHOWN = 8
WIDTH = 512  # 512×288 at 16:9; other aspects keep theirs
END_HOLD = 3  # the last frame shows this many times as long


def animatic_size(width: int, height: int) -> tuple[int, int]:
    """The animatic's frame: :data:`WIDTH` wide (never wider than the still), the still's aspect."""
    w = min(WIDTH, width)
    return w, max(16, round(w * height / width))


def gif_of(frames: Sequence[Image.Image]) -> bytes:
    """The frames as a looping GIF at the move's pace (one adaptive palette per frame)."""
    if len(frames) < 2:
        raise ValueError(f"an animatic needs at least 2 frames, not {len(frames)}")
    step_ms = round(1000 * FRAMES / FPS / (len(frames) - 1))
    durations = [step_ms] * (len(frames) - 1) + [step_ms * END_HOLD]
    paletted = [f.convert("RGB").quantize(colors=255, method=Image.Quantize.MEDIANCUT) for f in frames]
    out = io.BytesIO()
    paletted[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=paletted[1:],
        duration=durations,
        loop=0,
        disposal=1,
        optimize=False,
    )
    return out.getvalue()
