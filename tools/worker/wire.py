"""Generation requests and results as JSON, images inside as PNG: what crosses to a worker.

PNG keeps every mode exactly (RGB frames, "L" masks, 16-bit stills), so a request decoded on
the worker is the request the bot built, pixel for pixel.
"""

from __future__ import annotations

import base64
import io
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from PIL import Image

from tools.blocking import Blocking
from tools.engine import (
    ControlRef,
    GenerationRecord,
    GenerationRequest,
    GenerationResult,
    LoraRef,
    Reference,
)

Json = dict[str, Any]


def encode_image(image: Image.Image | None) -> str | None:
    if image is None:
        return None
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def decode_image(data: str | None) -> Image.Image | None:
    if data is None:
        return None
    image = Image.open(io.BytesIO(base64.b64decode(data)))
    image.load()
    return image


def encode_request(request: GenerationRequest) -> Json:
    data: Json = {f.name: getattr(request, f.name) for f in fields(request)}
    data["init_image"] = encode_image(request.init_image)
    data["mask"] = encode_image(request.mask)
    data["references"] = [
        {"image": encode_image(r.image), "label": r.label, "scale": r.scale, "region": r.region}
        for r in request.references
    ]
    data["loras"] = [
        {"name": lora.name, "path": str(lora.path), "scale": lora.scale} for lora in request.loras
    ]
    control = request.control
    data["control"] = (
        None
        if control is None
        else {"kind": control.kind, "image": encode_image(control.image), "scale": control.scale}
    )
    data["blocking"] = request.blocking.to_dict() if request.blocking is not None else None
    return data


def decode_request(data: Json) -> GenerationRequest:
    values = dict(data)
    values["init_image"] = decode_image(data.get("init_image"))
    values["mask"] = decode_image(data.get("mask"))
    values["references"] = tuple(
        Reference(
            image=decode_image(r["image"]),  # type: ignore[arg-type]
            label=r["label"],
            scale=r["scale"],
            region=tuple(r["region"]) if r["region"] is not None else None,  # type: ignore[arg-type]
        )
        for r in data.get("references", ())
    )
    values["loras"] = tuple(LoraRef(x["name"], Path(x["path"]), x["scale"]) for x in data.get("loras", ()))
    control = data.get("control")
    values["control"] = (
        None
        if control is None
        else ControlRef(control["kind"], decode_image(control["image"]), control["scale"])  # type: ignore[arg-type]
    )
    blocking = data.get("blocking")
    values["blocking"] = Blocking.from_dict(blocking) if blocking else None  # type: ignore[arg-type]
    return GenerationRequest(**values)


def encode_result(result: GenerationResult) -> Json:
    record = asdict(result.record)
    record["references"] = list(result.record.references)
    scene = base64.b64encode(result.scene).decode("ascii") if result.scene is not None else None
    animatic = base64.b64encode(result.animatic).decode("ascii") if result.animatic is not None else None
    return {
        "image": encode_image(result.image),
        "record": record,
        "is_previz": result.is_previz,
        "scene": scene,
        "animatic": animatic,
    }


def decode_result(data: Json) -> GenerationResult:
    record = dict(data["record"])
    record["references"] = tuple(record.get("references", ()))
    image = decode_image(data["image"])
    assert image is not None
    scene = base64.b64decode(data["scene"]) if data.get("scene") else None
    animatic = base64.b64decode(data["animatic"]) if data.get("animatic") else None
    return GenerationResult(
        image=image,
        record=GenerationRecord(**record),
        is_previz=data["is_previz"],
        scene=scene,
        animatic=animatic,
    )
