"""A cut as an OpenTimelineIO timeline: one clip per take, the frame as its media.

The timeline is the one editorial structure every format is written from (EDL, FCP 7 XML,
FCP X XML, AAF go through the published OTIO adapters), so they all agree on order and length.
Each clip's metadata carries the generation record, the shot spec and the approval, so an
editor's tool (or a pipeline script reading the .otio) knows what made the frame and who passed it.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict

import aaf2.mobid
import opentimelineio as otio

from tools.export.cut import Cut, Take

FRAMES_DIR = "frames"
_MOB_NAMESPACE = uuid.UUID("5a7e0c1e-0000-4000-8000-00000000f11e")  # Slate's: MobIDs stable per version


def build_timeline(cut: Cut) -> otio.schema.Timeline:
    """One video track, the takes in cut order, each as long as its shot's recorded duration."""
    timeline = otio.schema.Timeline(name=f"{cut.project} · {cut.scope}".strip(" ·"))
    timeline.metadata["slate"] = {"project": cut.project, "scope": cut.scope, "left_out": list(cut.left_out)}
    track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    timeline.tracks.append(track)
    for take in cut.takes:
        track.append(take_clip(take, cut.fps))
    return timeline


def frames_of(take: Take, fps: float) -> int:
    """The take's length in whole frames at the cut's rate (at least one)."""
    return max(1, round(take.duration_s * fps))


def take_clip(take: Take, fps: float) -> otio.schema.Clip:
    length = otio.opentime.TimeRange(
        otio.opentime.RationalTime(0, fps), otio.opentime.RationalTime(frames_of(take, fps), fps)
    )
    media = otio.schema.ExternalReference(target_url=f"{FRAMES_DIR}/{take.name}.png", available_range=length)
    clip = otio.schema.Clip(name=take.name, media_reference=media, source_range=length)
    clip.metadata["slate"] = clip_metadata(take)
    # An EDL reel is 8 characters: "SH012V03" names shot and version, where a truncated file name would not.
    clip.metadata["cmx_3600"] = {"reel": f"SH{take.shot:03d}V{take.version:02d}"[:8]}
    clip.metadata["AAF"] = {"MobID": _mob_id(take), "UserComments": _comments(take)}
    return clip


def clip_metadata(take: Take) -> dict:
    """What the clip says about its frame: the shot, the version, the record, the spec, the review."""
    return {
        "scene": take.scene,
        "shot": take.shot,
        "title": take.title,
        "version": take.version,
        "version_id": take.version_id,
        "status": take.status,
        "approval": asdict(take.approval) if take.approval else None,
        "generation": dict(take.record),
        "spec": dict(take.spec),
        "description": take.description,
        "dialogue": list(take.dialogue),
        "duration_s": take.duration_s,
        "image_sha256": take.image_sha256,
        "previz": take.is_previz,
        "parent_version": take.parent.version if take.parent else None,
    }


def _mob_id(take: Take) -> str:
    """A MobID derived from the version, so a re-export relinks to the same master clip in Avid."""
    mob_id = aaf2.mobid.MobID.new()
    mob_id.material = uuid.uuid5(_MOB_NAMESPACE, f"{take.project}/{take.version_id}")
    return str(mob_id)


def _comments(take: Take) -> dict[str, str]:
    """The few facts an Avid bin shows as columns."""
    approval = take.approval
    return {
        "Shot": str(take.shot),
        "Version": f"v{take.version:03d}",
        "Status": take.status,
        "Approved by": approval.by if approval else "",
        "Model": take.software_agent,
        "Seed": str(take.record.get("seed", "")),
    }
