"""PNG encoding with the generation record in a ``parameters`` text chunk.

The chunk follows the A1111 convention that ComfyUI, Civitai and most SD tools read, so a
director can drop a Slate image into another tool and recover prompt, seed and settings.
"""

from __future__ import annotations

import io

from PIL import Image, PngImagePlugin

from tools.engine import GenerationRecord


def parameters_text(record: GenerationRecord) -> str:
    lines = [record.prompt]
    if record.negative_prompt:
        lines.append(f"Negative prompt: {record.negative_prompt}")
    settings = [
        f"Steps: {record.steps}",
        f"Sampler: {record.scheduler or 'default'}",
        f"CFG scale: {record.guidance:g}",
        f"Seed: {record.seed}",
        f"Size: {record.width}x{record.height}",
        *([f"Denoising strength: {record.strength:g}"] if record.strength is not None else []),
        f"Mode: {record.mode}",
        f"Model: {record.model}",
        f"Engine: {record.engine}",
    ]
    lines.append(", ".join(settings))
    return "\n".join(lines)


def encode_png(image: Image.Image, record: GenerationRecord) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("parameters", parameters_text(record))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def read_parameters(data: bytes) -> str | None:
    with Image.open(io.BytesIO(data)) as image:
        return image.text.get("parameters") if hasattr(image, "text") else None
