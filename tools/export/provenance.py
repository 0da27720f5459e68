"""C2PA content credentials on every exported frame: what made it, with what, and who passed it.

A frame drawn by a model says ``trainedAlgorithmicMedia`` and names the model; a previz frame
says ``algorithmicMedia`` and names the renderer. The generation settings and the approval are
assertions of their own; a revision carries its parent, itself signed, as an ingredient, so the
chain back to the first version reads from the file alone. A frame made from its parent's pixels
(img2img, inpaint, upscale) *opens* the parent and *edits* it; one drawn afresh from a revised
direction is *created*, the parent recorded as an input to it.
"""

from __future__ import annotations

import io
from dataclasses import asdict
from importlib import metadata

import c2pa

from memory.ledger.images import ImageStore
from tools.export.credentials import Credentials
from tools.export.cut import Take

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
FROM_PIXELS = {"img2img", "inpaint", "upscale"}  # modes that start from the parent's image
GENERATION, REVIEW = "com.slate.generation", "com.slate.review"
NOT_ALLOWED = {"use": "notAllowed"}
TRAINING_USES = ("c2pa.ai_generative_training", "c2pa.ai_inference", "c2pa.ai_training", "c2pa.data_mining")


class Provenance:
    """Signs the frames of one export; a parent signed once serves every revision of it."""

    def __init__(self, credentials: Credentials, images: ImageStore, do_not_train: bool = False) -> None:
        self.credentials = credentials
        self.images = images
        self.do_not_train = do_not_train
        self._signed: dict[int, bytes] = {}

    def signed_png(self, take: Take) -> bytes:
        """The take's stored frame with its content credentials embedded."""
        if take.version_id not in self._signed:
            parent = self.signed_png(take.parent) if take.parent is not None else None
            self._signed[take.version_id] = self._sign(take, self.images.get(take.image_sha256), parent)
        return self._signed[take.version_id]

    def _sign(self, take: Take, png: bytes, parent_png: bytes | None) -> bytes:
        builder = c2pa.Builder(manifest_for(take, self.do_not_train), context=_no_thumbnails())
        if take.parent is not None and parent_png is not None:
            builder.add_ingredient(parent_ingredient(take), "image/png", io.BytesIO(parent_png))
        signed = io.BytesIO()
        with c2pa.Signer.from_info(self._signer_info()) as signer:
            builder.sign(signer, "image/png", io.BytesIO(png), signed)
        return signed.getvalue()

    def _signer_info(self) -> c2pa.C2paSignerInfo:
        return c2pa.C2paSignerInfo(
            c2pa.C2paSigningAlg.ES256, self.credentials.chain_pem, self.credentials.key_pem, None
        )


def manifest_for(take: Take, do_not_train: bool) -> dict:
    """The C2PA manifest definition of one frame."""
    assertions = [
        {"label": "c2pa.actions.v2", "data": {"actions": actions_for(take)}},
        {"label": GENERATION, "data": {**take.record, "spec": dict(take.spec), "previz": take.is_previz}},
        {"label": REVIEW, "data": review_of(take)},
    ]
    if do_not_train:
        assertions.append(
            {"label": "c2pa.training-mining", "data": {"entries": dict.fromkeys(TRAINING_USES, NOT_ALLOWED)}}
        )
    return {
        "claim_generator_info": [{"name": "Slate", "version": _version()}],
        "title": f"{take.name}.png",
        "format": "image/png",
        "assertions": assertions,
    }


def actions_for(take: Take) -> list[dict]:
    source = IPTC + ("algorithmicMedia" if take.is_previz else "trainedAlgorithmicMedia")
    agent = {"name": take.software_agent}
    settings = {
        "description": f"Shot {take.shot} v{take.version}: {take.description}"[:500],
        "seed": take.record.get("seed"),
        "mode": take.record.get("mode"),
    }
    if take.parent is not None and take.record.get("mode") in FROM_PIXELS:
        return [
            {"action": "c2pa.opened", "parameters": {"ingredientIds": ["parent"]}},
            {
                "action": "c2pa.edited",
                "digitalSourceType": source,
                "softwareAgent": agent,
                "parameters": settings,
            },
        ]
    if take.parent is not None:
        settings["ingredientIds"] = ["parent"]
    return [
        {
            "action": "c2pa.created",
            "digitalSourceType": source,
            "softwareAgent": agent,
            "parameters": settings,
        }
    ]


def parent_ingredient(take: Take) -> dict:
    assert take.parent is not None
    relationship = "parentOf" if take.record.get("mode") in FROM_PIXELS else "inputTo"
    return {
        "title": f"{take.parent.name}.png",
        "format": "image/png",
        "relationship": relationship,
        "label": "parent",
        "description": f"Shot {take.parent.shot} v{take.parent.version}, the version this one revises",
    }


def review_of(take: Take) -> dict:
    """The approval as recorded: a human act, with who and when."""
    return {
        "project": take.project,
        "scene": take.scene,
        "shot": take.shot,
        "version": take.version,
        "status": take.status,
        **({"approval": asdict(take.approval)} if take.approval else {}),
    }


def read_manifest(data: bytes, trust_pem: bytes | None = None) -> tuple[dict, str]:
    """A signed frame's active manifest and its validation state (``Trusted`` when it chains to
    ``trust_pem``, else ``Valid``; ``Invalid`` when the file or signature was tampered with)."""
    context = None
    if trust_pem is not None:
        settings = {"verify": {"verify_trust": True}, "trust": {"user_anchors": trust_pem.decode()}}
        context = c2pa.Context.from_dict(settings)
    with c2pa.Reader("image/png", io.BytesIO(data), context=context) as reader:
        return reader.get_active_manifest() or {}, str(reader.get_validation_state())


def assertion(manifest: dict, label: str) -> dict | None:
    """One assertion's data from a manifest read back."""
    return next((a["data"] for a in manifest.get("assertions", []) if a["label"] == label), None)


def _no_thumbnails() -> c2pa.Context:
    """A frame is its own picture: a JPEG thumbnail of it (and of each parent) in the manifest
    grew a 9 KB previz frame to 170 KB and tells a reader nothing the pixels don't."""
    return c2pa.Context.from_dict({"builder": {"thumbnail": {"enabled": False}}})


def _version() -> str:
    try:
        return metadata.version("slate")
    except metadata.PackageNotFoundError:
        return "0.1.0"
